"""Every write of technology finance: investors and products, financing requests (with the NDA on the
business plan), introductions with both sides' consent and the pipeline to invested / lent / declined.

Services take ``actor``, check who may act (``permissions``), validate the whole record, write inside
one transaction and audit; statuses move only through ``core.workflow.transition``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.workflow import TransitionError, record_created, set_initial_state, transition

from . import permissions
from .choices import CLOSED_WON, PIPELINE_VERBS, IntroStatus, InvestorStatus, RequestStatus, Side
from .models import (
    MAX_AMOUNT,
    MAX_PLAN_BYTES,
    PLAN_EXTENSIONS,
    FinancingRequest,
    Introduction,
    Investor,
    NdaAcceptance,
    Product,
)

INVESTOR_FIELDS = (
    "name",
    "kind",
    "summary",
    "stages",
    "instruments",
    "districts",
    "ticket_min",
    "ticket_max",
)
PRODUCT_FIELDS = ("name", "instrument", "summary", "amount_min", "amount_max", "term_months", "rate_note")
REQUEST_FIELDS = (
    "title",
    "summary",
    "amount",
    "stage",
    "instrument",
    "district",
    "use_of_funds",
    "valuation",
)
MAX_FIELDS = 5


def _check_keys(data: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})


def _check_fields(fields: list[Any]) -> None:
    if len(fields) > MAX_FIELDS:
        raise ValidationError({"fields": _("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS}})


def amount_of(value: Any, *, label: str) -> Decimal:
    """A positive Decimal amount in yuan, at most ``MAX_AMOUNT``, or a translated error."""
    if value is None or value == "":
        value = "0"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(what)s is not an amount in yuan.") % {"what": label}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError(
            _("%(what)s must be more than 0 and at most %(max)s yuan.")
            % {"what": label, "max": f"{MAX_AMOUNT:,.0f}"}
        )
    return amount


# ---- investors and products


def create_investor(
    *, actor: Any, data: dict[str, Any], fields: Iterable[Any] = (), is_demo: bool = False
) -> Investor:
    """A new investor profile of the actor's organisation, awaiting the operator's qualification."""
    permissions.check_create_investor(actor)
    _check_keys(data, INVESTOR_FIELDS)
    fields = list(fields)
    _check_fields(fields)
    inv = Investor(**data, organization=actor.organization, created_by=actor, is_demo=is_demo)
    inv.full_clean(validate_constraints=False)
    with transaction.atomic():
        inv.save()
        inv.fields.set(fields)
        record_created(inv, actor=actor, action="finance.investor.created")
    return inv


def update_investor(
    inv: Investor, *, actor: Any, data: dict[str, Any], fields: Iterable[Any] | None = None
) -> None:
    permissions.check_manage_investor(actor, inv)
    _check_keys(data, INVESTOR_FIELDS)
    for k, v in data.items():
        setattr(inv, k, v)
    inv.updated_at = timezone.now()
    inv.full_clean(validate_constraints=False)
    with transaction.atomic():
        inv.save()
        if fields is not None:
            fields = list(fields)
            _check_fields(fields)
            inv.fields.set(fields)
        audit.record(inv, "finance.investor.updated", actor=actor)


def qualify_investor(inv: Investor, *, actor: Any) -> None:
    permissions.check_qualify(actor)
    transition(
        inv,
        InvestorStatus.QUALIFIED,
        actor=actor,
        action="finance.investor.qualified",
        changes={"qualified_at": timezone.now(), "reject_reason": ""},
    )


def reject_investor(inv: Investor, *, actor: Any, reason: str) -> None:
    permissions.check_qualify(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the investor is not qualified.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": 500}})
    transition(
        inv,
        InvestorStatus.REJECTED,
        actor=actor,
        action="finance.investor.rejected",
        message=reason,
        changes={"reject_reason": reason},
    )


def add_product(inv: Investor, *, actor: Any, data: dict[str, Any]) -> Product:
    permissions.check_manage_investor(actor, inv)
    _check_keys(data, PRODUCT_FIELDS)
    product = Product(investor=inv, **data)
    product.full_clean(validate_constraints=False)
    with transaction.atomic():
        product.save()
        Investor.objects.filter(pk=inv.pk).update(updated_at=timezone.now())
        audit.record(product, "finance.product.created", actor=actor)
    return product


# ---- financing requests


def _check_plan(upload: Any) -> None:
    if upload is None:
        return
    if Path(upload.name).suffix.lower() not in PLAN_EXTENSIONS:
        raise ValidationError(
            {"business_plan": _("The business plan must be a PDF, Word or PowerPoint file.")}
        )
    if upload.size > MAX_PLAN_BYTES:
        raise ValidationError({"business_plan": _("The business plan is larger than 20 MB.")})


def _check_valuation(report: Any, org_id: int) -> None:
    if report is None:
        return
    owner = getattr(report.achievement, "owner_id", None)
    if owner != org_id and getattr(report.request, "requester_org_id", None) != org_id:
        raise ValidationError(
            {
                "valuation_report": _(
                    "Attach a valuation report of your own organisation's achievement or request."
                )
            }
        )


def create_request(
    *,
    actor: Any,
    data: dict[str, Any],
    fields: Iterable[Any] = (),
    business_plan: Any = None,
    valuation_report: Any = None,
    achievement: Any = None,
    is_demo: bool = False,
) -> FinancingRequest:
    """Post a financing request: open at once to qualified investors (title, summary and terms)."""
    permissions.check_post_request(actor)
    _check_keys(data, REQUEST_FIELDS)
    fields = list(fields)
    _check_fields(fields)
    _check_plan(business_plan)
    _check_valuation(valuation_report, actor.organization_id)
    data = dict(data)
    data.setdefault("district", actor.organization.district)
    req = FinancingRequest(
        **data,
        organization=actor.organization,
        created_by=actor,
        valuation_report=valuation_report,
        achievement=achievement,
        is_demo=is_demo,
    )
    set_initial_state(req, RequestStatus.OPEN)
    if business_plan is not None:
        req.business_plan = business_plan
    req.full_clean(validate_constraints=False)
    with transaction.atomic():
        req.save()
        req.fields.set(fields)
        record_created(req, actor=actor, action="finance.financingrequest.posted")
    return req


def withdraw_request(req: FinancingRequest, *, actor: Any) -> None:
    permissions.check_edit_request(actor, req)
    transition(req, RequestStatus.WITHDRAWN, actor=actor, action="finance.financingrequest.withdrawn")


def reopen_request(req: FinancingRequest, *, actor: Any) -> None:
    permissions.check_edit_request(actor, req)
    transition(req, RequestStatus.OPEN, actor=actor, action="finance.financingrequest.reopened")


def accept_nda(req: FinancingRequest, *, actor: Any) -> NdaAcceptance:
    """The actor's qualified investor accepts the confidentiality terms; the business plan opens to it."""
    investor = permissions.qualified_investors_of(actor).first()
    if investor is None or permissions.can_edit_request(actor, req):
        permissions.deny(_("Only the people of a qualified investor accept the confidentiality agreement."))
    if req.status not in permissions.SEEN_BY_INVESTORS:
        raise TransitionError(_("This financing request is no longer open."))
    existing = NdaAcceptance.objects.filter(request=req, investor=investor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            nda = NdaAcceptance.objects.create(request=req, investor=investor, user=actor)
            audit.record(
                req, "finance.financingrequest.nda_accepted", actor=actor, data={"investor": investor.pk}
            )
    except IntegrityError:
        return NdaAcceptance.objects.get(request=req, investor=investor)
    return nda


# ---- introductions and the pipeline


def propose_introduction(
    req: FinancingRequest,
    investor: Investor,
    *,
    actor: Any,
    product: Product | None = None,
    is_demo: bool = False,
) -> Introduction:
    """One side asks to be introduced to the other; proposing is that side's consent."""
    from .matching import reasons_for

    if permissions.in_org(actor, req.organization_id):
        side = Side.ENTERPRISE
    elif permissions.in_org(actor, investor.organization_id) and investor.status == InvestorStatus.QUALIFIED:
        side = Side.INVESTOR
    else:
        permissions.deny(
            _("Only the requesting enterprise or the investor's own people ask for an introduction.")
        )
    if investor.status != InvestorStatus.QUALIFIED:
        raise ValidationError(_("This investor is not qualified on the platform."))
    if req.status != RequestStatus.OPEN:
        raise ValidationError(_("This financing request is no longer open."))
    if investor.organization_id == req.organization_id:
        raise ValidationError(_("An organisation is not introduced to itself."))
    if product is not None and (product.investor_id != investor.pk or not product.is_active):
        raise ValidationError({"product": _("Choose one of this investor's products on offer.")})
    if Introduction.objects.filter(request=req, investor=investor).exists():
        raise ValidationError(
            _("This request and this investor have already been introduced or asked to be.")
        )
    score, reasons = reasons_for(req, investor)
    now = timezone.now()
    intro = Introduction(
        request=req,
        investor=investor,
        product=product,
        proposed_by=side,
        score=score,
        reasons=reasons[:12],
        created_by=actor,
        is_demo=is_demo,
        enterprise_consent_at=now if side == Side.ENTERPRISE else None,
        investor_consent_at=now if side == Side.INVESTOR else None,
    )
    try:
        with transaction.atomic():
            intro.save()
            record_created(intro, actor=actor, action="finance.introduction.proposed")
    except IntegrityError:
        raise ValidationError(
            _("This request and this investor have already been introduced or asked to be.")
        ) from None
    other = investor.organization if side == Side.ENTERPRISE else req.organization
    _notify_org(
        other,
        _("Introduction asked: %(title)s ↔ %(investor)s") % {"title": req.title, "investor": investor.name},
        intro,
        f"finance-intro-{intro.pk}-proposed",
    )
    return intro


def _notify_org(org: Any, title: str, intro: Introduction, key: str) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    users = get_user_model().objects.filter(organization=org, is_active=True)[:50]
    url = reverse("finance:introduction", args=[intro.pk])
    for user in users:
        notify(user, kind="finance_introduction", title=title, link=url, dedupe_key=f"{key}-{user.pk}")


def consent(intro: Introduction, *, actor: Any) -> None:
    """The side that did not propose consents: the two are introduced."""
    side = permissions.check_side(actor, intro)
    if side == intro.proposed_by:
        raise ValidationError(_("Your side has already consented; the other side must consent now."))
    field = "enterprise_consent_at" if side == Side.ENTERPRISE else "investor_consent_at"
    transition(
        intro,
        IntroStatus.INTRODUCED,
        actor=actor,
        action="finance.introduction.accepted",
        changes={field: timezone.now()},
    )
    other = intro.investor.organization if side == Side.ENTERPRISE else intro.request.organization
    _notify_org(
        other,
        _("Introduced: %(title)s ↔ %(investor)s")
        % {"title": intro.request.title, "investor": intro.investor.name},
        intro,
        f"finance-intro-{intro.pk}-introduced",
    )


def advance(intro: Introduction, to: str, *, actor: Any, amount: Any = None, note: str = "") -> None:
    """Record the next step of the pipeline: a meeting, a term sheet (its amount), the money invested or
    lent (its amount; the investor records it), or a decline (with a note), by either side."""
    side = permissions.check_side(actor, intro)
    if to not in PIPELINE_VERBS:
        raise ValidationError(_("Choose the next step of the pipeline."))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("At most %(n)s characters.") % {"n": 500}})
    if intro.status == IntroStatus.PROPOSED and to == IntroStatus.DECLINED and side == intro.proposed_by:
        raise ValidationError(
            _("The other side declines or consents; you may wait or withdraw your request.")
        )
    changes: dict[str, Any] = {}
    if note:
        changes["note"] = note
    if to == IntroStatus.TERM_SHEET:
        changes["term_sheet_amount"] = amount_of(amount, label=_("The term sheet amount"))
    if to in CLOSED_WON:
        if side != Side.INVESTOR:
            permissions.deny(_("Only the investor records money invested or lent."))
        changes["amount"] = amount_of(amount, label=_("The amount invested or lent"))
        changes["closed_at"] = timezone.now()
    if to == IntroStatus.DECLINED:
        if not note:
            raise ValidationError({"note": _("Say why the introduction is declined.")})
        changes["closed_at"] = timezone.now()
    with transaction.atomic():
        transition(
            intro,
            to,
            actor=actor,
            action=f"finance.introduction.{PIPELINE_VERBS[to]}",
            message=note,
            changes=changes,
            data={"amount": str(changes["amount"])} if "amount" in changes else None,
        )
        req = intro.request
        if to in CLOSED_WON and req.status == RequestStatus.OPEN:
            transition(
                req,
                RequestStatus.FUNDED,
                actor=actor,
                action="finance.financingrequest.funded",
                changes={"funded_at": intro.closed_at},
            )
