"""The version of the data being served: the one place that decides it, read from the store."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox

import graph_service

DCAT_DATASET = ox.NamedNode("http://www.w3.org/ns/dcat#Dataset")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VERSION_INFO = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")
MODIFIED = ox.NamedNode("http://purl.org/dc/terms/modified")
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _values(store: ox.Store, prop: ox.NamedNode) -> list[ox.Literal]:
    """The literal values of `prop` on the store's dcat:Dataset nodes (any graph)."""
    datasets = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, DCAT_DATASET)}
    return [
        q.object for s in datasets for q in store.quads_for_pattern(s, prop, None) if isinstance(q.object, ox.Literal)
    ]


def data_version(store: ox.Store) -> str:
    """`owl:versionInfo` of the data's `dcat:Dataset` if there is one, else the package version."""
    versions = sorted({v.value for v in _values(store, VERSION_INFO)})
    return versions[-1] if versions else graph_service.__version__


def data_modified(store: ox.Store) -> date | None:
    """`dcterms:modified` of the data's `dcat:Dataset` (the latest if several), else None."""
    dates = []
    for value in _values(store, MODIFIED):
        if value.datatype.value == XSD_DATE:
            try:
                dates.append(date.fromisoformat(value.value))
            except ValueError:
                continue
    return max(dates) if dates else None
