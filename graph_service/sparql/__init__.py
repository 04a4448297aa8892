"""SPARQL query service: guard, formats, negotiation, worker pool (kept free of heavy imports)."""
