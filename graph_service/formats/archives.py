"""ZIP archives (ODT, XLSX) whose bytes depend on their content alone, so that their ETag does too.

The libraries that write them (odfpy, openpyxl) date every member with the clock; `fixed_dates`
rewrites the archive with one fixed date, keeping each member's name, order and compression.
"""

from __future__ import annotations

import io
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP member can carry


def fixed_dates(archive: bytes) -> bytes:
    """The same archive with every member dated ZIP_TIME."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, ZIP_TIME)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info))
    return out.getvalue()
