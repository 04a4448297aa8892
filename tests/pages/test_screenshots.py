"""The README and the buyers' page show screenshots of the home page and a sheet, taken by `make screenshots`."""

from __future__ import annotations

from pathlib import Path

from tests.browser.screenshots import PAGES

ROOT = Path(__file__).parents[2]


def test_the_readme_shows_the_screenshots_the_make_target_takes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    buyers = (ROOT / "docs" / "buyers.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "tests.browser.screenshots docs/screenshots" in makefile
    for name in PAGES:
        path = ROOT / "docs" / "screenshots" / name
        assert f"](docs/screenshots/{name})" in readme, name
        assert f"](screenshots/{name})" in buyers, name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
