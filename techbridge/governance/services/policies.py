"""The policy library: loading the seed file, editing, conditions, publishing, search index, profiles."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.fulltext import get_backend
from techbridge.core.roles import is_operator
from techbridge.core.workflow import transition

from ..choices import ConditionKind, PolicyStatus
from ..models import Policy, PolicyCondition, PolicyProfile
from ..policy_match import value_labels
from . import changed_fields, require
from .plans import DATA_DIR

SEARCH_KIND = "policy"
POLICY_FIELDS = (
    "title",
    "level",
    "issuer",
    "document_number",
    "issued_on",
    "effective_from",
    "effective_until",
    "url",
    "summary",
    "keywords",
)
MAX_VALUES = 50
DEFAULT_POLICIES = DATA_DIR / "policies.json"


def index_policy(policy: Policy) -> None:
    backend = get_backend()
    if policy.status == PolicyStatus.PUBLISHED:
        backend.index(SEARCH_KIND, policy.pk, policy.search_document())
    else:
        backend.remove(SEARCH_KIND, policy.pk)


def search_ids(query: str) -> list[int]:
    return [h.object_id for h in get_backend().search(SEARCH_KIND, query)]


def clean_conditions(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Conditions as ``[{kind, values, note}]``, one per kind, values known for their kind."""
    seen: set[str] = set()
    out = []
    for c in conditions:
        kind = c.get("kind")
        if kind not in ConditionKind.values:
            raise ValidationError({"conditions": _("Unknown condition “%(k)s”.") % {"k": kind}})
        if kind in seen:
            raise ValidationError({"conditions": _("One condition per kind.")})
        seen.add(kind)
        values = [str(v) for v in (c.get("values") or [])]
        if not values or len(values) > MAX_VALUES:
            raise ValidationError(
                {"conditions": _("A condition accepts 1 to %(n)s values.") % {"n": MAX_VALUES}}
            )
        known = value_labels(kind)
        unknown = [v for v in values if v not in known]
        if unknown:
            raise ValidationError(
                {
                    "conditions": _("Unknown values for %(k)s: %(v)s.")
                    % {"k": ConditionKind(kind).label, "v": ", ".join(unknown)}
                }
            )
        note = str(c.get("note") or "")
        if len(note) > 300:
            raise ValidationError({"conditions": _("A condition's wording has at most 300 characters.")})
        out.append({"kind": kind, "values": values, "note": note})
    return out


def _write_conditions(policy: Policy, conditions: list[dict[str, Any]]) -> None:
    policy.conditions.all().delete()
    PolicyCondition.objects.bulk_create([PolicyCondition(policy=policy, **c) for c in conditions])


@transaction.atomic
def create_policy(
    *, actor: Any, conditions: list[dict[str, Any]] | None = None, publish: bool = False, **data: Any
) -> Policy:
    require(is_operator(actor), _("Only platform operators edit the policy library."))
    policy = Policy(created_by=actor, **{k: v for k, v in data.items() if k in POLICY_FIELDS})
    policy.full_clean()
    clean = clean_conditions(conditions or [])
    policy.save()
    _write_conditions(policy, clean)
    audit.record(policy, "governance.policy.created", actor=actor, data={"conditions": clean})
    if publish:
        publish_policy(policy, actor=actor)
    return policy


@transaction.atomic
def update_policy(
    policy: Policy, *, actor: Any, conditions: list[dict[str, Any]] | None = None, **data: Any
) -> Policy:
    require(is_operator(actor), _("Only platform operators edit the policy library."))
    changes = changed_fields(policy, {k: v for k, v in data.items() if k in POLICY_FIELDS})
    policy.updated_at = timezone.now()
    policy.full_clean()
    policy.save()
    if conditions is not None:
        clean = clean_conditions(conditions)
        _write_conditions(policy, clean)
        changes["conditions"] = clean
    audit.record(policy, "governance.policy.updated", actor=actor, data=changes)
    transaction.on_commit(lambda: index_policy(policy))
    return policy


@transaction.atomic
def publish_policy(policy: Policy, *, actor: Any) -> None:
    require(is_operator(actor), _("Only platform operators edit the policy library."))
    transition(
        policy,
        PolicyStatus.PUBLISHED,
        actor=actor,
        action="governance.policy.published",
        changes={"published_at": timezone.now()},
    )
    transaction.on_commit(lambda: index_policy(policy))


@transaction.atomic
def withdraw_policy(policy: Policy, *, actor: Any, reason: str = "") -> None:
    require(is_operator(actor), _("Only platform operators edit the policy library."))
    transition(
        policy, PolicyStatus.WITHDRAWN, actor=actor, action="governance.policy.withdrawn", message=reason
    )
    transaction.on_commit(lambda: index_policy(policy))


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def load_policies(path: Path | str = DEFAULT_POLICIES, *, actor: Any = None) -> tuple[int, int]:
    """Create the policies of a seed file that are not there yet (matched by title and issuer), published.
    Returns (created, already there)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("The policy file cannot be read: %(error)s") % {"error": exc}) from exc
    created = existing = 0
    for row in data.get("policies", []):
        if Policy.objects.filter(title=row.get("title"), issuer=row.get("issuer")).exists():
            existing += 1
            continue
        policy = Policy(
            **{
                k: row.get(k) or ""
                for k in ("title", "level", "issuer", "document_number", "url", "summary", "keywords")
            },
            issued_on=_date(row.get("issued_on")),
            effective_from=_date(row.get("effective_from")),
            effective_until=_date(row.get("effective_until")),
            status=PolicyStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        policy.full_clean()
        policy.save()
        _write_conditions(policy, clean_conditions(row.get("conditions") or []))
        audit.record(policy, "governance.policy.created", actor=actor, data={"source": str(Path(path).name)})
        transaction.on_commit(functools.partial(index_policy, policy))
        created += 1
    return created, existing


@transaction.atomic
def save_profile(
    organization: Any, *, actor: Any, size: str, designations: list[str], fields: Any
) -> PolicyProfile:
    """An organisation's declared size, designations and fields (its members may change them)."""
    from ..choices import Designation, OrgSize

    require(
        getattr(actor, "organization_id", None) == organization.pk or is_operator(actor),
        _("Only members of the organisation change its policy profile."),
    )
    if size and size not in OrgSize.values:
        raise ValidationError({"size": _("Unknown size.")})
    bad = [d for d in designations if d not in Designation.values]
    if bad or len(designations) > len(Designation.values):
        raise ValidationError({"designations": _("Unknown designation.")})
    fields = list(fields or [])
    if len(fields) > 20:
        raise ValidationError({"fields": _("Choose at most 20 fields.")})
    profile, _created = PolicyProfile.objects.get_or_create(organization=organization)
    changes = changed_fields(profile, {"size": size, "designations": sorted(set(designations))})
    profile.updated_by = actor
    profile.updated_at = timezone.now()
    profile.save()
    profile.fields.set(fields)
    audit.record(
        profile,
        "governance.profile.updated",
        actor=actor,
        data={**changes, "fields": [f.code for f in fields]},
    )
    return profile
