"""`graph-service query`: the list of named queries, tables for people, `--lang`."""

from __future__ import annotations

import json

import pytest

from graph_service.cli import main


def test_query_list_names_every_query_with_its_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert "labels-for-category" in out and "Labels covering an equipment category" in out
    assert "category*=iri" in out  # required parameters starred
    assert main(["query", "--list", "--lang", "fr"]) == 0
    assert "Labels couvrant une catégorie d'équipement" in capsys.readouterr().out


@pytest.mark.slow
def test_query_table_shows_short_ids_and_titles_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "labels-for-category", "--param", "category=laptop", "--lang", "fr"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["catégorie", "langue", "label", "nom"]
    assert "https://w3id.org/" not in "\n".join(lines)
    row = next(line for line in lines if "Écolabel européen" in line)
    assert row.split()[:3] == ["laptop", "fr", "eu-ecolabel"]
    assert max(len(line) for line in lines) < 200  # was 330 with full IRIs


@pytest.mark.slow
def test_query_json_and_csv_keep_full_iris(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "labels-for-category", "--param", "category=laptop", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["label"].startswith("https://w3id.org/achats-numeriques-responsables/id/label/")


@pytest.mark.slow
def test_unknown_query_points_to_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "labels-for-categry"]) == 2
    assert "--list" in capsys.readouterr().err
