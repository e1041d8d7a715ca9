"""Helpers the institutions services share: notifying an institution's members, checking uploads."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from techbridge.core import notifications

from ..models import EVIDENCE_EXTENSIONS, MAX_EVIDENCE_BYTES, Institution


def notify_members(
    institution: Institution,
    *,
    title: str,
    body: str = "",
    link: str = "",
    dedupe: str = "",
    actor: Any = None,
) -> None:
    """Tell every active member of the institution's organisation (not the actor)."""
    from techbridge.accounts.models import User

    link = link or reverse("institutions:mine")
    actor_pk = getattr(actor, "pk", None)
    for user in User.objects.filter(organization_id=institution.organization_id, is_active=True):
        if user.pk != actor_pk:
            notifications.notify(
                user,
                kind="institution",
                title=title,
                body=body[:500],
                link=link,
                dedupe_key=f"{dedupe}:{user.pk}" if dedupe else "",
            )


def notify_staff(*, title: str, link: str, body: str = "", dedupe: str = "") -> None:
    """Tell the platform's reviewers and operators (a queue has work)."""
    from techbridge.accounts.models import User
    from techbridge.core.roles import STAFF_ROLES

    for user in User.objects.filter(role__in=STAFF_ROLES, is_active=True):
        notifications.notify(
            user,
            kind="institution_review",
            title=title,
            body=body[:500],
            link=link,
            dedupe_key=f"{dedupe}:{user.pk}" if dedupe else "",
        )


def check_upload(upload: Any, field: str) -> None:
    """Evidence files: PDF, images, Word or ZIP up to 20 MB."""
    if upload is None:
        return
    ext = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if ext not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                field: _("Attach a PDF, image, Word or ZIP file (%(allowed)s).")
                % {"allowed": " ".join(EVIDENCE_EXTENSIONS)}
            }
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({field: _("Files are limited to 20 MB.")})


def text(value: Any, field: str, limit: int, *, required: bool = False, message: str = "") -> str:
    """A user's text, stripped; refused when over ``limit`` (or empty when ``required``)."""
    value = str(value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("At most %(limit)s characters (now %(n)s).") % {"limit": limit, "n": len(value)}}
        )
    return value
