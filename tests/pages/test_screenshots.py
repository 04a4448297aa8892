"""The README and the buyers' page show screenshots of the home page and a sheet, taken by `make screenshots`."""

from __future__ import annotations

from pathlib import Path

from tests.browser.screenshots import MORE_PAGES, PAGES, PHONE_PAGES

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


def test_the_buyers_page_shows_the_dossier_and_phone_screenshots() -> None:
    buyers = (ROOT / "docs" / "buyers.md").read_text(encoding="utf-8")
    for name in [*MORE_PAGES, *PHONE_PAGES]:
        assert f"](screenshots/{name})" in buyers, name
        assert (ROOT / "docs" / "screenshots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
