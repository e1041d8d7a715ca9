"""Rules and moves shared by every reviewable listing (achievements, demands).

Each listing app wraps these in its own services (``publish_achievement`` …) and adds what is
particular to it, such as keeping the search index up to date. Who may make each move is decided by
``core.listing_permissions`` (the same helpers the pages, the API and the buttons use). The audit codes
written here are ``<app>.<model>.<verb>`` of the listing's model (``achievements.achievement.published``);
each listing app registers their words with ``review_audit_labels(Model)``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, notifications
from .fulltext import get_backend
from .listing_permissions import check_edit, check_editor, check_review, check_withdraw
from .signals import listing_changed
from .workflow import ReviewableListing, ReviewStatus, TransitionError, record_created, transition

# The verbs of the review written here, and their words.
REVIEW_VERBS: dict[str, Promise] = {
    "created": gettext_lazy("Created"),
    "edited": gettext_lazy("Edited"),
    "submitted": gettext_lazy("Submitted for review"),
    "resubmitted": gettext_lazy("Back to review after an edit"),
    "published": gettext_lazy("Approved and published"),
    "rejected": gettext_lazy("Rejected"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "reopened": gettext_lazy("Reopened as draft"),
    "expired": gettext_lazy("Expired"),
    "marked_stale": gettext_lazy("Marked as stale"),
}


def review_audit_labels(model: type[ReviewableListing]) -> dict[str, Promise]:
    """The words of the review codes of ``model``, for its app's ``extensions.py``."""
    return {audit.code(model, verb): label for verb, label in REVIEW_VERBS.items()}


# ---- moves -----------------------------------------------------------------------------------


def submit(listing: ReviewableListing, *, actor: Any) -> None:
    """Send a draft, rejected or expired listing to the reviewers."""
    check_editor(actor, listing)
    transition(
        listing,
        ReviewStatus.SUBMITTED,
        actor=actor,
        action=audit.code(listing, "submitted"),
        changes={"reject_reason": ""},
    )


def approve(listing: ReviewableListing, *, actor: Any) -> None:
    """Publish a submitted listing. Only reviewers and operators may."""
    check_review(actor)
    now = timezone.now()
    transition(
        listing,
        ReviewStatus.PUBLISHED,
        actor=actor,
        action=audit.code(listing, "published"),
        changes={"published_at": listing.published_at or now, "reject_reason": "", "stale_since": None},
    )
    _notify_owner(listing, "listing_published", _("Your listing was published: %(title)s"))


def reject(listing: ReviewableListing, *, actor: Any, reason: str) -> None:
    """Send a submitted listing back with a reason the owner can act on."""
    check_review(actor)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the owner a reason for the rejection."))
    transition(
        listing,
        ReviewStatus.REJECTED,
        actor=actor,
        action=audit.code(listing, "rejected"),
        message=reason,
        changes={"reject_reason": reason},
    )
    _notify_owner(listing, "listing_rejected", _("Your listing was not approved: %(title)s"), body=reason)


def withdraw(listing: ReviewableListing, *, actor: Any, reason: str = "") -> None:
    """Take a listing off the portal. Owners may withdraw theirs; operators may withdraw any."""
    check_withdraw(actor, listing)
    transition(
        listing, ReviewStatus.WITHDRAWN, actor=actor, action=audit.code(listing, "withdrawn"), message=reason
    )


def reopen(listing: ReviewableListing, *, actor: Any) -> None:
    """Bring a withdrawn listing back as a draft."""
    check_editor(actor, listing)
    transition(listing, ReviewStatus.DRAFT, actor=actor, action=audit.code(listing, "reopened"))


def expire(listing: ReviewableListing, *, actor: Any = None, reason: str = "") -> None:
    """Mark a published listing expired (deadline passed); the system or an operator does this."""
    transition(
        listing, ReviewStatus.EXPIRED, actor=actor, action=audit.code(listing, "expired"), message=reason
    )
    _notify_owner(listing, "listing_expired", _("Your listing has expired: %(title)s"), body=reason)


def after_content_edit(listing: ReviewableListing, *, actor: Any, changed: list[str]) -> None:
    """Record an owner's edit; an edited published listing goes back to review."""
    audit.record(listing, audit.code(listing, "edited"), actor=actor, data={"fields": sorted(changed)})
    if listing.status == ReviewStatus.PUBLISHED:
        transition(listing, ReviewStatus.SUBMITTED, actor=actor, action=audit.code(listing, "resubmitted"))


def sync_search(model: type[ReviewableListing], pk: int, *, kind: str, related: tuple[str, ...] = ()) -> str:
    """Make the full-text index agree with the listing's current state and tell the listeners
    (``core.signals.listing_changed``): indexed when published, removed otherwise. Idempotent.

    ``related``: what ``search_document`` reads through foreign keys (``select_related``).
    """
    listing = model._default_manager.filter(pk=pk).select_related(*related).first()
    backend = get_backend()
    if listing is None or listing.status != ReviewStatus.PUBLISHED:
        backend.remove(kind, pk)
        listing_changed.send(sender=model, pk=pk, published=False)
        return "removed"
    backend.index(kind, pk, listing.search_document())  # type: ignore[attr-defined]
    listing_changed.send(sender=model, pk=pk, published=True)
    return "indexed"


def stale_cutoff() -> Any:
    return timezone.now() - timedelta(days=settings.LISTING_STALE_DAYS)


def mark_stale(model: type[ReviewableListing], *, link_name: str) -> int:
    """Flag published listings whose content is older than the cut-off and remind their owners once.

    Returns how many listings became stale in this run.
    """
    from django.urls import reverse

    count = 0
    qs = model._default_manager.filter(
        status=ReviewStatus.PUBLISHED, stale_since__isnull=True, content_updated_at__lt=stale_cutoff()
    )
    for listing in qs.iterator():
        now = timezone.now()
        rows = model._default_manager.filter(pk=listing.pk, stale_since__isnull=True).update(stale_since=now)
        if rows != 1:
            continue
        listing.stale_since = now
        audit.record(listing, audit.code(listing, "marked_stale"))
        _notify_owner(
            listing,
            "listing_stale",
            _("Please update your listing: %(title)s"),
            body=_("It has not been updated for %(days)s days and is shown as possibly out of date.")
            % {"days": settings.LISTING_STALE_DAYS},
            link=reverse(link_name, args=[listing.pk]),
            dedupe=f"stale:{model._meta.label_lower}:{listing.pk}:{now:%Y%m}",
        )
        count += 1
    return count


def _notify_owner(
    listing: ReviewableListing, kind: str, title_tpl: str, *, body: str = "", link: str = "", dedupe: str = ""
) -> None:
    recipient = listing.created_by
    if recipient is None:
        return
    notifications.notify(
        recipient,
        kind=kind,
        title=title_tpl % {"title": listing.title},
        body=body,
        link=link,
        dedupe_key=dedupe,
    )


def owner_queryset(model: type[models.Model], user: Any) -> models.QuerySet:
    """The listings of the user's organisation ("my listings")."""
    if not getattr(user, "is_authenticated", False) or not user.organization_id:
        return model._default_manager.none()
    return model._default_manager.filter(**{f"{model.OWNER_FIELD}_id": user.organization_id})  # type: ignore[attr-defined]


# ---- create and edit -------------------------------------------------------------------------


def _check_fields(data: dict[str, Any], editable: tuple[str, ...]) -> None:
    from django.core.exceptions import ValidationError

    unknown = set(data) - set(editable)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})


def _visible_title(data: dict[str, Any]) -> dict[str, Any]:
    """The title without right-to-left overrides and zero-width characters (issue 20 point 12): a title
    of nothing else is then blank and refused as such."""
    from techbridge.lib.text import strip_invisible

    if isinstance(data.get("title"), str):
        return {**data, "title": strip_invisible(data["title"])}
    return data


def create_listing(
    model: type[ReviewableListing],
    *,
    actor: Any,
    data: dict[str, Any],
    editable: tuple[str, ...],
    m2m: dict[str, Any],
) -> Any:
    """Validate and save a new draft owned by the actor's organisation, with its many-to-many values.

    Nothing is saved unless everything is valid.
    """
    from django.db import transaction

    _check_fields(data, editable)
    data = _visible_title(data)
    listing = model(**data, **{model.OWNER_FIELD: actor.organization}, created_by=actor)
    listing.full_clean(exclude=[model.OWNER_FIELD])
    with transaction.atomic():
        listing.save()
        for name, values in m2m.items():
            getattr(listing, name).set(list(values))
        record_created(listing, actor=actor, action=audit.code(listing, "created"))
    return listing


def update_listing(
    listing: ReviewableListing,
    *,
    actor: Any,
    data: dict[str, Any],
    editable: tuple[str, ...],
    m2m: dict[str, Any],
    extra: Any = None,
) -> list[str]:
    """Apply an owner's edit atomically; returns the names of what changed.

    ``extra(changed)`` runs inside the same transaction for app-specific parts (attachments).
    A published listing goes back to review after an edit.
    """
    from django.db import transaction

    check_edit(actor, listing)
    _check_fields(data, editable)
    data = _visible_title(data)
    changed = [k for k, v in data.items() if getattr(listing, k) != v]
    for key, value in data.items():
        setattr(listing, key, value)
    listing.full_clean(exclude=[listing.OWNER_FIELD])
    with transaction.atomic():
        listing.content_updated_at = timezone.now()
        listing.stale_since = None
        listing.updated_at = timezone.now()
        listing.save(update_fields=[*data, "content_updated_at", "stale_since", "updated_at"])
        for name, values in m2m.items():
            if values is None:
                continue
            manager = getattr(listing, name)
            before = set(manager.values_list("pk", flat=True))
            manager.set(list(values))
            if before != {v.pk for v in values}:
                changed.append(name)
        if extra is not None:
            extra(changed)
        after_content_edit(listing, actor=actor, changed=changed)
    return changed


def field_chart(model: Any, series_name: str, *, top: int = 10) -> dict[str, Any] | None:
    """The big screen's bar chart of a listing model's published records per industry field (top ``top``)."""
    from django.db.models import Count

    rows = list(
        model.objects.filter(status=ReviewStatus.PUBLISHED, fields__isnull=False)
        .values("fields__name")
        .annotate(n=Count("id"))
        .order_by("-n", "fields__name")[:top]
    )
    if not rows:
        return None
    return {
        "kind": "bar",
        "horizontal": True,
        "labels": [r["fields__name"] for r in rows],
        "series": [{"name": series_name, "values": [r["n"] for r in rows]}],
    }
