"""Innovation vouchers: rules as data, applications, quotas within budget and cap, claims, settlement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.core.workflow import TransitionError
from techbridge.instruments import permissions
from techbridge.instruments.models import Invoice, Voucher, VoucherProgramme, VoucherRedemption
from techbridge.instruments.services import booking as booking_services
from techbridge.instruments.services import usage as usage_services
from techbridge.instruments.services import vouchers as services
from techbridge.organizations.models import Organization
from techbridge.testing.factories.instruments import approved_voucher, future_slot, make_programme

pytestmark = pytest.mark.django_db


def apply(cast, programme, amount="30000", user=None):
    return services.apply_for_voucher(
        actor=user or cast.buyer,
        programme=programme,
        purpose="委托高校检测新材料性能",
        requested_amount=amount,
    )


def test_a_programme_is_created_as_a_draft_with_its_rules_checked(cast):
    today = timezone.localdate()
    data = {
        "name": "中小企业创新券",
        "year": today.year,
        "issuer": "南京市科学技术局",
        "budget": Decimal("2000000"),
        "share": Decimal("0.3"),
        "cap_per_enterprise": Decimal("100000"),
        "eligible_kinds": ["enterprise"],
        "applications_open": today,
        "applications_close": today + dt.timedelta(days=90),
        "valid_until": today + dt.timedelta(days=365),
    }
    with pytest.raises(PermissionDenied):
        services.create_programme(actor=cast.reviewer, data=data)
    with pytest.raises(ValidationError):
        services.create_programme(
            actor=cast.operator, data={**data, "cap_per_enterprise": Decimal("3000000")}
        )
    with pytest.raises(ValidationError):
        services.create_programme(actor=cast.operator, data={**data, "share": Decimal("1.5")})
    programme = services.create_programme(actor=cast.operator, data=data)
    assert programme.status == "draft"
    services.open_programme(programme, actor=cast.operator)
    with pytest.raises(ValidationError, match="only its dates"):
        services.update_programme(programme, actor=cast.operator, data={"share": Decimal("0.5")})
    services.update_programme(
        programme, actor=cast.operator, data={"applications_close": today + dt.timedelta(days=100)}
    )


def test_who_may_apply_is_decided_by_the_programmes_rules(cast, programme):
    assert permissions.voucher_refusal(cast.buyer, programme) is None
    assert "open to" in permissions.voucher_refusal(cast.researcher, programme)
    assert "organisation" in permissions.voucher_refusal(cast.outsider, programme)
    Organization.objects.filter(pk=cast.enterprise.pk).update(district="outside")
    cast.buyer.refresh_from_db()
    assert "Nanjing" in permissions.voucher_refusal(cast.buyer, programme)
    closed = make_programme(name="已截止", applications_close=timezone.localdate() - dt.timedelta(days=1))
    assert "from" in permissions.voucher_refusal(cast.researcher, closed)
    with pytest.raises(PermissionDenied):
        apply(cast, programme, user=cast.researcher)


def test_an_application_above_the_cap_is_refused_and_one_live_voucher_per_enterprise(cast, programme):
    with pytest.raises(ValidationError, match="at most"):
        apply(cast, programme, amount="60000")
    voucher = apply(cast, programme)
    assert voucher.status == "applied" and voucher.number.startswith(f"CXQ{programme.year}")
    with pytest.raises(ValidationError, match="already has"):
        apply(cast, programme)
    services.withdraw_voucher(voucher, actor=cast.buyer)
    assert apply(cast, programme).status == "applied"  # a withdrawn application may be made again


def test_staff_approve_a_quota_within_the_request_the_cap_and_the_budget(cast, programme):
    voucher = apply(cast, programme, amount="30000")
    with pytest.raises(PermissionDenied):
        services.approve_voucher(voucher, actor=cast.official, quota="20000")
    with pytest.raises(ValidationError, match="requested"):
        services.approve_voucher(voucher, actor=cast.reviewer, quota="40000")
    VoucherProgramme.objects.filter(pk=programme.pk).update(allocated=Decimal("990000"))
    with pytest.raises(ValidationError, match="left"):
        services.approve_voucher(voucher, actor=cast.reviewer, quota="20000")
    services.approve_voucher(voucher, actor=cast.reviewer, quota="10000")
    voucher.refresh_from_db()
    programme.refresh_from_db()
    assert (
        voucher.status == "approved"
        and voucher.quota == Decimal("10000")
        and voucher.decided_by == cast.reviewer
    )
    assert programme.allocated == Decimal("1000000") and programme.remaining == 0
    assert AuditEntry.objects.filter(
        action="instruments.voucher.approved", object_id=str(voucher.pk)
    ).exists()


def test_rejection_needs_a_reason_and_only_the_applicant_withdraws(cast, programme):
    voucher = apply(cast, programme)
    with pytest.raises(ValidationError):
        services.reject_voucher(voucher, actor=cast.reviewer, reason=" ")
    with pytest.raises(PermissionDenied):
        services.withdraw_voucher(voucher, actor=cast.stranger)
    services.reject_voucher(voucher, actor=cast.reviewer, reason="申报材料不全")
    assert Voucher.objects.get(pk=voucher.pk).reason == "申报材料不全"
    with pytest.raises(TransitionError):
        services.withdraw_voucher(voucher, actor=cast.buyer)


def test_the_provider_claims_and_staff_settle_or_return_the_claim(
    cast, instrument, programme, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer)
    start, end = future_slot()
    booking = booking_services.request_booking(
        actor=cast.buyer, instrument=instrument, starts_at=start, ends_at=end, purpose="检测", voucher=voucher
    )
    booking_services.approve_booking(booking, actor=cast.researcher)
    usage_services.record_usage(booking, actor=cast.researcher, hours="1", now=end)
    redemption = VoucherRedemption.objects.get(invoice=Invoice.objects.get(booking=booking))
    with pytest.raises(PermissionDenied):
        services.claim_redemption(redemption, actor=cast.buyer)
    with pytest.raises(PermissionDenied):
        services.claim_redemption(redemption, actor=cast.stranger)
    services.claim_redemption(redemption, actor=cast.researcher)  # the instrument's person in charge
    with pytest.raises(ValidationError):
        services.return_claim(redemption, actor=cast.reviewer, reason="")
    services.return_claim(redemption, actor=cast.reviewer, reason="缺少使用记录签字")
    assert VoucherRedemption.objects.get(pk=redemption.pk).status == "redeemed"
    services.claim_redemption(redemption, actor=cast.univ_admin)
    with pytest.raises(PermissionDenied):
        services.settle_redemption(redemption, actor=cast.official, reference="x")
    services.settle_redemption(redemption, actor=cast.operator, reference="财政支付 2026-0815")
    redemption.refresh_from_db()
    assert redemption.status == "settled" and redemption.settled_by == cast.operator
    actions = list(
        AuditEntry.objects.filter(object_id=str(redemption.pk), action__startswith="instruments.voucher.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "instruments.voucher.redeemed",
        "instruments.voucher.claimed",
        "instruments.voucher.claim_returned",
        "instruments.voucher.claimed",
        "instruments.voucher.settled",
    ]


def test_vouchers_expire_when_their_programme_ends(cast, programme):
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer)
    assert services.expire_vouchers(programme.valid_until) == 0
    assert services.expire_vouchers(programme.valid_until + dt.timedelta(days=1)) == 1
    assert Voucher.objects.get(pk=voucher.pk).status == "expired"
