"""Graph paths and neighbourhoods on a networkx projection of the RDF graph."""
