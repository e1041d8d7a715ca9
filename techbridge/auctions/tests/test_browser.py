"""Two browsers bid against each other on a live lot and see each other's bids without reloading."""

from __future__ import annotations

import pytest

from techbridge.auctions.models import Lot
from techbridge.testing.factories.auctions import make_lot, make_session, paid


@pytest.mark.browser
def test_two_bidders_see_each_others_bids_live(live_browser, _chromium, cast):
    session = make_session(cast)
    lot = make_lot(cast, session)
    paid(cast.buyer, session, cast)
    paid(cast.broker, session, cast)
    path = f"/auctions/lots/{lot.pk}/"

    live_browser.login(cast.buyer)
    live_browser.goto(path)
    buyer = live_browser.page

    context = _chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(15_000)
    try:
        broker = context.new_page()
        other = type(live_browser)(broker, live_browser.base_url)
        other.login(cast.broker)
        other.goto(path)

        buyer.fill("#bid-amount", "100000")
        buyer.click("#bid-submit")
        buyer.wait_for_selector("#bid-feedback")
        # The broker's page was never reloaded: polling brings the buyer's bid in.
        broker.wait_for_function("document.querySelector('#lot-price').textContent.includes('100,000.00')")
        assert "001" in broker.inner_text("#bid-history")
        # The shared history is cached for everyone; only the bidder's own row says "(you)".
        assert "（您）" not in broker.inner_text("#bid-history").replace("(", "（").replace(")", "）")
        buyer.wait_for_function("document.querySelector('#bid-history').innerText.includes('您')")
        # An anonymous viewer polls the same cached fragment and sees the price move too.
        anonymous = _chromium.new_context(locale="zh-CN").new_page()
        anonymous.goto(live_browser.base_url + path)
        anonymous.wait_for_function("document.querySelector('#lot-price').textContent.includes('100,000.00')")

        broker.fill("#bid-amount", "105000")
        broker.click("#bid-submit")
        buyer.wait_for_function("document.querySelector('#lot-price').textContent.includes('105,000.00')")
        buyer.wait_for_selector("#my-status")
        anonymous.wait_for_function("document.querySelector('#lot-price').textContent.includes('105,000.00')")
        assert anonymous.query_selector("#my-status") is None
        anonymous.context.close()
        assert Lot.objects.get(pk=lot.pk).bid_count == 2
        # A stale bid from the first page is refused with the reason, not silently applied.
        buyer.fill("#bid-amount", "101000")
        buyer.click("#bid-submit")
        buyer.wait_for_selector("#bid-feedback.bad")
        assert Lot.objects.get(pk=lot.pk).bid_count == 2
        countdown = buyer.inner_text("#lot-countdown")
        assert ":" in countdown
    finally:
        context.close()
