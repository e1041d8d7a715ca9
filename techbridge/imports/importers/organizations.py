"""Importer of organisations, identified by credit code, else by name and type."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.workflow import set_initial_state
from techbridge.lib import credit_code as cc
from techbridge.organizations.choices import OrgStatus
from techbridge.organizations.models import Organization

from ..cells import (
    Cells,
    RowRefused,
    blank,
    district_of,
    org_kind,
)
from ..columns import (
    ORGANIZATION_COLUMNS,
)
from .base import (
    CREATED,
    REIMPORTED,
    UNCHANGED,
    UPDATED,
    BaseImporter,
    Prepared,
)


class OrganizationImporter(BaseImporter):
    """Organisations from rows, identified by credit code, else by name and type.

    New organisations await review, unless the import publishes (``--publish``) or is demo data:
    then they arrive approved (``organizations.organization.imported``, "" → approved).
    """

    kind = "organizations"
    model = Organization
    columns = ORGANIZATION_COLUMNS

    def prepare(self, line: int, cells: Cells) -> Prepared:
        name = cells.text("name")
        if not name:
            raise RowRefused(_("The name is missing (column %(column)s).") % {"column": cells.label("name")})
        kind = org_kind(cells, "kind")
        if not kind:
            raise RowRefused(
                _("The type of organisation is missing (column %(column)s).") % {"column": "单位类型"}
            )
        code = cc.normalise(cells.text("credit_code")) or None
        values = {
            "name": name,
            "kind": kind,
            "credit_code": code,
            "district": district_of(cells, "district"),
            "address": cells.text("address"),
            "website": cells.text("website"),
            "description": cells.text("description"),
            "contact_phone": cells.text("contact_phone"),
        }
        key = ("code", code) if code else ("name", name, kind)
        return Prepared(line=line, key=key, values=values)

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        codes = [p.values["credit_code"] for p in prepared if p.values["credit_code"]]
        names = [p.values["name"] for p in prepared]
        found: dict[Any, Any] = {}
        for org in Organization.objects.filter(models.Q(credit_code__in=codes) | models.Q(name__in=names)):
            if org.credit_code:
                found[("code", org.credit_code)] = org
            found[("name", org.name, org.kind)] = org
        # A row with a code also matches an organisation registered by name and type without a code.
        for p in prepared:
            if p.key[0] == "code" and p.key not in found:
                by_name = found.get(("name", p.values["name"], p.values["kind"]))
                if by_name is not None and not by_name.credit_code:
                    found[p.key] = by_name
        return found

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        data = {"batch": self.batch.pk, "line": p.line, "source": self.source}
        if existing is None:
            approved = self.publish or self.is_demo
            org = Organization(**p.values, is_demo=self.is_demo)
            set_initial_state(org, OrgStatus.APPROVED if approved else OrgStatus.PENDING)
            org.full_clean()
            org.save()
            self._audit_created(org, data)
            return CREATED, org
        # An import fills in and corrects profile details; it never changes an organisation's status.
        values = {k: v for k, v in p.values.items() if not (blank(v) and k != "credit_code")}
        if values.get("credit_code") is None:
            values.pop("credit_code", None)
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        if not changed:
            return UNCHANGED, existing
        for key in changed:
            setattr(existing, key, values[key])
        existing.updated_at = timezone.now()
        existing.full_clean()
        existing.save(update_fields=[*changed, "updated_at"])
        self._audit(existing, REIMPORTED, data={**data, "fields": sorted(changed)})
        return UPDATED, existing
