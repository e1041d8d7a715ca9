"""Demonstration designations: the institution declares one with its certificate, staff verify it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import transition

from ..choices import DemonstrationLevel, DesignationStatus
from ..models import Designation, Institution
from ..permissions import is_member, require_member, require_reviewer
from ._common import check_upload, notify_members, notify_staff, text


def declare_designation(
    institution: Institution,
    *,
    actor: Any,
    level: str,
    designated_on: dt.date,
    certificate_number: str,
    issued_by: str,
    valid_until: dt.date | None = None,
    certificate: Any = None,
) -> Designation:
    """An institution's member declares a designation; it counts once staff verify it."""
    require_member(actor, institution)
    if level not in DemonstrationLevel.values:
        raise ValidationError({"level": _("Choose the level of the designation.")})
    check_upload(certificate, "certificate")
    designation = Designation(
        institution=institution,
        level=level,
        designated_on=designated_on,
        valid_until=valid_until,
        certificate_number=text(certificate_number, "certificate_number", 60, required=True),
        issued_by=text(issued_by, "issued_by", 100, required=True),
        declared_by=actor,
    )
    designation.full_clean(exclude=["certificate", "institution"])
    try:
        with transaction.atomic():
            if certificate is not None:
                designation.certificate.save(certificate.name, certificate, save=False)
            designation.save()
            audit.record(
                designation,
                "institutions.designation.declared",
                actor=actor,
                to_state=designation.status,
                data={"level": level, "certificate": designation.certificate_number},
            )
    except IntegrityError:
        raise ValidationError(
            {"certificate_number": _("This certificate was already declared for this level.")}
        ) from None
    notify_staff(
        title=_("Designation to verify: %(name)s") % {"name": institution.name},
        link=reverse("institutions_console:institution", args=[institution.pk]),
    )
    return designation


def verify_designation(designation: Designation, *, actor: Any, accept: bool, note: str = "") -> Designation:
    """Staff check the certificate against the issuing authority's list: verified, or not (with why)."""
    require_reviewer(actor)
    if is_member(actor, designation.institution):
        raise PermissionDenied(_("You cannot verify your own organisation's designation."))
    note = text(
        note, "note", 1000, required=not accept, message=_("Say why the designation is not verified.")
    )
    to = DesignationStatus.VERIFIED if accept else DesignationStatus.REJECTED
    with transaction.atomic():
        transition(
            designation,
            to,
            actor=actor,
            action="institutions.designation.verified" if accept else "institutions.designation.rejected",
            message=note,
            changes={"verified_by": actor, "verified_at": timezone.now(), "note": note},
        )
        notify_members(
            designation.institution,
            title=(
                _("Your demonstration designation was verified")
                if accept
                else _("Your demonstration designation was not verified")
            ),
            body=note,
            actor=actor,
        )
    return designation


def revoke_designation(
    designation: Designation, *, actor: Any, revoked_on: dt.date, reason: str
) -> Designation:
    """Staff record that the issuing authority revoked a designation (from ``revoked_on``)."""
    require_reviewer(actor)
    reason = text(reason, "reason", 1000, required=True, message=_("Say why the designation was revoked."))
    if revoked_on < designation.designated_on or revoked_on > timezone.localdate():
        raise ValidationError(
            {"revoked_on": _("The revocation date must lie between the designation and today.")}
        )
    with transaction.atomic():
        transition(
            designation,
            DesignationStatus.REVOKED,
            actor=actor,
            action="institutions.designation.revoked",
            message=reason,
            changes={"revoked_on": revoked_on, "note": reason},
        )
        notify_members(
            designation.institution,
            title=_("Your demonstration designation was revoked"),
            body=reason,
            actor=actor,
        )
    return designation
