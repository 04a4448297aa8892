"""The SHACL verdict kept per data version: a restart with the same files skips validation.

The key is a SHA-256 of everything the verdict depends on: each file's name and bytes (the data, the
ontology, the shapes), the validator's version (pyshacl's, rdflib's, and the bytes of
graph_service/dataset/validation.py, which turns pyshacl's results into the report) and the entry format.
An entry is one JSON file named by its key in `Settings.cache_dir`; anything else found there (a
truncated or foreign file, another key, another format) is ignored and replaced by a fresh run.
`graph-service validate` always validates (it is the gate for new data) and records its verdict.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from graph_service.dataset import fast_loading, shacl_jobs, validation
from graph_service.dataset.validation import ValidationReport, Violation

log = logging.getLogger("graph_service")
FORMAT = 1  # of an entry; a change of this module's output bumps it
_FIELDS = ("focus", "path", "value", "message", "severity", "shape")


def _validator_version() -> bytes:
    """What else the verdict depends on: the validator's packages and the code that parses, shares out and reads."""
    versions = [f"{name}={metadata.version(name)}" for name in ("pyshacl", "rdflib")]
    code = b"".join(Path(module.__file__ or "").read_bytes() for module in (validation, fast_loading, shacl_jobs))
    return "\n".join([f"format={FORMAT}", *versions]).encode() + code


def data_key(files: Sequence[Path], shapes_file: Path) -> str:
    """SHA-256 (hex) of the files' names and bytes, the shapes' and the validator's version."""
    digest = hashlib.sha256(_validator_version())
    for path in [*files, shapes_file]:
        digest.update(b"\0file\0" + str(path).encode() + b"\0")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"verdict-{key}.json"


def _encode(key: str, report: ValidationReport) -> str:
    violations = [
        {"file": str(v.file) if v.file else None, **{f: getattr(v, f) for f in _FIELDS}} for v in report.violations
    ]
    return json.dumps({"format": FORMAT, "key": key, "conforms": report.conforms, "violations": violations})


def _decode(key: str, text: str) -> ValidationReport | None:
    """The report of an entry written for this key and format, else None (whatever the text holds)."""
    try:
        entry: Any = json.loads(text)
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
            return None
        conforms = entry["conforms"]
        if not isinstance(conforms, bool):
            return None
        violations = []
        for item in entry["violations"]:
            values = {f: item[f] for f in _FIELDS}
            if not all(v is None or isinstance(v, str) for v in (item["file"], *values.values())):
                return None
            if not isinstance(values["focus"], str) or not isinstance(values["message"], str):
                return None
            violations.append(Violation(file=Path(item["file"]) if item["file"] else None, **values))
    except (ValueError, KeyError, TypeError):
        return None
    return ValidationReport(conforms=conforms, violations=tuple(violations))


def recall(cache_dir: Path, key: str) -> ValidationReport | None:
    """The verdict kept for this key, or None (no entry, an unreadable or foreign one)."""
    try:
        text = _entry(cache_dir, key).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    report = _decode(key, text)
    if report is None:
        log.warning("ignoring the cached SHACL verdict %s: not an entry of this version", _entry(cache_dir, key))
    return report


def record(cache_dir: Path, key: str, report: ValidationReport) -> None:
    """Keep the verdict (written to a temporary file then renamed: a reader sees all of it or nothing).

    A cache that cannot be written is logged and skipped: the next start validates again."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".verdict-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(_encode(key, report))
            os.replace(tmp, _entry(cache_dir, key))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.warning("cannot keep the SHACL verdict in %s (%s); KG_CACHE_DIR names a writable folder", cache_dir, exc)


def verdict(
    cache_dir: Path | None,
    files: Sequence[Path],
    shapes_file: Path,
    validate: Callable[[], ValidationReport],
    *,
    reuse: bool = True,
) -> ValidationReport:
    """The verdict on these files: the kept one when `reuse` and the files are unchanged, else
    `validate()`, then kept. No cache_dir: validate every time."""
    if cache_dir is None:
        return validate()
    key = data_key(files, shapes_file)
    if reuse and (kept := recall(cache_dir, key)) is not None:
        log.info("SHACL verdict of this data version taken from %s (the files are unchanged)", cache_dir)
        return kept
    report = validate()
    record(cache_dir, key, report)
    return report
