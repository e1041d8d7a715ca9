"""Fixtures of the auctions tests: a published achievement of 示范大学 on sale in a published session,
with the enterprise buyer and the broker registered and their deposits paid. Sessions, lots and bids
come from ``techbridge.testing.factories.auctions``."""

from __future__ import annotations

import pytest

from techbridge.testing.factories.auctions import make_lot, make_session, paid


@pytest.fixture
def session(cast):
    return make_session(cast)


@pytest.fixture
def lot(cast, session):
    return make_lot(cast, session)


@pytest.fixture
def bidders(cast, session):
    """(buyer's registration, broker's registration), deposits paid."""
    return paid(cast.buyer, session, cast), paid(cast.broker, session, cast)
