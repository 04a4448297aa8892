"""Files sent as they are (dumps, the JSON-LD context): ETag, Last-Modified, gzip, 304; and downloads."""

from __future__ import annotations

import os
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response
from fastapi.responses import FileResponse

from graph_service.formats.negotiation import entity_tags
from graph_service.publishing.dumps import DumpFile, gz_path
from graph_service.web.caching import given_etag
from graph_service.web.request import wants_gzip


def download(body: bytes | str, media_type: str, filename: str) -> Response:
    """A body to save as a file of that name (`Content-Disposition: attachment`)."""
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def file_response(request: Request, file: DumpFile, last_modified: datetime | None) -> Response:
    """A dump file with ETag, Last-Modified, gzip when allowed, and 304 when unchanged."""
    gz = wants_gzip(request)
    given_etag(request)  # the file's SHA-256; Cache-Control comes from the edge (KG_CACHE_MAX_AGE)
    etag = f'"{file.sha256}{"-gzip" if gz else ""}"'
    headers = {
        "ETag": etag,
        "Content-Disposition": f'inline; filename="{file.name}"',
    }
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified, usegmt=True)
    if _not_modified(request, file.sha256, last_modified):
        return Response(status_code=304, headers=headers)
    if gz:
        headers["Content-Encoding"] = "gzip"
    if file.path is not None:  # sent from the file, never whole in memory
        path = gz_path(file.path) if gz else file.path
        response = FileResponse(path, media_type=file.media_type, headers=headers, stat_result=os.stat(path))
        if last_modified is None:  # not the file's mtime: the data says when it changed, or nothing
            del response.headers["last-modified"]
        return response
    return Response(file.gzipped if gz else file.data, media_type=file.media_type, headers=headers)


def _not_modified(request: Request, sha256: str, last_modified: datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = entity_tags(match)
        if tags is not None:
            return "*" in tags or sha256 in tags or f"{sha256}-gzip" in tags
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            return last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False
