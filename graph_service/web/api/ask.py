"""GET /api/ask?q=…: a question in French or English, answered by a named query, the coverage or a sheet."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from graph_service.domain.answering import AskAnswer, Asker
from graph_service.domain.ask import Linker
from graph_service.runtime import Runtime
from graph_service.web.api.common import ERRORS, State, api_routes

router = api_routes("ask")


def asker(state: Runtime) -> Asker:
    """The question answerer of this runtime (its entity linker built on first use, then kept)."""
    found: Asker | None = state.__dict__.get("_asker")
    if found is None:
        found = state.__dict__["_asker"] = Asker(
            state.read,
            state.sheets,
            state.queries,
            state.store,
            state.settings.max_rows,
            state.version,
            Linker(state.index),
        )
    return found


@router.get("/ask", response_model=AskAnswer, responses=ERRORS)
def ask(
    state: State,
    q: Annotated[
        str,
        Query(
            description="The question, in French or English",
            examples=["Quels labels pour un ordinateur portable ?"],
            min_length=1,
            max_length=300,
        ),
    ],
    lang: Annotated[
        Literal["fr", "en"] | None, Query(description="Language of the answer's names (default: the question's)")
    ] = None,
) -> AskAnswer:
    """Route a question to a named query, the label coverage or a category's sheet, binding its
    parameters by fuzzy matching of the names the question uses; answer with the rows, the SPARQL run,
    the sources and how the question was understood. When nothing fits, say so and suggest questions."""
    return asker(state).answer(q, lang)
