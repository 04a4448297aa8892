"""Settings of the project: paths, limits, base IRI. The only place that reads the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_service.namespaces import BASE_IRI

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Reserved domain (RFC 2606): never delivered. Set KG_CONTACT_EMAIL before publishing the catalogue.
DEFAULT_CONTACT_EMAIL = "contact@achats-numeriques-responsables.invalid"


class Settings(BaseSettings):
    """Frozen settings; every field can be set by an environment variable prefixed `KG_`."""

    model_config = SettingsConfigDict(env_prefix="KG_", frozen=True)

    ontology_dir: Path = PROJECT_ROOT / "ontology"
    data_dir: Path = PROJECT_ROOT / "data"
    queries_dir: Path = PROJECT_ROOT / "queries"
    base_iri: str = BASE_IRI
    public_base_url: str | None = None
    contact_email: str = DEFAULT_CONTACT_EMAIL
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = Field(default=10.0, gt=0)
    max_rows: int = Field(default=10_000, gt=0)
    max_query_length: int = Field(default=20_000, gt=0)
    max_concurrent_queries: int = Field(default=8, gt=0)
    workers: int = Field(default=2, gt=0)

    @property
    def shapes_file(self) -> Path:
        """SHACL shapes of the project."""
        return self.ontology_dir / "shapes.ttl"
