"""The sheet's lists as files a buyer opens: CSV in French Excel's dialect (the page's link), RFC 4180 for
programs (the default), and a workbook (XLSX)."""

from __future__ import annotations

import csv
import html
import io
import re

import openpyxl
from fastapi.testclient import TestClient

from graph_service.documents.sheet_export import CSV_COLUMNS

HTML = {"Accept": "text/html"}
LIST = "/fiche/categorie/laptop/listes"
ON = {"date": "2026-12-07", "lang": "fr"}


def test_the_sheet_links_to_the_french_excel_csv_and_the_workbook(client: TestClient) -> None:
    page = client.get("/fiche/categorie/laptop", params=ON, headers=HTML).text
    links = {html.unescape(h) for h in re.findall(r'<a href="([^"]+/listes\.[a-z]+[^"]*)" download>', page)}
    assert "http://testserver/fiche/categorie/laptop/listes.csv?date=2026-12-07&lang=fr&dialect=excel-fr" in links
    assert "http://testserver/fiche/categorie/laptop/listes.xlsx?date=2026-12-07&lang=fr" in links


def test_french_excel_csv_reads_back_in_columns(client: TestClient) -> None:
    answer = client.get(LIST + ".csv", params={**ON, "dialect": "excel-fr"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="fiche-laptop-2026-12-07.csv"'
    assert answer.content.startswith(b"\xef\xbb\xbf") and b"\r\n" in answer.content
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert list(rows[0]) == list(CSV_COLUMNS)
    share = next(r for r in rows if r["section"] == "share")
    assert (share["id"], share["value"], share["from"]) == ("decret-2021-254-office-computing", "20 %", "2021-01-01")
    assert [r["name"] for r in rows if r["section"] == "label"] == [
        "Écolabel européen",
        "TCO Certified",
        "EPEAT",
        "80 PLUS",
    ]


def test_rfc4180_stays_the_default(client: TestClient) -> None:
    answer = client.get(LIST + ".csv", params=ON)
    assert not answer.content.startswith(b"\xef\xbb\xbf")
    assert answer.text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    share = next(r for r in csv.DictReader(io.StringIO(answer.text, newline="")) if r["section"] == "share")
    assert share["value"] == "20\u202f%"


def test_unknown_dialect_is_refused(client: TestClient) -> None:
    assert client.get(LIST + ".csv", params={**ON, "dialect": "excel-de"}).status_code == 422


def test_lists_as_a_workbook(client: TestClient) -> None:
    answer = client.get(LIST + ".xlsx", params=ON)
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert answer.headers["content-disposition"] == 'attachment; filename="fiche-laptop-2026-12-07.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(CSV_COLUMNS)
    csv_rows = list(csv.reader(io.StringIO(client.get(LIST + ".csv", params=ON).text, newline="")))
    assert len(rows) == len(csv_rows) and [r[:3] for r in rows[1:]] == [r[:3] for r in csv_rows[1:]]
