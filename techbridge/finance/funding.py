"""Conversion funds: a fund opens a call, projects apply, eligibility is checked on submission, an expert
panel is drawn from the shared pool (``talent.panels``: same field, no conflict of interest), the experts
score, the operator decides and awards in tranches tied to milestones, and disburses each tranche when
its milestone is confirmed. Every step is audited; ineligible and rejected applications keep their data.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.permissions import deny
from techbridge.core.roles import is_console_user, is_operator
from techbridge.core.workflow import TransitionError, record_created, set_initial_state, transition
from techbridge.organizations.choices import District

from . import permissions
from .choices import ApplicationStatus, CallStatus
from .models import MAX_TRANCHES, Fund, FundApplication, FundCall, PanelSeat, Tranche
from .services import MAX_FIELDS, amount_of

# ---- who


def check_operator(user: Any) -> None:
    if not is_operator(user):
        deny(_("Only platform operators run funds, calls, panels and awards."))


def applications_visible_q(user: Any) -> Q:
    if is_console_user(user):
        return Q()
    if not permissions._member(user) and not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(seats__expert__user_id=user.pk)
    if permissions._member(user):
        q |= Q(organization_id=user.organization_id)
    return q


def application_for(user: Any, pk: int) -> FundApplication:
    app = (
        FundApplication.objects.filter(applications_visible_q(user))
        .select_related("call", "call__fund", "organization")
        .filter(pk=pk)
        .distinct()
        .first()
    )
    if app is None:
        raise Http404
    return app


def seat_of(user: Any, app: FundApplication) -> PanelSeat | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return app.seats.filter(expert__user_id=user.pk).select_related("expert").first()


def open_calls() -> QuerySet[FundCall]:
    return FundCall.objects.filter(status=CallStatus.OPEN, closes_on__gte=timezone.localdate())


# ---- funds and calls


def create_fund(
    *, actor: Any, data: dict[str, Any], fields: Iterable[Any] = (), is_demo: bool = False
) -> Fund:
    check_operator(actor)
    fields = list(fields)
    if len(fields) > MAX_FIELDS:
        raise ValidationError({"fields": _("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS}})
    fund = Fund(**data, created_by=actor, is_demo=is_demo)
    fund.full_clean()
    with transaction.atomic():
        fund.save()
        fund.fields.set(fields)
        audit.record(fund, "finance.fund.created", actor=actor)
    return fund


def open_call(fund: Fund, *, actor: Any, data: dict[str, Any], is_demo: bool = False) -> FundCall:
    check_operator(actor)
    call = FundCall(fund=fund, **data, created_by=actor, is_demo=is_demo)
    call.full_clean()
    if call.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("A call closes today or later.")})
    if call.max_award > fund.size:
        raise ValidationError({"max_award": _("The largest award cannot exceed the fund's size.")})
    with transaction.atomic():
        call.save()
        record_created(call, actor=actor, action="finance.fundcall.opened")
    return call


def close_call(call: FundCall, *, actor: Any) -> None:
    check_operator(actor)
    transition(call, CallStatus.CLOSED, actor=actor, action="finance.fundcall.closed")


# ---- applications


def eligibility(call: FundCall, org: Any, amount: Decimal, field_ids: set[int]) -> list[dict[str, Any]]:
    """The checks of an application, each with whether it passed and what it means for the applicant."""
    fund_fields = set(call.fund.fields.values_list("pk", flat=True))
    return [
        {
            "rule": "call_open",
            "ok": call.status == CallStatus.OPEN and call.closes_on >= timezone.localdate(),
            "message": _("The call is open (closes %(day)s).") % {"day": call.closes_on.isoformat()},
        },
        {
            "rule": "amount",
            "ok": amount <= call.max_award,
            "message": _("The amount is at most the call's largest award of %(max)s yuan.")
            % {"max": f"{call.max_award:,.0f}"},
        },
        {
            "rule": "field",
            "ok": not fund_fields or bool(fund_fields & field_ids),
            "message": _("The project is in one of the fund's industry fields."),
        },
        {
            "rule": "place",
            "ok": bool(org.district) and org.district != District.OUTSIDE,
            "message": _("The applicant is registered in Nanjing."),
        },
        {
            "rule": "sponsor",
            "ok": org.pk != call.fund.sponsor_id,
            "message": _("The applicant is not the fund's sponsor."),
        },
    ]


def apply(
    call: FundCall, *, actor: Any, data: dict[str, Any], fields: Iterable[Any] = (), is_demo: bool = False
) -> FundApplication:
    """Submit an application; the eligibility checks decide at once between eligible and not eligible."""
    permissions.check_post_request(actor)
    if call.status != CallStatus.OPEN:
        raise TransitionError(_("This call is closed."))
    fields = list(fields)
    if len(fields) > MAX_FIELDS:
        raise ValidationError({"fields": _("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS}})
    amount = amount_of(data.get("amount"), label=_("The amount applied for"))
    org = actor.organization
    checks = eligibility(call, org, amount, {f.pk for f in fields})
    ok = all(c["ok"] for c in checks)
    app = FundApplication(
        call=call,
        organization=org,
        created_by=actor,
        title=(data.get("title") or "").strip(),
        summary=(data.get("summary") or "").strip(),
        amount=amount,
        checks=checks,
        is_demo=is_demo,
    )
    set_initial_state(app, ApplicationStatus.ELIGIBLE if ok else ApplicationStatus.INELIGIBLE)
    app.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            app.save()
            app.fields.set(fields)
            record_created(
                app,
                actor=actor,
                action="finance.fundapplication.submitted"
                if ok
                else "finance.fundapplication.found_ineligible",
            )
    except IntegrityError:
        raise ValidationError(_("Your organisation has already applied to this call.")) from None
    return app


def draw_panel(app: FundApplication, *, actor: Any) -> list[PanelSeat]:
    """Seat a conflict-free panel from the shared pool: experts of the project's fields, none from the
    applicant or the sponsor, none who declared a conflict with either, not the applicant in person."""
    from techbridge.talent import panels

    check_operator(actor)
    if app.status != ApplicationStatus.ELIGIBLE:
        raise TransitionError(_("A panel is drawn once, for an eligible application."))
    experts = panels.draw_panel(
        size=app.call.panel_size,
        fields=list(app.fields.all()),
        exclude_organizations={app.organization_id, app.call.fund.sponsor_id},
        exclude_users={app.created_by_id},
    )
    with transaction.atomic():
        seats = PanelSeat.objects.bulk_create([PanelSeat(application=app, expert=e) for e in experts])
        transition(
            app,
            ApplicationStatus.IN_REVIEW,
            actor=actor,
            action="finance.fundapplication.panel_drawn",
            data={"experts": [e.pk for e in experts]},
        )
    return seats


def has_conflict(seat: PanelSeat) -> bool:
    app = seat.application
    orgs = {app.organization_id, app.call.fund.sponsor_id}
    return (
        seat.expert.user.organization_id in orgs
        or seat.expert.declared_conflicts.filter(organization_id__in=orgs).exists()
    )


def score(app: FundApplication, *, actor: Any, value: Any, comment: str = "") -> PanelSeat:
    """The actor scores their seat (0–100); an expert with a conflict of interest cannot score."""
    seat = seat_of(actor, app)
    if seat is None:
        deny(_("Only the experts on this application's panel score it."))
    if app.status != ApplicationStatus.IN_REVIEW:
        raise TransitionError(_("Scores are given while the application is under review."))
    if has_conflict(seat):
        deny(_("You have a conflict of interest with the applicant or the sponsor and cannot score."))
    try:
        points = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"score": _("The score is a whole number from 0 to 100.")}) from None
    if not 0 <= points <= 100:
        raise ValidationError({"score": _("The score is a whole number from 0 to 100.")})
    comment = (comment or "").strip()[:1000]
    with transaction.atomic():
        PanelSeat.objects.filter(pk=seat.pk).update(score=points, comment=comment, scored_at=timezone.now())
        audit.record(
            app, "finance.fundapplication.scored", actor=actor, data={"seat": seat.pk, "score": points}
        )
    seat.refresh_from_db()
    return seat


def decide(
    app: FundApplication,
    *,
    actor: Any,
    award: bool,
    amount: Any = None,
    tranches: list[tuple[str, Any]] | None = None,
    note: str = "",
) -> None:
    """Award (the amount split into tranches, each with its milestone) or reject, once every expert
    has scored."""
    check_operator(actor)
    if app.status != ApplicationStatus.IN_REVIEW:
        raise TransitionError(_("A decision is made on an application under review."))
    if app.seats.filter(score__isnull=True).exists():
        raise ValidationError(_("Every expert on the panel must score before the decision."))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("At most %(n)s characters.") % {"n": 500}})
    if not award:
        if not note:
            raise ValidationError({"note": _("Say why the application is not awarded.")})
        transition(
            app,
            ApplicationStatus.REJECTED,
            actor=actor,
            action="finance.fundapplication.rejected",
            message=note,
            changes={"decision_note": note, "decided_at": timezone.now()},
        )
        return
    total = amount_of(amount, label=_("The award"))
    if total > min(app.amount, app.call.max_award):
        raise ValidationError(
            {"amount": _("The award is at most the amount applied for and the call's largest award.")}
        )
    rows = [(str(m or "").strip(), amount_of(a, label=_("A tranche"))) for m, a in (tranches or [])]
    if not rows or len(rows) > MAX_TRANCHES or any(not m or len(m) > 300 for m, _a in rows):
        raise ValidationError(
            {"tranches": _("Give 1 to %(n)s tranches, each with its milestone.") % {"n": MAX_TRANCHES}}
        )
    if sum(a for _m, a in rows) != total:
        raise ValidationError({"tranches": _("The tranches add up to the award.")})
    with transaction.atomic():
        transition(
            app,
            ApplicationStatus.AWARDED,
            actor=actor,
            action="finance.fundapplication.awarded",
            message=note,
            changes={"award_amount": total, "decision_note": note, "decided_at": timezone.now()},
        )
        Tranche.objects.bulk_create(
            [Tranche(application=app, number=n, milestone=m, amount=a) for n, (m, a) in enumerate(rows, 1)]
        )


def disburse(app: FundApplication, number: int, *, actor: Any, evidence: str) -> Tranche:
    """Pay tranche ``number`` once its milestone is confirmed (``evidence``); the previous one first."""
    check_operator(actor)
    if app.status != ApplicationStatus.AWARDED:
        raise TransitionError(_("Only an awarded application is paid."))
    evidence = (evidence or "").strip()
    if not evidence or len(evidence) > 500:
        raise ValidationError({"evidence": _("Say how the milestone was met (at most 500 characters).")})
    tranche = app.tranches.filter(number=number).first()
    if tranche is None:
        raise ValidationError({"number": _("No such tranche.")})
    if app.tranches.filter(number__lt=number, disbursed_at__isnull=True).exists():
        raise ValidationError({"number": _("Pay the earlier tranches first.")})
    with transaction.atomic():
        rows = Tranche.objects.filter(pk=tranche.pk, disbursed_at__isnull=True).update(
            disbursed_at=timezone.now(), evidence=evidence
        )
        if rows != 1:
            raise TransitionError(_("This tranche has already been paid."))
        audit.record(
            app,
            "finance.fundapplication.tranche_disbursed",
            actor=actor,
            message=evidence,
            data={"tranche": number, "amount": str(tranche.amount)},
        )
    tranche.refresh_from_db()
    return tranche


def open_seats(expert_ids: list[int]) -> dict[int, int]:
    """Unscored seats per expert on panels under review (the pool's shared workload)."""
    from django.db.models import Count

    rows = (
        PanelSeat.objects.filter(
            expert_id__in=expert_ids, score__isnull=True, application__status=ApplicationStatus.IN_REVIEW
        )
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return {r["expert_id"]: r["n"] for r in rows}
