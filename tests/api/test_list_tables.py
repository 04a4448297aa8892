"""The /api lists as tables: `?format=csv` (field names, for programs) and `?format=xlsx` (headers in
the language asked), flattened to one scalar per cell; an unknown format is a 406 naming the offers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from graph_service.formats.representations import XLSX

LISTS = [
    "/api/labels",
    "/api/criteria",
    "/api/laws",
    "/api/families",
    "/api/categories",
    "/api/categories/laptop/labels",
]


def workbook(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_pandas_reads_the_labels_as_csv(client: TestClient) -> None:
    response = client.get("/api/labels", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(response.text))
    labels = client.get("/api/labels").json()
    assert len(frame) == len(labels) >= 15  # labels and label levels
    assert list(frame.columns) == ["id", "iri", "name", "kinds", "level_of", "type_1"]
    assert list(frame["id"]) == [item["id"] for item in labels]
    first = labels[0]
    assert frame.loc[0, "kinds"] == " | ".join(k["name"] for k in first["kinds"])


def test_labels_workbook_in_french_keeps_accents_and_titles_columns(client: TestClient) -> None:
    response = client.get("/api/labels", params={"format": "xlsx", "lang": "fr"})
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX.media_type
    assert 'filename="labels.xlsx"' in response.headers["content-disposition"]
    rows = workbook(response.content)
    assert rows[0] == ["Identifiant", "IRI", "Nom", "Types de label", "Niveau de", "Écolabel de type I"]
    assert len(rows) == 1 + len(client.get("/api/labels").json())
    assert "Écolabel européen" in [row[2] for row in rows]
    assert all(isinstance(row[5], bool) for row in rows[1:])
    english = workbook(client.get("/api/labels", params={"format": "xlsx"}, headers={"Accept-Language": "en"}).content)
    assert english[0][:3] == ["Id", "IRI", "Name"]


def test_criteria_and_category_tree_as_tables(client: TestClient) -> None:
    criteria = client.get("/api/criteria", params={"format": "csv", "role": "award-criterion"})
    frame = pd.read_csv(io.StringIO(criteria.text))
    expected = client.get("/api/criteria", params={"role": "award-criterion"}).json()
    assert list(frame["id"]) == [c["id"] for c in expected] and expected
    assert "minimum_weighting_percent" in frame.columns
    tree = client.get("/api/categories", params={"format": "csv"})
    nodes = pd.read_csv(io.StringIO(tree.text), keep_default_na=False)
    assert "children" not in nodes.columns
    parents = dict(zip(nodes["id"], nodes["parent"], strict=True))
    assert parents["laptop"] and parents[parents["laptop"]] is not None
    roots = {n["id"] for n in client.get("/api/categories").json()}
    assert {i for i, p in parents.items() if p == ""} == roots
    sheet = workbook(client.get("/api/families", params={"format": "xlsx", "lang": "fr"}).content)
    assert sheet[0] == ["Identifiant", "IRI", "Nom", "Catégories"]
    assert len(sheet) == 1 + len(client.get("/api/families").json())


@pytest.mark.parametrize("path", LISTS)
def test_every_list_offers_csv_and_xlsx_and_refuses_others_by_name(client: TestClient, path: str) -> None:
    assert client.get(path, params={"format": "csv"}).headers["content-type"].startswith("text/csv")
    assert client.get(path, headers={"Accept": XLSX.media_type}).headers["content-type"] == XLSX.media_type
    refused = client.get(path, params={"format": "turtle"})
    assert refused.status_code == 406
    assert set(refused.json()["format_names"]) >= {"json", "csv", "xlsx"}
    documented = client.get("/openapi.json").json()["paths"][path.replace("laptop", "{id}")]["get"]
    assert {"text/csv", XLSX.media_type} <= set(documented["responses"]["200"]["content"])
