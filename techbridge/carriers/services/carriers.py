"""Writes to carriers and their incubated firms: register, review, revoke; admit, graduate, leave."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.roles import Role, is_operator
from techbridge.core.workflow import TransitionError, record_created, transition
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from .. import permissions
from ..choices import CarrierStatus, FirmStatus
from ..models import Carrier, IncubatedFirm

# What the operating organisation may write; status, approval and revocation are the reviewers'.
CARRIER_FIELDS = (
    "name",
    "kind",
    "level",
    "recognised_on",
    "recognised_by",
    "certificate_no",
    "district",
    "zone",
    "address",
    "space_m2",
    "services",
    "description",
    "website",
    "contact_name",
    "contact_phone",
)
MAX_HOSTS = 10
# Changing these after approval sends the carrier back to review: they are what the targets count.
RECOGNITION_FIELDS = ("kind", "level", "recognised_on", "recognised_by", "certificate_no")


def _check_fields(data: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})


def _set_links(
    carrier: Carrier, hosts: Iterable[Organization] | None, fields: Iterable[IndustryField] | None
) -> list[str]:
    changed = []
    if hosts is not None:
        hosts = list(hosts)
        if len(hosts) > MAX_HOSTS:
            raise ValidationError({"hosts": _("At most %(n)s host organisations.") % {"n": MAX_HOSTS}})
        before = set(carrier.hosts.values_list("pk", flat=True))
        carrier.hosts.set(hosts)
        if before != {h.pk for h in hosts}:
            changed.append("hosts")
    if fields is not None:
        fields = list(fields)
        before = set(carrier.fields.values_list("pk", flat=True))
        carrier.fields.set(fields)
        if before != {f.pk for f in fields}:
            changed.append("fields")
    return changed


def register_carrier(
    *,
    actor: Any,
    data: dict[str, Any],
    hosts: Iterable[Organization] = (),
    fields: Iterable[IndustryField] = (),
    operator: Organization | None = None,
    is_demo: bool = False,
) -> Carrier:
    """Create a draft carrier run by the actor's organisation (operators may name another ``operator``)."""
    permissions.check_register_carrier(actor)
    if operator is None or not is_operator(actor):
        operator = actor.organization
    if operator is None:
        raise ValidationError({"operator": _("Choose the organisation that runs the carrier.")})
    _check_fields(data, CARRIER_FIELDS)
    carrier = Carrier(**data, operator=operator, created_by=actor, is_demo=is_demo)
    carrier.full_clean()
    with transaction.atomic():
        carrier.save()
        _set_links(carrier, hosts, fields)
        record_created(carrier, actor=actor, action="carriers.carrier.created")
    return carrier


def update_carrier(
    carrier: Carrier,
    *,
    actor: Any,
    data: dict[str, Any],
    hosts: Iterable[Organization] | None = None,
    fields: Iterable[IndustryField] | None = None,
) -> list[str]:
    """Apply the operating organisation's edit; a change to the recognition of an approved carrier sends
    it back to review. Returns the names of what changed."""
    permissions.check_manage_carrier(actor, carrier)
    if carrier.status == CarrierStatus.REVOKED:
        raise TransitionError(_("A revoked carrier cannot be changed."))
    _check_fields(data, CARRIER_FIELDS)
    changed = [k for k, v in data.items() if getattr(carrier, k) != v]
    for key, value in data.items():
        setattr(carrier, key, value)
    carrier.full_clean()
    with transaction.atomic():
        carrier.updated_at = timezone.now()
        carrier.save(update_fields=[*data, "updated_at"])
        changed += _set_links(carrier, hosts, fields)
        if changed:
            audit.record(carrier, "carriers.carrier.updated", actor=actor, data={"fields": sorted(changed)})
        if (
            carrier.status == CarrierStatus.APPROVED
            and set(changed) & set(RECOGNITION_FIELDS)
            and not is_operator(actor)
        ):
            transition(
                carrier,
                CarrierStatus.SUBMITTED,
                actor=actor,
                action="carriers.carrier.submitted",
                message=_("Recognition changed; back to review."),
            )
    return changed


def submit_carrier(carrier: Carrier, *, actor: Any) -> None:
    permissions.check_manage_carrier(actor, carrier)
    if not carrier.operator.is_approved:
        raise TransitionError(_("Your organisation must be approved before its carriers can be reviewed."))
    transition(
        carrier,
        CarrierStatus.SUBMITTED,
        actor=actor,
        action="carriers.carrier.submitted",
        changes={"reject_reason": ""},
    )


def approve_carrier(carrier: Carrier, *, actor: Any) -> None:
    """Approve a submitted carrier: it becomes public and counts toward the targets."""
    permissions.check_review_carriers(actor)
    transition(
        carrier,
        CarrierStatus.APPROVED,
        actor=actor,
        action="carriers.carrier.approved",
        changes={
            "approved_at": timezone.now(),
            "approved_by": actor,
            "reject_reason": "",
            "revoked_on": None,
        },
    )
    _tell_operator(carrier, _("Your carrier %(name)s was approved.") % {"name": carrier.name})


def reject_carrier(carrier: Carrier, *, actor: Any, reason: str) -> None:
    """Return a submitted carrier for correction, with a reason."""
    permissions.check_review_carriers(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the organisation a reason it can act on.")})
    transition(
        carrier,
        CarrierStatus.REJECTED,
        actor=actor,
        action="carriers.carrier.rejected",
        message=reason,
        changes={"reject_reason": reason[:2000]},
    )
    _tell_operator(
        carrier, _("Your carrier %(name)s was returned for correction.") % {"name": carrier.name}, reason
    )


def revoke_carrier(carrier: Carrier, *, actor: Any, reason: str, on: dt.date | None = None) -> None:
    """Revoke an approved carrier (its recognition was withdrawn); it stops counting from ``on``."""
    permissions.check_review_carriers(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    day = on or timezone.localdate()
    transition(
        carrier,
        CarrierStatus.REVOKED,
        actor=actor,
        action="carriers.carrier.revoked",
        message=reason,
        changes={"revoked_on": day, "reject_reason": reason[:2000]},
    )
    _tell_operator(carrier, _("Your carrier %(name)s was revoked.") % {"name": carrier.name}, reason)


def reinstate_carrier(carrier: Carrier, *, actor: Any) -> None:
    permissions.check_review_carriers(actor)
    transition(
        carrier,
        CarrierStatus.APPROVED,
        actor=actor,
        action="carriers.carrier.reinstated",
        changes={"revoked_on": None, "reject_reason": ""},
    )


def _tell_operator(carrier: Carrier, title: str, body: str = "") -> None:
    from django.urls import reverse

    admins = carrier.operator.members.filter(role=Role.ORG_ADMIN, is_active=True)  # type: ignore[attr-defined]
    recipients = {u.pk: u for u in admins}
    if carrier.created_by is not None:
        recipients.setdefault(carrier.created_by.pk, carrier.created_by)
    for user in recipients.values():
        notify(
            user,
            kind="carrier_review",
            title=title,
            body=body,
            link=reverse("carriers:detail", args=[carrier.pk]),
        )


# ---- incubated firms ------------------------------------------------------------------------------------

FIRM_FIELDS = ("name", "credit_code", "organization", "field", "entered_on", "note")


def admit_firm(carrier: Carrier, *, actor: Any, data: dict[str, Any]) -> IncubatedFirm:
    """Record a firm admitted to the carrier. Only approved carriers host firms."""
    permissions.check_record_firms(actor, carrier)
    if carrier.status != CarrierStatus.APPROVED:
        raise TransitionError(_("Firms are recorded once the carrier is approved."))
    _check_fields(data, FIRM_FIELDS)
    org = data.get("organization")
    if org is not None and not data.get("name"):
        data = {**data, "name": org.name}
    if org is not None and not data.get("credit_code") and org.credit_code:
        data = {**data, "credit_code": org.credit_code}
    firm = IncubatedFirm(carrier=carrier, **data)
    if firm.entered_on and firm.entered_on > timezone.localdate():
        raise ValidationError({"entered_on": _("The admission date cannot be in the future.")})
    firm.full_clean()
    with transaction.atomic():
        firm.save()
        record_created(firm, actor=actor, action="carriers.firm.admitted", data={"carrier": carrier.pk})
    return firm


def close_firm(firm: IncubatedFirm, *, actor: Any, graduated: bool, on: dt.date) -> None:
    """A firm graduates (or leaves without graduating) on ``on``."""
    permissions.check_record_firms(actor, firm.carrier)
    if on < firm.entered_on:
        raise ValidationError({"on": _("A firm cannot leave before it was admitted.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if graduated:
        transition(
            firm,
            FirmStatus.GRADUATED,
            actor=actor,
            action="carriers.firm.graduated",
            changes={"graduated_on": on},
        )
    else:
        transition(firm, FirmStatus.LEFT, actor=actor, action="carriers.firm.left", changes={"left_on": on})


def firms_on_record(carrier: Carrier, year: int) -> dict[str, int]:
    """What the firm records say about ``year``: in incubation at year end, admitted, graduated."""
    end = dt.date(year, 12, 31)
    firms = carrier.firms.all()
    return {
        "firms_incubated": firms.filter(entered_on__lte=end)
        .exclude(graduated_on__lte=end)
        .exclude(left_on__lte=end)
        .count(),
        "firms_new": firms.filter(entered_on__year=year).count(),
        "firms_graduated": firms.filter(graduated_on__year=year).count(),
    }
