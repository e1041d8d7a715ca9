"""Finding the organisation a row names (and creating demo organisations for demo imports)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import record_created, set_initial_state
from techbridge.lib import credit_code as cc
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization

from .cells import (
    RowRefused,
)
from .models import ImportBatch

# ---- demo credit codes ---------------------------------------------------------------------------

# GB/T 2260 divisions of Nanjing's districts; the new area and the high-tech zone are the city's.
DIVISIONS: dict[str, str] = {
    District.XUANWU: "320102",
    District.QINHUAI: "320104",
    District.JIANYE: "320105",
    District.GULOU: "320106",
    District.PUKOU: "320111",
    District.QIXIA: "320113",
    District.YUHUATAI: "320114",
    District.JIANGNING: "320115",
    District.LUHE: "320116",
    District.LISHUI: "320117",
    District.GAOCHUN: "320118",
}
# GB 32100 registration authority and organisation type: 11 机关, 12 事业单位, 91 企业 (市场监管).
AUTHORITY: dict[str, str] = {
    OrgKind.UNIVERSITY: "12",
    OrgKind.INSTITUTE: "12",
    OrgKind.GOVERNMENT: "11",
    OrgKind.OPERATOR: "12",
}


def demo_credit_code(name: str, kind: str, district: str = "") -> str:
    """A well-formed code for a demo organisation (both check characters right), derived from its
    name so every ``make demo`` gives the same one. Demo organisations are tagged 示例数据; the code
    identifies nothing outside the demo."""
    digest = int(hashlib.sha256(f"{kind}:{name}".encode()).hexdigest(), 16)
    body = "DM"  # 8-character organisation code body: DM + 6 characters of the name's hash
    for _i in range(6):
        digest, k = divmod(digest, len(cc.ALPHABET))
        body += cc.ALPHABET[k]
    return cc.compose(AUTHORITY.get(kind, "91"), DIVISIONS.get(district, "320100"), body)


def unique_demo_credit_code(name: str, kind: str, district: str = "") -> str | None:
    """``demo_credit_code``, or None in the unlikely case another organisation holds it already."""
    code = demo_credit_code(name, kind, district)
    return None if Organization.objects.filter(credit_code=code).exists() else code


def give_demo_credit_codes(*, actor: Any = None) -> int:
    """Give every demo organisation without a credit code its demo code (through the organisation
    service, so each is audited); returns how many were given one. Idempotent."""
    from techbridge.organizations.services import update_organization

    given = 0
    for org in Organization.objects.filter(is_demo=True, credit_code__isnull=True).order_by("pk"):
        code = unique_demo_credit_code(org.name, org.kind, org.district)
        if code:
            update_organization(org, actor=actor, credit_code=code)
            given += 1
    return given


# ---- owners ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerSpec:
    name: str
    kind: str
    district: str
    description: str


class OwnerDirectory:
    """Finds the organisation a row names; creates approved demo organisations for demo imports.

    Organisations created inside a row's savepoint are only remembered once the row succeeds, so a
    refused row never leaves a cached organisation that was rolled back.
    """

    def __init__(self, *, create_missing: bool, actor: Any, batch: ImportBatch):
        self.create_missing = create_missing
        self.actor = actor
        self.batch = batch
        self._cache: dict[tuple[str, str], Organization] = {}
        self._pending: dict[tuple[str, str], Organization] = {}

    def resolve(self, spec: OwnerSpec) -> Organization:
        key = (spec.name, spec.kind)
        if key in self._cache:
            return self._cache[key]
        qs = Organization.objects.filter(name=spec.name)
        if spec.kind:
            qs = qs.filter(kind=spec.kind)
        found = list(qs[:2])
        if len(found) > 1:
            raise RowRefused(
                _("More than one organisation is called “%(name)s”; give its type in the column 单位类型.")
                % {"name": spec.name}
            )
        if found:
            org = found[0]
        elif self.create_missing:
            org = self._create_demo(spec)
        else:
            raise RowRefused(
                _(
                    "The organisation “%(name)s” is not registered on the platform. Register it or import it "
                    "with --kind organizations first."
                )
                % {"name": spec.name}
            )
        self._pending[key] = org
        return org

    def _create_demo(self, spec: OwnerSpec) -> Organization:
        org = Organization(
            name=spec.name,
            kind=spec.kind,
            credit_code=unique_demo_credit_code(spec.name, spec.kind, spec.district),
            district=spec.district,
            description=spec.description
            or _("Demo organisation created by an import; it is not a registered organisation."),
            is_demo=True,
        )
        set_initial_state(org, OrgStatus.APPROVED)
        org.full_clean()
        org.save()
        record_created(
            org,
            actor=self.actor,
            action=audit.code(org, "imported"),  # as importers.base.IMPORTED
            data={"batch": self.batch.pk, "demo": True},
        )
        return org

    def commit(self) -> None:
        self._cache.update(self._pending)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()
