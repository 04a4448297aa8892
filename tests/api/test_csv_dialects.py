"""CSV answers of the API in two dialects: RFC 4180 by default (unchanged, for programs) and French Excel's
(`?dialect=excel-fr`: `;`, BOM, sent as a file), on the lists, the coverage matrix and the named queries."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

ROUTES = [
    ("/api/labels", {"category": "laptop"}, "labels"),
    ("/api/coverage", {}, "coverage"),
    ("/api/queries/labels-for-category", {"category": "laptop"}, "labels-for-category"),
]


def rows_of(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize(("path", "params", "name"), ROUTES)
def test_excel_fr_has_the_same_columns_as_rfc4180(
    client: TestClient, path: str, params: dict[str, str], name: str
) -> None:
    plain = client.get(path, params={**params, "format": "csv"})
    assert plain.status_code == 200 and "content-disposition" not in plain.headers
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    french = client.get(path, params={**params, "format": "csv", "dialect": "excel-fr"})
    assert french.status_code == 200
    assert french.headers["content-type"] == plain.headers["content-type"]
    assert french.headers["content-disposition"] == f'attachment; filename="{name}.csv"'
    assert french.content.startswith(b"\xef\xbb\xbf")
    expected = rows_of(plain.text, ",")
    assert len(expected) > 1 and len(expected[0]) > 1
    assert rows_of(french.content.decode("utf-8-sig"), ";") == expected


def test_unknown_dialect_is_a_422_naming_the_two(client: TestClient) -> None:
    answer = client.get("/api/labels", params={"format": "csv", "dialect": "excel"})
    assert answer.status_code == 422
    assert "excel-fr" in answer.text
