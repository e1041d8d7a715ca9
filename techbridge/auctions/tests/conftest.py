"""Fixtures of the auctions tests: a published achievement of 示范大学 on sale in a published session,
with the enterprise buyer and the broker registered and their deposits paid."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from techbridge.auctions import services
from techbridge.auctions.choices import LotFormat, LotStatus, SaleKind, SessionStatus
from techbridge.auctions.models import AuctionSession, Lot
from techbridge.testing.factories import AchievementFactory, publish


def make_session(cast: Any, *, deposit: str = "5000") -> AuctionSession:
    return AuctionSession.objects.create(
        title="2026年高校专利拍卖专场",
        starts_at=timezone.now() - timedelta(hours=1),
        deposit_amount=Decimal(deposit),
        organizer=cast.platform,
        created_by=cast.operator,
        status=SessionStatus.PUBLISHED,
    )


def make_lot(cast: Any, session: AuctionSession, **extra: Any) -> Lot:
    """A listed lot open now (bypasses screening: test set-up only)."""
    if "achievement" not in extra and "package" not in extra:
        achievement = AchievementFactory(owner=cast.university, created_by=cast.researcher)
        publish(achievement)
        extra["achievement"] = achievement
    now = timezone.now()
    end = extra.pop("ends_at", now + timedelta(hours=1))
    values: dict[str, Any] = {
        "title": "锂电池隔膜专利转让",
        "sale_kind": SaleKind.ASSIGNMENT,
        "format": LotFormat.ENGLISH,
        "starting_price": Decimal("100000"),
        "increment": Decimal("1000"),
        "starts_at": now - timedelta(minutes=30),
        "scheduled_end_at": end,
        "ends_at": end,
        "status": LotStatus.LISTED,
        "soft_close_minutes": 5,
        "extension_minutes": 5,
        "extension_cap_minutes": 30,
    }
    values.update(extra)
    seller = values["achievement"].owner if values.get("achievement") else cast.platform
    return Lot.objects.create(session=session, seller=seller, **values)


def paid(user: Any, session: AuctionSession, cast: Any):
    reg = services.register_bidder(actor=user, session=session)
    if reg.deposit_status == "required":
        services.confirm_deposit(actor=cast.operator, registration=reg, reference="BANK-1")
        reg.refresh_from_db()
    return reg


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


_n = [0]


def bid(user: Any, lot: Lot, amount: Any, nonce: str | None = None):
    _n[0] += 1
    return services.place_bid(
        actor=user, lot_id=lot.pk, amount=amount, nonce=nonce or f"test-nonce-{_n[0]:06d}"
    )
