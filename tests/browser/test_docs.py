"""/docs in a real browser: rendered offline, under the page policy, without serious axe findings."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.chromium import axe_violations, console_errors, describe
from tests.helpers import Server


def test_swagger_ui_renders_from_the_service_itself(site: Server, browser: webdriver.Chrome) -> None:
    console_errors(browser)  # forget what earlier pages logged
    browser.get(site.url + "/docs")
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    assert "/api/cpv/{code}" in browser.find_element(By.TAG_NAME, "body").text
    sources = browser.execute_script(
        "return [...document.querySelectorAll('script[src],link[href]')].map(e => e.src || e.href)"
    )
    assert sources and all(s.startswith(site.url + "/") for s in sources), sources
    assert console_errors(browser) == []


def test_swagger_ui_has_no_serious_accessibility_violation(site: Server, browser: webdriver.Chrome) -> None:
    browser.get(site.url + "/docs")
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    violations = axe_violations(browser)
    assert violations == [], describe(violations)
