"""State machines: allowed moves declared in one dict per model, one function that makes a move.

A move is a conditional UPDATE on the current status (so two reviewers acting at once cannot both
win, on SQLite as on PostgreSQL), saved with ``update_fields`` semantics, and written to the audit log.
No status is set anywhere else.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit


class TransitionError(Exception):
    """A move the state machine does not allow, or one that lost a race."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


class StateMachineMixin(models.Model):
    """Declare ``TRANSITIONS = {from: {to, ...}}`` and ``STATUS_FIELD`` on the model."""

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {}
    STATUS_FIELD: ClassVar[str] = "status"

    class Meta:
        abstract = True

    def can_move_to(self, to: str) -> bool:
        return to in self.TRANSITIONS.get(getattr(self, self.STATUS_FIELD), set())


def transition(
    obj: StateMachineMixin,
    to: str,
    *,
    actor: Any,
    action: str,
    message: str = "",
    changes: dict[str, Any] | None = None,
    data: dict | None = None,
) -> None:
    """Move ``obj`` to state ``to``, saving ``changes`` with it, and audit the move.

    Raises ``TransitionError`` when the move is not allowed from the current state or when the row
    changed state underneath us.
    """
    field = obj.STATUS_FIELD
    current = getattr(obj, field)
    if not obj.can_move_to(to):
        raise TransitionError(
            _("This action is not possible while the record is %(state)s.") % {"state": _state_label(obj)}
        )
    values = {field: to, **(changes or {})}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        values.setdefault("updated_at", timezone.now())
    with transaction.atomic():
        rows = type(obj)._default_manager.filter(pk=obj.pk, **{field: current}).update(**values)
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        for key, value in values.items():
            setattr(obj, key, value)
        audit.record(obj, action, actor=actor, from_state=current, to_state=to, message=message, data=data)


def _state_label(obj: models.Model) -> str:
    getter = getattr(obj, f"get_{obj.STATUS_FIELD}_display", None)  # type: ignore[attr-defined]
    return str(getter()) if getter else str(getattr(obj, obj.STATUS_FIELD))  # type: ignore[attr-defined]


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


REVIEW_TRANSITIONS: dict[str, set[str]] = {
    ReviewStatus.DRAFT: {ReviewStatus.SUBMITTED, ReviewStatus.WITHDRAWN},
    ReviewStatus.SUBMITTED: {ReviewStatus.PUBLISHED, ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN},
    # A published listing that its owner edits goes back to review.
    ReviewStatus.PUBLISHED: {ReviewStatus.WITHDRAWN, ReviewStatus.EXPIRED, ReviewStatus.SUBMITTED},
    ReviewStatus.REJECTED: {ReviewStatus.SUBMITTED, ReviewStatus.WITHDRAWN},
    ReviewStatus.WITHDRAWN: {ReviewStatus.DRAFT},
    ReviewStatus.EXPIRED: {ReviewStatus.SUBMITTED, ReviewStatus.WITHDRAWN},
}


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered on the platform")
    DEMO = "demo", _("Demo data")
    NATIONAL = "national", _("National source")
    PROVINCIAL = "provincial", _("Provincial source")
    UNIVERSITY = "university", _("University source")


class ReviewableListing(StateMachineMixin):
    """Common fields of everything published through review: achievements and demands.

    Subclasses name the owning organisation's field in ``OWNER_FIELD``.
    """

    TRANSITIONS = REVIEW_TRANSITIONS
    OWNER_FIELD: ClassVar[str] = "owner"

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    # When the owner last changed the content: drives the 12-month staleness rule.
    content_updated_at = models.DateTimeField(_("content last updated"), default=timezone.now)
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def owner_organization_id(self) -> int | None:
        return getattr(self, f"{self.OWNER_FIELD}_id")

    @property
    def is_public(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED
