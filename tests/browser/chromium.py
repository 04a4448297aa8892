"""Headless Chromium from Debian (driven by its chromedriver) and the axe-core accessibility engine.

`make test` / `make browser` install both (Makefile); nothing here downloads anything.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

AXE_JS = Path(sys.prefix) / "axe-core" / "axe.min.js"
IMPACTS_REFUSED = ("serious", "critical")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for name in ("chromium", "chromedriver"):
        if shutil.which(name) is None:
            return f"{name} is not installed (run `make browser`)"
    if not AXE_JS.is_file():
        return f"{AXE_JS} is missing (run `make browser`)"
    return None


def start_driver(width: int = 1280, height: int = 900, lang: str = "fr-FR") -> webdriver.Chrome:
    """A headless Chromium with a fixed window and browser language; downloads go nowhere by default."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        f"--lang={lang}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    # The browser's own locale (date fields, for one) follows the environment's language.
    env = {**os.environ, "LANGUAGE": lang.replace("-", "_"), "LANG": lang.replace("-", "_") + ".UTF-8"}
    service = Service(executable_path=shutil.which("chromedriver") or "chromedriver", env=env)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for a driver online
    return webdriver.Chrome(options=options, service=service)


def axe_violations(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the current page, serious and critical only."""
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result: dict[str, Any] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r)).catch(e => done({error: String(e)}));"
    )
    assert "error" not in result, result
    return [v for v in result["violations"] if v.get("impact") in IMPACTS_REFUSED]


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """Messages the page logged as errors since the last call (policy refusals, missing files among them)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[no-untyped-call]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node, for an assertion message."""
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            lines.append(f"{v['impact']} {v['id']}: {v['help']} at {node['target']}")
    return "\n".join(lines)
