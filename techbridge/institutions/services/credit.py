"""Credit: events with evidence, the credit grade (a new version on every change), the blacklist and
appeals. The rules are in ``institutions/credit.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, transition

from .. import credit
from ..choices import (
    AppealStatus,
    BlacklistStatus,
    CreditEventKind,
    CreditEventStatus,
    Severity,
)
from ..models import Appeal, Blacklisting, CreditEvent, CreditGrade, Institution
from ..permissions import is_member, require_member, require_reviewer
from ._common import check_upload, notify_members, notify_staff, text

EVENT_YEARS = 3


def recompute_credit_grade(
    institution: Institution, *, actor: Any = None, reason: str = ""
) -> CreditGrade | None:
    """Apply the grade rule to the events in force and the blacklist; a changed grade (or basis) is a
    new version and becomes the institution's current grade. Returns the new version, or ``None`` when
    nothing changed."""
    today = timezone.localdate()
    since = dt.date(today.year - EVENT_YEARS, today.month, min(today.day, 28))
    severities = list(
        CreditEvent.objects.filter(
            institution=institution, status=CreditEventStatus.IN_FORCE, occurred_on__gt=since
        ).values_list("severity", flat=True)
    )
    listed = Blacklisting.objects.filter(institution=institution, status=BlacklistStatus.LISTED).exists()
    grade, basis = credit.grade_for(severities, blacklisted=listed)
    current = CreditGrade.objects.filter(institution=institution).order_by("-version").first()
    if current is not None and current.grade == grade and current.basis == basis:
        return None
    with transaction.atomic():
        version = (
            CreditGrade.objects.filter(institution=institution).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        row = CreditGrade.objects.create(
            institution=institution,
            version=version,
            grade=grade,
            basis=basis,
            reason=str(reason)[:300],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        Institution.objects.filter(pk=institution.pk).update(current_credit=row)
        institution.current_credit = row
        audit.record(
            institution,
            "institutions.credit_grade.changed",
            actor=actor,
            from_state=current.grade if current else "",
            to_state=grade,
            message=str(reason)[:300],
            data={"version": version, **basis},
        )
    return row


def record_event(
    institution: Institution,
    *,
    actor: Any,
    kind: str,
    severity: str,
    occurred_on: dt.date,
    description: str,
    reference: str = "",
    evidence: Any = None,
) -> CreditEvent:
    """Record a credit event with its evidence (reviewers). A severe event blacklists the institution
    at once; the credit grade is recomputed; the institution is told and may appeal a blacklisting."""
    require_reviewer(actor)
    if is_member(actor, institution):
        raise PermissionDenied(_("You cannot record credit events about your own organisation."))
    errors = {}
    if kind not in CreditEventKind.values:
        errors["kind"] = _("Choose the kind of credit event.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose the severity.")
    if errors:
        raise ValidationError(errors)
    check_upload(evidence, "evidence")
    event = CreditEvent(
        institution=institution,
        kind=kind,
        severity=severity,
        occurred_on=occurred_on,
        description=text(
            description, "description", 2000, required=True, message=_("Describe what happened.")
        ),
        reference=text(reference, "reference", 100),
        recorded_by=actor,
    )
    if evidence is not None:
        event.evidence = evidence  # validated by clean() as present; saved below
    event.full_clean(exclude=["institution"])
    with transaction.atomic():
        if evidence is not None:
            event.evidence.save(evidence.name, evidence, save=False)
        event.save()
        audit.record(
            event,
            "institutions.credit_event.recorded",
            actor=actor,
            to_state=event.status,
            data={"kind": kind, "severity": severity, "institution": institution.pk},
        )
        listing = None
        already = Blacklisting.objects.filter(institution=institution, status=BlacklistStatus.LISTED).exists()
        if severity == Severity.SEVERE and not already:
            listing = _blacklist(institution, actor=actor, event=event, reason=event.description)
        recompute_credit_grade(institution, actor=actor, reason=event.get_kind_display())
        notify_members(
            institution,
            title=_("A credit event was recorded about your institution: %(kind)s")
            % {"kind": event.get_kind_display()},
            body=event.description,
            actor=actor,
        )
        if listing is not None:
            notify_members(
                institution,
                title=_("Your institution was blacklisted; you may appeal"),
                body=listing.reason,
                actor=actor,
            )
    return event


def _blacklist(
    institution: Institution, *, actor: Any, event: CreditEvent | None, reason: str
) -> Blacklisting:
    try:
        with transaction.atomic():
            listing = Blacklisting.objects.create(
                institution=institution, event=event, reason=reason[:2000], listed_by=actor
            )
            audit.record(
                listing,
                "institutions.blacklisting.listed",
                actor=actor,
                to_state=BlacklistStatus.LISTED,
                message=reason[:500],
                data={"institution": institution.pk, "event": event.pk if event else None},
            )
    except IntegrityError:
        raise TransitionError(_("The institution is already on the blacklist.")) from None
    return listing


def blacklist(institution: Institution, *, actor: Any, event: CreditEvent, reason: str) -> Blacklisting:
    """Put the institution on the blacklist for an event in force (reviewers), e.g. a major one."""
    require_reviewer(actor)
    if event.institution_id != institution.pk or event.status != CreditEventStatus.IN_FORCE:
        raise ValidationError({"event": _("Choose a credit event in force of this institution.")})
    reason = text(reason, "reason", 2000, required=True, message=_("Give the reason for the blacklisting."))
    with transaction.atomic():
        listing = _blacklist(institution, actor=actor, event=event, reason=reason)
        recompute_credit_grade(institution, actor=actor, reason=_("Blacklisted"))
        notify_members(
            institution, title=_("Your institution was blacklisted; you may appeal"), body=reason, actor=actor
        )
    return listing


def lift_blacklisting(listing: Blacklisting, *, actor: Any, reason: str) -> Blacklisting:
    """Take the institution off the blacklist (reviewers; an upheld appeal does this too)."""
    require_reviewer(actor)
    reason = text(
        reason, "reason", 2000, required=True, message=_("Give the reason for lifting the blacklisting.")
    )
    with transaction.atomic():
        transition(
            listing,
            BlacklistStatus.LIFTED,
            actor=actor,
            action="institutions.blacklisting.lifted",
            message=reason,
            changes={"lifted_at": timezone.now(), "lifted_by": actor, "lift_reason": reason},
        )
        recompute_credit_grade(listing.institution, actor=actor, reason=_("Blacklisting lifted"))
        notify_members(
            listing.institution,
            title=_("Your institution was taken off the blacklist"),
            body=reason,
            actor=actor,
        )
    return listing


def file_appeal(listing: Blacklisting, *, actor: Any, grounds: str, evidence: Any = None) -> Appeal:
    """The blacklisted institution appeals (its members); one open appeal at a time."""
    require_member(actor, listing.institution)
    if listing.status != BlacklistStatus.LISTED:
        raise TransitionError(_("This blacklisting is no longer in force."))
    grounds = text(grounds, "grounds", 3000, required=True, message=_("Give the grounds of the appeal."))
    check_upload(evidence, "evidence")
    try:
        with transaction.atomic():
            appeal = Appeal(blacklisting=listing, grounds=grounds, submitted_by=actor)
            if evidence is not None:
                appeal.evidence.save(evidence.name, evidence, save=False)
            appeal.save()
            audit.record(appeal, "institutions.appeal.submitted", actor=actor, to_state=appeal.status)
    except IntegrityError:
        raise TransitionError(
            _("An appeal against this blacklisting is already awaiting a decision.")
        ) from None
    notify_staff(
        title=_("Appeal against a blacklisting: %(name)s") % {"name": listing.institution.name},
        link=reverse("institutions_console:institution", args=[listing.institution_id]),
        body=grounds,
    )
    return appeal


def decide_appeal(appeal: Appeal, *, actor: Any, uphold: bool, decision: str) -> Appeal:
    """Staff decide an appeal. Upheld: the blacklisting is lifted, the event behind it annulled and
    the grade recomputed. Dismissed: the blacklisting stays. Either way the institution is told why."""
    require_reviewer(actor)
    institution = appeal.blacklisting.institution
    if is_member(actor, institution):
        raise PermissionDenied(_("You cannot decide your own organisation's appeal."))
    decision = text(
        decision, "decision", 3000, required=True, message=_("Give the reasons for the decision.")
    )
    now = timezone.now()
    with transaction.atomic():
        transition(
            appeal,
            AppealStatus.UPHELD if uphold else AppealStatus.DISMISSED,
            actor=actor,
            action="institutions.appeal.upheld" if uphold else "institutions.appeal.dismissed",
            message=decision,
            changes={"decided_by": actor, "decided_at": now, "decision": decision},
        )
        if uphold:
            listing = appeal.blacklisting
            transition(
                listing,
                BlacklistStatus.LIFTED,
                actor=actor,
                action="institutions.blacklisting.lifted",
                message=decision,
                changes={"lifted_at": now, "lifted_by": actor, "lift_reason": decision},
            )
            event = listing.event
            if event is not None and event.status == CreditEventStatus.IN_FORCE:
                transition(
                    event,
                    CreditEventStatus.ANNULLED,
                    actor=actor,
                    action="institutions.credit_event.annulled",
                    message=decision,
                    changes={"annulled_at": now, "annul_reason": decision},
                )
            recompute_credit_grade(institution, actor=actor, reason=_("Appeal upheld"))
        notify_members(
            institution,
            title=_("Your appeal was upheld; the blacklisting is lifted")
            if uphold
            else _("Your appeal was dismissed"),
            body=decision,
            actor=actor,
        )
    return appeal
