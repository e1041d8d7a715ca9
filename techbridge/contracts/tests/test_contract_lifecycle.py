"""Signing, freezing, amendments, payments and registration of technology contracts, per role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.contracts import services
from techbridge.contracts.choices import ContractStatus
from techbridge.contracts.models import Contract
from techbridge.core.audit import history
from techbridge.core.models import Notification
from techbridge.core.roles import Role
from techbridge.core.workflow import TransitionError
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.contracts import make_signed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast, achievement):
    return services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="锂电池隔膜技术转让合同",
        amount=Decimal("1000000"),
        achievement=achievement,
        deal_mode="assignment",
    )


def test_both_signatures_make_the_contract_signed_with_user_and_time(cast, draft):
    services.sign_contract(draft, actor=cast.researcher)
    draft.refresh_from_db()
    assert draft.status == "draft"
    services.sign_contract(draft, actor=cast.buyer)
    draft.refresh_from_db()
    assert draft.status == "signed" and draft.signed_at is not None
    sides = {s.side: s.user for s in draft.signatures.all()}
    assert sides == {"seller": cast.researcher, "buyer": cast.buyer}
    actions = [e.action for e in history(draft)]
    assert actions.count("contracts.contract.party_signed") == 2 and "contracts.contract.signed" in actions


@pytest.mark.parametrize("who", ["reviewer", "operator", "official", "broker", "outsider"])
def test_non_parties_cannot_sign(cast, draft, who):
    with pytest.raises(PermissionDenied):
        services.sign_contract(draft, actor=getattr(cast, who))


def test_a_side_signs_only_once(cast, draft):
    services.sign_contract(draft, actor=cast.researcher)
    with pytest.raises(TransitionError):
        services.sign_contract(draft, actor=cast.univ_admin)


def test_editing_a_draft_voids_earlier_signatures(cast, draft):
    services.sign_contract(draft, actor=cast.researcher)
    services.update_draft(draft, actor=cast.buyer, data={"total_amount": Decimal("900000")})
    assert not draft.signatures.exists()


def test_signed_contract_cannot_be_edited_only_amended(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    with pytest.raises(TransitionError):
        services.update_draft(contract, actor=cast.buyer, data={"total_amount": Decimal("1")})
    amendment = services.amend_contract(contract, actor=cast.buyer)
    assert (amendment.version, amendment.previous, amendment.status) == (2, contract, "draft")
    services.update_draft(amendment, actor=cast.buyer, data={"total_amount": Decimal("1100000")})
    services.sign_contract(amendment, actor=cast.researcher)
    services.sign_contract(amendment, actor=cast.buyer)
    contract.refresh_from_db()
    assert contract.status == "superseded"
    with pytest.raises(TransitionError):
        services.amend_contract(contract, actor=cast.buyer)


def test_non_technical_parts_cannot_exceed_the_amount(cast, draft):
    with pytest.raises(ValidationError):
        services.update_draft(draft, actor=cast.buyer, data={"equipment_amount": Decimal("2000000")})
    draft.refresh_from_db()
    assert draft.equipment_amount == 0


def test_schedule_over_the_amount_is_refused_and_nothing_is_written(cast, draft):
    services.set_schedule(draft, actor=cast.buyer, items=[{"description": "首付", "amount": "300000"}])
    with pytest.raises(ValidationError):
        services.set_schedule(
            draft,
            actor=cast.buyer,
            items=[{"description": "首付", "amount": "900000"}, {"description": "尾款", "amount": "900000"}],
        )
    assert [i.description for i in draft.instalments.all()] == ["首付"]


def test_payments_are_recorded_against_signed_contracts(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.record_payment(
        contract, actor=cast.buyer, paid_on=timezone.localdate(), amount="300000", note="首付款"
    )
    assert contract.payments.get().amount == Decimal("300000.00")
    with pytest.raises(ValidationError):
        services.record_payment(contract, actor=cast.buyer, paid_on=timezone.localdate(), amount="0")
    with pytest.raises(PermissionDenied):
        services.record_payment(contract, actor=cast.broker, paid_on=timezone.localdate(), amount="1")


def test_only_the_seller_side_submits_for_registration(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    with pytest.raises(PermissionDenied):
        services.submit_for_registration(contract, actor=cast.buyer)
    services.submit_for_registration(contract, actor=cast.univ_admin)
    assert contract.status == "submitted" and contract.submitted_at is not None


def test_officer_registers_with_certified_technology_amount(cast, achievement):
    contract = make_signed_contract(
        cast, achievement, equipment_amount=Decimal("150000"), materials_amount=Decimal("50000")
    )
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.REGISTERED
    assert contract.technology_amount == Decimal("800000.00")
    assert contract.registration_number.startswith(f"{timezone.localdate().year}3201")
    assert contract.registered_by == cast.reviewer and contract.rules_version == "CN-2001"
    assert Notification.objects.filter(recipient=cast.researcher, kind="contract").exists()
    entry = history(contract).first()
    assert (entry.action, entry.actor, entry.to_state) == (
        "contracts.contract.registered",
        cast.reviewer,
        "registered",
    )


def test_registration_numbers_are_sequential(cast, achievement):
    numbers = []
    for _ in range(2):
        c = make_signed_contract(cast, achievement)
        services.submit_for_registration(c, actor=cast.researcher)
        services.register_contract(c, actor=cast.operator)
        numbers.append(Contract.objects.get(pk=c.pk).registration_number)
    assert int(numbers[1]) == int(numbers[0]) + 1


def test_officer_may_reclassify_but_not_certify_more_than_the_total(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    with pytest.raises(ValidationError):
        services.register_contract(contract, actor=cast.reviewer, technology_amount="2000000")
    with pytest.raises(ValidationError):
        services.register_contract(
            contract, actor=cast.reviewer, contract_type="service", sub_type="patent_right"
        )
    services.register_contract(
        contract,
        actor=cast.reviewer,
        contract_type="license",
        sub_type="patent_license",
        technology_amount="700000",
    )
    contract.refresh_from_db()
    assert (contract.contract_type, contract.sub_type, contract.technology_amount) == (
        "license",
        "patent_license",
        Decimal("700000.00"),
    )


@pytest.mark.parametrize("who", ["official", "researcher", "buyer", "broker"])
def test_only_registry_officers_register(cast, achievement, who):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    with pytest.raises(PermissionDenied):
        services.register_contract(contract, actor=getattr(cast, who))


def test_seller_cannot_register_its_own_contract_even_as_staff(cast, achievement):
    """An officer whose organisation is the seller is a party, not a registrar."""
    staff_at_university = UserFactory(organization=cast.university, role=Role.REVIEWER)
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    with pytest.raises(PermissionDenied):
        services.register_contract(contract, actor=staff_at_university)


def test_rejection_needs_a_reason_and_the_seller_sees_it_and_may_resubmit(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    with pytest.raises(ValidationError):
        services.reject_registration(contract, actor=cast.reviewer, reason=" ")
    services.reject_registration(contract, actor=cast.reviewer, reason="合同缺少技术指标附件")
    contract.refresh_from_db()
    assert (contract.status, contract.reject_reason) == ("rejected", "合同缺少技术指标附件")
    assert Notification.objects.filter(recipient=cast.researcher, body="合同缺少技术指标附件").exists()
    services.submit_for_registration(contract, actor=cast.researcher)
    assert contract.status == "submitted" and contract.reject_reason == ""


def test_submission_older_than_30_days_is_overdue(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    assert not contract.is_overdue
    Contract.objects.filter(pk=contract.pk).update(submitted_at=timezone.now() - timedelta(days=31))
    contract.refresh_from_db()
    assert contract.is_overdue
    # A late decision is flagged, not refused.
    services.register_contract(contract, actor=cast.reviewer)


def test_unsigned_contract_cannot_be_submitted(cast, achievement):
    contract = services.create_draft_contract(
        actor=cast.buyer, seller=cast.university, buyer=cast.enterprise, title="x", amount=Decimal("1")
    )
    with pytest.raises(TransitionError):
        services.submit_for_registration(contract, actor=cast.researcher)


def test_external_contract_is_entered_signed_and_can_be_registered(cast):
    contract = services.enter_external_contract(
        actor=cast.researcher,
        data={
            "seller": cast.university,
            "buyer": cast.enterprise,
            "title": "线下签订的技术服务合同",
            "contract_type": "service",
            "sub_type": "service",
            "total_amount": Decimal("200000"),
        },
        signed_on=timezone.localdate() - timedelta(days=10),
    )
    assert (contract.status, contract.origin, contract.sub_type) == ("signed", "external", "service")
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer)
    with pytest.raises(PermissionDenied):
        services.enter_external_contract(
            actor=cast.buyer,
            data={
                "seller": cast.university,
                "buyer": cast.enterprise,
                "title": "x",
                "total_amount": Decimal("1"),
            },
            signed_on=timezone.localdate(),
        )


def test_overdue_reminder_goes_once_to_officers_and_seller(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    assert services.remind_overdue_registrations() == 0
    Contract.objects.filter(pk=contract.pk).update(submitted_at=timezone.now() - timedelta(days=31))
    assert services.remind_overdue_registrations() > 0
    assert services.remind_overdue_registrations() == 0
    kinds = Notification.objects.filter(kind="contract_overdue")
    assert {n.recipient for n in kinds} >= {cast.reviewer, cast.operator, cast.researcher, cast.univ_admin}
    assert not kinds.filter(recipient=cast.buyer).exists()


def test_outside_contract_is_entered_through_the_api(as_user, cast):
    client = as_user(cast.researcher)
    body = {
        "title": "线下技术咨询合同",
        "contract_type": "consulting",
        "buyer_credit_code": cast.enterprise.credit_code,
        "total_amount": "80000",
        "signed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }
    resp = client.post("/api/v1/contracts/", body, format="json")
    assert resp.status_code == 201, resp.json()
    assert (resp.json()["status"], resp.json()["seller"], resp.json()["sub_type"]) == (
        "signed",
        cast.university.pk,
        "consulting",
    )
    resp = client.post(
        "/api/v1/contracts/", {**body, "buyer_credit_code": "91320000MA00000000"}, format="json"
    )
    assert resp.status_code == 400 and resp.json()["message"]
    buyer = as_user(cast.buyer)
    assert (
        buyer.post(
            "/api/v1/contracts/", {**body, "seller_credit_code": cast.university.credit_code}, format="json"
        ).status_code
        == 403
    )


def test_milestones_are_marked_reached_once_under_a_signed_contract(cast, achievement, client):
    from django.urls import reverse

    draft = services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="里程碑合同",
        amount=Decimal("100"),
        deal_mode="consulting",
    )
    services.set_schedule(draft, actor=cast.buyer, items=[{"description": "完成技术交底"}])
    item = draft.instalments.get()
    with pytest.raises(TransitionError):
        services.complete_milestone(item, actor=cast.buyer)
    services.sign_contract(draft, actor=cast.buyer)
    services.sign_contract(draft, actor=cast.researcher)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.complete_milestone(item, actor=cast.reviewer)
    client.force_login(cast.researcher)
    client.post(reverse("contracts:milestone", args=[draft.pk, item.pk]))
    item.refresh_from_db()
    assert item.done_at is not None
    with pytest.raises(TransitionError):
        services.complete_milestone(item, actor=cast.buyer)


def test_registration_rules_are_replaceable_by_setting(cast, achievement, settings):
    settings.CONTRACT_RULES = "techbridge.contracts.tests.stub_rules"
    contract = make_signed_contract(cast, achievement, amount="1000")
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer)
    contract.refresh_from_db()
    assert (contract.technology_amount, contract.rules_version) == (Decimal("500.00"), "TEST-HALF")
    blocked = make_signed_contract(cast, achievement, title="禁止登记的合同")
    services.submit_for_registration(blocked, actor=cast.researcher)
    with pytest.raises(ValidationError):
        services.register_contract(blocked, actor=cast.reviewer)
