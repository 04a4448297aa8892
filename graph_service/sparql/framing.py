"""Messages between the server and its query workers: two lengths, a header, then a byte body.

A request's header is marshalled: only the server writes requests, and both ends run the same
interpreter (it is ten times cheaper than JSON both ways). A reply's header is JSON: a worker is
the process that runs queries from anyone, so the server reads what it writes with a parser made
for untrusted input.
"""

from __future__ import annotations

import json
import marshal
import struct
from typing import Any, BinaryIO

_SIZES = struct.Struct(">II")
SIZES_LENGTH = _SIZES.size
JOIN_BELOW = 1 << 20


def encode_request(header: dict[str, Any], body: bytes = b"") -> bytes:
    """A request to a worker as bytes (the header's values: str, int, float, bool, None, lists, dicts)."""
    head = marshal.dumps(header)
    return _SIZES.pack(len(head), len(body)) + head + body


def read_request(stream: BinaryIO) -> tuple[dict[str, Any], bytes] | None:
    """Read one request from a blocking stream; None at end of stream."""
    read = _read(stream)
    if read is None:
        return None
    head, body = read
    header: dict[str, Any] = marshal.loads(head)
    return header, body


def write_reply(stream: BinaryIO, header: dict[str, Any], body: bytes = b"") -> None:
    """Write one reply to a blocking stream: in one write up to `JOIN_BELOW` bytes of body (the
    reader then wakes once), else without copying the body."""
    head = json.dumps(header, separators=(",", ":")).encode()
    sizes = _SIZES.pack(len(head), len(body))
    if len(body) <= JOIN_BELOW:
        stream.write(sizes + head + body)
    else:
        stream.write(sizes + head)
        stream.write(body)
    stream.flush()


def decode_reply_header(head: bytes) -> dict[str, Any]:
    """A reply's header; ValueError if it is not a JSON object (nested too deep included)."""
    try:
        header = json.loads(head)
    except RecursionError:
        raise ValueError("a worker's reply header is nested too deep") from None
    if not isinstance(header, dict):
        raise ValueError("a worker's reply header is not a JSON object")
    return header


def decode_sizes(prefix: bytes) -> tuple[int, int]:
    """Header and body lengths from the first SIZES_LENGTH bytes of a message."""
    head_len, body_len = _SIZES.unpack(prefix)
    return head_len, body_len


MAX_REPLY_HEAD = 1 << 20  # a reply's header is a few fields and at most an error message


def decode_reply_sizes(prefix: bytes) -> tuple[int, int]:
    """A reply's lengths; ValueError for a header longer than any a worker writes (it is read whole)."""
    head_len, body_len = _SIZES.unpack(prefix)
    if head_len > MAX_REPLY_HEAD:
        raise ValueError(f"a worker's reply header of {head_len} bytes announced")
    return head_len, body_len


def _read(stream: BinaryIO) -> tuple[bytes, bytes] | None:
    prefix = stream.read(SIZES_LENGTH)
    if len(prefix) < SIZES_LENGTH:
        return None
    head_len, body_len = decode_sizes(prefix)
    return stream.read(head_len), stream.read(body_len)
