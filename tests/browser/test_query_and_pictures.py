"""The analysts' query page, the resource pages and the pictures in a real browser, and a crawl of the site.

- In Chromium: pick a named query, give its parameter, run it, see the rows (laptop: the four labels of
  the guide's table for computers, inherited from "desktop and laptop computers"), with local links.
- axe-core: no serious or critical violation on a label page, the query page, the heat map and a
  neighbourhood picture.
- The names of the neighbourhood picture do not overlap as the browser draws them (getBBox).
(The crawl of the pages reachable from `/` is tests/pages/test_crawl.py: it needs no browser.)
"""

from __future__ import annotations

from itertools import combinations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.chromium import axe_violations, console_errors, describe
from tests.helpers import Server

LAPTOP_LABELS = {"Écolabel européen", "TCO Certified", "EPEAT", "80 PLUS"}  # names in French (the page)


def test_a_named_query_runs_with_its_parameter_from_the_query_page(site: Server, browser: webdriver.Chrome) -> None:
    console_errors(browser)
    browser.get(site.url + "/sparql?lang=fr")
    Select(browser.find_element(By.ID, "name")).select_by_value("labels-for-category")
    field = WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "p-category")))
    assert "labels-for-category" in browser.current_url and "run=" not in browser.current_url  # filled, not run
    assert browser.find_elements(By.CSS_SELECTOR, "#dl-category option[value=laptop]")  # suggestions
    field.send_keys("laptop")
    browser.find_element(By.ID, "run-named").click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#table tbody tr")))
    header = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#table thead th")]
    rows = browser.find_elements(By.CSS_SELECTOR, "#table tbody tr")
    names = {r.find_elements(By.TAG_NAME, "td")[header.index("?labelName")].text for r in rows}
    assert names == LAPTOP_LABELS
    links = [a.get_attribute("href") or "" for a in browser.find_elements(By.CSS_SELECTOR, "#table tbody a")]
    assert site.url + "/id/label/tco-certified" in links and site.url + "/id/category/computers" in links
    assert not any(h.startswith("https://w3id.org/") for h in links)  # graph IRIs open their local page
    share = browser.find_element(By.ID, "share").get_attribute("value") or ""
    assert "p.category=laptop" in share and "name=labels-for-category" in share
    assert console_errors(browser) == []


def test_an_edited_query_runs_in_the_page_and_the_share_link_reopens_it(
    site: Server,
    browser: webdriver.Chrome,
) -> None:
    browser.get(site.url + "/sparql?lang=en")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys("SELECT ?label WHERE { ?label a <https://w3id.org/achats-numeriques-responsables/def/Label> }")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#table tbody tr")))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#table tbody tr")) == 15  # anr:Label instances
    first = browser.find_element(By.CSS_SELECTOR, "#table tbody a").get_attribute("href") or ""
    assert first.startswith(site.url + "/id/label/")
    share = browser.find_element(By.ID, "share").get_attribute("value") or ""
    browser.get(share)  # the share link reopens the query, runs it server-side
    assert "def/Label" in (browser.find_element(By.ID, "query").get_attribute("value") or "")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#table tbody tr")) == 15


def test_pages_have_no_serious_accessibility_violation(site: Server, browser: webdriver.Chrome) -> None:
    for path in (
        "/id/label/eu-ecolabel",
        "/sparql?name=labels-for-category&p.category=laptop&run=1",
        "/pictures/labels-by-equipment",
        "/pictures/neighbourhood/laptop",
        "/id/legal/decret-2021-254",
    ):
        browser.get(site.url + path)
        violations = axe_violations(browser)
        assert violations == [], path + "\n" + describe(violations)


def test_the_drawn_names_of_the_neighbourhood_do_not_overlap(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/pictures/neighbourhood/laptop?hops=2")
    boxes = browser.execute_script(
        "return [...document.querySelectorAll('figure svg text')].map(t => {"
        " const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.top, b.right, b.bottom]; });"
    )
    assert len(boxes) > 20
    overlapping = [
        (a[0], b[0]) for a, b in combinations(boxes, 2) if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]
    assert overlapping == []
