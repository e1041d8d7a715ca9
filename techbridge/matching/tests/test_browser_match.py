"""The match page in a real Chromium: a need typed in Chinese gets ranked, explained achievements.

The results arrive through htmx without a page load; a phone-sized screen shows them without sideways
scrolling; drafts and confidential details never appear.
"""

from __future__ import annotations

import pytest

from techbridge.achievements import services as achievement_services
from techbridge.testing.factories.matching import BATTERY, SECRET, SLUDGE, new_achievement

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_indexes")]

NEED = (
    "我们是动力电池生产企业，现有隔膜在高温下收缩，电池安全性不足，希望找到耐高温、高孔隙率的锂电池隔膜技术。"
)
DRAFT_TITLE = "草稿：固态锂电池隔膜涂层"


def _publish(cast, achievement) -> None:
    achievement_services.submit_achievement(achievement, actor=achievement.created_by)
    achievement_services.approve_achievement(achievement, actor=cast.reviewer)


@pytest.fixture
def catalogue(live_browser, cast):
    _publish(cast, new_achievement(cast, **BATTERY))
    _publish(cast, new_achievement(cast, field_codes=("environment",), trl=3, **SLUDGE))
    new_achievement(cast, title=DRAFT_TITLE, summary="尚未公开的锂电池隔膜涂层工艺。")


def test_a_visitor_types_a_need_and_sees_explained_matches_on_a_phone(live_browser, catalogue):
    page = live_browser.page
    page.set_viewport_size({"width": 390, "height": 844})
    live_browser.goto("/match/")
    page.wait_for_load_state("load")
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))

    assert page.evaluate("() => typeof htmx") == "object", "htmx did not load"
    page.fill("textarea[name=q]", NEED)
    page.locator("main form button[type=submit]").first.click()
    first = page.locator("#match-results article.match").first
    first.wait_for()

    assert loads == []  # htmx swapped the results in; the page did not reload
    assert BATTERY["title"] in first.locator("h3").inner_text()
    assert first.locator("mark").count() > 0  # the shared words are highlighted
    assert first.locator("ul.why li").count() > 0  # and it says why it matches

    first.locator("details summary").click()  # the parts of the score
    parts = first.locator("table.score-parts")
    assert parts.is_visible()
    assert parts.locator("tr").count() >= 4

    content = page.content()
    assert DRAFT_TITLE not in content
    assert SECRET not in content
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"


def test_an_empty_need_gets_a_message_not_an_error(live_browser, catalogue):
    page = live_browser.page
    live_browser.goto("/match/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#match-results article.match").count() == 0
    assert page.locator(".errorlist, .errors, .error, [role=alert]").count() > 0
