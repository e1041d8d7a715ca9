"""Applying, the review that lists an institution, its profile and its alliance role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.roles import is_operator
from techbridge.core.workflow import transition
from techbridge.organizations.choices import OrgKind

from ..choices import AllianceRole, InstitutionStatus, ServiceKind
from ..models import MAX_FIELDS, Institution, InstitutionService
from ..permissions import can_apply, is_member, require_member, require_operator, require_reviewer
from ._common import notify_members, notify_staff, text

PROFILE_FIELDS = ("summary", "staff_count", "contact_name", "contact_phone", "host")


def save_profile(
    *,
    actor: Any,
    data: dict[str, Any],
    institution: Institution | None = None,
) -> Institution:
    """Create the actor's organisation's application (a draft) or change an institution's profile.

    ``data``: ``summary``, ``staff_count``, ``contact_name``, ``contact_phone``, ``host`` (an
    organisation or ``None``), ``fields`` (industry fields, at most 6) and ``services`` (codes of
    ``ServiceKind``). Members of the organisation only; a listed institution's edits are audited and
    stay listed.
    """
    if institution is None:
        if not can_apply(actor):
            raise PermissionDenied(_("Only members of an approved service organisation can apply."))
        if Institution.objects.filter(organization_id=actor.organization_id).exists():
            raise ValidationError(_("Your organisation has already applied; edit its application instead."))
        institution = Institution(
            organization=actor.organization, created_by=actor, is_demo=actor.organization.is_demo
        )
        created = True
    else:
        require_member(actor, institution)
        created = False
    fields = list(data.get("fields") or [])
    services = list(dict.fromkeys(data.get("services") or []))
    errors: dict[str, Any] = {}
    if len(fields) > MAX_FIELDS:
        errors["fields"] = _("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS}
    unknown = [s for s in services if s not in ServiceKind.values]
    if unknown:
        errors["services"] = _("Unknown kind of service: %(codes)s.") % {
            "codes": ", ".join(map(str, unknown))
        }
    host = data.get("host")
    if host is not None and host.pk == institution.organization_id:
        errors["host"] = _("An institution cannot be its own host.")
    if errors:
        raise ValidationError(errors)
    before = {f: getattr(institution, f) for f in PROFILE_FIELDS} if not created else {}
    institution.summary = text(data.get("summary"), "summary", 3000)
    institution.contact_name = text(data.get("contact_name"), "contact_name", 50)
    institution.contact_phone = text(data.get("contact_phone"), "contact_phone", 40)
    institution.staff_count = data.get("staff_count") or 0
    institution.host = host
    institution.updated_at = timezone.now()
    institution.full_clean(exclude=["current_score", "current_credit"])
    with transaction.atomic():
        try:
            institution.save()
        except IntegrityError:
            raise ValidationError(
                _("Your organisation has already applied; edit its application instead.")
            ) from None
        institution.fields.set(fields)
        InstitutionService.objects.filter(institution=institution).exclude(code__in=services).delete()
        have = set(InstitutionService.objects.filter(institution=institution).values_list("code", flat=True))
        InstitutionService.objects.bulk_create(
            [InstitutionService(institution=institution, code=c) for c in services if c not in have]
        )
        changed = sorted(f for f in PROFILE_FIELDS if not created and before[f] != getattr(institution, f))
        audit.record(
            institution,
            "institutions.institution.created" if created else "institutions.institution.updated",
            actor=actor,
            to_state=institution.status if created else "",
            data={"fields": changed, "services": services, "industry_fields": [f.code for f in fields]},
        )
    return institution


def _check_complete(institution: Institution) -> None:
    missing = []
    if not institution.summary.strip():
        missing.append(_("profile"))
    if not institution.services.exists():
        missing.append(_("services offered"))
    if not institution.fields.exists():
        missing.append(_("industry fields"))
    if not (institution.contact_name and institution.contact_phone):
        missing.append(_("contact person and phone"))
    if missing:
        raise ValidationError(
            _("Complete the application before submitting it: %(missing)s.")
            % {"missing": "、".join(map(str, missing))}
        )
    org = institution.organization
    if org.kind != OrgKind.SERVICE or not org.is_approved:
        raise ValidationError(_("Only an approved service organisation can be listed as an institution."))


def submit_application(institution: Institution, *, actor: Any) -> Institution:
    """Send the application (again) to the reviewers; it must be complete."""
    require_member(actor, institution)
    _check_complete(institution)
    with transaction.atomic():
        transition(
            institution,
            InstitutionStatus.SUBMITTED,
            actor=actor,
            action="institutions.institution.submitted",
            changes={"submitted_at": timezone.now()},
        )
        notify_staff(
            title=_("Institution application to review: %(name)s") % {"name": institution.name},
            link=reverse("institutions_console:institution", args=[institution.pk]),
        )
    return institution


def approve_application(institution: Institution, *, actor: Any, note: str = "") -> Institution:
    """List the institution (reviewers): it appears in the directory and starts with a credit grade."""
    from .credit import recompute_credit_grade

    require_reviewer(actor)
    if is_member(actor, institution):
        raise PermissionDenied(_("You cannot review your own organisation's application."))
    note = text(note, "note", 2000)
    now = timezone.now()
    with transaction.atomic():
        transition(
            institution,
            InstitutionStatus.APPROVED,
            actor=actor,
            action="institutions.institution.listed",
            message=note,
            changes={
                "reviewed_at": now,
                "reviewed_by": actor,
                "review_note": note,
                "listed_at": institution.listed_at or now,
            },
        )
        if institution.current_credit_id is None:
            recompute_credit_grade(institution, actor=actor, reason=_("Listed in the directory"))
        notify_members(
            institution,
            title=_("Your institution is listed in the directory"),
            link=reverse("institutions:detail", args=[institution.pk]),
            actor=actor,
        )
    return institution


def return_application(institution: Institution, *, actor: Any, reason: str) -> Institution:
    """Send the application back with a reason the institution can act on (reviewers)."""
    require_reviewer(actor)
    reason = text(reason, "reason", 2000, required=True, message=_("Say what the institution should change."))
    with transaction.atomic():
        transition(
            institution,
            InstitutionStatus.REJECTED,
            actor=actor,
            action="institutions.institution.returned",
            message=reason,
            changes={"reviewed_at": timezone.now(), "reviewed_by": actor, "review_note": reason},
        )
        notify_members(
            institution, title=_("Your institution application was returned"), body=reason, actor=actor
        )
    return institution


def withdraw_listing(institution: Institution, *, actor: Any, reason: str = "") -> Institution:
    """Take a listed institution out of the directory (its members, or an operator)."""
    if not (is_member(actor, institution) or is_operator(actor)):
        raise PermissionDenied(_("Only members of the institution or an operator can withdraw it."))
    reason = text(reason, "reason", 2000)
    with transaction.atomic():
        transition(
            institution,
            InstitutionStatus.WITHDRAWN,
            actor=actor,
            action="institutions.institution.withdrawn",
            message=reason,
        )
        notify_members(
            institution,
            title=_("Your institution was withdrawn from the directory"),
            body=reason,
            actor=actor,
        )
    return institution


def set_alliance_role(
    institution: Institution, *, actor: Any, role: str, joined_on: dt.date | None = None
) -> Institution:
    """Record the institution's role in the alliance (operators act for its secretariat)."""
    require_operator(actor)
    if role not in AllianceRole.values:
        raise ValidationError({"alliance_role": _("Unknown alliance role.")})
    if role and joined_on is None:
        raise ValidationError({"alliance_joined_on": _("Give the date the institution joined the alliance.")})
    if joined_on and joined_on > timezone.localdate():
        raise ValidationError({"alliance_joined_on": _("The date cannot be in the future.")})
    before = (institution.alliance_role, institution.alliance_joined_on)
    with transaction.atomic():
        Institution.objects.filter(pk=institution.pk).update(
            alliance_role=role, alliance_joined_on=joined_on if role else None, updated_at=timezone.now()
        )
        institution.alliance_role, institution.alliance_joined_on = role, joined_on if role else None
        audit.record(
            institution,
            "institutions.institution.alliance_changed",
            actor=actor,
            data={
                "from": [before[0], before[1].isoformat() if before[1] else None],
                "to": [role, joined_on.isoformat() if joined_on and role else None],
            },
        )
    return institution
