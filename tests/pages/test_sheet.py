"""The procurement sheet (graph_service/domain/sheet.py), checked against facts read by hand in the guide.

The guide's table of labels by equipment type (labels/produits/#tableau-ecolabels) ticks four labels
for "ordinateur fixe et portable": Ecolabel européen, TCO, EPEAT and 80 Plus; the first two are
type I ecolabels (ISO 14024), EPEAT a type II declaration, 80 PLUS an energy-efficiency programme.
Décret n° 2021-254 of 9 March 2021 (on article 58 of the AGEC Act) sets for office and computing
equipment, laptops included, a share of at least 20 % reused or recycled, applying from 1 January 2021.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph_service.domain.sheet import Sheet, UnknownSubjectError, label_names
from graph_service.runtime import Runtime

TODAY = dt.date(2026, 12, 7)
COMPUTER_LABELS = ["Écolabel européen", "TCO Certified", "EPEAT", "80 PLUS"]
GUIDE = "https://ecoresponsable.numerique.gouv.fr/publications/guide-pratique-achats-numeriques-responsables/"


@pytest.fixture(scope="module")
def laptop(state: Runtime) -> Sheet:
    return state.sheets.category("laptop", TODAY, "fr")


def test_laptop_share_of_decree_2021_254_with_its_date_and_basis(laptop: Sheet) -> None:
    [share] = laptop.shares
    assert share.ref.id == "decret-2021-254-office-computing"
    assert share.reused_or_recycled_percent == 20.0
    assert share.applies_from == dt.date(2021, 1, 1) and share.in_force
    decree, article = share.legal_basis
    assert (decree.ref.id, decree.number, decree.signed) == ("decret-2021-254", "2021-254", dt.date(2021, 3, 9))
    assert decree.url and decree.url.startswith("https://www.legifrance.gouv.fr/")
    assert article.ref.id == "loi-2020-105-art-58" and article.part_of and article.part_of.id == "loi-2020-105"
    assert any("collectivités territoriales" in who for who in share.applies_to)
    assert GUIDE + "fiches-pratiques/bureautique/#reglementation" in share.sources


def test_before_2021_the_share_is_not_in_force(state: Runtime) -> None:
    sheet = state.sheets.category("laptop", dt.date(2020, 6, 1), "fr")
    assert sheet.shares == []
    assert "decret-2021-254-office-computing" in {d.ref.id for d in sheet.not_in_force}


def test_laptop_labels_are_the_four_of_the_guides_table_type_1_first(laptop: Sheet) -> None:
    assert label_names(laptop) == COMPUTER_LABELS
    assert [label.type_1 for label in laptop.labels] == [True, True, False, False]


def test_laptop_labels_are_inherited_from_computers(laptop: Sheet) -> None:
    for label in laptop.labels:
        assert label.inherited_from is not None and label.inherited_from.id == "computers", label.ref.id
        assert GUIDE + "labels/produits/#tableau-ecolabels" in label.sources


def test_label_levels_validity_and_what_they_attest(laptop: Sheet) -> None:
    by_id = {label.ref.id: label for label in laptop.labels}
    assert {level.name for level in by_id["epeat"].levels} == {"EPEAT Bronze", "EPEAT Silver", "EPEAT Gold"}
    assert [level.id for level in by_id["tco-certified"].levels] == ["tco-certified-edge"]
    assert "ecolabelled-equipment" in {c.id for c in by_id["eu-ecolabel"].attests}
    assert [k.id for k in by_id["eu-ecolabel"].kinds] == ["type-1-ecolabel"]


def test_rules_for_labels_as_proof(laptop: Sheet) -> None:
    [rule] = laptop.label_rules
    assert [f.id for f in rule.fallback] == ["epeat", "80-plus"]
    certificate = next(p for p in rule.proofs if p.ref.id == "labels-certificate-proof")
    assert {c.id for c in certificate.conditions} >= {"written-in-french", "certificate-in-force"}
    assert {p.id for p in certificate.provided_by} == {"candidate", "contractor"}
    equivalent = next(p for p in rule.proofs if p.ref.id == "labels-equivalent-proof")
    assert {b.ref.id for b in equivalent.legal_basis} >= {"ccp-r2111-16", "ccp-r2111-17", "ccp-r2143-5"}


def test_clauses_grouped_by_role_in_tender_order(laptop: Sheet) -> None:
    roles = [g.role.id for g in laptop.clause_groups]
    assert roles[:3] == ["technical-specification", "award-criterion", "performance-condition"]
    assert "reserved-contract" in roles and roles[-1] == "sourcing-question"
    award = next(g for g in laptop.clause_groups if g.role.id == "award-criterion")
    weighted = {c.ref.id: c.minimum_weighting_percent for c in award.clauses if c.minimum_weighting_percent}
    assert weighted and all(w > 0 for w in weighted.values())
    for group in laptop.clause_groups:
        for clause in group.clauses:
            assert clause.sources and all(s.startswith("https://") for s in clause.sources), clause.ref.id


def test_family_sheet_gathers_its_categories(state: Runtime) -> None:
    sheet = state.sheets.family("office-equipment", TODAY, "fr")
    assert {"laptop", "computers", "monitor"} <= {c.id for c in sheet.categories}
    assert "decret-2021-254-office-computing" in {d.ref.id for d in sheet.shares}
    names = label_names(sheet)
    assert set(COMPUTER_LABELS) <= set(names) and "Energy Star" in names
    assert all(label.inherited_from is None for label in sheet.labels)


def test_cpv_sheet_is_the_profile_of_the_code(state: Runtime) -> None:
    sheet = state.sheets.cpv("30213100-6", TODAY, "en")
    assert sheet.subject.id == "30213100" and [c.id for c in sheet.categories] == ["laptop"]
    assert [s.ref.id for s in sheet.shares] == ["decret-2021-254-office-computing"]
    assert label_names(sheet) == ["EU Ecolabel", "TCO Certified", "EPEAT", "80 PLUS"]


def test_english_names(state: Runtime) -> None:
    sheet = state.sheets.category("laptop", TODAY, "en")
    assert sheet.subject.name == "Laptop" and sheet.shares[0].legal_basis[0].ref.name == "Decree No 2021-254"


def test_an_unknown_category_suggests_close_ones(state: Runtime) -> None:
    with pytest.raises(UnknownSubjectError) as caught:
        state.sheets.category("laptp", TODAY, "fr")
    assert "laptop" in {s.id for s in caught.value.suggestions}
    with pytest.raises(UnknownSubjectError):
        state.sheets.family("laptop", TODAY, "fr")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("ordinateur portable", "laptop"),
        ("Ordinateur Portable", "laptop"),
        ("laptop", "laptop"),
        ("ecran", "monitor"),
        ("302131", "30213100"),
        ("ecolabel europeen", "eu-ecolabel"),
        # a whole code: the category it names first (it has a sheet), then the code itself
        ("30213100-6", "laptop"),
        ("30213100", "laptop"),
    ],
)
def test_search_finds_what_buyers_type(state: Runtime, query: str, first: str) -> None:
    hits = state.finder.search(query, "fr")
    assert hits[0].id == first
    if query.startswith("30213100"):
        assert "30213100" in {h.id for h in hits}


def test_search_ignores_empty_and_unknown_text(state: Runtime) -> None:
    assert state.finder.search("   ", "fr") == []
    assert state.finder.search("zzzz qqqq", "fr") == []


def test_the_sheet_says_when_its_data_were_last_reviewed(laptop: Sheet) -> None:
    assert laptop.reviewed == dt.date(2026, 12, 7)
    assert not laptop.beyond_review


def test_asked_past_the_last_review_the_sheet_carries_a_caveat(state: Runtime) -> None:
    later = state.sheets.category("laptop", dt.date(2027, 1, 1), "fr")
    assert later.beyond_review and later.reviewed == dt.date(2026, 12, 7)


def test_sources_the_site_no_longer_builds_link_their_archived_copy(laptop: Sheet) -> None:
    table = GUIDE + "labels/produits/#tableau-ecolabels"
    assert table in {s for label in laptop.labels for s in label.sources}
    assert laptop.archives[table].startswith("https://github.com/DISIC/MiNumEco/blob/")
    assert laptop.archives[table].endswith(
        "/publications/guide-pratique-achats-numeriques-responsables/labels/produits.md"
    )
    # the practical sheets are still built: no archive link for them
    assert not any("fiches-pratiques" in s for s in laptop.archives)


def test_later_facts_overtaking_the_guide_are_shown(laptop: Sheet) -> None:
    updates = {u.ref.id: u for u in laptop.updates}
    ilo = updates["ilo-fundamental-conventions-ten"]
    assert ilo.on == dt.date(2022, 6, 10)
    assert "supply-chain-social-traceability" in {c.id for c in ilo.concerns}
    assert all(s.startswith("https://www.ilo.org/") for s in ilo.sources)
