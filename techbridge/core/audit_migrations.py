"""Data migrations of the audit log: renaming codes of entries already written.

The audit log is append-only for the platform; a migration is the one place that rewrites entries,
and only their ``action`` code (issue 11 moved every code to ``app.model.verb``). Each app migrates
the codes it writes::

    operations = [rename_audit_codes({("deals", "room"): {"open": "deals.room.opened"}})]

Keys are the target record's ``(app_label, model_name)``; codes are renamed only for entries of that
model, since the old bare verbs (``approve``, ``create``) were shared by many models. The migration is
reversible; where two old codes became one (``import_create`` and ``import_publish`` →
``…imported``), reversing gives the first.

This module is imported by migrations: keep its behaviour stable.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

Renames = dict[tuple[str, str], dict[str, str]]

# The old bare verbs of the listing review (``core.listings``) → the verbs of ``app.model.verb``.
REVIEW_VERBS: dict[str, str] = {
    "create": "created",
    "edit": "edited",
    "submit": "submitted",
    "resubmit_after_edit": "resubmitted",
    "approve": "published",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "reopen": "reopened",
    "expire": "expired",
    "mark_stale": "marked_stale",
}


def _apply(apps: Any, renames: Renames, *, backwards: bool) -> None:
    audit_entry = apps.get_model("core", "AuditEntry")
    content_type = apps.get_model("contenttypes", "ContentType")
    for (app_label, model), codes in renames.items():
        ct = content_type.objects.filter(app_label=app_label, model=model).first()
        if ct is None:  # a fresh database: nothing written yet
            continue
        pairs: dict[str, str] = {}
        for old, new in codes.items():
            if backwards:
                pairs.setdefault(new, old)
            else:
                pairs[old] = new
        for source, target in pairs.items():
            audit_entry.objects.filter(content_type=ct, action=source).update(action=target)


def rename_audit_codes(renames: Renames) -> migrations.RunPython:
    """A reversible ``RunPython`` that renames audit codes per target model."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        _apply(apps, renames, backwards=False)

    def backwards(apps: Any, schema_editor: Any) -> None:
        _apply(apps, renames, backwards=True)

    operation = migrations.RunPython(forwards, backwards, elidable=False)
    operation.renames = renames  # type: ignore[attr-defined]  # read by core/tests/test_audit_codes.py
    return operation


def prefixed(prefix: str, verbs: dict[str, str]) -> dict[str, str]:
    """``{"open": "opened"}`` with prefix ``deals.room`` → ``{"open": "deals.room.opened"}``."""
    return {old: f"{prefix}.{new}" for old, new in verbs.items()}
