"""Linked-data publishing: dereferenceable IRIs, dumps, JSON-LD context, DCAT catalogue, VoID."""
