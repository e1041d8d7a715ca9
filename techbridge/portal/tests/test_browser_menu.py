"""The signed-in menu fits on one line at 1,366 px (the most common office laptop width)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_options() -> dict:
    return {"locale": "zh-CN", "viewport": {"width": 1366, "height": 768}}


NAV_ROWS = """() => {
  const nav = document.querySelector('.main-nav');
  const items = [...nav.children].filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
  const mids = items.map(r => (r.top + r.bottom) / 2);
  const rows = Math.max(...mids) - Math.min(...mids) > 12 ? 2 : 1;
  return {rows, mids, header: document.querySelector('.site-header').getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("who", ["operator", "researcher", "univ_admin"])
def test_signed_in_menu_does_not_wrap_at_1366px(live_browser, cast, who):
    live_browser.login(getattr(cast, who))
    live_browser.goto("/")

    measured = live_browser.page.evaluate(NAV_ROWS)

    assert measured["rows"] == 1, str(measured["mids"])
    assert measured["header"] < 80, measured
    # Notifications and signing out stay one click away, in the account menu.
    page = live_browser.page
    page.click(".user-menu > summary")
    assert page.locator(".user-menu a[href='/accounts/notifications/']").is_visible()
    assert page.locator(".user-menu button", has_text="退出").is_visible()
