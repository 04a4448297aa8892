"""Named SPARQL queries: `.rq` files with a `#+` metadata header, parsed, checked and bound."""
