"""IP-protection assistance (维权援助): requests, their routing to the assistance centre or an IP
service institution, handling through states with deadlines, evidence files and the outcome.

Deadlines: a provider accepts (or declines) a submitted request within ``ACCEPT_DAYS`` days and
closes an accepted one with an outcome within ``HANDLE_DAYS`` days; ``due_date`` holds the deadline of
the current step. The daily sweep reminds the provider (and tells the applicant) once per overdue step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit, notifications
from techbridge.core.roles import is_staff_reviewer
from techbridge.core.workflow import transition
from techbridge.lib.patents import is_patent_number, normalise_patent_number

from ..choices import OPEN_ASSISTANCE, AssistanceOutcome, AssistanceStatus
from ..models import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, AssistanceRequest, EvidenceFile, ServiceProvider
from ..permissions import (
    ASSIST_MESSAGE,
    can_add_evidence,
    can_edit_assistance,
    is_applicant,
    is_handler,
    may_request_assistance,
)

ACCEPT_DAYS = 7
HANDLE_DAYS = 30
REQUEST_FIELDS = ("kind", "title", "description", "patent_number", "counterparty", "industry")
EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".zip")


def _values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values[k] for k in REQUEST_FIELDS if k in values}
    for key in ("title", "description", "counterparty", "patent_number"):
        if key in out:
            out[key] = (out[key] or "").strip()
    if out.get("patent_number"):
        number = normalise_patent_number(out["patent_number"])
        if not is_patent_number(number):
            raise ValidationError(
                {"patent_number": _("“%(n)s” is not a Chinese patent number.") % {"n": out["patent_number"]}}
            )
        out["patent_number"] = number
    return out


def _link_patent(req: AssistanceRequest) -> None:
    from ..queries import patent_by_number

    req.patent = patent_by_number(req.patent_number) if req.patent_number else None


def create_request(*, actor: Any, values: dict[str, Any]) -> AssistanceRequest:
    """A draft request of the actor's organisation (members of approved organisations)."""
    if not may_request_assistance(actor):
        raise PermissionDenied(str(ASSIST_MESSAGE))
    with transaction.atomic():
        req = AssistanceRequest(applicant=actor.organization, created_by=actor, **_values(values))
        _link_patent(req)
        req.full_clean()
        req.save()
        audit.record(req, "ipservices.assistance.created", actor=actor, to_state=req.status)
    return req


def update_request(req: AssistanceRequest, *, actor: Any, values: dict[str, Any]) -> AssistanceRequest:
    if not can_edit_assistance(actor, req):
        raise PermissionDenied(_("Only the applicant changes a request, and only before submitting it."))
    with transaction.atomic():
        for key, value in _values(values).items():
            setattr(req, key, value)
        _link_patent(req)
        req.updated_at = timezone.now()
        req.full_clean()
        req.save()
        audit.record(req, "ipservices.assistance.updated", actor=actor)
    return req


def _check_provider(provider: ServiceProvider | None) -> ServiceProvider:
    if provider is None or not provider.is_active or not provider.offers_assistance:
        raise ValidationError(
            {"provider": _("Choose the assistance centre or an institution that takes assistance requests.")}
        )
    return provider


def submit_request(
    req: AssistanceRequest, *, actor: Any, provider: ServiceProvider | None
) -> AssistanceRequest:
    """Send a draft to a provider; it must accept or decline within ``ACCEPT_DAYS`` days."""
    if not can_edit_assistance(actor, req):
        raise PermissionDenied(_("Only the applicant submits its request."))
    provider = _check_provider(provider)
    if provider.organization_id == req.applicant_id:
        raise ValidationError({"provider": _("A provider cannot handle its own request.")})
    with transaction.atomic():
        transition(
            req,
            AssistanceStatus.SUBMITTED,
            actor=actor,
            action="ipservices.assistance.submitted",
            changes={
                "provider": provider,
                "submitted_at": timezone.now(),
                "due_date": timezone.localdate() + dt.timedelta(days=ACCEPT_DAYS),
            },
            data={"provider": provider.organization.name},
        )
        _notify_org(
            provider.organization_id,
            req,
            _("New assistance request: %(title)s"),
            f"submitted:{provider.pk}",
        )
    return req


def reroute_request(
    req: AssistanceRequest, *, actor: Any, provider: ServiceProvider | None
) -> AssistanceRequest:
    """Staff send a submitted request to another provider, with a new acceptance deadline."""
    if not is_staff_reviewer(actor):
        raise PermissionDenied(_("Only platform reviewers and operators route requests."))
    provider = _check_provider(provider)
    if provider.pk == req.provider_id:
        raise ValidationError({"provider": _("The request is already with this provider.")})
    if provider.organization_id == req.applicant_id:
        raise ValidationError({"provider": _("A provider cannot handle its own request.")})
    with transaction.atomic():
        transition(
            req,
            AssistanceStatus.SUBMITTED,
            actor=actor,
            action="ipservices.assistance.rerouted",
            changes={"provider": provider, "due_date": timezone.localdate() + dt.timedelta(days=ACCEPT_DAYS)},
            data={"provider": provider.organization.name},
        )
        _notify_org(
            provider.organization_id, req, _("New assistance request: %(title)s"), f"submitted:{provider.pk}"
        )
    return req


def _check_handler(req: AssistanceRequest, actor: Any) -> None:
    if not is_handler(actor, req):
        raise PermissionDenied(_("Only the members of the provider handle this request."))


def accept_request(req: AssistanceRequest, *, actor: Any) -> AssistanceRequest:
    """The provider takes the matter on; it must close it with an outcome within ``HANDLE_DAYS`` days."""
    _check_handler(req, actor)
    with transaction.atomic():
        transition(
            req,
            AssistanceStatus.ACCEPTED,
            actor=actor,
            action="ipservices.assistance.accepted",
            changes={
                "accepted_at": timezone.now(),
                "handled_by": actor,
                "due_date": timezone.localdate() + dt.timedelta(days=HANDLE_DAYS),
            },
        )
        _notify_org(req.applicant_id, req, _("Assistance request accepted: %(title)s"), "accepted")
    return req


def decline_request(req: AssistanceRequest, *, actor: Any, reason: str) -> AssistanceRequest:
    _check_handler(req, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the applicant a reason.")})
    with transaction.atomic():
        transition(
            req,
            AssistanceStatus.DECLINED,
            actor=actor,
            action="ipservices.assistance.declined",
            message=reason[:2000],
            changes={"decline_reason": reason[:2000], "due_date": None, "closed_at": timezone.now()},
        )
        _notify_org(req.applicant_id, req, _("Assistance request not accepted: %(title)s"), "declined")
    return req


def close_request(req: AssistanceRequest, *, actor: Any, outcome: str, note: str) -> AssistanceRequest:
    """Record the outcome of an accepted request and close it."""
    _check_handler(req, actor)
    if outcome not in AssistanceOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Describe the outcome for the applicant.")})
    if len(note) > 5000:
        raise ValidationError({"note": _("The description is longer than 5,000 characters.")})
    with transaction.atomic():
        transition(
            req,
            AssistanceStatus.CLOSED,
            actor=actor,
            action="ipservices.assistance.closed",
            changes={"outcome": outcome, "outcome_note": note, "closed_at": timezone.now(), "due_date": None},
            data={"outcome": outcome},
        )
        _notify_org(req.applicant_id, req, _("Assistance request closed: %(title)s"), "closed")
    return req


def withdraw_request(req: AssistanceRequest, *, actor: Any) -> AssistanceRequest:
    if not is_applicant(actor, req):
        raise PermissionDenied(_("Only the applicant withdraws its request."))
    with transaction.atomic():
        transition(
            req,
            AssistanceStatus.WITHDRAWN,
            actor=actor,
            action="ipservices.assistance.withdrawn",
            changes={"closed_at": timezone.now(), "due_date": None},
        )
        if req.provider is not None:
            _notify_org(
                req.provider.organization_id, req, _("Assistance request withdrawn: %(title)s"), "withdrawn"
            )
    return req


def add_evidence(
    req: AssistanceRequest, *, actor: Any, upload: UploadedFile, description: str = ""
) -> EvidenceFile:
    """Attach an evidence file (applicant while the request is open; the provider once accepted)."""
    if not can_add_evidence(actor, req):
        raise PermissionDenied(_("You cannot add evidence to this request now."))
    name = Path(upload.name or "").name[:200]
    if Path(name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Files of this type are not accepted. Use one of: %(types)s.")
                % {"types": " ".join(EVIDENCE_EXTENSIONS)}
            }
        )
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": MAX_EVIDENCE_BYTES // 2**20}}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        # A courtesy cap on the number of files: two uploads at the same moment may both pass it.
        if EvidenceFile.objects.filter(request=req).count() >= MAX_EVIDENCE_FILES:
            raise ValidationError(
                {"file": _("A request has at most %(n)s evidence files.") % {"n": MAX_EVIDENCE_FILES}}
            )
        evidence = EvidenceFile(
            request=req,
            name=name,
            size=upload.size,
            sha256=digest.hexdigest(),
            description=(description or "").strip()[:300],
            uploaded_by=actor,
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
        audit.record(
            req,
            "ipservices.assistance.evidence_added",
            actor=actor,
            data={"file": name, "sha256": evidence.sha256},
        )
    return evidence


def _notify_org(org_id: int | None, req: AssistanceRequest, title: str, step: str) -> None:
    if org_id is None:
        return
    from techbridge.accounts.models import User

    link = reverse("ipservices:assistance", args=[req.pk])
    for user in User.objects.filter(organization_id=org_id, is_active=True):
        notifications.notify(
            user,
            kind="ipservices_assistance",
            title=title % {"title": req.title},
            link=link,
            dedupe_key=f"ipservices:assistance:{req.pk}:{step}:{user.pk}",
        )


def remind_overdue() -> int:
    """Daily: tell the provider (and the applicant) once per step that passed its deadline."""
    today = timezone.localdate()
    overdue = AssistanceRequest.objects.filter(status__in=OPEN_ASSISTANCE, due_date__lt=today).select_related(
        "provider"
    )
    count = 0
    for req in overdue.iterator(chunk_size=200):
        step = f"overdue:{req.status}:{req.due_date}"
        if req.provider is not None:
            _notify_org(req.provider.organization_id, req, _("Assistance request overdue: %(title)s"), step)
        _notify_org(req.applicant_id, req, _("Your assistance request is past its deadline: %(title)s"), step)
        count += 1
    return count
