"""Finding the organisation a row names (and creating demo organisations for demo imports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import record_created, set_initial_state
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization

from .cells import (
    RowRefused,
)
from .models import ImportBatch

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
