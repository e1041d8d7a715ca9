"""Innovation vouchers: programmes (rules as data), applications, quotas, claims and settlement.

Money cannot be promised twice: approving a quota moves the programme's ``allocated`` by
compare-and-set on its old value (a check constraint keeps it within the budget), and redeeming moves a
voucher's ``spent`` the same way (``billing._redeem``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.accounts.models import User
from techbridge.core import audit
from techbridge.core.roles import Role, is_staff_reviewer
from techbridge.core.workflow import TransitionError, transition

from .. import permissions
from ..choices import ProgrammeStatus, RedemptionStatus, VoucherStatus
from ..models import Voucher, VoucherProgramme, VoucherRedemption
from ..models.common import MAX_AMOUNT
from .common import tell

PROGRAMME_FIELDS = (
    "name",
    "year",
    "issuer",
    "basis",
    "budget",
    "share",
    "cap_per_enterprise",
    "eligible_kinds",
    "nanjing_only",
    "uses",
    "applications_open",
    "applications_close",
    "valid_until",
)
ALLOCATE_ATTEMPTS = 5


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({field: _("Enter an amount above zero.")})
    return amount


# ---- programmes ------------------------------------------------------------------------------------


def create_programme(*, actor: Any, data: Mapping[str, Any]) -> VoucherProgramme:
    """A new programme in draft: operators set its budget and rules, then open it."""
    if not permissions.can_manage_programmes(actor):
        raise PermissionDenied(_("Only platform operators manage voucher programmes."))
    values = {k: v for k, v in data.items() if k in PROGRAMME_FIELDS}
    with transaction.atomic():
        programme = VoucherProgramme(created_by=actor, **values)
        programme.full_clean()
        programme.save()
        audit.record(programme, "instruments.programme.created", actor=actor, to_state=programme.status)
    return programme


def update_programme(programme: VoucherProgramme, *, actor: Any, data: Mapping[str, Any]) -> VoucherProgramme:
    """Change a programme's rules while it is a draft; once open only its dates may move."""
    if not permissions.can_manage_programmes(actor):
        raise PermissionDenied(_("Only platform operators manage voucher programmes."))
    allowed: tuple[str, ...] = PROGRAMME_FIELDS
    if programme.status != ProgrammeStatus.DRAFT:
        allowed = ("applications_close", "valid_until", "basis")
    values = {k: v for k, v in data.items() if k in PROGRAMME_FIELDS}
    frozen = sorted(k for k, v in values.items() if k not in allowed and getattr(programme, k) != v)
    if frozen:
        raise ValidationError(_("An open programme keeps its budget and rules; only its dates can change."))
    with transaction.atomic():
        changed = [k for k, v in values.items() if getattr(programme, k) != v]
        for k in changed:
            setattr(programme, k, values[k])
        programme.updated_at = timezone.now()
        programme.full_clean()
        rows = VoucherProgramme.objects.filter(pk=programme.pk, status=programme.status).update(
            **{k: getattr(programme, k) for k in changed}, updated_at=programme.updated_at
        )
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        audit.record(programme, "instruments.programme.updated", actor=actor, data={"fields": changed})
    return programme


def open_programme(programme: VoucherProgramme, *, actor: Any) -> VoucherProgramme:
    if not permissions.can_manage_programmes(actor):
        raise PermissionDenied(_("Only platform operators manage voucher programmes."))
    transition(programme, ProgrammeStatus.OPEN, actor=actor, action="instruments.programme.opened")
    return programme


def close_programme(programme: VoucherProgramme, *, actor: Any) -> VoucherProgramme:
    """Stop taking applications; approved vouchers stay valid until the programme's end date."""
    if not permissions.can_manage_programmes(actor):
        raise PermissionDenied(_("Only platform operators manage voucher programmes."))
    transition(programme, ProgrammeStatus.CLOSED, actor=actor, action="instruments.programme.closed")
    return programme


# ---- vouchers --------------------------------------------------------------------------------------


def apply_for_voucher(
    *, actor: Any, programme: VoucherProgramme, purpose: str, requested_amount: Any
) -> Voucher:
    """An enterprise applies; the programme's rules decide who may (``permissions.voucher_refusal``)."""
    refusal = permissions.voucher_refusal(actor, programme)
    if refusal:
        raise PermissionDenied(refusal)
    amount = _money(requested_amount, "requested_amount")
    if amount > programme.cap_per_enterprise:
        raise ValidationError(
            {
                "requested_amount": _("This programme grants at most %(cap)s yuan per enterprise.")
                % {"cap": programme.cap_per_enterprise}
            }
        )
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the enterprise will use the voucher for.")})
    voucher = Voucher(
        programme=programme,
        enterprise=actor.organization,
        applied_by=actor,
        purpose=purpose,
        requested_amount=amount,
    )
    voucher.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            voucher.save()
            voucher.number = f"CXQ{programme.year}{voucher.pk:06d}"
            voucher.save(update_fields=["number"])
            audit.record(voucher, "instruments.voucher.applied", actor=actor, to_state=voucher.status)
    except IntegrityError:
        raise ValidationError(_("Your organisation already has a voucher of this programme.")) from None
    staff = User.objects.filter(role__in=[Role.REVIEWER, Role.OPERATOR], is_active=True)
    tell(
        staff,
        kind="instrument_voucher_applied",
        title=_("Voucher application from %(org)s") % {"org": actor.organization.name},
        url_name="instruments_console:voucher",
        pk=voucher.pk,
    )
    return voucher


def approve_voucher(voucher: Voucher, *, actor: Any, quota: Any) -> Voucher:
    """Staff approve a quota: at most the amount requested and the programme's cap, within its budget."""
    if not permissions.can_decide_voucher(actor):
        raise PermissionDenied(_("Only platform staff decide voucher applications."))
    quota = _money(quota, "quota")
    programme = voucher.programme
    if quota > voucher.requested_amount:
        raise ValidationError({"quota": _("The quota cannot exceed the amount requested.")})
    if quota > programme.cap_per_enterprise:
        raise ValidationError(
            {
                "quota": _("This programme grants at most %(cap)s yuan per enterprise.")
                % {"cap": programme.cap_per_enterprise}
            }
        )
    with transaction.atomic():
        _allocate(programme, quota)
        transition(
            voucher,
            VoucherStatus.APPROVED,
            actor=actor,
            action="instruments.voucher.approved",
            changes={"quota": quota, "decided_by": actor, "decided_at": timezone.now()},
            data={"quota": str(quota)},
        )
    tell(
        [voucher.applied_by],
        kind="instrument_voucher_approved",
        title=_("Innovation voucher approved: %(quota)s yuan") % {"quota": quota},
        url_name="instruments:voucher",
        pk=voucher.pk,
    )
    return voucher


def _allocate(programme: VoucherProgramme, quota: Decimal) -> None:
    """Add ``quota`` to the programme's allocation, or refuse when the budget would be exceeded."""
    for _attempt in range(ALLOCATE_ATTEMPTS):
        p = VoucherProgramme.objects.get(pk=programme.pk)
        if p.status != ProgrammeStatus.OPEN:
            raise ValidationError(_("The programme is not open."))
        if p.allocated + quota > p.budget:
            raise ValidationError(
                {
                    "quota": _("Only %(left)s yuan of the programme's budget is left to allocate.")
                    % {"left": p.budget - p.allocated}
                }
            )
        rows = VoucherProgramme.objects.filter(
            pk=p.pk, allocated=p.allocated, status=ProgrammeStatus.OPEN
        ).update(allocated=p.allocated + quota)
        if rows == 1:
            programme.allocated = p.allocated + quota
            return
    raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))


def reject_voucher(voucher: Voucher, *, actor: Any, reason: str) -> Voucher:
    if not permissions.can_decide_voucher(actor):
        raise PermissionDenied(_("Only platform staff decide voucher applications."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    transition(
        voucher,
        VoucherStatus.REJECTED,
        actor=actor,
        action="instruments.voucher.rejected",
        message=reason,
        changes={"decided_by": actor, "decided_at": timezone.now(), "reason": reason[:500]},
    )
    tell(
        [voucher.applied_by],
        kind="instrument_voucher_rejected",
        title=_("Innovation voucher not approved"),
        body=reason,
        url_name="instruments:voucher",
        pk=voucher.pk,
    )
    return voucher


def withdraw_voucher(voucher: Voucher, *, actor: Any) -> Voucher:
    """The enterprise withdraws an application staff have not decided yet."""
    if not (permissions.has_organization(actor) and actor.organization_id == voucher.enterprise_id):
        raise PermissionDenied(_("Only the applying organisation can withdraw this application."))
    transition(voucher, VoucherStatus.WITHDRAWN, actor=actor, action="instruments.voucher.withdrawn")
    return voucher


def expire_vouchers(today: Any = None) -> int:
    """Daily: approved vouchers of programmes past their end date expire (their balance lapses)."""
    today = today or timezone.localdate()
    count = 0
    for voucher in Voucher.objects.filter(status=VoucherStatus.APPROVED, programme__valid_until__lt=today):
        try:
            transition(voucher, VoucherStatus.EXPIRED, actor=None, action="instruments.voucher.expired")
            count += 1
        except TransitionError:
            continue
    return count


# ---- claims ----------------------------------------------------------------------------------------


def claim_redemption(redemption: VoucherRedemption, *, actor: Any) -> VoucherRedemption:
    """The provider claims the voucher part of its bill from the programme."""
    if not permissions.can_claim(actor, redemption):
        raise PermissionDenied(_("Only the provider's staff can claim this voucher payment."))
    transition(
        redemption,
        RedemptionStatus.CLAIMED,
        actor=actor,
        action="instruments.voucher.claimed",
        changes={"claimed_by": actor, "claimed_at": timezone.now(), "return_reason": ""},
    )
    return redemption


def settle_redemption(redemption: VoucherRedemption, *, actor: Any, reference: str) -> VoucherRedemption:
    """Staff record that the programme paid the provider (with the payment reference)."""
    if not permissions.can_settle(actor):
        raise PermissionDenied(_("Only platform staff settle voucher claims."))
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the payment reference.")})
    transition(
        redemption,
        RedemptionStatus.SETTLED,
        actor=actor,
        action="instruments.voucher.settled",
        changes={"settled_by": actor, "settled_at": timezone.now(), "settlement_ref": reference[:100]},
    )
    tell(
        _provider_staff(redemption),
        kind="instrument_voucher_settled",
        title=_("Voucher claim settled: %(amount)s yuan") % {"amount": redemption.amount},
        url_name="instruments:invoice",
        pk=redemption.invoice_id,
    )
    return redemption


def return_claim(redemption: VoucherRedemption, *, actor: Any, reason: str) -> VoucherRedemption:
    """Staff send a claim back to the provider (missing evidence); the provider claims again."""
    if not is_staff_reviewer(actor):
        raise PermissionDenied(_("Only platform staff settle voucher claims."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    transition(
        redemption,
        RedemptionStatus.REDEEMED,
        actor=actor,
        action="instruments.voucher.claim_returned",
        message=reason,
        changes={"return_reason": reason[:500]},
    )
    tell(
        _provider_staff(redemption),
        kind="instrument_voucher_returned",
        title=_("Voucher claim returned"),
        body=reason,
        url_name="instruments:invoice",
        pk=redemption.invoice_id,
    )
    return redemption


def _provider_staff(redemption: VoucherRedemption) -> list[Any]:
    return list(
        User.objects.filter(organization_id=redemption.provider_id, role=Role.ORG_ADMIN, is_active=True)
    )
