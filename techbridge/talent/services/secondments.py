"""Two-way secondments, recorded by staff."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from techbridge.core import audit

from ..choices import SecondmentProgramme
from ..models import Secondment
from ._common import require_staff, text, value


def save_secondment(*, actor: Any, data: dict[str, Any], secondment: Secondment | None = None) -> Secondment:
    """Record or change a secondment (staff): person, from, to, post, term and outputs."""
    require_staff(actor)
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if data.get("programme") not in SecondmentProgramme.values:
        raise ValidationError({"programme": _("Choose the programme.")})
    created = secondment is None
    s = secondment or Secondment(recorded_by=actor)
    s.programme = data["programme"]
    s.person_name = text(data.get("person_name"), "person_name", 50, required=True)
    s.person = value(data, "person")
    s.from_org = value(data, "from_org")
    s.to_org = value(data, "to_org")
    s.post = text(data.get("post"), "post", 100, required=True)
    s.starts_on = value(data, "starts_on")
    s.ends_on = value(data, "ends_on")
    s.outputs = text(data.get("outputs"), "outputs", 3000)
    s.projects = data.get("projects") or 0
    s.updated_at = timezone.now()
    s.full_clean()
    with transaction.atomic():
        s.save()
        audit.record(s, "talent.secondment.created" if created else "talent.secondment.updated", actor=actor)
    return s
