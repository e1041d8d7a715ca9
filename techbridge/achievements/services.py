"""Writes to achievements. Every change is validated, atomic and audited; the search index follows
after the transaction commits."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.core import audit, listings
from techbridge.core.listing_files import CheckedFile, check_attachment
from techbridge.core.permissions import signed_in
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import TransitionError
from techbridge.organizations.choices import OrgStatus
from techbridge.taxonomy.models import DealMode, IndustryField

from . import tasks
from .models import Achievement, AchievementAttachment, NdaAcceptance
from .permissions import check_author

EDITABLE_FIELDS = (
    "title",
    "kind",
    "discipline",
    "ipc_codes",
    "trl",
    "price_negotiable",
    "price",
    "patent_numbers",
    "legal_status",
    "team",
    "contact_name",
    "contact_phone",
    "contact_email",
    "summary",
    "advantages",
    "applications",
    "detail",
    "keywords",
    "dual_use",
    "zone",
)


def _sync_index(achievement: Achievement) -> None:
    enqueue(tasks.sync_achievement_search, achievement.pk)


def create_achievement(
    *,
    actor: Any,
    data: dict[str, Any],
    fields: Iterable[IndustryField] = (),
    deal_modes: Iterable[DealMode] = (),
    attachments: Sequence[Any] = (),
) -> Achievement:
    """Create a draft achievement owned by the actor's organisation, with its files, or nothing at all.

    Without a zone it takes the owner organisation's zone; the owner may change it afterwards.
    """
    check_author(actor)
    if not data.get("zone"):
        data = {**data, "zone": actor.organization.zone}
    checked = [(upload, *check_attachment(upload)) for upload in attachments]
    with transaction.atomic():
        achievement = listings.create_listing(
            Achievement,
            actor=actor,
            data=data,
            editable=EDITABLE_FIELDS,
            m2m={"fields": fields, "deal_modes": deal_modes},
        )
        for upload, kind, real in checked:
            _save_attachment(achievement, upload, actor, (kind, real))
    return achievement


def update_achievement(
    achievement: Achievement,
    *,
    actor: Any,
    data: dict[str, Any],
    fields: Iterable[IndustryField] | None = None,
    deal_modes: Iterable[DealMode] | None = None,
    attachments: Sequence[Any] = (),
) -> Achievement:
    """Apply an owner's edit. A published achievement goes back to review after an edit."""
    checked = [(upload, *check_attachment(upload)) for upload in attachments]

    def add_files(changed: list[str]) -> None:
        for upload, kind, real in checked:
            _save_attachment(achievement, upload, actor, (kind, real))
            changed.append("attachments")

    listings.update_listing(
        achievement,
        actor=actor,
        data=data,
        editable=EDITABLE_FIELDS,
        m2m={"fields": fields, "deal_modes": deal_modes},
        extra=add_files,
    )
    _sync_index(achievement)
    return achievement


def _save_attachment(
    achievement: Achievement, upload: Any, actor: Any, checked: tuple[str, CheckedFile] | None = None
) -> AchievementAttachment:
    """A confidential file of the form's attachment field, checked by its content (``check_attachment``,
    unless ``checked`` holds its result); stored under a generated name, thumbnailed when an image."""
    kind, real = checked or check_attachment(upload)
    att = AchievementAttachment(
        achievement=achievement,
        name=os.path.basename(upload.name or "")[:200] or f"file.{real.extension}",
        size=real.size,
        kind=kind,
        content_type=real.content_type,
        width=real.width,
        height=real.height,
        uploaded_by=actor,
    )
    upload.seek(0)
    att.file.save(f"{uuid.uuid4().hex}.{real.extension}", upload, save=False)
    att.save()
    audit.record(
        achievement,
        "achievements.achievement.attachment_added",
        actor=actor,
        data={"name": att.name, "size": att.size},
    )
    if att.is_image:
        enqueue(tasks.make_attachment_thumbnail, att.pk)
    return att


def submit_achievement(achievement: Achievement, *, actor: Any) -> None:
    """Send an achievement for review; the owning organisation must have been approved."""
    if achievement.owner.status != OrgStatus.APPROVED:
        raise TransitionError(
            _("Your organisation is still awaiting review; you can submit once it is approved.")
        )
    listings.submit(achievement, actor=actor)


def approve_achievement(achievement: Achievement, *, actor: Any) -> None:
    """Publish an achievement (reviewers); it becomes searchable after the commit."""
    listings.approve(achievement, actor=actor)
    _sync_index(achievement)


def reject_achievement(achievement: Achievement, *, actor: Any, reason: str) -> None:
    listings.reject(achievement, actor=actor, reason=reason)


def withdraw_achievement(achievement: Achievement, *, actor: Any, reason: str = "") -> None:
    listings.withdraw(achievement, actor=actor, reason=reason)
    _sync_index(achievement)


def reopen_achievement(achievement: Achievement, *, actor: Any) -> None:
    listings.reopen(achievement, actor=actor)


def accept_nda(achievement: Achievement, *, actor: Any) -> NdaAcceptance:
    """Record that a signed-in user accepted the non-disclosure terms of a published achievement."""
    if not signed_in(actor):
        raise PermissionDenied(_("Sign in to accept the non-disclosure terms."))
    if not achievement.is_public:
        raise TransitionError(_("Only published achievements can be opened under NDA."))
    with transaction.atomic():
        nda, created = NdaAcceptance.objects.get_or_create(achievement=achievement, user=actor)
        if created:
            audit.record(achievement, "achievements.achievement.nda_accepted", actor=actor)
    return nda


def sweep_stale_achievements() -> int:
    """Flag achievements not updated for a year and remind their owners (once)."""
    return listings.mark_stale(Achievement, link_name="achievements:edit")
