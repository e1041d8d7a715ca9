"""Playwright drives Debian's /usr/bin/chromium against the live server (no browser download)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def test_chromium_fetches_the_stylesheet(live_browser):
    response = live_browser.goto("/static/css/site.css")
    assert "text/css" in response.headers.get("content-type", "")
    assert len(response.text()) > 100


def test_chromium_fetches_the_api_schema(live_browser):
    response = live_browser.goto("/api/schema/?format=json")
    schema = json.loads(response.text())
    assert schema["info"]["title"] == "TechBridge API"
    assert "openapi" in schema


def test_chromium_renders_and_runs_script(browser_page):
    browser_page.set_content("<html lang='zh-CN'><body><h1>科技成果</h1></body></html>")
    assert browser_page.locator("h1").inner_text() == "科技成果"
    assert browser_page.evaluate("() => 6 * 7") == 42
