"""Every resource has French and English names and a source; ids are unique and readable."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from graph_service.config import Settings
from graph_service.dataset.loading import discover_files, load_files
from graph_service.namespaces import BASE_IRI, sparql_prologue

DESCRIBED = """
  VALUES ?class { anr:Label anr:LabelLevel anr:LabelKind anr:LabelTheme anr:EfficiencyThreshold anr:Coverage
    anr:PurchaseFamily anr:PurchaseCategory anr:CpvCode anr:Criterion anr:CriterionRole anr:Dimension
    anr:RequirementBand anr:LegalTextType anr:Obligation anr:MinimumShareRequirement eli:LegalResource
    eli:LegalResourceSubdivision schema:Organization schema:GovernmentOrganization dcterms:Location
    skos:ConceptScheme }
  ?r a ?class .
"""


def resources(store: ox.Store, extra: str = "") -> set[str]:
    result = store.query(sparql_prologue() + f"SELECT DISTINCT ?r WHERE {{ {DESCRIBED} {extra} }}")
    assert isinstance(result, ox.QuerySolutions)
    return {row["r"].value for row in result}


def test_graph_has_resources(store: ox.Store) -> None:
    assert len(resources(store)) > 100


def test_every_resource_has_french_and_english_names(store: ox.Store) -> None:
    for lang in ("fr", "en"):
        missing = resources(store, f"FILTER NOT EXISTS {{ ?r skos:prefLabel ?n . FILTER(LANG(?n) = '{lang}') }}")
        assert missing == set(), f"no @{lang} name: {sorted(missing)[:10]}"


def test_every_resource_has_a_public_source(store: ox.Store) -> None:
    missing = resources(store, "FILTER NOT EXISTS { ?r dcterms:source ?s . FILTER(STRSTARTS(STR(?s), 'http')) }")
    assert missing == set(), sorted(missing)[:10]


def test_guide_sources_point_to_published_pages(store: ox.Store) -> None:
    result = store.query(sparql_prologue() + "SELECT DISTINCT ?s WHERE { ?r dcterms:source ?s }")
    assert isinstance(result, ox.QuerySolutions)
    sources = [row["s"].value for row in result]
    guide = [s for s in sources if "ecoresponsable.numerique.gouv.fr" in s]
    assert guide
    for source in guide:
        assert source.startswith("https://ecoresponsable.numerique.gouv.fr/publications/"), source
        page = source.split("#", 1)[0]
        assert page.endswith("/"), f"guide pages end with '/': {source}"


def test_every_typed_data_resource_is_named_and_sourced(settings: Settings) -> None:
    """Beyond the shapes' targets: any typed subject of data/ has fr and en names and a source."""
    graph = load_files(discover_files([settings.data_dir])).graph
    lacking = graph.query(
        sparql_prologue()
        + """SELECT DISTINCT ?r WHERE { ?r a ?type .
          FILTER (NOT EXISTS { ?r skos:prefLabel ?f FILTER (LANG(?f) = "fr") }
               || NOT EXISTS { ?r skos:prefLabel ?e FILTER (LANG(?e) = "en") }
               || NOT EXISTS { ?r dcterms:source ?s }) }"""
    )
    assert [str(row[0]) for row in lacking] == []  # type: ignore[index]


def test_short_ids_are_unique(store: ox.Store) -> None:
    minted = [r for r in resources(store) if r.startswith(BASE_IRI + "id/")]
    counts = Counter(r.rsplit("/", 1)[1] for r in minted)
    assert [slug for slug, n in counts.items() if n > 1] == []
