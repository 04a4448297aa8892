"""The answer to a question in French or English (/api/ask, the question page): routed by `domain/ask.py`
to a named query, the label coverage or a category's sheet, and answered with rows, the SPARQL run, the
sources and how the question was read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from pydantic import BaseModel, Field

from graph_service.domain.ask import SUGGESTIONS, Linker, Understanding, coverage_rows, understand
from graph_service.domain.queries import make_resolver, run_named
from graph_service.domain.readmodel import ReadModel
from graph_service.domain.sheet import SheetBuilder
from graph_service.named.binding import BindingError, bind
from graph_service.named.catalog import Catalog
from graph_service.named.published import bound_text

GUIDE = "https://www.numerique.gouv.fr/publications/guide-achats-numeriques-responsables/"


class Understood(BaseModel):
    """How the question was read."""

    lang: str
    route: str | None = Field(description="named query name, `coverage` or `sheet`; null when nothing fits")
    params: dict[str, str] = Field(description="the parameters bound from the question")
    entities: list[dict[str, Any]] = Field(
        description="the entities the question names (kind, id, name, the words matched, score out of 100)"
    )
    missing: str | None = Field(None, description="the kind of entity the route needed and the question lacks")


class AskAnswer(BaseModel):
    """The answer: rows, the SPARQL run (null for the coverage and the sheet), sources, and the reading."""

    question: str
    answered: bool
    understood: Understood
    columns: list[str] = []
    titles: list[str] = Field([], description="the columns' titles in the answer's language")
    rows: list[dict[str, Any]] = []
    sparql: str | None = None
    api: str | None = Field(None, description="the API call that gives the same answer")
    sources: list[str] = []
    data_version: str
    message: str | None = None
    suggestions: list[str] = []


@dataclass(frozen=True)
class Asker:
    """What a question is answered from: the read model, the sheets, the named queries over the store."""

    read: ReadModel
    sheets: SheetBuilder
    queries: Catalog
    store: ox.Store
    max_rows: int
    version: str
    linker: Linker

    def answer(self, q: str, lang: str | None = None) -> AskAnswer:
        """The answer to a question (the API's, the question page's)."""
        return answer_question(self, q, lang)


def answer_question(state: Asker, q: str, lang: str | None = None) -> AskAnswer:
    """The answer to a question: rows, the SPARQL run, sources, and how it was read; never an error."""
    reading = understand(q, state.linker, lang)
    understood = Understood(lang=reading.lang, route=reading.route, params=reading.params,
                            entities=[dataclasses.asdict(link) for link in reading.links],
                            missing=reading.missing)  # fmt: skip
    base: dict[str, Any] = {"question": q, "understood": understood, "data_version": state.version}
    if reading.route is None or reading.missing is not None:
        return AskAnswer(
            **base, answered=False, suggestions=SUGGESTIONS[reading.lang], message=_not_understood(reading)
        )
    try:
        return _answer(state, reading, base)
    except (BindingError, LookupError) as exc:
        return AskAnswer(**base, answered=False, suggestions=SUGGESTIONS[reading.lang], message=str(exc))


def _not_understood(reading: Understanding) -> str:
    if reading.missing:
        what = {
            "category": ("une catégorie d'achat", "a purchase category"),
            "label": ("un label", "a label"),
            "family": ("une famille d'achat", "a purchase family"),
            "cpv": ("un code CPV", "a CPV code"),
        }
        fr, en = what.get(reading.missing, (reading.missing, reading.missing))
        return (f"La question ne nomme pas {fr} connu du guide." if reading.lang == "fr"
                else f"The question names no {en} the guide knows.")  # fmt: skip
    return (
        "Cette question ne correspond à aucune requête connue ; essayez l'une des suggestions."
        if reading.lang == "fr"
        else "This question fits none of the known queries; try a suggestion."
    )


def _answer(state: Asker, reading: Understanding, base: dict[str, Any]) -> AskAnswer:
    lang, params = reading.lang, reading.params
    if reading.route == "coverage":
        rows, sources = coverage_rows(state.read, state.read.index, params.get("label"), params.get("category"), lang)
        api = "/api/coverage"
        columns = ["label", "label_name", "category", "category_name", "how", "coverage", "sources"]
        return AskAnswer(**base, answered=bool(rows), columns=columns, rows=rows, api=api, sources=sources)
    if reading.route == "sheet":
        sheet = state.sheets.category(params["category"], dt.date.today(), lang)
        rows = [{"label": label.ref.id, "name": label.ref.name} for label in sheet.labels]
        return AskAnswer(
            **base,
            answered=True,
            columns=["label", "name"],
            rows=rows,
            api=f"/api/categories/{params['category']}",
            sources=sheet.sources or [GUIDE],
            message=("Fiche d'achat : " if lang == "fr" else "Purchase sheet: ") + sheet.subject.name,
        )
    spec = state.queries.get(str(reading.route))
    assert spec is not None, reading.route
    raw = {**params, **({"lang": lang} if spec.param("lang") else {})}
    result = run_named(state.store, state.read.index, spec, raw, state.max_rows)
    text = bound_text(spec, bind(spec, raw, make_resolver(state.read.index)))
    sources = sorted({str(v) for row in result.rows for c, v in row.items() if c.startswith("source") and v})
    query = "&".join(f"{k}={v}" for k, v in raw.items())
    return AskAnswer(
        **base,
        answered=bool(result.rows),
        columns=result.columns,
        titles=spec.column_titles(result.columns, lang),
        rows=result.rows,
        sparql=text,
        api=f"/api/queries/{spec.name}" + (f"?{query}" if query else ""),
        sources=sources or [GUIDE],
    )
