"""Writes of valuation. Every change is validated, atomic and audited; an issued valuation is frozen.

Who may do what (checked here, shown by the pages through ``queries``):

- request a valuation: a member of the owner organisation, a party of a negotiation room about the
  achievement (buyer or seller), or an operator;
- edit the draft assumptions: the requester, the owner organisation or an operator, while open;
- assign the panel (drawn by ``talent.panels`` from the one expert pool), issue, and the scorecard
  weights: operators (the pool itself is managed in talent's console);
- score: the assigned expert, while the panel sits;
- enter scorecard inputs: the owner organisation or an operator.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, documents, notifications
from techbridge.core.roles import Role
from techbridge.core.workflow import ReviewStatus, TransitionError, record_created, transition
from techbridge.talent import panels
from techbridge.talent.models import Expert

from . import engine
from . import formulas as F
from .choices import RequesterKind, RequestStatus
from .formulas import FormulaError
from .messages import describe
from .models import PanelMember, Scorecard, ScorecardWeights, Valuation, ValuationRequest
from .permissions import (
    check_cancel,
    check_edit_assumptions,
    check_manage_scorecard,
    check_score,
    requester_role,
)
from .permissions import check_run_desk as _require_operator

REQUEST_FIELDS = ("purpose", "purpose_note", "panel_size", *engine.ASSUMPTION_FIELDS)
SCORECARD_FIELDS = (
    "legal_status",
    "remaining_term_years",
    "claims",
    "independent_claims",
    "family_size",
    "citations",
    "market_size",
    "source_note",
)


def _check_fields(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})


# ---- weights and scorecards ------------------------------------------------------------------


def current_weights() -> tuple[int, dict[str, Decimal]]:
    """(version, weights) in force: the latest version, or the platform defaults as version 0."""
    latest = ScorecardWeights.objects.order_by("-version").first()
    if latest is None:
        return 0, dict(F.DEFAULT_WEIGHTS)
    return latest.version, {k: Decimal(str(latest.weights.get(k, 0))) for k in F.INDICATORS}


def set_weights(*, actor: Any, weights: Mapping[str, Any], note: str = "") -> ScorecardWeights:
    """Add a new version of the indicator weights (operators) and regrade every scorecard with it."""
    _require_operator(actor, _("Only platform operators can change the scorecard weights."))
    clean: dict[str, str] = {}
    for code in F.INDICATORS:
        try:
            value = Decimal(str(weights.get(code, 0)))
        except Exception as exc:
            raise ValidationError({code: _("Enter a number.")}) from exc
        if value < 0 or value > 1000:
            raise ValidationError({code: _("A weight must be between 0 and 1000.")})
        clean[code] = str(value)
    if sum(Decimal(v) for v in clean.values()) <= 0:
        raise ValidationError(describe("no_weights"))
    try:
        with transaction.atomic():
            last = ScorecardWeights.objects.aggregate(m=Max("version"))["m"] or 0
            row = ScorecardWeights.objects.create(
                version=last + 1, weights=clean, note=note[:300], created_by=actor
            )
            audit.record(
                row,
                "valuation.scorecard_weights.saved",
                actor=actor,
                data={"version": row.version, "weights": clean},
            )
    except IntegrityError as exc:
        raise TransitionError(
            _("Someone else changed the weights a moment ago. Reload and try again.")
        ) from exc
    from techbridge.core.tasks import enqueue

    from . import tasks

    enqueue(tasks.regrade_all)
    return row


def graded(achievement: Any, *, weights: tuple[int, dict] | None = None) -> Scorecard:
    """The achievement's scorecard with score and grade computed now, not saved (a new, unsaved row
    when it has none yet)."""
    version, w = weights or current_weights()
    card = Scorecard.objects.filter(achievement=achievement).first() or Scorecard(achievement=achievement)
    result, _inputs = engine.score(achievement, card, w)
    card.score, card.grade, card.coverage = result.score, result.grade, result.coverage
    card.parts = {k: (str(v) if v is not None else None) for k, v in result.parts.items()}
    card.weights_version = version
    return card


def regrade(achievement: Any, *, actor: Any = None, weights: tuple[int, dict] | None = None) -> Scorecard:
    """Recompute and store the score and grade of one achievement (creating its scorecard row)."""
    card = graded(achievement, weights=weights)
    card.updated_at = timezone.now()
    card.save()
    return card


def save_scorecard(achievement: Any, *, actor: Any, data: Mapping[str, Any]) -> Scorecard:
    """Store the entered indicator inputs of one achievement and regrade it."""
    check_manage_scorecard(actor, achievement)
    _check_fields(data, SCORECARD_FIELDS)
    card = Scorecard.objects.filter(achievement=achievement).first() or Scorecard(achievement=achievement)
    for key, value in data.items():
        setattr(card, key, value if value is not None or key in ("legal_status", "source_note") else None)
        if key in ("legal_status", "source_note") and value is None:
            setattr(card, key, "")
    card.full_clean(exclude=["achievement"])
    with transaction.atomic():
        card.updated_by = actor
        card.save()
        card = regrade(achievement, actor=actor)
        audit.record(
            achievement,
            "achievements.achievement.scorecard_updated",
            actor=actor,
            data={
                "fields": sorted(data),
                "grade": card.grade,
                "score": str(card.score) if card.score else None,
            },
        )
    return card


# ---- requests --------------------------------------------------------------------------------


def get_room(room_id: int) -> Any | None:
    """The negotiation room, read lazily so valuation works without the deals app."""
    try:
        from techbridge.deals.models import Room
    except ImportError:  # pragma: no cover
        return None
    return Room.objects.filter(pk=room_id).first()


def initial_assumptions(achievement: Any) -> dict[str, Any]:
    """Start from the assumptions of the last issued version, else the scorecard's remaining term."""
    last = (
        Valuation.objects.filter(achievement=achievement)
        .select_related("request")
        .order_by("-version")
        .first()
    )
    if last is not None:
        return {name: getattr(last.request, name) for name in engine.ASSUMPTION_FIELDS}
    card = Scorecard.objects.filter(achievement=achievement).first()
    if card is not None and card.remaining_term_years is not None:
        return {"remaining_term_years": card.remaining_term_years}
    return {}


def create_request(
    achievement: Any, *, actor: Any, data: Mapping[str, Any], room_id: int | None = None
) -> ValuationRequest:
    """Open a valuation request; operators are told. One open request per achievement and requester."""
    room = None
    if room_id is not None:
        room = get_room(room_id)
        if room is None:
            raise ValidationError(_("That negotiation room does not exist."))
    kind, org, counterparty = requester_role(actor, achievement, room)
    if achievement.status == ReviewStatus.WITHDRAWN or (
        kind != RequesterKind.OWNER and achievement.status != ReviewStatus.PUBLISHED
    ):
        raise ValidationError(_("Only published achievements can be valued (owners may value their drafts)."))
    _check_fields(data, REQUEST_FIELDS)
    values = {**initial_assumptions(achievement), **data}
    req = ValuationRequest(
        achievement=achievement,
        requested_by=actor,
        requester_kind=kind,
        requester_org=org,
        counterparty_org=counterparty,
        room=room,
        **values,
    )
    req.full_clean()
    with transaction.atomic():
        open_q = Q(status__in=[RequestStatus.SUBMITTED, RequestStatus.PANEL], achievement=achievement)
        mine = Q(requested_by=actor) | (Q(requester_org=org) if org is not None else Q(pk__in=[]))
        if ValuationRequest.objects.filter(open_q & mine).exists():
            raise ValidationError(_("You already have an open valuation request for this achievement."))
        req.save()
        record_created(req, actor=actor, action="valuation.request.created", data={"kind": kind})
        link = reverse("valuation_console:request", args=[req.pk])
        from techbridge.accounts.models import User

        for op in User.objects.filter(role=Role.OPERATOR, is_active=True):
            notifications.notify(
                op,
                kind="valuation_requested",
                title=_("Valuation requested: %(title)s") % {"title": achievement.title},
                link=link,
                dedupe_key=f"valuation:req:{req.pk}",
            )
    return req


def update_assumptions(req: ValuationRequest, *, actor: Any, data: Mapping[str, Any]) -> list[str]:
    """Change the draft assumptions of an open request; returns what changed."""
    check_edit_assumptions(actor, req)
    if not req.is_open:
        raise TransitionError(_("This valuation is closed; request a new version instead."))
    _check_fields(data, REQUEST_FIELDS)
    changed = [k for k, v in data.items() if getattr(req, k) != v]
    for key, value in data.items():
        setattr(req, key, value)
    req.full_clean()
    with transaction.atomic():
        req.updated_at = timezone.now()
        rows = ValuationRequest.objects.filter(
            pk=req.pk, status__in=[RequestStatus.SUBMITTED, RequestStatus.PANEL]
        ).update(**{k: getattr(req, k) for k in data}, updated_at=req.updated_at)
        if rows != 1:
            raise TransitionError(_("This valuation is closed; request a new version instead."))
        audit.record(
            req, "valuation.request.assumptions_edited", actor=actor, data={"fields": sorted(changed)}
        )
    return changed


def cancel_request(req: ValuationRequest, *, actor: Any, reason: str = "") -> None:
    """Withdraw an open request (its requester or an operator)."""
    check_cancel(actor, req)
    transition(
        req, RequestStatus.CANCELLED, actor=actor, action="valuation.request.cancelled", message=reason[:500]
    )


# ---- expert pool and panels ------------------------------------------------------------------


def excluded_organizations(req: ValuationRequest) -> set[int]:
    """Organisations whose experts may not sit: the owner's, the requester's and the counterparty's."""
    ids = {req.achievement.owner_id, req.requester_org_id, req.counterparty_org_id}
    return {i for i in ids if i is not None}


def eligible_experts(req: ValuationRequest) -> list[Expert]:
    """Active experts sharing a field with the achievement, without a conflict of interest (their own
    or a declared one), in the order the panel is drawn: most shared fields first, then the lightest
    workload across the platform, then the longest in the pool. Deterministic: the same pool gives
    the same panel. The rule lives in ``talent.panels``."""
    return panels.eligible_experts(
        fields=req.achievement.fields.values_list("pk", flat=True),
        exclude_organizations=excluded_organizations(req),
        exclude_users=[req.requested_by_id],
    )


def open_seats(expert_ids: list[int]) -> dict[int, int]:
    """Valuation's workload for ``talent.panels``: unscored seats on panels still sitting."""
    rows = (
        PanelMember.objects.filter(
            expert_id__in=expert_ids, request__status=RequestStatus.PANEL, scored_at__isnull=True
        )
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return {r["expert_id"]: r["n"] for r in rows}


def assign_panel(req: ValuationRequest, *, actor: Any, size: int | None = None) -> list[PanelMember]:
    """Draw the panel (operators). Fewer eligible experts than the panel size is an error."""
    _require_operator(actor, _("Only platform operators assign expert panels."))
    size = size or req.panel_size
    if size < 1 or size > 7:
        raise ValidationError(_("A panel has between 1 and 7 experts."))
    chosen = panels.draw_panel(
        size=size,
        fields=req.achievement.fields.values_list("pk", flat=True),
        exclude_organizations=excluded_organizations(req),
        exclude_users=[req.requested_by_id],
    )
    with transaction.atomic():
        transition(
            req,
            RequestStatus.PANEL,
            actor=actor,
            action="valuation.request.panel_assigned",
            changes={"panel_size": size},
            data={"experts": [e.pk for e in chosen]},
        )
        members = [PanelMember.objects.create(request=req, expert=e, order=i) for i, e in enumerate(chosen)]
        link = reverse("valuation:assignment", args=[req.pk])
        for e in chosen:
            notifications.notify(
                e.user,
                kind="valuation_panel",
                title=_("You are on a valuation panel: %(title)s") % {"title": req.achievement.title},
                link=link,
                dedupe_key=f"valuation:panel:{req.pk}",
            )
    return members


def replace_panel_member(member: PanelMember, *, actor: Any, reason: str = "") -> PanelMember:
    """Replace an expert who has not scored (unavailable, or a conflict the pool does not show) with the
    next eligible expert not yet on the panel (operators). The change is audited with its reason."""
    _require_operator(actor, _("Only platform operators assign expert panels."))
    req = member.request
    if req.status != RequestStatus.PANEL:
        raise TransitionError(_("The panel has closed; scores can no longer change."))
    if member.scored_at is not None:
        raise ValidationError(_("This expert has already scored and cannot be replaced."))
    seated = set(req.panel.values_list("expert_id", flat=True))
    # Experts replaced earlier on this panel are not drawn again.
    seated |= set(req.replaced_experts.values_list("pk", flat=True))
    candidates = panels.eligible_experts(
        fields=req.achievement.fields.values_list("pk", flat=True),
        exclude_organizations=excluded_organizations(req),
        exclude_users=[req.requested_by_id],
        exclude_experts=seated,
    )
    if not candidates:
        raise ValidationError(_("No other eligible expert is available. Add experts to the pool first."))
    new_expert = candidates[0]
    with transaction.atomic():
        rows = PanelMember.objects.filter(pk=member.pk, scored_at__isnull=True).delete()[0]
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        replacement = PanelMember.objects.create(request=req, expert=new_expert, order=member.order)
        req.replaced_experts.add(member.expert_id)
        audit.record(
            req,
            "valuation.request.expert_replaced",
            actor=actor,
            message=reason[:500],
            data={"removed": member.expert_id, "added": new_expert.pk},
        )
        notifications.notify(
            new_expert.user,
            kind="valuation_panel",
            title=_("You are on a valuation panel: %(title)s") % {"title": req.achievement.title},
            link=reverse("valuation:assignment", args=[req.pk]),
            dedupe_key=f"valuation:panel:{req.pk}",
        )
    return replacement


def submit_score(
    member: PanelMember,
    *,
    actor: Any,
    score: int,
    comment: str,
    value_low: Decimal | None = None,
    value_high: Decimal | None = None,
) -> PanelMember:
    """An expert's score (0–100), optional value opinion and comment; may be revised until issue."""
    check_score(actor, member)
    errors: dict[str, str] = {}
    if score is None or not 0 <= int(score) <= 100:
        errors["score"] = _("The score must be between 0 and 100.")
    if not (comment or "").strip():
        errors["comment"] = _("Explain your score in a comment.")
    for name, value in (("value_low", value_low), ("value_high", value_high)):
        if value is not None and value < 0:
            errors[name] = _("A value cannot be negative.")
    if (value_low is None) != (value_high is None):
        errors["value_high"] = _("Give both ends of the value range, or neither.")
    elif value_low is not None and value_high is not None and value_low > value_high:
        errors["value_high"] = _("The high end must not be below the low end.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        rows = PanelMember.objects.filter(pk=member.pk, request__status=RequestStatus.PANEL).update(
            score=int(score),
            comment=comment.strip(),
            value_low=value_low,
            value_high=value_high,
            scored_at=now,
        )
        if rows != 1:
            raise TransitionError(_("The panel has closed; scores can no longer change."))
        member.refresh_from_db()
        audit.record(
            member.request,
            "valuation.request.expert_scored",
            actor=actor,
            data={"expert": member.expert_id, "score": member.score},
        )
    return member


# ---- issue -----------------------------------------------------------------------------------


def preview(req: ValuationRequest, *, as_of: Any = None) -> dict[str, Any]:
    """The figures as they would be issued now (nothing is saved)."""
    version, weights = current_weights()
    return engine.evaluate(req, as_of=as_of or timezone.localdate(), weights=weights, weights_version=version)


def issue_valuation(
    req: ValuationRequest, *, actor: Any, conclusion: str | None = None, reason: str | None = None
) -> Valuation:
    """Freeze the figures as the next version of the achievement's valuation, with its PDF report.

    Every panel member must have scored, and the appraiser concludes (资产评估执业准则—无形资产: the
    appraiser chooses the conclusion among the approaches and says why): ``conclusion`` is ``income``,
    ``market``, ``cost`` or ``weighted`` (adopting the weighted suggestion), ``reason`` the
    justification; both are kept on the request and in the snapshot, and the issued value is the
    chosen approach's. A choice without a value, or without a reason, issues nothing and says why.
    """
    from .choices import Conclusion

    _require_operator(actor, _("Only platform operators issue valuations."))
    if req.status != RequestStatus.PANEL:
        raise TransitionError(_("Assign a panel and collect its scores before issuing."))
    pending = req.panel.filter(scored_at__isnull=True).count()
    if pending:
        raise ValidationError(_("%(n)s panel members have not scored yet.") % {"n": pending})
    if conclusion is not None:
        if conclusion not in Conclusion.values:
            raise ValidationError({"conclusion": describe("unknown_conclusion")})
        req.conclusion = conclusion
    if reason is not None:
        req.conclusion_reason = reason.strip()[:2000]
    snapshot = preview(req)
    final = snapshot["conclusion"]
    if not final.get("ok"):
        raise ValidationError(describe(final["error"]["code"], final["error"].get("params")))
    with transaction.atomic():
        last = Valuation.objects.filter(achievement=req.achievement).aggregate(m=Max("version"))["m"] or 0
        snapshot["version"] = last + 1
        snapshot["issued_by"] = actor.display_name
        snapshot["issued_at"] = timezone.now().isoformat()
        try:
            valuation = Valuation.objects.create(
                request=req,
                achievement=req.achievement,
                version=last + 1,
                issued_by=actor,
                point=Decimal(final["point"]),
                low=Decimal(final["low"]),
                high=Decimal(final["high"]),
                grade=snapshot["scorecard"]["grade"],
                snapshot=snapshot,
            )
        except IntegrityError as exc:
            raise TransitionError(
                _("Someone else issued a valuation a moment ago. Reload and try again.")
            ) from exc
        transition(
            req,
            RequestStatus.ISSUED,
            actor=actor,
            action="valuation.request.issued",
            changes={
                "issued_at": valuation.issued_at,
                "conclusion": req.conclusion,
                "conclusion_reason": req.conclusion_reason,
            },
            data={"version": valuation.version, "point": final["point"], "conclusion": req.conclusion},
        )
        # The report is typeset in the background once this commits (issue 22, point 6: it took 16 s
        # in the request); the valuation page shows its progress and serves the stored file.
        documents.current(valuation, "valuation.report", actor=actor)
        link = reverse("valuation:valuation", args=[valuation.pk])
        recipients = {req.requested_by, req.achievement.created_by} - {None}
        for user in recipients:
            notifications.notify(
                user,
                kind="valuation_issued",
                title=_("Valuation issued: %(title)s") % {"title": req.achievement.title},
                link=link,
                dedupe_key=f"valuation:issued:{valuation.pk}",
            )
    return valuation


def formula_error_message(exc: FormulaError) -> str:
    return describe(exc.code, {k: str(v) for k, v in exc.params.items()})
