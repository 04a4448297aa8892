"""Messages between the server and its query workers: a JSON header and a byte body."""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

_SIZES = struct.Struct(">II")
SIZES_LENGTH = _SIZES.size


def encode(header: dict[str, Any], body: bytes = b"") -> bytes:
    """One message as bytes: two lengths, the header as JSON, then the body."""
    head = json.dumps(header, separators=(",", ":")).encode()
    return _SIZES.pack(len(head), len(body)) + head + body


def write_message(stream: BinaryIO, header: dict[str, Any], body: bytes = b"") -> None:
    """Write one message to a blocking stream: in one write up to `JOIN_BELOW` bytes of body (the
    reader then wakes once), else without copying the body."""
    head = json.dumps(header, separators=(",", ":")).encode()
    sizes = _SIZES.pack(len(head), len(body))
    if len(body) <= JOIN_BELOW:
        stream.write(sizes + head + body)
    else:
        stream.write(sizes + head)
        stream.write(body)
    stream.flush()


JOIN_BELOW = 1 << 20


def decode_sizes(prefix: bytes) -> tuple[int, int]:
    """Header and body lengths from the first SIZES_LENGTH bytes of a message."""
    head_len, body_len = _SIZES.unpack(prefix)
    return head_len, body_len


def read_message(stream: BinaryIO) -> tuple[dict[str, Any], bytes] | None:
    """Read one message from a blocking stream; None at end of stream."""
    prefix = stream.read(SIZES_LENGTH)
    if len(prefix) < SIZES_LENGTH:
        return None
    head_len, body_len = decode_sizes(prefix)
    header: dict[str, Any] = json.loads(stream.read(head_len))
    return header, stream.read(body_len)
