"""The one CSV writer (formats/spreadsheet.py): RFC 4180 for programs, French Excel's dialect for people."""

from __future__ import annotations

import csv
import io

from graph_service.formats.spreadsheet import EXCEL_FR, RFC4180, Table, to_csv

TABLE = Table(["name", "share", "count", "note"], [["Écolabel; européen", 12.5, 3, None], ['dit "oui"', 20.0, 0, "x"]])


def test_rfc4180_is_comma_crlf_and_no_bom() -> None:
    text = to_csv(TABLE)
    assert text == ('name,share,count,note\r\nÉcolabel; européen,12.5,3,\r\n"dit ""oui""",20.0,0,x\r\n')
    assert to_csv(TABLE, RFC4180) == text


def test_excel_fr_is_semicolon_bom_crlf_and_decimal_comma() -> None:
    text = to_csv(TABLE, EXCEL_FR)
    assert text.startswith("\ufeffname;share;count;note\r\n") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows == [
        ["name", "share", "count", "note"],
        ["Écolabel; européen", "12,5", "3", ""],
        ['dit "oui"', "20", "0", "x"],
    ]
    assert csv.Sniffer().sniff(text.splitlines()[0]).delimiter == ";"


def test_excel_fr_percentages_are_numbers_french_excel_reads() -> None:
    assert [EXCEL_FR.percent(v) for v in (20.0, 12.5, None)] == ["20 %", "12,5 %", ""]


def test_excel_fr_never_hands_excel_a_formula() -> None:
    table = Table(["a"], [['=HYPERLINK("http://x")'], ["+1+1"], ["@SUM(A1)"], ["-2+3"], ["x=1"], [-2.5]])
    rows = list(csv.reader(io.StringIO(to_csv(table, EXCEL_FR).removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("http://x")', "'+1+1", "'@SUM(A1)", "'-2+3", "x=1", "-2,5"]
    assert to_csv(table).splitlines()[2] == "+1+1"  # RFC 4180: the text as it is
