"""`make screenshots`: PNG screenshots of the home page, a procurement sheet and a two-lot dossier, on a
desktop (1280 px) and a phone (390 px), for the README and docs/buyers.md.

Starts the service on the project's data on a free port, opens the pages in headless Chromium (French),
writes docs/screenshots/home.png, sheet-laptop.png (PAGES), dossier.png (MORE_PAGES) and the phone
views *-phone.png (PHONE_PAGES).
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph_service.config import Settings
from tests.browser.chromium import missing, start_driver
from tests.helpers import Server

PAGES = {"home.png": "/", "sheet-laptop.png": "/fiche/categorie/laptop?date=2026-12-07"}
DOSSIER = "/dossier?category=laptop&category=multifunction-printer&date=2026-12-07"
MORE_PAGES = {"dossier.png": DOSSIER}
PHONE_PAGES = {
    "home-phone.png": "/",
    "sheet-laptop-phone.png": "/fiche/categorie/laptop?date=2026-12-07",
    "dossier-phone.png": DOSSIER,
}
WIDTH, HEIGHT = 1280, 1000
PHONE_WIDTH, PHONE_HEIGHT = 390, 844


def main(folder: str) -> int:
    """Take the screenshots into `folder`; 1 if the browser is missing."""
    reason = missing()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 1
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    server = Server(Settings(workers=1, trusted_hosts="127.0.0.1"))
    try:
        server.wait_ready()
        driver = start_driver(WIDTH, HEIGHT)
        try:
            for name, path in {**PAGES, **MORE_PAGES}.items():
                driver.get(server.url + path)
                driver.save_screenshot(str(out / name))
                print(out / name)
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "deviceScaleFactor": 1, "mobile": True},
            )
            for name, path in PHONE_PAGES.items():
                driver.get(server.url + path)
                driver.save_screenshot(str(out / name))
                print(out / name)
        finally:
            driver.quit()
        phone = start_driver(500, PHONE_HEIGHT)
        try:
            phone.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "deviceScaleFactor": 1, "mobile": True},
            )
            for name, path in PHONE_PAGES.items():
                phone.get(server.url + path)
                phone.save_screenshot(str(out / name))
                print(out / name)
        finally:
            phone.quit()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
