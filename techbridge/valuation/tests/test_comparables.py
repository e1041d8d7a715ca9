"""Comparables from the platform's registered contracts and sold lots; requests from a negotiation room."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.auctions import AuctionSessionFactory, LotFactory, RegistrationFactory
from techbridge.testing.factories.contracts import ContractFactory
from techbridge.testing.factories.deals import RoomFactory
from techbridge.testing.factories.valuation import ASSUMPTIONS
from techbridge.valuation import comparables, services
from techbridge.valuation.models import ValuationRequest

pytestmark = pytest.mark.django_db


def _contract(cast, achievement, amount, *, status="registered"):
    """A contract of 示范大学 with 示范企业 about ``achievement``: registered with ``amount`` certified
    as technology, or only signed."""
    if status == "registered":
        state = {"status": status, "technology_amount": amount}
    else:
        state = {
            "status": status,
            "registered_at": None,
            "registration_number": "",
            "technology_amount": None,
        }
    return ContractFactory(
        title=f"{achievement.title}技术转让合同",
        seller=cast.university,
        buyer=cast.enterprise,
        achievement=achievement,
        total_amount=amount + D(50_000),
        **state,
    )


def _sold_lot(cast, achievement, amount):
    """A lot of ``achievement`` the buyer won two days ago at ``amount``."""
    two_days_ago = timezone.now() - timedelta(days=2)
    session = AuctionSessionFactory(title="专利拍卖会", starts_at=two_days_ago - timedelta(days=1))
    return LotFactory(
        session=session,
        achievement=achievement,
        title=achievement.title,
        starts_at=session.starts_at,
        scheduled_end_at=two_days_ago,
        status="sold",
        hammer_price=amount,
        winner=RegistrationFactory(session=session, user=cast.buyer),
        closed_at=two_days_ago,
    )


def test_registered_contracts_and_sold_lots_are_comparables(cast, achievement):
    similar = [make_achievement(cast, chip=True, title=f"低功耗集成电路时钟芯片{i}") for i in range(3)]
    unrelated = make_achievement(
        cast, title="污水处理污泥减量工艺", summary="污泥减量", keywords="污泥", fields=("environment",)
    )
    _contract(cast, similar[0], D(900_000))
    _contract(cast, similar[1], D(1_100_000))
    _contract(cast, similar[2], D(5_000_000), status="signed")  # not registered: not a comparable
    _contract(cast, unrelated, D(9_000_000))
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
    room = RoomFactory(achievement=achievement, buyer=cast.enterprise)
    req = services.create_request(achievement, actor=cast.buyer, data=ASSUMPTIONS, room_id=room.pk)
    assert (req.requester_kind, req.counterparty_org, req.room_id) == ("buyer", cast.university, room.pk)
    names = [e.user.username for e in services.eligible_experts(req)]
    assert "expert_e_buyer" not in names and "expert_e_owner" not in names
    other = make_achievement(cast, chip=True, title="另一成果")
    with pytest.raises(ValidationError):
        services.create_request(other, actor=cast.buyer, data=ASSUMPTIONS, room_id=room.pk)
    with pytest.raises(PermissionDenied):
        services.create_request(achievement, actor=cast.broker, data=ASSUMPTIONS, room_id=room.pk)
    assert ValuationRequest.objects.count() == 1
