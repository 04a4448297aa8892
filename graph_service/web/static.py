"""`/static/*` (the package's scripts, styles, icons) and `/static/api-docs/*` (Swagger UI's and
ReDoc's files, from the fastapi-offline package), read once and sent from memory.

Served by routes rather than a file server so that the tag is that of the bytes (`web/caching.py`),
the same on every replica, not of a file's modification time, and so that a large script is one
body that can be tagged.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

from graph_service.problems import not_found

router = APIRouter()

TEXT = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".html": "text/html"}


@cache
def _asset(package: str, name: str) -> tuple[bytes, str] | None:
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = resources.files(package).joinpath("static", name)
    if not path.is_file():
        return None
    suffix = name[name.rfind(".") :] if "." in name else ""
    media_type = TEXT.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or suffix == ".svg":
        media_type += "; charset=utf-8"
    return path.read_bytes(), media_type


def _send(package: str, name: str) -> Response:
    asset = _asset(package, name)
    if asset is None:
        raise not_found(f"There is no static file {name!r}.")
    return Response(asset[0], media_type=asset[1])


@router.get("/static/api-docs/{name}", include_in_schema=False)
async def api_docs_file(name: str) -> Response:
    """One file of Swagger UI or ReDoc (fastapi-offline's copies); 404 for anything else."""
    return _send("fastapi_offline", name)


@router.get("/static/{name}", include_in_schema=False)
async def static_file(name: str) -> Response:
    """One static asset of this package; 404 for anything else."""
    return _send("graph_service", name)
