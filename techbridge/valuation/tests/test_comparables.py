"""Comparables from the platform's registered contracts and sold lots; requests from a negotiation room."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.valuation import comparables, services
from techbridge.valuation.models import ValuationRequest

from .conftest import ASSUMPTIONS, make_achievement

pytestmark = pytest.mark.django_db


def _contract(cast, achievement, n, amount, *, status="registered", mode="assignment"):
    from techbridge.contracts.models import Contract

    now = timezone.now()
    return Contract.objects.create(
        number=f"TB-TEST-{n}",
        title=f"{achievement.title}技术转让合同",
        contract_type="transfer",
        seller=cast.university,
        buyer=cast.enterprise,
        achievement=achievement,
        deal_mode=mode,
        total_amount=amount + D(50_000),
        technology_amount=amount if status == "registered" else None,
        status=status,
        signed_at=now - timedelta(days=40),
        registered_at=now - timedelta(days=10) if status == "registered" else None,
        registration_number=f"32010{n}" if status == "registered" else "",
    )


def _sold_lot(cast, achievement, amount):
    from techbridge.auctions.models import AuctionSession, Lot, Registration

    now = timezone.now()
    session = AuctionSession.objects.create(title="专利拍卖会", starts_at=now - timedelta(days=3))
    reg = Registration.objects.create(
        session=session, user=cast.buyer, organization=cast.enterprise, number=1
    )
    return Lot.objects.create(
        session=session,
        title=achievement.title,
        achievement=achievement,
        seller=cast.university,
        sale_kind="assignment",
        starting_price=D(100_000),
        starts_at=now - timedelta(days=3),
        scheduled_end_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2),
        status="sold",
        hammer_price=amount,
        winner=reg,
        closed_at=now - timedelta(days=2),
    )


def test_registered_contracts_and_sold_lots_are_comparables(cast, achievement):
    similar = [make_achievement(cast, title=f"低功耗集成电路时钟芯片{i}") for i in range(3)]
    unrelated = make_achievement(
        cast, title="污水处理污泥减量工艺", summary="污泥减量", keywords="污泥", fields=("environment",)
    )
    _contract(cast, similar[0], 1, D(900_000))
    _contract(cast, similar[1], 2, D(1_100_000))
    _contract(cast, similar[2], 3, D(5_000_000), status="signed")  # not registered: not a comparable
    _contract(cast, unrelated, 4, D(9_000_000))
    _sold_lot(cast, similar[2], D(1_000_000))
    found = comparables.find_comparables(achievement, subject_mode="assignment")
    refs = {c.source for c in found}
    assert refs == {"contract", "lot"}
    amounts = sorted(c.amount for c in found)
    assert amounts == [D(900_000), D(1_000_000), D(1_100_000)]  # certified amounts, hammer price
    assert all(c.similarity >= comparables.MIN_SIMILARITY for c in found)
    rec = services.preview(services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS))
    assert rec["market"]["ok"] and rec["market"]["point"] == "1000000.00"


def test_similarity_blends_text_fields_and_mode(cast, achievement):
    subject_tf = comparables._tf(comparables._achievement_text(achievement))
    near = comparables.Comparable(
        "contract", "c:1", "x", D(1), timezone.localdate(), ("ic",), "assignment", "", text=achievement.title
    )
    s, text = comparables.similarity(subject_tf, {"ic"}, "assignment", near)
    # 0.6 × cos + 0.25 × 1 + 0.15 × 1
    assert s == (D("0.6") * text + D("0.40")).quantize(D("0.0001"))
    far = comparables.Comparable(
        "contract", "c:2", "x", D(1), timezone.localdate(), ("environment",), "service", "", text="污泥"
    )
    assert comparables.similarity(subject_tf, {"ic"}, "assignment", far)[0] == D(0)


def test_buyer_requests_from_a_negotiation_room_and_panel_avoids_both_sides(cast, achievement, experts):
    from techbridge.deals.models import Room

    room = Room.objects.create(
        subject_key=f"achievement:{achievement.pk}",
        achievement=achievement,
        title=achievement.title,
        seller=cast.university,
        buyer=cast.enterprise,
    )
    req = services.create_request(achievement, actor=cast.buyer, data=ASSUMPTIONS, room_id=room.pk)
    assert (req.requester_kind, req.counterparty_org, req.room_id) == ("buyer", cast.university, room.pk)
    names = [e.user.username for e in services.eligible_experts(req)]
    assert "expert_e_buyer" not in names and "expert_e_owner" not in names
    other = make_achievement(cast, title="另一成果")
    with pytest.raises(ValidationError):
        services.create_request(other, actor=cast.buyer, data=ASSUMPTIONS, room_id=room.pk)
    with pytest.raises(PermissionDenied):
        services.create_request(achievement, actor=cast.broker, data=ASSUMPTIONS, room_id=room.pk)
    assert ValuationRequest.objects.count() == 1
