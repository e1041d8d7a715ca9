"""Typical cases (典型案例): written by staff by hand or from a platform record, published, searchable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import record_created, transition
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from .. import permissions, tasks
from ..case_sources import case_source
from ..choices import CaseStatus
from ..models import TypicalCase

CASE_FIELDS = (
    "title",
    "category",
    "summary",
    "body",
    "show_amount",
    "consent",
    "carrier",
    "year",
    "district",
    "zone",
)
MAX_ORGANIZATIONS = 10


def _links(
    case: TypicalCase, organizations: Iterable[Organization] | None, fields: Iterable[IndustryField] | None
) -> list[str]:
    changed = []
    if organizations is not None:
        organizations = list(organizations)
        if len(organizations) > MAX_ORGANIZATIONS:
            raise ValidationError(
                {"organizations": _("At most %(n)s organisations.") % {"n": MAX_ORGANIZATIONS}}
            )
        if set(case.organizations.values_list("pk", flat=True)) != {o.pk for o in organizations}:
            case.organizations.set(organizations)
            changed.append("organizations")
    if fields is not None:
        fields = list(fields)
        if set(case.fields.values_list("pk", flat=True)) != {f.pk for f in fields}:
            case.fields.set(fields)
            changed.append("fields")
    return changed


def facts_from(actor: Any, source_kind: str, source_id: int) -> dict[str, Any]:
    """The facts of a platform record for a case, or ``ValidationError`` when it cannot be used."""
    source = case_source(source_kind)
    if source is None:
        raise ValidationError({"source_kind": _("Unknown kind of record.")})
    facts = source.facts(actor, source_id)
    if facts is None:
        raise ValidationError({"source_id": _("No such record, or it cannot be used for a case.")})
    return facts


def create_case(
    *,
    actor: Any,
    data: dict[str, Any],
    source_kind: str = "",
    source_id: int | None = None,
    organizations: Iterable[Organization] | None = None,
    fields: Iterable[IndustryField] | None = None,
    is_demo: bool = False,
) -> TypicalCase:
    """Write a draft case; from a record, its facts are copied now and the organisations and fields
    default to the record's."""
    permissions.check_write_cases(actor)
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    facts: dict[str, Any] = {}
    if source_kind:
        if not source_id:
            raise ValidationError({"source_id": _("Pick the record the case is written from.")})
        facts = facts_from(actor, source_kind, source_id)
        if organizations is None:
            organizations = Organization.objects.filter(pk__in=facts.get("organization_ids") or [])
        if fields is None:
            fields = IndustryField.objects.filter(pk__in=facts.get("field_ids") or [])
        data = dict(data)
        if not data.get("district"):
            data["district"] = facts.get("district") or ""
        if not data.get("zone") and facts.get("zone"):
            from techbridge.organizations.models import Zone

            data["zone"] = Zone.objects.filter(code=facts["zone"]).first()
    case = TypicalCase(
        **data,
        source_kind=source_kind,
        source_id=source_id if source_kind else None,
        source_facts=facts,
        author=actor,
        is_demo=is_demo,
    )
    case.full_clean(validate_constraints=False)
    with transaction.atomic():
        case.save()
        _links(case, organizations, fields)
        record_created(case, actor=actor, action="carriers.case.created", data={"source": source_kind})
    return case


def update_case(
    case: TypicalCase,
    *,
    actor: Any,
    data: dict[str, Any],
    organizations: Iterable[Organization] | None = None,
    fields: Iterable[IndustryField] | None = None,
    refresh_facts: bool = False,
) -> list[str]:
    permissions.check_write_cases(actor)
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    changed = [k for k, v in data.items() if getattr(case, k) != v]
    for key, value in data.items():
        setattr(case, key, value)
    update = [*data, "updated_at"]
    if refresh_facts and case.source_kind and case.source_id:
        case.source_facts = facts_from(actor, case.source_kind, case.source_id)
        update.append("source_facts")
        changed.append("source_facts")
    if case.status == CaseStatus.PUBLISHED:
        _check_publishable(case)
    case.full_clean(validate_constraints=False)
    with transaction.atomic():
        case.updated_at = timezone.now()
        case.save(update_fields=update)
        changed += _links(case, organizations, fields)
        if changed:
            audit.record(case, "carriers.case.updated", actor=actor, data={"fields": sorted(changed)})
    enqueue(tasks.sync_case_search, case.pk)
    return changed


def _check_publishable(case: TypicalCase) -> None:
    if case.source_kind and not case.consent:
        raise ValidationError(
            {
                "consent": _(
                    "A case written from a platform record is published only with the parties' consent."
                )
            }
        )


def publish_case(case: TypicalCase, *, actor: Any) -> None:
    permissions.check_write_cases(actor)
    _check_publishable(case)
    transition(
        case,
        CaseStatus.PUBLISHED,
        actor=actor,
        action="carriers.case.published",
        changes={"published_at": case.published_at or timezone.now()},
    )
    enqueue(tasks.sync_case_search, case.pk)


def withdraw_case(case: TypicalCase, *, actor: Any, reason: str = "") -> None:
    permissions.check_write_cases(actor)
    transition(
        case,
        CaseStatus.WITHDRAWN,
        actor=actor,
        action="carriers.case.withdrawn",
        message=(reason or "")[:1000],
    )
    enqueue(tasks.sync_case_search, case.pk)
