"""The model picture in the README is the one generated from the ontology."""

from __future__ import annotations

from graph_service.config import PROJECT_ROOT, Settings
from graph_service.diagram import mermaid, replace_block
from graph_service.loading import load_files, ontology_files


def test_readme_diagram_is_generated_from_the_ontology(settings: Settings) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    diagram = mermaid(load_files(ontology_files(settings)).graph)
    assert replace_block(readme, diagram) == readme, "run: graph-service diagram --write README.md"
    assert "anr_Label <|-- anr_LabelLevel" in diagram
    assert "anr_Coverage --> anr_Label : anr:coverageOf" in diagram
