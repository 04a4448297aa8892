"""The JSON API and publishing tests of the embedded mode, run in remote mode, and both modes
compared on the query page's examples (the named queries): same rows for every one."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.api.test_behaviour import (  # noqa: F401 (collected here with this folder's fixtures)
    test_every_named_query_and_its_examples,
    test_label_filters,
    test_named_query_rows_and_csv,
    test_neighbourhood_json_and_svg,
    test_paths_explain_inherited_coverage,
    test_unknown_id_is_404_problem_with_closest_matches,
)
from tests.api.test_guide_answers import (  # noqa: F401
    test_coverage_as_csv_has_the_table,
    test_cpv_profile_of_a_laptop,
    test_laptop_inherits_the_labels_of_computers,
)
from tests.publishing.test_catalog import (  # noqa: F401
    catalog,
    test_catalog_conforms_to_dcat_ap_in_every_format,
    test_every_distribution_answers_with_announced_type_size_and_checksum,
    test_one_version_everywhere,
    test_sparql_distribution_and_data_service,
    test_void_reuses_the_service_statistics,
)
from tests.publishing.test_dereference import (  # noqa: F401
    test_a_sample_of_every_class_in_every_format,
    test_describe_redirects_own_iris,
    test_unknown_iri_is_a_helpful_404,
)

pytestmark = [pytest.mark.remote, pytest.mark.slow]


def table(client: TestClient, query: str) -> list[tuple[str, ...]]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    return sorted(tuple(row) for row in csv.reader(io.StringIO(response.text)))


def test_both_modes_give_the_same_rows_for_every_example(client: TestClient, real_client: TestClient) -> None:
    examples = real_client.get("/sparql/examples").json()
    assert len(examples) >= 5
    for example in examples:
        embedded = table(real_client, example["query"])
        assert len(embedded) > 1, example["name"]  # a header and rows
        assert table(client, example["query"]) == embedded, example["name"]


def test_both_modes_send_the_same_bytes_and_tags_for_an_ordered_query(
    client: TestClient, real_client: TestClient
) -> None:
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?s ?label"
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        remote = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        embedded = real_client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert remote.content == embedded.content
        assert remote.headers["etag"] == embedded.headers["etag"]


def test_health_names_the_engine(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["engine"].startswith("http://127.0.0.1:")
    assert body["worker_events"]["answered"] >= 2  # the start-up checks
