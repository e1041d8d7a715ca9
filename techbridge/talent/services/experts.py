"""The expert pool: operators add and change experts and their declared conflicts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.core import audit

from ..models import MAX_FIELDS, Expert, ExpertConflict
from ._common import require_operator, text

MAX_CONFLICTS = 30


def save_expert(
    *,
    actor: Any,
    user: Any,
    fields: list[Any],
    title: str = "",
    bio: str = "",
    active: bool = True,
    conflicts: list[tuple[Any, str]] | None = None,
    expert: Expert | None = None,
) -> Expert:
    """Add a user to the expert pool or change an expert (operators).

    ``conflicts``: ``(organisation, tie)`` pairs the expert declared; they replace the earlier list
    when given. The expert's own organisation needs no declaration (it is always excluded).
    """
    require_operator(actor)
    if not fields:
        raise ValidationError({"fields": _("Choose at least one field of expertise.")})
    if len(fields) > MAX_FIELDS:
        raise ValidationError({"fields": _("Choose at most %(n)s fields of expertise.") % {"n": MAX_FIELDS}})
    if conflicts is not None and len(conflicts) > MAX_CONFLICTS:
        raise ValidationError({"conflicts": _("At most %(n)s declared conflicts.") % {"n": MAX_CONFLICTS}})
    with transaction.atomic():
        created = expert is None
        if expert is None:
            if Expert.objects.filter(user=user).exists():
                raise ValidationError({"user": _("This user is already in the expert pool.")})
            expert = Expert(user=user)
        expert.title = text(title, "title", 100)
        expert.bio = text(bio, "bio", 2000)
        expert.active = active
        expert.full_clean(exclude=["user"])
        expert.save()
        expert.fields.set(fields)
        if conflicts is not None:
            ExpertConflict.objects.filter(expert=expert).delete()
            seen = set()
            for org, reason in conflicts:
                if org.pk in seen:
                    continue
                seen.add(org.pk)
                ExpertConflict.objects.create(
                    expert=expert, organization=org, reason=text(reason, "conflicts", 200)
                )
        audit.record(
            expert,
            "talent.expert.created" if created else "talent.expert.updated",
            actor=actor,
            data={
                "fields": [f.code for f in fields],
                "active": active,
                "conflicts": sorted(
                    ExpertConflict.objects.filter(expert=expert).values_list("organization_id", flat=True)
                ),
            },
        )
    return expert
