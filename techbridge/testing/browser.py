"""Steps several browser tests share (real Chromium through Playwright; only tests import this).

``two_bidders_bid_live``: two bidders, each in their own browser context, bid on a live lot and each
sees the other's bid arrive without reloading (an anonymous viewer too, without the bidders' own
parts); a stale bid is refused with its reason. The auction's
own browser test and the full-path test of issue 22 both walk it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def two_bidders_bid_live(
    live_browser: Any,
    chromium: Any,
    lot: Any,
    first: Any,
    second: Any,
    *,
    on_page: Callable[[Any], None] | None = None,
) -> None:
    """``first`` bids 100,000 in ``live_browser``'s page; ``second`` (a phone-sized context of
    ``chromium``) sees it, bids 105,000, and ``first`` sees that; then ``first``'s stale 101,000 is
    refused. ``on_page(page)`` is called on each bidder's page once it has both bids (e.g. to scan it)."""
    from techbridge.auctions.models import Lot

    path = f"/auctions/lots/{lot.pk}/"
    live_browser.login(first)
    live_browser.goto(path)
    page = live_browser.page

    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(15_000)
    try:
        phone = context.new_page()
        other = type(live_browser)(phone, live_browser.base_url)
        other.login(second)
        other.goto(path)

        page.fill("#bid-amount", "100000")
        page.click("#bid-submit")
        page.wait_for_selector("#bid-feedback")
        # The second bidder's page was never reloaded: polling brings the first bid in.
        phone.wait_for_function("document.querySelector('#lot-price').textContent.includes('100,000.00')")
        assert "001" in phone.inner_text("#bid-history")
        # The shared history is cached for everyone; only the bidder's own row says "(you)".
        assert "（您）" not in phone.inner_text("#bid-history").replace("(", "（").replace(")", "）")
        page.wait_for_function("document.querySelector('#bid-history').innerText.includes('您')")
        # An anonymous viewer polls the same cached fragment and sees the price move too.
        anonymous = chromium.new_context(locale="zh-CN")
        viewer = anonymous.new_page()
        viewer.goto(live_browser.base_url + path)
        viewer.wait_for_function("document.querySelector('#lot-price').textContent.includes('100,000.00')")

        phone.fill("#bid-amount", "105000")
        phone.click("#bid-submit")
        page.wait_for_function("document.querySelector('#lot-price').textContent.includes('105,000.00')")
        page.wait_for_selector("#my-status")
        viewer.wait_for_function("document.querySelector('#lot-price').textContent.includes('105,000.00')")
        assert viewer.query_selector("#my-status") is None
        anonymous.close()
        assert Lot.objects.get(pk=lot.pk).bid_count == 2
        if on_page is not None:
            on_page(phone)
            on_page(page)
        # A stale bid from the first page is refused with the reason, not silently applied.
        page.fill("#bid-amount", "101000")
        page.click("#bid-submit")
        page.wait_for_selector("#bid-feedback.bad")
        assert Lot.objects.get(pk=lot.pk).bid_count == 2
        assert ":" in page.inner_text("#lot-countdown")
    finally:
        context.close()
