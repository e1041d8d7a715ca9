"""The task-15 talent register, one entry at a time (staff); files go through the import console."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from techbridge.core import audit

from ..choices import TalentCategory
from ..models import TalentEntry
from ._common import require_staff, text, value


def save_entry(*, actor: Any, data: dict[str, Any]) -> TalentEntry:
    """Add one person to the register (staff)."""
    require_staff(actor)
    if data.get("category") not in TalentCategory.values:
        raise ValidationError({"category": _("Choose the category.")})
    org = data.get("organization")
    entry = TalentEntry(
        programme=text(data.get("programme"), "programme", 100, required=True),
        category=data["category"],
        year=value(data, "year"),
        person_name=text(data.get("person_name"), "person_name", 50, required=True),
        organization=org,
        organization_name=org.name
        if org is not None
        else text(data.get("organization_name"), "organization_name", 200),
        field=data.get("field"),
        note=text(data.get("note"), "note", 500),
        external_id=text(data.get("external_id"), "external_id", 100),
    )
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
            audit.record(entry, "talent.talent_entry.created", actor=actor)
    except IntegrityError:
        raise ValidationError(
            {"external_id": _("This programme already has an entry with this id.")}
        ) from None
    return entry
