"""The generated parts of the documentation are up to date: the model diagram (docs/model.md) and the
settings reference (docs/settings.md); and the pages that the README and the site link to exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_service.cli import main
from graph_service.cli.diagram import mermaid, replace_block
from graph_service.cli.settings_doc import render
from graph_service.config import PROJECT_ROOT, Settings
from graph_service.dataset.loading import load_files, ontology_files

DOCS = PROJECT_ROOT / "docs"


def test_model_diagram_is_generated_from_the_ontology(settings: Settings) -> None:
    page = (DOCS / "model.md").read_text(encoding="utf-8")
    diagram = mermaid(load_files(ontology_files(settings)).graph)
    assert replace_block(page, diagram) == page, "run: graph-service diagram --write docs/model.md"
    assert "anr_Label <|-- anr_LabelLevel" in diagram
    assert "anr_Coverage --> anr_Label : anr_coverageOf" in diagram
    relations = [line for line in diagram.splitlines() if " --> " in line]
    assert relations and not any(":" in line.partition(" : ")[2] for line in relations)  # Mermaid 11 refuses it


def test_settings_page_is_generated_from_the_settings_class() -> None:
    page = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert page == render(), "run: graph-service settings-doc --write docs/settings.md"
    for name in Settings.model_fields:
        assert f"| `KG_{name.upper()}` |" in page, name


def test_settings_page_rows_say_type_default_and_constraint() -> None:
    page = render()
    assert "| `KG_QUERY_TIMEOUT_S` | `float` | `10.0` | > 0 | deadline of one SPARQL query" in page
    assert "| `KG_WORKER_SANDBOX` | `required` \\| `off` | `required` |" in page
    assert "| `KG_PUBLIC_BASE_URL` | `str \\| None` | unset |" in page


class _Described(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="X_")

    # the comment above
    commented: int = 1
    described: int = Field(default=2, ge=0, description="the pydantic description")


class _Undocumented(BaseSettings):
    bare: int = 3


def test_a_setting_is_described_by_its_description_or_its_comment() -> None:
    page = render(_Described)
    assert "| `X_COMMENTED` | `int` | `1` |  | the comment above |" in page
    assert "| `X_DESCRIBED` | `int` | `2` | ≥ 0 | the pydantic description |" in page


def test_a_setting_without_description_is_refused() -> None:
    with pytest.raises(ValueError, match="'bare' has no description"):
        render(_Undocumented)


def test_the_docs_the_readme_links_to_exist() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:]+)", readme)  # relative links (an absolute one has a colon)
    assert len(links) >= 15
    for link in links:
        assert (PROJECT_ROOT / link).exists(), link


def test_the_command_prints_and_writes_the_settings_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings-doc"]) == 0
    assert capsys.readouterr().out == render()
    target = tmp_path / "settings.md"
    assert main(["settings-doc", "--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render()
