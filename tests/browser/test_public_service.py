"""A French public service's manners in Chromium (issue 22, item 6), and the search by buyers' words.

- keyboard: the first Tab reaches « Aller au contenu »; following it, the next Tab reaches the search field;
- phone: at 390 px (device emulation: headless Chromium's windows are at least 500 px wide) no page
  scrolls sideways (document.documentElement.scrollWidth <= 390);
- axe-core: no serious or critical violation on the new pages and the pages whose layout changed;
- the query page: editing a named query's text shows which parameters it drops and takes them out of
  the share link, as the server does;
- the search: « imprimantes multifonctions » typed on the home page finds the multifunction sheet first.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.chromium import axe_violations, describe, start_driver
from tests.helpers import Server

PHONE = 390


def served(url: str) -> bool:
    """Whether the service has a page at `url` (any answer but 404)."""
    try:
        with urllib.request.urlopen(url, timeout=10):
            return True
    except urllib.error.HTTPError as error:
        return error.code != 404


PAGES = {
    "home": "/",
    "sheet": "/fiche/categorie/laptop?date=2026-12-07",
    "search": "/recherche?q=copieur",
    "resource": "/id/label/tco-certified",
    "query": "/sparql?name=labels-for-category&p.category=laptop&run=1",
    "legal": "/mentions-legales",
    "accessibility": "/accessibilite",
    "data": "/donnees",
    "family": "/fiche/famille/printing?date=2026-12-07",
    "question": "/question?q=ordinateur+portable",
}


@pytest.fixture(scope="module")
def phone(browser: webdriver.Chrome) -> Iterator[webdriver.Chrome]:
    """A second Chromium, 390 px wide as a phone (device metrics emulation)."""
    driver = start_driver(500, 844)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        yield driver
    finally:
        driver.quit()


def test_the_first_tab_reaches_the_skip_link_and_the_next_the_search_field(
    site: Server,
    browser: webdriver.Chrome,
) -> None:
    browser.get(site.url + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.text == "Aller au contenu" and (first.get_attribute("href") or "").endswith("#contenu")
    first.send_keys(Keys.ENTER)
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "q"  # 2 Tabs and Enter (it took 12 Tabs)


def test_the_menu_leads_with_buyer_tasks(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/")
    menu = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "header nav .menu a")]
    dossier = ["Dossier"] if served(site.url + "/dossier") else []  # another page of issue 22
    assert menu == ["Accueil", "Fiches d'achat", "Recherche", "Question", *dossier, "Données et API"]
    browser.find_element(By.LINK_TEXT, "Données et API").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/donnees"))
    assert {a.text for a in browser.find_elements(By.CSS_SELECTOR, "main ul.tools a")} >= {
        "Page de requête SPARQL",
        "Ontologie",
        "Formes",
        "Catalogue DCAT",
        "Téléchargements",
        "API JSON",
    }


@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_scrolls_sideways_on_a_phone(site: Server, phone: webdriver.Chrome, name: str) -> None:
    phone.get(site.url + PAGES[name])
    assert phone.execute_script("return window.innerWidth") == PHONE
    wide = phone.execute_script(
        "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.scroll, figure, pre, textarea'))"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE, wide


@pytest.mark.parametrize("name", list(PAGES))
def test_the_pages_pass_axe_core(site: Server, browser: webdriver.Chrome, name: str) -> None:
    browser.get(site.url + PAGES[name])
    violations = axe_violations(browser)
    assert violations == [], describe(violations)


def test_an_edited_named_query_drops_its_parameters_from_the_share_link(
    site: Server,
    browser: webdriver.Chrome,
) -> None:
    browser.get(site.url + "/sparql?lang=fr&name=labels-for-category&p.category=laptop")
    assert browser.find_element(By.ID, "dropped").is_displayed() is False
    share = browser.find_element(By.ID, "share").get_attribute("value") or ""
    assert "p.category=laptop" in share
    editor = browser.find_element(By.ID, "query")
    editor.send_keys(Keys.END, "\n# edited")
    note = browser.find_element(By.ID, "dropped")
    assert note.is_displayed() and "sans ses paramètres" in note.text
    share = browser.find_element(By.ID, "share").get_attribute("value") or ""
    assert "p.category" not in share and "name=" not in share and "query=" in share
    Select(browser.find_element(By.ID, "name"))  # the picker is still there to go back to the named query


def test_the_home_search_finds_the_multifunction_sheet_by_its_plural(
    site: Server,
    browser: webdriver.Chrome,
) -> None:
    browser.get(site.url + "/")
    field = browser.find_element(By.ID, "q")
    field.send_keys("Imprimantes multifonctions", Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.url_contains("/recherche?q="))
    first = browser.find_element(By.CSS_SELECTOR, "ul.hits li a")
    assert first.text == "Solution d'impression multifonction"
