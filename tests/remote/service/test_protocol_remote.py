"""The SPARQL protocol and refusal tests of the embedded mode, run in remote mode (imported as they are)."""

from __future__ import annotations

import pytest

from tests.service.test_protocol import (  # noqa: F401 (collected here with this folder's fixtures)
    test_ask_in_each_results_format,
    test_browser_gets_the_query_page,
    test_cors_is_open_without_credentials,
    test_default_graph_is_the_union_and_dataset_parameters_restrict_it,
    test_describe_answers_in_turtle_not_results_xml,
    test_from_a_held_graph_is_honoured,
    test_get_post_form_and_post_direct_agree,
    test_graph_results_in_each_rdf_format,
    test_head_is_answered_wherever_get_is,
    test_health,
    test_named_graph_uri_limits_graph_patterns,
    test_problem_bodies_are_json,
    test_select_in_each_results_format,
    test_service_description_turtle_and_jsonld,
    test_text_star_does_not_turn_a_query_into_the_html_page,
)
from tests.service.test_refusals import (  # noqa: F401
    listener,
    test_answer_the_format_cannot_hold_gets_406_not_500,
    test_bad_requests,
    test_no_outbound_connection_ever,
    test_not_acceptable,
    test_syntax_error_gives_message_and_position,
    test_too_long,
    test_too_many_rows,
    test_unknown_dataset_parameter,
    test_unknown_from_graph,
    test_updates_are_refused,
)

pytestmark = [pytest.mark.remote, pytest.mark.slow]
