"""The version of the data being served: the one place that decides it."""

from __future__ import annotations

from datetime import date

from rdflib import Literal
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF

import graph_service
from graph_service.publishing.storegraph import GraphLike


def data_version(graph: GraphLike) -> str:
    """`owl:versionInfo` of the graph's `dcat:Dataset` if there is one, else the package version."""
    versions = sorted(
        str(value)
        for dataset in graph.subjects(RDF.type, DCAT.Dataset)
        for value in graph.objects(dataset, OWL.versionInfo)
        if isinstance(value, Literal)
    )
    return versions[-1] if versions else graph_service.__version__


def data_modified(graph: GraphLike) -> date | None:
    """`dcterms:modified` of the graph's `dcat:Dataset` (the latest if several), else None."""
    dates = sorted(
        value.toPython()
        for dataset in graph.subjects(RDF.type, DCAT.Dataset)
        for value in graph.objects(dataset, DCTERMS.modified)
        if isinstance(value, Literal) and isinstance(value.toPython(), date)
    )
    return dates[-1] if dates else None
