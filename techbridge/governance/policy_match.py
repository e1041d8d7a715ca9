""" "Which policies apply to me": each condition of a policy checked against an organisation.

Kind, district and zone come from the organisation's registered record; size, designations and
industry fields from what it declares in its policy profile. Each condition is met, not met, or not
known (nothing recorded or declared); a policy applies when every condition is met, may apply when none
fails but some are not known, and does not apply when one fails. The reason is given per condition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.organizations.choices import District, OrgKind
from techbridge.organizations.models import Organization, Zone

from .choices import ConditionKind, Designation, OrgSize, Verdict
from .models import Policy, PolicyCondition, PolicyProfile


@dataclass
class Check:
    kind: str
    label: str
    verdict: str
    required: str
    actual: str
    source: str
    note: str = ""


@dataclass
class Match:
    policy: Policy
    verdict: str  # Verdict.MET (applies) / UNKNOWN (may apply) / NOT_MET (does not apply)
    checks: list[Check] = field(default_factory=list)
    in_force: bool = True

    @property
    def applies(self) -> bool:
        return self.verdict == Verdict.MET


def value_labels(kind: str) -> dict[str, str]:
    if kind == ConditionKind.ORG_KIND:
        return {k: str(v) for k, v in OrgKind.choices}
    if kind == ConditionKind.LOCATION:
        return {k: str(v) for k, v in District.choices}
    if kind == ConditionKind.SIZE:
        return {k: str(v) for k, v in OrgSize.choices}
    if kind == ConditionKind.DESIGNATION:
        return {k: str(v) for k, v in Designation.choices}
    if kind == ConditionKind.ZONE:
        return dict(Zone.objects.values_list("code", "name"))
    from techbridge.taxonomy.models import IndustryField

    return dict(IndustryField.objects.values_list("code", "name"))


def _names(kind: str, codes: list[str], labels: dict[str, str]) -> str:
    if kind == ConditionKind.LOCATION and set(codes) >= {d for d in District.values if d != District.OUTSIDE}:
        return _("Nanjing (any district)")
    return "、".join(labels.get(c, c) for c in codes) or "–"


def _check(
    cond: PolicyCondition, org: Organization, profile: PolicyProfile | None, fields: list[str], labels: dict
) -> Check:
    wanted = [str(v) for v in cond.values]
    required = _names(cond.kind, wanted, labels)
    registered = _("registered record")
    declared = _("your policy profile")
    label = str(ConditionKind(cond.kind).label)

    def verdict(ok: bool | None) -> str:
        return Verdict.UNKNOWN if ok is None else Verdict.MET if ok else Verdict.NOT_MET

    if cond.kind == ConditionKind.ORG_KIND:
        return Check(
            cond.kind,
            label,
            verdict(org.kind in wanted),
            required,
            labels.get(org.kind, org.kind),
            registered,
            cond.note,
        )
    if cond.kind == ConditionKind.LOCATION:
        if not org.district:
            return Check(
                cond.kind, label, Verdict.UNKNOWN, required, _("not registered"), registered, cond.note
            )
        return Check(
            cond.kind,
            label,
            verdict(org.district in wanted),
            required,
            labels.get(org.district, org.district),
            registered,
            cond.note,
        )
    if cond.kind == ConditionKind.ZONE:
        zone = org.zone
        if zone is None:
            return Check(
                cond.kind, label, Verdict.UNKNOWN, required, _("not registered"), registered, cond.note
            )
        codes = {zone.code, zone.parent.code if zone.parent is not None else ""}
        return Check(
            cond.kind, label, verdict(bool(codes & set(wanted))), required, zone.name, registered, cond.note
        )
    declared_at_all = profile is not None and profile.updated_by_id is not None
    if cond.kind == ConditionKind.SIZE:
        size = profile.size if profile else ""
        if not size:
            return Check(cond.kind, label, Verdict.UNKNOWN, required, _("not declared"), declared, cond.note)
        return Check(
            cond.kind, label, verdict(size in wanted), required, labels.get(size, size), declared, cond.note
        )
    if cond.kind == ConditionKind.DESIGNATION:
        held = [str(d) for d in (profile.designations if profile else [])]
        if not held:
            ok = False if declared_at_all else None
            return Check(cond.kind, label, verdict(ok), required, _("none declared"), declared, cond.note)
        return Check(
            cond.kind,
            label,
            verdict(bool(set(held) & set(wanted))),
            required,
            _names(cond.kind, held, labels),
            declared,
            cond.note,
        )
    if not fields:
        return Check(cond.kind, label, Verdict.UNKNOWN, required, _("not declared"), declared, cond.note)
    return Check(
        cond.kind,
        label,
        verdict(bool(set(fields) & set(wanted))),
        required,
        _names(cond.kind, fields, labels),
        declared,
        cond.note,
    )


def check(
    policy: Policy,
    org: Organization,
    profile: PolicyProfile | None,
    *,
    today: dt.date | None = None,
    _labels: dict | None = None,
    _fields: list[str] | None = None,
) -> Match:
    labels_cache = _labels if _labels is not None else {}
    fields = (
        _fields
        if _fields is not None
        else (list(profile.fields.values_list("code", flat=True)) if profile else [])
    )
    checks = []
    for cond in policy.conditions.all():
        if cond.kind not in labels_cache:
            labels_cache[cond.kind] = value_labels(cond.kind)
        checks.append(_check(cond, org, profile, fields, labels_cache[cond.kind]))
    verdicts = {c.verdict for c in checks}
    overall = (
        Verdict.NOT_MET
        if Verdict.NOT_MET in verdicts
        else Verdict.UNKNOWN
        if Verdict.UNKNOWN in verdicts
        else Verdict.MET
    )
    return Match(policy, overall, checks, policy.in_force(today or timezone.localdate()))


def matches_for(org: Organization, policies: Any, *, today: dt.date | None = None) -> list[Match]:
    """Every policy checked for ``org``: in force first, then applies / may apply / does not apply."""
    profile = PolicyProfile.objects.filter(organization=org).first()
    fields = list(profile.fields.values_list("code", flat=True)) if profile else []
    labels: dict[str, Any] = {}
    found = [check(p, org, profile, today=today, _labels=labels, _fields=fields) for p in policies]
    order: dict[str, int] = {Verdict.MET: 0, Verdict.UNKNOWN: 1, Verdict.NOT_MET: 2}
    return sorted(found, key=lambda m: (not m.in_force, order[m.verdict]))


def org_with_zone(org_id: int) -> Organization:
    return Organization.objects.select_related("zone", "zone__parent").get(pk=org_id)


def describe(org: Organization) -> dict[str, Any]:
    return {
        "kind": org.get_kind_display(),
        "district": org.get_district_display() or _("not registered"),
        "zone": org.zone.name if org.zone is not None else _("not registered"),
    }
