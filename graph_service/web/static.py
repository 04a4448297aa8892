"""`/static/*`: the page scripts and stylesheets, read once from the package and sent from memory.

Served by a route rather than a file server so that the tag is that of the bytes (`web/caching.py`),
the same on every replica, not of a file's modification time.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

from graph_service.problems import not_found

router = APIRouter()

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


@cache
def _asset(name: str) -> tuple[bytes, str] | None:
    suffix = name[name.rfind("."):] if "." in name else ""
    if "/" in name or name.startswith(".") or suffix not in MEDIA_TYPES:
        return None
    path = resources.files("graph_service").joinpath("static", name)
    if not path.is_file():
        return None
    return path.read_bytes(), MEDIA_TYPES[suffix]


@router.get("/static/{name}", include_in_schema=False)
async def static_file(name: str) -> Response:
    """One static asset of the package; 404 for anything else."""
    asset = _asset(name)
    if asset is None:
        raise not_found(f"There is no static file {name!r}.")
    return Response(asset[0], media_type=asset[1])
