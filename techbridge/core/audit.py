"""The audit log: who did what to which record, when, from which state to which.

Write: every service that changes something important calls ``record`` (or ``record_many`` for a bulk
path that collected unsaved ``entry`` objects). Status moves are recorded by ``core.workflow``.

Codes are dotted ``app.model.verb`` in the past tense (``contracts.contract.signed``): ``app.model``
names the record the entry is about, ``verb`` what happened to it. The app that writes a code gives it
its words once, in its ``extensions.py`` (``registry.register_audit_labels``). With
``settings.AUDIT_CODES_STRICT`` (on in tests and in development) writing a code without words is an
error, so a new code cannot reach a page as a raw string.

Read: ``history_rows(obj)`` is what every history table shows — the action in words and the states in
words from the record's status choices. Nothing decides business state from the log: what a rule needs
to know lives in fields of the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import registry
from .models import AuditEntry


class UnknownAuditCode(ValueError):
    """An audit code that is not ``app.model.verb`` or has no registered words."""


def code(obj: models.Model | type[models.Model], verb: str) -> str:
    """The code ``<app_label>.<model_name>.<verb>`` for a record of a one-word model.

    For services shared by several models (the review of achievements and demands, imports,
    duplicates), which write the same verb for each; other code names its codes literally.
    """
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}.{verb}"


def check_code(action: str) -> None:
    """Refuse a code that is not dotted, or (strict mode) one without registered words."""
    if action.count(".") < 2:
        raise UnknownAuditCode(f"audit code {action!r} is not of the form app.model.verb")
    if getattr(settings, "AUDIT_CODES_STRICT", False) and action not in registry.audit_codes():
        raise UnknownAuditCode(
            f"audit code {action!r} has no words: register it in the writing app's extensions.py "
            "(registry.register_audit_labels)"
        )


def entry(
    obj: models.Model,
    action: str,
    *,
    actor: Any = None,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """An unsaved entry for ``obj`` (saved by ``record``, or many at once by ``record_many``)."""
    check_code(action)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        message=message,
        data=data or {},
    )


def record(
    obj: models.Model,
    action: str,
    *,
    actor: Any = None,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log for ``obj``."""
    item = entry(
        obj, action, actor=actor, from_state=from_state, to_state=to_state, message=message, data=data
    )
    item.save(force_insert=True)
    return item


def record_many(entries: Iterable[AuditEntry]) -> None:
    """Insert entries made by ``entry`` in as few statements as possible (bulk paths: imports)."""
    AuditEntry.objects.bulk_create(list(entries), batch_size=500)


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries of one record, newest first, with their actors."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


# ---- reading: history tables --------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One line of a history table: the entry, its action in words, its states in words."""

    entry: AuditEntry
    action: str
    from_state: str
    to_state: str
    fields: tuple[str, ...] = ()  # the changed fields' names in words (``data["fields"]`` holds their codes)


def state_words(model: type[models.Model] | models.Model) -> dict[str, str]:
    """The words of each state of ``model`` (its ``STATUS_FIELD``, else ``status``), or nothing."""
    name = getattr(model, "STATUS_FIELD", "status")
    try:
        field = model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist: a record without a status
        return {}
    return {str(value): str(label) for value, label in getattr(field, "flatchoices", None) or ()}


def field_words(model: type[models.Model] | models.Model, names: Iterable[str]) -> tuple[str, ...]:
    """The verbose names of ``names`` on ``model`` (a name that is not a field is shown as it is)."""
    words = []
    for name in names:
        try:
            words.append(str(getattr(model._meta.get_field(str(name)), "verbose_name", name)))
        except Exception:  # FieldDoesNotExist: a derived value recorded by name
            words.append(str(name))
    return tuple(words)


def history_rows(
    obj: models.Model, *, exclude: Iterable[str] = (), limit: int | None = None
) -> list[HistoryRow]:
    """The history of ``obj``, newest first, with actions and states in words.

    ``exclude`` leaves out codes shown elsewhere on the page (a lot's bids have their own table).
    """
    states = state_words(obj)
    qs = history(obj)
    skip = list(exclude)
    if skip:
        qs = qs.exclude(action__in=skip)
    if limit is not None:
        qs = qs[:limit]
    return [
        HistoryRow(
            e,
            registry.audit_label(e.action),
            states.get(e.from_state, e.from_state),
            states.get(e.to_state, e.to_state),
            field_words(obj, (e.data or {}).get("fields") or ()) if isinstance(e.data, dict) else (),
        )
        for e in qs
    ]
