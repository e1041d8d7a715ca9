"""After the event: attendance, and the negotiations, contracts and bids it started, from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.auctions import services as auction_services
from techbridge.auctions.choices import LotFormat, LotStatus, SaleKind, SessionStatus
from techbridge.auctions.models import AuctionSession, Lot
from techbridge.deals import services as deal_services
from techbridge.deals.models import Room
from techbridge.events import figures, services
from techbridge.testing.factories import AchievementFactory, publish
from techbridge.testing.factories.events import register_all

pytestmark = pytest.mark.django_db


def test_an_event_runs_from_publication_to_its_figures(client, cast, running):
    achievement = AchievementFactory(owner=cast.university, created_by=cast.researcher)
    publish(achievement)
    unrelated = AchievementFactory(owner=cast.university, created_by=cast.researcher)
    publish(unrelated)
    running.achievements.add(achievement)
    now = timezone.now()
    session = AuctionSession.objects.create(
        title="路演专场",
        starts_at=now,
        status=SessionStatus.PUBLISHED,
        deposit_amount=0,
        created_by=cast.operator,
    )
    lot = Lot.objects.create(
        session=session,
        seller=cast.university,
        achievement=achievement,
        title="隔膜专利",
        sale_kind=SaleKind.ASSIGNMENT,
        format=LotFormat.ENGLISH,
        starting_price=Decimal("100000"),
        starts_at=now - dt.timedelta(minutes=5),
        scheduled_end_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        status=LotStatus.LISTED,
    )
    running.lots.add(lot)

    buyer_seat, _broker_seat, stranger_seat = register_all(running, cast.buyer, cast.broker, cast.stranger)
    for reg in (buyer_seat, stranger_seat):
        services.check_in(running, actor=cast.operator, text=reg.code)

    # The enterprise that came opens a negotiation on the presented achievement, and on another one.
    deal_services.open_room(actor=cast.buyer, achievement=achievement)
    deal_services.open_room(actor=cast.buyer, achievement=unrelated)
    # Someone who did not come opens one on the presented achievement: not counted.
    deal_services.open_room(actor=cast.broker, achievement=achievement)
    auction_services.register_bidder(actor=cast.buyer, session=session)
    auction_services.place_bid(actor=cast.buyer, lot_id=lot.pk, amount="100000", nonce="event-fig-1")

    data = figures.figures(running)
    attendance, started = data["attendance"], data["started"]
    assert (attendance["confirmed"], attendance["checked_in"], attendance["rate"]) == (3, 2, Decimal("66.7"))
    assert {r["label"] for r in attendance["by_district"]} == {"江宁", "栖霞"} or len(
        attendance["by_district"]
    ) == 2
    assert started["rooms"] == 1 and started["rooms_from_listings"] == 1
    assert Room.objects.count() == 3
    assert started["bids"] == 1 and started["bidders"] == 1 and started["lots"] == 1
    assert started["contracts"] == 0

    client.force_login(cast.official)
    page = client.get(reverse("events_console:figures", args=[running.pk])).content.decode()
    assert 'data-figure="rooms"' in page and "66.7%" in page
    api = client.get(f"/api/v1/events/{running.pk}/figures/").json()
    assert api["started"]["rooms"] == 1 and api["attendance"]["checked_in"] == 2
