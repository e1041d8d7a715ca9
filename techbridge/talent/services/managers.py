"""Technology managers' profiles (reviewed by staff) and people's certificates (verified by staff)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, notifications
from techbridge.core.workflow import transition

from ..choices import CertificateKind, CertificateStatus, ManagerLevel, ManagerStatus
from ..models import MAX_FIELDS, Certificate, TechnologyManager
from ._common import require_staff, text, value


def _notify_staff(title: str, link: str) -> None:
    from techbridge.accounts.models import User
    from techbridge.core.roles import STAFF_ROLES

    for user in User.objects.filter(role__in=STAFF_ROLES, is_active=True):
        notifications.notify(user, kind="talent_review", title=title, link=link)


def save_manager_profile(*, actor: Any, data: dict[str, Any]) -> TechnologyManager:
    """Create or change the actor's technology-manager profile.

    ``data``: ``level`` (declared; staff confirm it), ``fields`` (1–6 industry fields), ``bio``,
    ``max_load`` (1–50), ``accepting_routes``. The institution is the actor's organisation's. A new
    profile, or a listed one whose level or fields change, goes (back) to review.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    from techbridge.institutions.queries import institution_of_org

    fields = list(data.get("fields") or [])
    level: Any = data.get("level")
    errors: dict[str, Any] = {}
    if level not in ManagerLevel.values:
        errors["level"] = _("Choose your level.")
    if not fields:
        errors["fields"] = _("Choose at least one industry field.")
    elif len(fields) > MAX_FIELDS:
        errors["fields"] = _("Choose at most %(n)s industry fields.") % {"n": MAX_FIELDS}
    if errors:
        raise ValidationError(errors)
    manager = TechnologyManager.objects.filter(user=actor).first()
    created = manager is None
    if manager is None:
        manager = TechnologyManager(user=actor, is_demo=getattr(actor.organization, "is_demo", False))
    before = (manager.level, set(manager.fields.values_list("pk", flat=True)) if not created else set())
    manager.level = level
    manager.bio = text(data.get("bio"), "bio", 2000)
    manager.max_load = value(data, "max_load") or manager.max_load
    manager.accepting_routes = bool(data.get("accepting_routes", True))
    manager.institution = institution_of_org(actor.organization_id)
    manager.updated_at = timezone.now()
    manager.full_clean(exclude=["institution"])
    with transaction.atomic():
        manager.save()
        manager.fields.set(fields)
        audit.record(
            manager,
            "talent.manager.created" if created else "talent.manager.updated",
            actor=actor,
            to_state=manager.status if created else "",
            data={"level": level, "fields": [f.code for f in fields]},
        )
        changed = not created and (before[0] != level or before[1] != {f.pk for f in fields})
        if changed and manager.status in (ManagerStatus.APPROVED, ManagerStatus.REJECTED):
            transition(manager, ManagerStatus.SUBMITTED, actor=actor, action="talent.manager.resubmitted")
        if created or changed:
            _notify_staff(
                _("Technology manager profile to review: %(name)s") % {"name": actor.display_name},
                reverse("talent_console:manager", args=[manager.pk]),
            )
    return manager


def review_manager(
    manager: TechnologyManager, *, actor: Any, approve: bool, note: str = "", level: str | None = None
) -> TechnologyManager:
    """List the profile in the directory (with the level staff confirmed) or return it with a reason."""
    require_staff(actor)
    if manager.user_id == actor.pk:
        raise PermissionDenied(_("You cannot review your own profile."))
    note = text(note, "note", 2000, required=not approve, message=_("Say what the manager should change."))
    changes: dict[str, Any] = {"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note}
    if approve and level:
        if level not in ManagerLevel.values:
            raise ValidationError({"level": _("Choose the level.")})
        changes["level"] = level
    with transaction.atomic():
        transition(
            manager,
            ManagerStatus.APPROVED if approve else ManagerStatus.REJECTED,
            actor=actor,
            action="talent.manager.listed" if approve else "talent.manager.returned",
            message=note,
            changes=changes,
        )
        notifications.notify(
            manager.user,
            kind="talent",
            title=_("Your technology manager profile is listed")
            if approve
            else _("Your technology manager profile was returned"),
            body=note,
            link=reverse("talent:manager_mine"),
        )
    return manager


def declare_certificate(
    *,
    actor: Any,
    kind: str,
    number: str,
    issuer: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
) -> Certificate:
    """A person declares a certificate they hold; it counts once staff verify it."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("Choose the kind of certificate.")})
    cert = Certificate(
        holder=actor,
        kind=kind,
        number=text(number, "number", 60, required=True),
        issuer=text(issuer, "issuer", 100, required=True),
        issued_on=issued_on,
        expires_on=expires_on,
    )
    cert.full_clean(exclude=["holder"])
    try:
        with transaction.atomic():
            cert.save()
            audit.record(
                cert, "talent.certificate.declared", actor=actor, to_state=cert.status, data={"kind": kind}
            )
    except IntegrityError:
        raise ValidationError(
            {"number": _("This certificate number of this issuer is already registered.")}
        ) from None
    _notify_staff(
        _("Certificate to verify: %(name)s") % {"name": actor.display_name},
        reverse("talent_console:certificates"),
    )
    return cert


def verify_certificate(cert: Certificate, *, actor: Any, accept: bool, note: str = "") -> Certificate:
    """Staff check a declared certificate with its issuer: verified, or not (with why)."""
    require_staff(actor)
    if cert.holder_id == actor.pk:
        raise PermissionDenied(_("You cannot verify your own certificate."))
    note = text(note, "note", 500, required=not accept, message=_("Say why the certificate is not verified."))
    with transaction.atomic():
        transition(
            cert,
            CertificateStatus.VERIFIED if accept else CertificateStatus.REJECTED,
            actor=actor,
            action="talent.certificate.verified" if accept else "talent.certificate.rejected",
            message=note,
            changes={"verified_by": actor, "verified_at": timezone.now(), "note": note},
        )
        notifications.notify(
            cert.holder,
            kind="talent",
            title=_("Your certificate %(number)s was verified") % {"number": cert.number}
            if accept
            else _("Your certificate %(number)s was not verified") % {"number": cert.number},
            body=note,
            link=reverse("talent:training_mine"),
        )
    return cert


def revoke_certificate(cert: Certificate, *, actor: Any, revoked_on: dt.date, reason: str) -> Certificate:
    require_staff(actor)
    reason = text(reason, "reason", 500, required=True, message=_("Say why the certificate is revoked."))
    if revoked_on < cert.issued_on or revoked_on > timezone.localdate():
        raise ValidationError(
            {"revoked_on": _("The revocation date must lie between the issue date and today.")}
        )
    transition(
        cert,
        CertificateStatus.REVOKED,
        actor=actor,
        action="talent.certificate.revoked",
        message=reason,
        changes={"revoked_on": revoked_on, "note": reason},
    )
    return cert
