"""The data files: loading, SHACL validation (and its kept verdict), the store, the data version, citations."""
