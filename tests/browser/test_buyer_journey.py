"""A buyer's journey in a real browser: home page, search "ordinateur portable", the laptop sheet in at most
three clicks, the share of décret 2021-254 and the four labels of the guide's table for computers (type I
first), then the tender annex downloaded and read back; axe-core finds no serious or critical violation.

Facts checked by hand in the guide: labels/produits/#tableau-ecolabels ticks Ecolabel européen, TCO,
EPEAT and 80 Plus for "ordinateur fixe et portable" (the first two type I); décret n° 2021-254 of
9 March 2021 sets at least 20 % from 1 January 2021 for office and computing equipment, laptops included.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from odf import teletype
from odf.opendocument import load
from odf.text import P
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.chromium import axe_violations, console_errors, describe
from tests.helpers import Server

COMPUTER_LABELS = ["Écolabel européen", "TCO Certified", "EPEAT", "80 PLUS"]
SHARE_FACTS = ("20\u202f%", "Décret n° 2021-254", "9 mars 2021", "1er janvier 2021", "Article 58 de la loi AGEC")


def test_from_the_home_page_to_the_laptop_sheet_in_three_clicks(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Que cherchez-vous à acheter ?"
    field = browser.find_element(By.ID, "q")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=q]").text
    field.send_keys("ordinateur portable")
    browser.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()  # click 1
    WebDriverWait(browser, 10).until(ec.url_contains("/recherche?q=ordinateur+portable"))
    first = browser.find_element(By.CSS_SELECTOR, "ul.hits li a")
    assert first.text == "Ordinateur portable"
    first.click()  # click 2
    WebDriverWait(browser, 10).until(ec.url_contains("/fiche/categorie/laptop"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Fiche achat : Ordinateur portable"

    share = browser.find_element(By.CSS_SELECTOR, "#obligations ~ article.share, section article.share")
    for fact in SHARE_FACTS:
        assert fact in share.text, fact
    legifrance = share.find_element(By.PARTIAL_LINK_TEXT, "Légifrance").get_attribute("href")
    assert legifrance and legifrance.startswith("https://www.legifrance.gouv.fr/")

    labels = browser.find_elements(By.CSS_SELECTOR, "ol.labels > li.label h3")
    assert [h.text.rstrip(" ★") for h in labels] == COMPUTER_LABELS
    assert [
        ("type-1" in (li.get_attribute("class") or ""))
        for li in browser.find_elements(By.CSS_SELECTOR, "ol.labels > li.label")
    ] == [True, True, False, False]
    why = browser.find_element(By.CSS_SELECTOR, "ol.labels > li.label .why").text
    assert "Ordinateurs fixes et portables" in why


def wait_for_file(folder: Path, suffix: str, timeout_s: float = 20) -> Path:
    """The downloaded file once complete."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.1)
    raise TimeoutError(f"no {suffix} downloaded into {folder}")


def test_the_annex_downloaded_from_the_sheet_holds_the_same_facts(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/fiche/categorie/laptop?date=2026-12-07")
    browser.find_element(By.PARTIAL_LINK_TEXT, "ODT").click()
    annex = wait_for_file(browser.downloads, ".odt")  # type: ignore[attr-defined]
    assert zipfile.ZipFile(annex).read("mimetype") == b"application/vnd.oasis.opendocument.text"
    text = "\n".join(teletype.extractText(p) for p in load(str(annex)).getElementsByType(P))
    for fact in (*SHARE_FACTS, "7 décembre 2026"):
        assert fact in text, fact
    positions = [text.index(name) for name in COMPUTER_LABELS]
    assert positions == sorted(positions)
    assert "Ordinateurs fixes et portables" in text and "Critère d'attribution" in text


def test_the_date_picker_shows_the_obligations_of_another_day(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/fiche/categorie/laptop")
    field = browser.find_element(By.ID, "date")
    browser.execute_script("arguments[0].value = '2020-06-01'", field)
    field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.url_contains("date=2020-06-01"))
    assert "1er juin 2020" in browser.find_element(By.ID, "obligations").text
    assert browser.find_elements(By.CSS_SELECTOR, "article.share") == [] or all(
        not a.is_displayed() for a in browser.find_elements(By.CSS_SELECTOR, "article.share")
    )


def test_english_by_the_language_switch(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/fiche/categorie/laptop")
    browser.find_element(By.CSS_SELECTOR, "nav.languages a[hreflang=en]").click()
    WebDriverWait(browser, 10).until(ec.url_contains("lang=en"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Procurement sheet: Laptop"
    labels = browser.find_elements(By.CSS_SELECTOR, "ol.labels > li.label h3")
    assert [h.text.rstrip(" ★") for h in labels] == ["EU Ecolabel", "TCO Certified", "EPEAT", "80 PLUS"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/recherche?q=ordinateur+portable",
        "/fiche/categorie/laptop",
        "/fiche/famille/office-equipment",
        "/fiche/cpv/30213100-6?lang=en",
    ],
)
def test_no_serious_accessibility_violation(site: Server, browser: webdriver.Chrome, path: str) -> None:
    console_errors(browser)
    browser.get(site.url + path)
    assert console_errors(browser) == []
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script[src],link[href],img[src]')].map(e => e.src || e.href)"
    )
    assert all(s.startswith(site.url + "/") for s in sources), sources
    violations = axe_violations(browser)
    assert violations == [], describe(violations)


def test_keyboard_focus_is_visible(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    style = browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth];", focused
    )
    assert style[0] != "none" and style[1] != "0px", style


def test_type_ahead_offers_names_while_typing(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/")
    browser.find_element(By.ID, "q").send_keys("ordinateur port")
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#q-names option[value='Ordinateur portable']")
    )
    assert console_errors(browser) == []
