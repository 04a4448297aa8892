"""Typed JSON responses of the /api routes (pydantic); every item has id, iri and name."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

BASE = "https://w3id.org/achats-numeriques-responsables/id/"
GUIDE = "https://ecoresponsable.numerique.gouv.fr/publications/guide-pratique-achats-numeriques-responsables/"


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class Ref(BaseModel):
    """A resource of the graph: short id, IRI and name in the requested language."""

    model_config = _examples({"id": "tco-certified", "iri": BASE + "label/tco-certified", "name": "TCO Certified"})

    id: str = Field(description="The IRI's last segment, unique across the graph")
    iri: str
    name: str


class Described(Ref):
    """A resource with its description, other names and sources."""

    description: str | None = None
    alt_names: list[str] = []
    sources: list[str] = Field(default=[], description="Public pages the facts come from")


# Labels -------------------------------------------------------------------------------------


class LabelSummary(Ref):
    """A label (or label level) and its kinds."""

    kinds: list[Ref] = []
    level_of: Ref | None = None
    type_1: bool = Field(description="Whether the label is a type I ecolabel (ISO 14024)")


class CoverageStatement(BaseModel):
    """One `anr:Coverage`: a label cited for a category, with its source."""

    coverage: str = Field(description="IRI of the anr:Coverage statement")
    category: Ref
    sources: list[str]


class LabelDetail(LabelSummary, Described):
    """Everything the graph says about a label."""

    model_config = _examples(
        {
            "id": "tco-certified",
            "iri": BASE + "label/tco-certified",
            "name": "TCO Certified",
            "type_1": True,
            "kinds": [
                {"id": "type-1-ecolabel", "iri": BASE + "vocab/type-1-ecolabel", "name": "Type I ecolabel (ISO 14024)"}
            ],
            "covers": [],
            "sources": [GUIDE + "labels/produits/#tableau-ecolabels"],
        }
    )

    issuers: list[Ref] = []
    creators: list[Ref] = []
    places: list[Ref] = []
    created: str | None = Field(default=None, description="Year of creation")
    url: str | None = None
    caveats: list[str] = []
    usable_to_select_bids: bool | None = None
    validity_period_years: int | None = None
    levels: list[Ref] = []
    themes: list[Ref] = []
    covers: list[CoverageStatement] = []
    attests: list[Ref] = Field(default=[], description="Criteria the label can prove (anr:attests)")


# Categories ---------------------------------------------------------------------------------


class CpvRef(Ref):
    """A CPV 2008 concept with its notation (8 digits, check digit)."""

    model_config = _examples(
        {
            "id": "30213100",
            "iri": "http://data.europa.eu/cpv/cpv/30213100",
            "name": "Portable computers",
            "code": "30213100-6",
        }
    )

    code: str | None = None


class CategoryNode(Ref):
    """A family or category in the tree, with its narrower categories."""

    kind: Literal["family", "category"]
    cpv_codes: list[CpvRef] = []
    children: list[CategoryNode] = []


class CategoryDetail(Described):
    """A family or category: place in the tree and CPV codes."""

    kind: Literal["family", "category"]
    broader: list[Ref] = []
    narrower: list[Ref] = []
    family: Ref | None = None
    cpv_codes: list[CpvRef] = []


class CategoryLabel(LabelSummary):
    """A label that covers a category, and how."""

    model_config = _examples(
        {
            "id": "tco-certified",
            "iri": BASE + "label/tco-certified",
            "name": "TCO Certified",
            "type_1": True,
            "how": "inherited",
            "via": {"id": "computers", "iri": BASE + "category/computers", "name": "Desktop and laptop computers"},
            "coverage": BASE + "coverage/tco-certified--computers",
            "sources": [GUIDE + "labels/produits/#tableau-ecolabels"],
        }
    )

    how: Literal["direct", "inherited"] = Field(
        description="direct: the guide cites the label for this category; inherited: for a broader one"
    )
    via: Ref = Field(description="The category the coverage statement is about")
    coverage: str = Field(description="IRI of the anr:Coverage statement")
    sources: list[str]


class CategoryLabels(BaseModel):
    """The labels covering a category directly or through a broader category."""

    category: Ref
    labels: list[CategoryLabel]


# Coverage matrix ----------------------------------------------------------------------------


class CoverageCell(BaseModel):
    """One cell of the matrix."""

    covered: bool
    how: Literal["direct", "inherited"] | None = None
    via: str | None = Field(default=None, description="Id of the category the coverage is stated for")
    coverage: str | None = None
    sources: list[str] = []


class CoverageRow(LabelSummary):
    """A label and its cells, keyed by category id."""

    cells: dict[str, CoverageCell]


class CoverageMatrix(BaseModel):
    """Labels by categories, as the guide's equipment table."""

    categories: list[Ref]
    labels: list[CoverageRow]


# Criteria, law, families --------------------------------------------------------------------


class CriterionSummary(Ref):
    """A criterion or clause with its role and minimum weighting."""

    roles: list[Ref] = []
    dimensions: list[Ref] = []
    minimum_weighting_percent: float | None = None
    families: list[Ref] = []
    categories: list[Ref] = []


class RequirementBand(BaseModel):
    """A figure that depends on the contract amount."""

    iri: str
    amount_above: float | None = None
    amount_up_to: float | None = None
    hours: int | None = None
    months: float | None = None


class CriterionDetail(CriterionSummary, Described):
    """Everything the graph says about a criterion."""

    legal_basis: list[Ref] = []
    bands: list[RequirementBand] = []
    attested_by: list[Ref] = []


class LawSummary(Ref):
    """A legal text or article."""

    kind: Literal["text", "article"]
    type: Ref | None = None
    number: str | None = Field(default=None, description="eli:id_local")
    date: dt.date | None = None
    part_of: Ref | None = None


class LawDetail(LawSummary, Described):
    """A legal text or article, its articles and who cites it."""

    title: str | None = None
    entry_into_force: dt.date | None = None
    see_also: list[str] = []
    articles: list[Ref] = []
    cited_by: list[Ref] = Field(default=[], description="Obligations and criteria resting on it")


class FamilySummary(Ref):
    """A purchase family."""

    categories: list[Ref] = []


class FamilyDetail(FamilySummary, Described):
    """A family: categories, criteria, legal texts, obligations and labels."""

    criteria: list[CriterionSummary] = []
    legal_texts: list[Ref] = []
    obligations: list[Ref] = []
    labels: list[LabelSummary] = []


# CPV profile --------------------------------------------------------------------------------


class Share(Ref):
    """A minimum share of reused or recycled purchases (anr:MinimumShareRequirement)."""

    reused_or_recycled_percent: float | None = None
    reused_percent: float | None = None
    applies_from: dt.date | None = None
    applies_until: dt.date | None = None
    in_force: bool
    legal_basis: list[Ref] = []
    via_cpv: str = Field(description="The CPV code (notation) the requirement names")
    sources: list[str] = []


class ProofLabel(CategoryLabel):
    """A label accepted as proof for the code's category."""


class LaterFact(Ref):
    """A later fact, from an official text, that overtakes a statement of the guide (anr:SupersededFact)."""

    description: str | None = None
    since: dt.date | None = Field(default=None, description="The day the later fact took effect")
    concerns: list[Ref] = Field(default=[], description="The resources whose guide statement it overtakes")
    sources: list[str] = Field(default=[], description="The official texts (ELI, Légifrance, ilo.org)")


class CpvProfile(BaseModel):
    """What a buyer must do for a CPV code."""

    model_config = _examples(
        {
            "code": "30213100-6",
            "date": "2024-01-01",
            "matched": {
                "id": "30213100",
                "iri": "http://data.europa.eu/cpv/cpv/30213100",
                "name": "Portable computers",
                "code": "30213100-6",
            },
            "walked": ["30213100"],
            "categories": [],
            "families": [],
            "shares": [],
            "labels": [],
            "criteria": [],
            "sources": [],
        }
    )

    code: str = Field(description="The code as asked")
    date: dt.date = Field(description="The date the answer holds for")
    cpv: CpvRef | None = Field(default=None, description="The exact code, when the graph has it")
    matched: CpvRef = Field(description="The nearest code of the graph the profile is built from")
    walked: list[str] = Field(description="Codes tried, most specific first")
    categories: list[Ref]
    families: list[Ref]
    shares: list[Share] = Field(description="Minimum shares in force at the date")
    shares_not_in_force: list[Share] = []
    labels: list[ProofLabel] = Field(description="Labels accepted as proof, type I first")
    criteria: list[CriterionSummary]
    sources: list[str]
    warnings: list[str] = []
    reviewed: dt.date | None = Field(
        default=None, description="« À jour au »: the day the data's facts and sources were last reviewed"
    )
    beyond_review: bool = Field(
        default=False, description="True when `date` is after `reviewed`: the answer may be out of date"
    )
    caveat: str | None = Field(default=None, description="Why the answer may be out of date, when it may")
    archived_sources: dict[str, str] = Field(
        default={},
        description="For each source the site no longer builds: its archived copy (a permalink to "
        "the version read, in the site's public repository)",
    )
    superseded: list[LaterFact] = Field(
        default=[], description="Later facts that overtake statements of the guide in this answer"
    )


# Named queries ------------------------------------------------------------------------------


class QueryParam(BaseModel):
    """A typed parameter of a named query."""

    name: str
    type: str
    required: bool
    default: str | None = None
    class_: str | None = Field(default=None, alias="class", serialization_alias="class")
    help: str

    model_config = ConfigDict(populate_by_name=True)


class QueryInfo(BaseModel):
    """A named query of queries/."""

    model_config = _examples(
        {
            "name": "labels-for-category",
            "title": "Labels covering an equipment category",
            "returns": "select",
            "params": [],
            "examples": [{"category": "cat:laptop"}],
            "tags": ["labels"],
            "href": "/api/queries/labels-for-category",
        }
    )

    name: str
    title: str
    description: str | None = None
    returns: str
    params: list[QueryParam]
    examples: list[dict[str, str]]
    example_urls: list[str] = []
    tags: list[str] = []
    href: str


class QueryResult(BaseModel):
    """Rows of a named query; IRIs as strings, numbers as numbers."""

    query: str
    params: dict[str, str] = Field(description="The bound values, as RDF terms in N-Triples syntax")
    columns: list[str]
    rows: list[dict[str, str | int | float | bool | None]]
    truncated: bool = False


# Paths and neighbourhood --------------------------------------------------------------------


class Predicate(BaseModel):
    """An edge predicate with its names."""

    iri: str
    id: str
    label: str = Field(description="In the requested language")
    labels: dict[str, str] = Field(description="fr and en")


class Step(BaseModel):
    """One step of a path: (node, predicate, node), in the direction walked."""

    source: Ref = Field(alias="from", serialization_alias="from")
    predicate: Predicate
    target: Ref = Field(alias="to", serialization_alias="to")
    inverse: bool = Field(description="True when the triple points from `to` to `from`")
    sources: list[str] = Field(default=[], description="For `covers` steps: the coverage statement's source")

    model_config = ConfigDict(populate_by_name=True)


class PathOut(BaseModel):
    """A simple path and a sentence explaining it."""

    hops: int
    nodes: list[Ref]
    steps: list[Step]
    explanation: str


class PathsResult(BaseModel):
    """Shortest simple paths between two resources."""

    source: Ref = Field(alias="from", serialization_alias="from")
    target: Ref = Field(alias="to", serialization_alias="to")
    max_hops: int
    paths: list[PathOut]

    model_config = ConfigDict(populate_by_name=True)


class NodeOut(Ref):
    """A node of a neighbourhood, with its hop distance and main class."""

    hops: int
    cls: str | None = Field(default=None, alias="class", serialization_alias="class")

    model_config = ConfigDict(populate_by_name=True)


class EdgeOut(BaseModel):
    """An edge of a neighbourhood (subject -> object)."""

    source: str = Field(description="Subject id")
    target: str = Field(description="Object id")
    predicate: Predicate


class Neighbourhood(BaseModel):
    """The subgraph around a resource."""

    center: Ref
    hops: int
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    truncated: bool = False


# Problems -----------------------------------------------------------------------------------


class ProblemOut(BaseModel):
    """An RFC 9457 problem document (application/problem+json)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Not found",
                    "status": 404,
                    "code": "unknown-id",
                    "detail": "no label with id 'tco'",
                    "suggestions": [
                        {"id": "tco-certified", "iri": BASE + "label/tco-certified", "name": "TCO Certified"}
                    ],
                }
            ]
        },
    )

    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str
    suggestions: list[Ref] | None = None
    errors: list[dict[str, Any]] | None = None
