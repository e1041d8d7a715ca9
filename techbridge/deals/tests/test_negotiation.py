"""Negotiation: messages, the NDA step, offers and counter-offers, brokers, disputes, visibility."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.achievements.permissions import can_see_detail
from techbridge.contracts.models import Contract
from techbridge.core.audit import history
from techbridge.core.models import Notification
from techbridge.core.workflow import TransitionError
from techbridge.deals import permissions, services
from techbridge.deals.models import Offer
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.django_db

OFFER = {"deal_mode": "assignment", "price": "800000", "payment_terms": "lump_sum", "exclusivity": ""}


@pytest.fixture
def room(cast, achievement):
    return services.open_room(actor=cast.buyer, achievement=achievement)


def test_message_notifies_the_other_side_and_keeps_its_attachment(cast, room):
    upload = SimpleUploadedFile("需求说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    msg = services.post_message(room, actor=cast.buyer, body="请问工艺是否可放大？", attachment=upload)
    assert msg.attachment_name == "需求说明.pdf"
    assert Notification.objects.filter(recipient=cast.researcher, kind="deal_message").exists()


def test_empty_message_and_forbidden_file_type_are_refused(cast, room):
    with pytest.raises(ValidationError):
        services.post_message(room, actor=cast.buyer, body="  ")
    with pytest.raises(ValidationError):
        services.post_message(room, actor=cast.buyer, body="x", attachment=SimpleUploadedFile("a.exe", b"MZ"))


def test_outsiders_cannot_read_or_write_a_room(cast, room):
    for user in (cast.broker, cast.outsider, cast.reviewer, cast.official):
        assert not permissions.can_read(user, room)
        with pytest.raises(PermissionDenied):
            services.post_message(room, actor=user, body="hello")


def test_nda_unlocks_the_detail_only_after_both_sides_accept(cast, room, achievement):
    services.accept_room_nda(room, actor=cast.buyer)
    assert not room.nda_complete
    assert not can_see_detail(cast.buyer, achievement)
    services.accept_room_nda(room, actor=cast.researcher)
    assert room.nda_complete
    assert can_see_detail(cast.buyer, achievement)
    with pytest.raises(TransitionError):
        services.accept_room_nda(room, actor=cast.univ_admin)
    assert [e.action for e in history(room)][:2] == ["deals.room.nda_accepted", "deals.room.nda_accepted"]


def test_counter_offer_supersedes_the_open_offer(cast, room):
    first = services.make_offer(room, actor=cast.buyer, data=OFFER)
    counter = services.make_offer(
        room,
        actor=cast.researcher,
        data={
            **OFFER,
            "price": "1200000",
            "payment_terms": "entry_fee_royalty",
            "entry_fee": "300000",
            "royalty_rate": "3.5",
        },
    )
    first.refresh_from_db()
    assert first.status == "superseded"
    assert counter.replaces == first and counter.status == "open"
    assert counter.royalty_rate == Decimal("3.5")


@pytest.mark.parametrize(
    "data",
    [
        {**OFFER, "price": "-1"},
        {**OFFER, "price": "abc"},
        {**OFFER, "deal_mode": "barter"},
        {**OFFER, "payment_terms": "royalty"},
        {**OFFER, "payment_terms": "entry_fee_royalty", "royalty_rate": "2"},
        {**OFFER, "payment_terms": "equity", "equity_share": "120"},
        {**OFFER, "payment_terms": "instalments"},
    ],
)
def test_bad_offers_are_refused(cast, room, data):
    with pytest.raises(ValidationError):
        services.make_offer(room, actor=cast.buyer, data=data)
    assert not Offer.objects.exists()


def test_a_side_cannot_accept_its_own_offer(cast, room):
    offer = services.make_offer(room, actor=cast.buyer, data=OFFER)
    with pytest.raises(PermissionDenied):
        services.accept_offer(offer, actor=cast.buyer)


def test_accepting_an_offer_creates_the_draft_contract(cast, room, achievement):
    offer = services.make_offer(
        room,
        actor=cast.buyer,
        data={
            **OFFER,
            "deal_mode": "license-exclusive",
            "payment_terms": "royalty",
            "royalty_rate": "5",
            "duration_months": 36,
            "territory": "中国大陆",
            "exclusivity": "exclusive",
        },
    )
    services.accept_offer(offer, actor=cast.researcher)
    room.refresh_from_db()
    assert room.status == "agreed"
    contract = Contract.objects.get()
    assert offer.contract == contract
    assert (contract.seller, contract.buyer, contract.achievement) == (
        cast.university,
        cast.enterprise,
        achievement,
    )
    assert contract.total_amount == Decimal("800000.00")
    assert (contract.contract_type, contract.deal_mode, contract.royalty_rate) == (
        "license",
        "license-exclusive",
        Decimal("5"),
    )
    assert (contract.duration_months, contract.territory, contract.exclusivity) == (
        36,
        "中国大陆",
        "exclusive",
    )
    assert contract.origin_ref == f"offer:{offer.pk}"
    assert history(offer).first().action == "deals.offer.accepted"


def test_failed_contract_creation_leaves_the_offer_open(cast, room, monkeypatch):
    offer = services.make_offer(room, actor=cast.buyer, data=OFFER)
    from techbridge.contracts import services as contract_services

    def boom(**kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr(contract_services, "create_draft_contract", boom)
    with pytest.raises(ValidationError):
        services.accept_offer(offer, actor=cast.researcher)
    offer.refresh_from_db()
    room.refresh_from_db()
    assert (offer.status, room.status) == ("open", "open")


def test_declined_offer_keeps_negotiation_open(cast, room):
    offer = services.make_offer(room, actor=cast.buyer, data=OFFER)
    services.decline_offer(offer, actor=cast.researcher, reason="价格偏低")
    assert offer.status == "declined"
    room.refresh_from_db()
    assert room.status == "open"


def test_invited_broker_participates_but_cannot_make_offers(cast, room):
    services.invite_broker(room, actor=cast.buyer, broker=cast.broker)
    assert permissions.can_read(cast.broker, room)
    services.post_message(room, actor=cast.broker, body="建议分期付款")
    with pytest.raises(PermissionDenied):
        services.make_offer(room, actor=cast.broker, data=OFFER)
    with pytest.raises(ValidationError):
        services.invite_broker(room, actor=cast.buyer, broker=cast.outsider)


def test_reviewer_reads_a_room_only_while_a_dispute_is_open(cast, room):
    assert not permissions.can_read(cast.reviewer, room)
    dispute = services.raise_dispute(room, actor=cast.buyer, reason="对方未按约定提供样品")
    assert permissions.can_read(cast.reviewer, room)
    assert Notification.objects.filter(recipient=cast.reviewer, kind="deal_dispute").exists()
    with pytest.raises(PermissionDenied):
        services.resolve_dispute(dispute, actor=cast.buyer, resolution="x")
    services.resolve_dispute(dispute, actor=cast.reviewer, resolution="双方同意补充样品")
    assert not permissions.can_read(cast.reviewer, room)
    entry = history(dispute).get()  # the resolution is a move of the dispute's state machine
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        "deals.dispute.resolved",
        "open",
        "resolved",
        cast.reviewer,
    )
    with pytest.raises(TransitionError):
        services.resolve_dispute(dispute, actor=cast.reviewer, resolution="再次处理")


def test_buyer_cannot_read_another_buyers_room(cast, achievement):
    other = UserFactory(username="other_buyer", organization=OrganizationFactory(name="另一家企业"))
    room = services.open_room(actor=other, achievement=achievement)
    assert not permissions.can_read(cast.buyer, room)
    assert permissions.can_read(cast.researcher, room)


def test_closed_room_refuses_offers(cast, room):
    offer = services.make_offer(room, actor=cast.buyer, data=OFFER)
    services.close_room(room, actor=cast.buyer, reason="不再需要")
    offer.refresh_from_db()
    assert offer.status == "withdrawn"  # the open offer goes with the room, audited like any withdrawal
    assert history(offer).first().action == "deals.offer.withdrawn"
    with pytest.raises(TransitionError):
        services.make_offer(room, actor=cast.buyer, data=OFFER)


def test_answering_a_demand_leads_to_a_development_contract(cast):
    from techbridge.testing.factories.demands import make_demand

    demand = make_demand(cast)
    room = services.open_room(actor=cast.researcher, demand=demand)
    offer = services.make_offer(
        room,
        actor=cast.researcher,
        data={
            "deal_mode": "development",
            "price": "450000",
            "payment_terms": "instalments",
            "instalments": 2,
        },
    )
    services.accept_offer(offer, actor=cast.buyer)
    contract = Contract.objects.get()
    assert (contract.seller, contract.buyer, contract.achievement) == (cast.university, cast.enterprise, None)
    assert (contract.contract_type, contract.sub_type) == ("development", "commissioned")
    assert contract.title == demand.title


def test_an_agreed_room_is_returned_instead_of_a_second_one(cast, room, achievement):
    offer = services.make_offer(room, actor=cast.buyer, data=OFFER)
    services.accept_offer(offer, actor=cast.researcher)
    assert services.open_room(actor=cast.buyer, achievement=achievement) == room


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ({"payment_terms": "lump_sum"}, [Decimal("800000.00")]),
        (
            {"payment_terms": "instalments", "instalments": 3},
            [Decimal("266666.67"), Decimal("266666.67"), Decimal("266666.66")],
        ),
        (
            {"payment_terms": "entry_fee_royalty", "entry_fee": "200000", "royalty_rate": "3"},
            [Decimal("200000.00"), None],
        ),
        ({"payment_terms": "equity", "equity_share": "15"}, [None]),
    ],
)
def test_accepted_offer_terms_become_the_payment_schedule(cast, room, terms, expected):
    offer = services.make_offer(room, actor=cast.buyer, data={**OFFER, **terms})
    services.accept_offer(offer, actor=cast.researcher)
    amounts = [i.amount for i in Contract.objects.get().instalments.order_by("id")]
    assert amounts == expected


def test_a_burst_of_messages_notifies_each_reader_once(cast, room):
    for i in range(5):
        services.post_message(room, actor=cast.buyer, body=f"第{i}条")
    assert Notification.objects.filter(recipient=cast.researcher, kind="deal_message").count() == 1


def test_an_agreed_negotiation_can_be_reopened_by_a_side(cast, room):
    offer = services.make_offer(room, actor=cast.buyer, data=OFFER)
    services.accept_offer(offer, actor=cast.researcher)
    with pytest.raises(PermissionDenied):
        services.reopen_room(room, actor=cast.broker)
    services.reopen_room(room, actor=cast.buyer, reason="合同未能签署")
    assert room.status == "open"
    services.make_offer(room, actor=cast.buyer, data={**OFFER, "price": "700000"})
    assert room.messages.filter(event="reopened").exists()
    with pytest.raises(TransitionError):
        services.reopen_room(room, actor=cast.buyer)
