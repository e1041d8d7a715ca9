"""Two browsers bid against each other on a live lot and see each other's bids without reloading."""

from __future__ import annotations

import pytest

from techbridge.testing.browser import two_bidders_bid_live
from techbridge.testing.factories.auctions import make_lot, make_session, paid


@pytest.mark.browser
def test_two_bidders_see_each_others_bids_live(live_browser, _chromium, cast):
    session = make_session(cast)
    lot = make_lot(cast, session)
    paid(cast.buyer, session, cast)
    paid(cast.broker, session, cast)

    two_bidders_bid_live(live_browser, _chromium, lot, cast.buyer, cast.broker)
