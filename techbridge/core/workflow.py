"""State machines: allowed moves declared in one dict per model, one function that makes a move.

A move is a conditional UPDATE on the current status (so two reviewers acting at once cannot both
win, on SQLite as on PostgreSQL), saved with ``update_fields`` semantics, and written to the audit log.
No status is set anywhere else:

- ``transition(obj, to, actor=, action=)`` moves one record;
- ``transition_many(queryset, to, actor=, action=)`` moves many at once (one UPDATE per state they
  leave, audit entries in one INSERT) and fails whole if any of them moved meanwhile;
- ``set_initial_state(obj, state)`` gives a new, unsaved record the state it is born in (one of the
  model's ``INITIAL_STATES``), and ``record_created(obj, actor=, action=)`` audits its birth
  ("" → state) once it is saved — ``defer=`` collects the entry for a bulk insert (imports write
  hundreds of rows per chunk and insert their entries with ``audit.record_many``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.lib import limits

from . import audit
from .models import AuditEntry


class TransitionError(Exception):
    """A move the state machine does not allow, or one that lost a race."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


class StateMachineMixin(models.Model):
    """Declare ``TRANSITIONS = {from: {to, ...}}`` and ``STATUS_FIELD`` on the model.

    ``INITIAL_STATES``: the states a new record may be created in (empty: only the field's default).
    """

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {}
    STATUS_FIELD: ClassVar[str] = "status"
    INITIAL_STATES: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def can_move_to(self, to: str) -> bool:
        return to in self.TRANSITIONS.get(getattr(self, self.STATUS_FIELD), set())

    @classmethod
    def initial_states(cls) -> frozenset[str]:
        if cls.INITIAL_STATES:
            return frozenset(cls.INITIAL_STATES)
        field = cls._meta.get_field(cls.STATUS_FIELD)
        return frozenset({str(field.get_default())}) if isinstance(field, models.Field) else frozenset()


def transition(
    obj: StateMachineMixin,
    to: str,
    *,
    actor: Any,
    action: str,
    message: str = "",
    changes: dict[str, Any] | None = None,
    data: dict | None = None,
    guard: Q | None = None,
) -> None:
    """Move ``obj`` to state ``to``, saving ``changes`` with it, and audit the move.

    ``guard``: further conditions the row must meet for the move (``Q(version=lot.version)``); a
    value of ``changes`` may be an expression (``F("version") + 1``), read back after the move.
    Raises ``TransitionError`` when the move is not allowed from the current state or when the row
    changed state (or no longer meets ``guard``) underneath us.
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
    expressions = [key for key, value in values.items() if hasattr(value, "resolve_expression")]
    with transaction.atomic():
        rows = type(obj)._default_manager.filter(guard or Q(), pk=obj.pk, **{field: current}).update(**values)
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        for key, value in values.items():
            if key not in expressions:
                setattr(obj, key, value)
        if expressions:
            obj.refresh_from_db(fields=expressions)
        audit.record(obj, action, actor=actor, from_state=current, to_state=to, message=message, data=data)


def transition_many(
    queryset: models.QuerySet,
    to: str,
    *,
    actor: Any,
    action: str,
    message: str = "",
    changes: dict[str, Any] | None = None,
) -> int:
    """Move every record of ``queryset`` that may move to ``to``; returns how many moved.

    Records in a state that does not lead to ``to`` are left as they are. One conditional UPDATE per
    state left, one INSERT of audit entries; if any record changed state meanwhile, nothing moves
    and ``TransitionError`` is raised.
    """
    model = queryset.model
    field = model.STATUS_FIELD
    sources = [state for state, targets in model.TRANSITIONS.items() if to in targets]
    values = {field: to, **(changes or {})}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values.setdefault("updated_at", timezone.now())
    with transaction.atomic():
        by_state: dict[str, list[Any]] = defaultdict(list)
        rows = queryset.filter(**{f"{field}__in": sources}).select_for_update().values_list("pk", field)
        for pk, state in rows:
            by_state[state].append(pk)
        entries: list[AuditEntry] = []
        for state, pks in by_state.items():
            moved = model._default_manager.filter(pk__in=pks, **{field: state}).update(**values)
            if moved != len(pks):
                raise TransitionError(
                    _("Someone else changed these records a moment ago. Reload and try again.")
                )
            for obj in model._default_manager.filter(pk__in=pks):
                entries.append(
                    audit.entry(obj, action, actor=actor, from_state=state, to_state=to, message=message)
                )
        audit.record_many(entries)
    return len(entries)


def set_initial_state(obj: StateMachineMixin, state: str, **changes: Any) -> None:
    """Give a new, unsaved record the state it is born in (with ``changes``, e.g. ``published_at``).

    Only states in the model's ``INITIAL_STATES`` are allowed; anything later is reached by
    ``transition``. Audit the birth with ``record_created`` once the record is saved.
    """
    if not obj._state.adding:
        raise TransitionError(_("Only a new record can be given its first state; use a transition."))
    if state not in type(obj).initial_states():
        raise TransitionError(
            _("A record cannot be created in the state %(state)s.") % {"state": _state_name(obj, state)}
        )
    setattr(obj, obj.STATUS_FIELD, state)
    for key, value in changes.items():
        setattr(obj, key, value)


def record_created(
    obj: StateMachineMixin,
    *,
    actor: Any,
    action: str,
    message: str = "",
    data: dict | None = None,
    defer: list[AuditEntry] | None = None,
) -> AuditEntry:
    """Audit a record just saved in its initial state ("" → its state).

    ``defer``: append the unsaved entry there instead of saving it, for ``audit.record_many``.
    """
    state = getattr(obj, obj.STATUS_FIELD)
    if state not in type(obj).initial_states():
        raise TransitionError(
            _("A record cannot be created in the state %(state)s.") % {"state": _state_name(obj, state)}
        )
    item = audit.entry(obj, action, actor=actor, to_state=state, message=message, data=data)
    if defer is None:
        item.save(force_insert=True)
    else:
        defer.append(item)
    return item


def _state_label(obj: models.Model) -> str:
    getter = getattr(obj, f"get_{obj.STATUS_FIELD}_display", None)  # type: ignore[attr-defined]
    return str(getter()) if getter else str(getattr(obj, obj.STATUS_FIELD))  # type: ignore[attr-defined]


def _state_name(obj: models.Model, state: str) -> str:
    return audit.state_words(obj).get(str(state), str(state))


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
    # Entered on the platform as a draft; imported from a trusted source as published.
    INITIAL_STATES = frozenset({ReviewStatus.DRAFT, ReviewStatus.PUBLISHED})
    OWNER_FIELD: ClassVar[str] = "owner"

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True, max_length=limits.REASON)
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

    def __str__(self) -> str:
        return self.title

    @property
    def owner_organization_id(self) -> int | None:
        return getattr(self, f"{self.OWNER_FIELD}_id")

    @property
    def is_public(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        """The listing's keywords (subclasses have a ``keywords`` text field), one by one."""
        from techbridge.lib.text import split_list

        return split_list(getattr(self, "keywords", ""))
