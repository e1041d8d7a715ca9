"""Importing designations from the lists departments publish (Excel or CSV), through the import console.

A row names the enterprise (credit code, else its exact registered name), the designation, its year and
dates and the evidence. A row is identified by enterprise + designation + year: importing the same list
again changes nothing, a corrected list updates the rows it corrects. Enterprises are never created by
this import: register or import them first (kind “organisations”).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.imports.cells import Cells, RowRefused
from techbridge.imports.importers.base import (
    CREATED,
    REIMPORTED,
    UNCHANGED,
    UPDATED,
    BaseImporter,
    Prepared,
)
from techbridge.imports.registry import ImportKind, register_import_kind
from techbridge.lib import credit_code as cc
from techbridge.lib.numbers import digits
from techbridge.organizations.choices import OrgKind
from techbridge.organizations.models import Organization

from .choices import DesignationKind
from .models import Designation
from .services.enterprises import default_valid_until

DESIGNATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": ("企业名称", "单位名称", "企业", "名称"),
    "credit_code": ("统一社会信用代码", "信用代码"),
    "kind": ("称号", "认定类型", "类别"),
    "year": ("年度", "认定年度", "批次年度"),
    "granted_on": ("认定日期", "发证日期", "公布日期"),
    "valid_until": ("有效期至", "有效期"),
    "issuer": ("认定部门", "发布部门"),
    "certificate_no": ("证书编号", "文号", "证书号"),
    "evidence": ("依据", "来源", "公示链接"),
}

KIND_WORDS = {
    "产学研合作示范企业": DesignationKind.DEMONSTRATION,
    "示范企业": DesignationKind.DEMONSTRATION,
    "高新技术企业": DesignationKind.HIGH_TECH,
    "高企": DesignationKind.HIGH_TECH,
    "高新技术企业后备": DesignationKind.HIGH_TECH_RESERVE,
    "后备高新技术企业": DesignationKind.HIGH_TECH_RESERVE,
    "高企后备": DesignationKind.HIGH_TECH_RESERVE,
    "创新型领军企业": DesignationKind.LEADING,
    "领军企业": DesignationKind.LEADING,
    **{value: value for value in DesignationKind.values},
}

TEMPLATE = (
    ("企业名称*", "示例科技有限公司", "须为平台上已注册、已审核的企业；与信用代码至少填一项。"),
    ("统一社会信用代码", "91320115MA1MXXXX0", "18 位；填写时按代码匹配企业。"),
    ("称号*", "产学研合作示范企业", "产学研合作示范企业、高新技术企业、高新技术企业后备、创新型领军企业。"),
    ("年度*", "2019", "认定年度（四位数字）。"),
    ("认定日期*", "2019-11-20", "如 2019-11-20 或 2019年11月20日。"),
    ("有效期至", "2022-11-19", "高新技术企业留空时按认定日期起三年计算。"),
    ("认定部门", "南京市科学技术局", ""),
    ("证书编号", "GR201932001234", "证书编号或发文文号。"),
    ("依据*", "宁科〔2019〕123号 第二批名单", "公布名单的文件、链接或页码，便于核对。"),
)


class DesignationImporter(BaseImporter):
    """Designations from a department's list; each audited with the batch."""

    kind = "designations"
    model = Designation
    columns = DESIGNATION_COLUMNS

    def prepare(self, line: int, cells: Cells) -> Prepared:
        name = cells.text("organization")
        code = cc.normalise(cells.text("credit_code"))
        if not name and not code:
            raise RowRefused(_("Name the enterprise (column 企业名称) or give its credit code."))
        word = cells.text("kind").replace(" ", "")
        kind = KIND_WORDS.get(word)
        if kind is None:
            raise RowRefused(
                _(
                    "Unknown designation “%(word)s”; use 产学研合作示范企业, 高新技术企业, "
                    "高新技术企业后备 or 创新型领军企业."
                )
                % {"word": word}
            )
        year_text = cells.text("year")
        if not (digits(year_text) and 1980 <= int(year_text) <= 2100):
            raise RowRefused(
                _("The year must be four digits, e.g. 2019 (column %(column)s).")
                % {"column": cells.label("year")}
            )
        granted_on = cells.date("granted_on")
        if granted_on is None:
            raise RowRefused(
                _("The grant date is missing (column %(column)s).") % {"column": cells.label("granted_on")}
            )
        evidence = cells.text("evidence")
        if not evidence:
            raise RowRefused(
                _("Say where the designation is published (column %(column)s).")
                % {"column": cells.label("evidence")}
            )
        values = {
            "kind": kind,
            "year": int(year_text),
            "granted_on": granted_on,
            "valid_until": cells.date("valid_until") or default_valid_until(kind, granted_on),
            "issuer": cells.text("issuer")[:100],
            "certificate_no": cells.text("certificate_no")[:100],
            "evidence": evidence[:1000],
        }
        key = (code or name, kind, int(year_text))
        return Prepared(line=line, key=key, values={**values, "_name": name, "_code": code})

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        codes = {p.values["_code"] for p in prepared if p.values["_code"]}
        names = {p.values["_name"] for p in prepared if p.values["_name"]}
        orgs = Organization.objects.filter(Q(credit_code__in=codes) | Q(name__in=names))
        self._orgs: dict[str, list[Organization]] = {}
        for org in orgs:
            if org.credit_code:
                self._orgs.setdefault(org.credit_code, []).append(org)
            self._orgs.setdefault(org.name, []).append(org)
        found = {}
        for d in Designation.objects.filter(organization__in=orgs).select_related("organization"):
            for ident in (d.organization.credit_code, d.organization.name):
                if ident:
                    found[(ident, d.kind, d.year)] = d
        return found

    def _organization(self, p: Prepared) -> Organization:
        code, name = p.values["_code"], p.values["_name"]
        matches = self._orgs.get(code, []) if code else []
        if not matches and name:
            matches = [o for o in self._orgs.get(name, []) if o.kind == OrgKind.ENTERPRISE]
        if not matches:
            raise RowRefused(
                _("No enterprise “%(name)s” is registered on the platform; register or import it first.")
                % {"name": name or code}
            )
        if len(matches) > 1:
            raise RowRefused(
                _("Several organisations match “%(name)s”; give the credit code.") % {"name": name}
            )
        org = matches[0]
        if org.kind != OrgKind.ENTERPRISE:
            raise RowRefused(_("%(name)s is not an enterprise.") % {"name": org.name})
        return org

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        org = self._organization(p)
        values = {k: v for k, v in p.values.items() if not k.startswith("_")}
        data = {"batch": self.batch.pk, "line": p.line, "source": self.source}
        if existing is None:
            designation = Designation(organization=org, created_by=self.actor, is_demo=self.is_demo, **values)
            designation.full_clean(exclude=["organization", "created_by"], validate_constraints=False)
            designation.save()
            self._audit_created(designation, data)  # carriers.designation.imported
            return CREATED, designation
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        if not changed:
            return UNCHANGED, existing
        for key in changed:
            setattr(existing, key, values[key])
        existing.full_clean(exclude=["organization", "created_by"], validate_constraints=False)
        existing.save(update_fields=changed)
        self._audit(existing, REIMPORTED, data={**data, "fields": sorted(changed)})
        return UPDATED, existing


def register_import_kinds() -> None:
    register_import_kind(
        ImportKind(
            "designations",
            gettext_lazy("Enterprise designations"),
            DesignationImporter,
            template_label="企业认定名单",
            template=TEMPLATE,
            order=60,
        )
    )
