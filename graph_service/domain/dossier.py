"""The buyer's dossier: one document for several lots (purchase categories), on a date.

Each lot is the category's procurement sheet (`domain/sheet.py`) reordered for a tender file: the
buyer's own obligations first (the shares of décret n° 2021-254, taking the repairability and
durability indexes into account, the duty of care over its waste), then the labels to require (type I
first), the criteria by role, the values of the contract notice (eForms, `domain/eforms.py`), and last
the duties that fall on others (manufacturers, sellers, contractors). Who bears a duty is read from its
`anr:bearsOn` text in English (`BUYER_BEARERS`): the data states it in words, not as a code. Plain
typed objects, no HTTP; the page and the DOCX / ODT files are written from one `Dossier`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph_service.domain.clauses import ClauseBook, ModelClause
from graph_service.domain.eforms import NoticeValues, notice_values
from graph_service.domain.readmodel import ANR, literals
from graph_service.domain.sheet import ClauseGroup, Duty, Named, Sheet, SheetBuilder, SheetLabel

# At most this many lots in one dossier: each is a full sheet, computed on the page admission's thread.
MAX_LOTS = 8
# An obligation is the buyer's own when its English anr:bearsOn starts with one of these (lower case):
# public buyers, State services and bodies, the organisation owning the equipment, the waste holder.
BUYER_BEARERS = (
    "buyers",
    "state services",
    "public administrations",
    "public bodies",
    "organisation that owns",
    "original owner",
    "waste holder",
)

# The tender document a criterion of each role goes in, when the clause itself names none: the
# technical specifications (CCTP), the consultation rules (RC: award, selection, exclusion, reserved
# lots), the special administrative clauses (CCAP: performance conditions); sourcing comes before.
ROLE_DOCUMENT = {
    "technical-specification": "cctp",
    "award-criterion": "rc",
    "performance-condition": "ccap",
    "selection-criterion": "rc",
    "exclusion-ground": "rc",
    "reserved-contract": "rc",
    "sourcing-question": "sourcing",
}


class TooManyLotsError(ValueError):
    """More categories asked than `MAX_LOTS`."""

    def __init__(self, asked: int, limit: int = MAX_LOTS) -> None:
        super().__init__(f"{asked} lots asked; a dossier holds at most {limit}")
        self.asked, self.limit = asked, limit


class NoLotError(ValueError):
    """No category asked."""


@dataclass(frozen=True)
class Lot:
    """One lot of the dossier: a category's sheet, its duties split by who bears them."""

    number: int
    sheet: Sheet
    own: list[Duty]
    others: list[Duty]
    later: list[Duty]
    notice: NoticeValues | None = None
    models: dict[str, ModelClause] = field(default_factory=dict)  # criterion IRI -> its model clause

    @property
    def subject(self) -> Named:
        """The purchase category of the lot."""
        return self.sheet.subject

    @property
    def labels(self) -> list[SheetLabel]:
        """The labels to require, type I first."""
        return self.sheet.labels

    @property
    def clause_groups(self) -> list[ClauseGroup]:
        """The criteria and clauses, by role in the tender."""
        return self.sheet.clause_groups

    @property
    def sources(self) -> list[str]:
        """Every page the lot's facts come from, in the order the lot shows them (for numbered notes)."""
        seen: dict[str, None] = {}
        for duty in [*self.own, *self.others, *self.later]:
            seen.update(dict.fromkeys(duty.sources))
        for label in self.labels:
            seen.update(dict.fromkeys(label.sources))
        for group in self.clause_groups:
            for clause in group.clauses:
                seen.update(dict.fromkeys(clause.sources))
                if clause.ref.iri in self.models:
                    seen.update(dict.fromkeys(self.models[clause.ref.iri].sources))
        return list(seen)

    @property
    def source_numbers(self) -> dict[str, int]:
        """Each source's number in the lot's « Sources » list, from 1."""
        return {url: n for n, url in enumerate(self.sources, start=1)}


@dataclass(frozen=True)
class Dossier:
    """Several lots on one date, in one language."""

    lots: list[Lot]
    date: dt.date
    lang: str
    reviewed: dt.date | None

    @property
    def beyond_review(self) -> bool:
        """Whether the date asked is after the data's last review."""
        return self.reviewed is not None and self.date > self.reviewed

    @property
    def ids(self) -> list[str]:
        """The lots' category ids, in order."""
        return [lot.subject.id for lot in self.lots]


def borne_by_buyer(bears_on_en: Sequence[str]) -> bool:
    """Whether an obligation's bearer (its English anr:bearsOn) is the buyer itself."""
    return any(text.strip().lower().startswith(BUYER_BEARERS) for text in bears_on_en)


def lot_ids(values: Sequence[str]) -> list[str]:
    """The category ids asked, trimmed, empty ones and repeats dropped, in order."""
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


class DossierBuilder:
    """Builds dossiers from the sheets and the model clauses (cheap to make: it holds both builders)."""

    def __init__(self, sheets: SheetBuilder, clauses: ClauseBook | None = None) -> None:
        self.sheets = sheets
        self.clauses = clauses

    def buyer_bears(self, duty: Duty) -> bool:
        """Whether the duty is the buyer's own (from the English anr:bearsOn of the graph)."""
        return borne_by_buyer(literals(self.sheets.read.props(duty.ref.iri).get(ANR + "bearsOn"), "en"))

    def lot(self, number: int, sheet: Sheet) -> Lot:
        """A sheet as a lot: the buyer's duties in force (shares first), the others', those not in force."""
        own = [d for d in [*sheet.shares, *sheet.obligations] if d.is_share or self.buyer_bears(d)]
        others = [d for d in sheet.obligations if d not in own]
        notice = notice_values(self.sheets.read, sheet.subject.iri, sheet.lang, sheet.date)
        criteria = [c.ref.iri for g in sheet.clause_groups for c in g.clauses]
        models = {m.criterion.iri: m for m in self.clauses.clauses_for(criteria, sheet.lang)} if self.clauses else {}
        return Lot(
            number=number,
            sheet=sheet,
            own=own,
            others=others,
            later=list(sheet.not_in_force),
            notice=notice,
            models=models,
        )

    def build(self, keys: Sequence[str], on: dt.date, lang: str) -> Dossier:
        """The dossier of the categories `keys` (ids or names the index resolves); raises NoLotError,
        TooManyLotsError, or the sheet's UnknownSubjectError (with suggestions) for an unknown one."""
        wanted = lot_ids(keys)
        if not wanted:
            raise NoLotError("no category asked")
        if len(wanted) > MAX_LOTS:
            raise TooManyLotsError(len(wanted))
        lots = [self.lot(i, self.sheets.category(key, on, lang)) for i, key in enumerate(wanted, start=1)]
        return Dossier(lots=lots, date=on, lang=lang, reviewed=self.sheets.read.reviewed)
