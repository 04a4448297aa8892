"""The query-string reader of /sparql reads every query string exactly as urllib (Starlette) does."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote

from hypothesis import given, settings
from hypothesis import strategies as st

from graph_service.web.request import parse_query_string

SETTINGS = settings(derandomize=True, max_examples=2000, deadline=None, database=None)
# what makes query strings hard: escapes (valid, truncated, not hex, not UTF-8), +, =, &, backslashes
_PIECES = st.sampled_from(
    [
        "%",
        "%2",
        "%2F",
        "%2f",
        "%G1",
        "%C3%A9",
        "%C3",
        "%E2%82%AC",
        "%FF",
        "%00",
        "%5C",
        "+",
        "=",
        "&",
        "\\",
        "\\x41",
        "\\\\",
        "a",
        "Z",
        "0",
        " ",
        "query",
        "%25",
        "%2B",
        ";",
        "~",
        "é",
        "\n",
        "\r",
        "\t",
        " \n",
        "=\n",
        "%0A",
        "%3D",
        "=3D",
        "%3d",
    ]
)


def _reference(raw: bytes) -> list[tuple[str, str]]:
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


@SETTINGS
@given(st.lists(_PIECES, max_size=30))
def test_any_query_string_reads_as_urllib_reads_it(pieces: list[str]) -> None:
    raw = "".join(pieces).encode("utf-8")  # `é` makes some of them not ASCII: urllib's own path
    assert parse_query_string(raw) == _reference(raw)


@SETTINGS
@given(st.text(max_size=200), st.text(max_size=40))
def test_encoded_queries_read_back_whole(query: str, other: str) -> None:
    raw = f"query={quote(query, safe='')}&format={quote(other)}&x".encode("ascii")
    assert parse_query_string(raw) == _reference(raw)
    assert parse_query_string(raw)[0] == ("query", query)
