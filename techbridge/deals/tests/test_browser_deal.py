"""The whole path in a real Chromium: an enterprise finds an achievement, negotiates under NDA, both
sides sign, the university submits, an officer registers, and the public statistics move."""

from __future__ import annotations

import pytest

from techbridge.contracts.models import Contract
from techbridge.testing.cast import PASSWORD
from techbridge.testing.factories.achievements import make_achievement

pytestmark = pytest.mark.browser


def _sign(page) -> None:
    """Signing asks to confirm and for the password again (issue 22 point 9)."""
    page.click("[data-testid=sign]")
    page.check("input[name=confirm]")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=confirm-sign]")
    page.wait_for_url("**/contracts/*/")


def _as(live_browser, user) -> None:
    live_browser.page.context.clear_cookies()
    live_browser.login(user)


def test_from_achievement_to_registered_contract(live_browser, cast, media_root):
    achievement = make_achievement(cast, title="高安全锂电池隔膜制备技术")
    page = live_browser.page

    # The enterprise finds the achievement and opens a negotiation.
    _as(live_browser, cast.buyer)
    live_browser.goto(f"/achievements/{achievement.pk}/")
    page.click("[data-testid=open-room]")
    page.wait_for_url("**/deals/*/")
    room_url = page.url
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.fill("#messages textarea[name=body]", "请问能否提供中试数据？")
    page.click("[data-testid=send-message]")
    page.locator("#message-list", has_text="请问能否提供中试数据？").wait_for()
    assert loads == []  # htmx added the message without a page load
    assert page.input_value("#messages textarea[name=body]") == ""
    page.click("[data-testid=accept-nda]")
    page.wait_for_load_state("domcontentloaded")
    page.locator("[data-testid=offer-form] select[name=deal_mode]").select_option("assignment")
    page.fill("[data-testid=offer-form] input[name=price]", "880000")
    page.locator("[data-testid=offer-form] select[name=payment_terms]").select_option("lump_sum")
    page.locator("[data-testid=offer-form] button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-testid=offer-row]").count() == 1

    # The university accepts the NDA (the buyer now sees the detail) and the offer.
    _as(live_browser, cast.researcher)
    page.goto(room_url)
    page.click("[data-testid=accept-nda]")
    page.wait_for_load_state("domcontentloaded")
    page.click("[data-testid=accept-offer]")
    page.wait_for_url("**/contracts/*/")
    contract_url = page.url
    _sign(page)

    _as(live_browser, cast.buyer)
    page.goto(room_url)
    assert "拉伸温度125℃" in page.locator("[data-testid=nda-detail]").inner_text()
    page.goto(contract_url)
    _sign(page)
    assert "·" in page.locator("[data-testid=buyer-signature]").inner_text()

    # The university submits; the officer registers in the console.
    _as(live_browser, cast.researcher)
    page.goto(contract_url)
    page.click("[data-testid=submit-registration]")
    page.wait_for_load_state("domcontentloaded")
    contract = Contract.objects.get()
    assert contract.status == "submitted"

    _as(live_browser, cast.reviewer)
    live_browser.goto("/console/contracts/")
    page.click(f"text={contract.title}")
    page.locator("[data-testid=register-form] button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    contract.refresh_from_db()
    assert contract.status == "registered" and contract.registration_number

    # Anyone sees the statistics move, on a phone too.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    live_browser.goto("/contracts/statistics/")
    assert page.locator("[data-testid=stat-count]").inner_text() == "1"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
