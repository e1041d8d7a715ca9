"""Import of the task-15 talent register from Excel/CSV through the import console (kind
``talent_register``): every row checked, bad rows refused with their line number and reason, good rows
kept; re-importing the same file changes nothing."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core import audit
from techbridge.imports.cells import Cells, RowRefused
from techbridge.imports.importers.base import CREATED, UNCHANGED, UPDATED, BaseImporter, Prepared
from techbridge.lib import credit_code as cc
from techbridge.lib.numbers import digits
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from .choices import TalentCategory
from .models import TalentEntry

COLUMNS: dict[str, tuple[str, ...]] = {
    "programme": ("计划名称", "人才计划", "计划", "项目名称"),
    "category": ("类别", "人才类别", "类型"),
    "year": ("年度", "年份", "入选年度"),
    "person_name": ("姓名", "人员姓名"),
    "organization_name": ("单位", "所在单位", "工作单位", "单位名称"),
    "credit_code": ("统一社会信用代码", "信用代码"),
    "field": ("行业领域", "领域"),
    "external_id": ("编号", "外部编号", "证书编号"),
    "note": ("备注",),
}

CATEGORY_NAMES = {
    "科技顶尖专家": TalentCategory.TOP_EXPERT,
    "顶尖专家": TalentCategory.TOP_EXPERT,
    "创新型企业家": TalentCategory.INNOVATIVE_ENTREPRENEUR,
    "企业家": TalentCategory.INNOVATIVE_ENTREPRENEUR,
    "高层次创业人才": TalentCategory.HIGH_LEVEL_FOUNDER,
    "创业人才": TalentCategory.HIGH_LEVEL_FOUNDER,
    "青年大学生创业": TalentCategory.STUDENT_FOUNDER,
    "大学生创业": TalentCategory.STUDENT_FOUNDER,
}

TEMPLATE: tuple[tuple[str, str, str], ...] = (
    ("计划名称*", "创业南京英才计划", "必填，100 字以内。"),
    ("类别*", "高层次创业人才", "科技顶尖专家、创新型企业家、高层次创业人才、青年大学生创业。"),
    ("年度*", "2026", "入选年度，如 2026。"),
    ("姓名*", "张明", "必填。"),
    (
        "单位",
        "南京某科技有限公司",
        "平台上已注册的单位按名称或信用代码关联，用于按区、园区统计；未注册的只记录名称。",
    ),
    ("统一社会信用代码", "", "可留空；填写时须为有效的 18 位代码。"),
    ("行业领域", "集成电路", "一个领域名称或代码，可留空。"),
    ("编号", "CYNJ-2026-0001", "计划内的编号；填写后重复导入按“计划+编号”更新，不会重复创建。"),
    ("备注", "", "500 字以内。"),
)


class TalentRegisterImporter(BaseImporter):
    """Rows of the talent register, identified by programme + external id, else by programme, year,
    name and organisation."""

    kind = "talent_register"
    model = TalentEntry
    columns = COLUMNS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fields = {f.code: f for f in IndustryField.objects.all()}
        self._fields.update({f.name: f for f in self._fields.values()})
        self._orgs: dict[str, Organization | None] = {}

    def _org(self, cells: Cells, name: str, code: str) -> Organization | None:
        key = f"{code}|{name}"
        if key not in self._orgs:
            org = None
            if code:
                org = Organization.objects.filter(credit_code=code).first()
            if org is None and name:
                org = Organization.objects.filter(name=name).order_by("pk").first()
            self._orgs[key] = org
        return self._orgs[key]

    def prepare(self, line: int, cells: Cells) -> Prepared:
        programme = cells.text("programme")
        name = cells.text("person_name")
        if not programme:
            raise RowRefused(_("The programme is missing (column %(column)s).") % {"column": "计划名称"})
        if not name:
            raise RowRefused(_("The name is missing (column %(column)s).") % {"column": "姓名"})
        word = cells.text("category")
        category = CATEGORY_NAMES.get(word) or (
            word.lower() if word.lower() in TalentCategory.values else None
        )
        if category is None:
            raise RowRefused(
                _("%(column)s: unknown category “%(value)s”. Use one of: %(allowed)s.")
                % {
                    "column": cells.label("category"),
                    "value": word,
                    "allowed": "、".join(list(CATEGORY_NAMES)[::2]),
                }
            )
        year_text = cells.text("year").removesuffix("年")
        if not digits(year_text) or not 2000 <= int(year_text) <= timezone.localdate().year + 1:
            raise RowRefused(
                _("%(column)s: “%(value)s” is not a year (write 2026).")
                % {"column": cells.label("year"), "value": year_text}
            )
        code = cc.normalise(cells.text("credit_code"))
        if code and cc.problem(code):
            raise RowRefused(
                _("%(column)s: “%(value)s” is not a valid unified social credit code.")
                % {"column": cells.label("credit_code"), "value": code}
            )
        org_name = cells.text("organization_name")
        org = self._org(cells, org_name, code)
        field = None
        if cells.has("field"):
            field = self._fields.get(cells.text("field"))
            if field is None:
                raise RowRefused(
                    _("%(column)s: unknown industry field “%(value)s”.")
                    % {"column": cells.label("field"), "value": cells.text("field")}
                )
        values = {
            "programme": programme,
            "category": category,
            "year": int(year_text),
            "person_name": name,
            "organization": org,
            "organization_name": (org.name if org else org_name)[:200],
            "field": field,
            "external_id": cells.text("external_id"),
            "note": cells.text("note"),
        }
        key = (
            ("id", programme, values["external_id"])
            if values["external_id"]
            else ("person", programme, values["year"], name, values["organization_name"])
        )
        return Prepared(line=line, key=key, values=values)

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        programmes = {p.values["programme"] for p in prepared}
        found: dict[Any, Any] = {}
        for entry in TalentEntry.objects.filter(programme__in=programmes):
            if entry.external_id:
                found[("id", entry.programme, entry.external_id)] = entry
            found.setdefault(
                ("person", entry.programme, entry.year, entry.person_name, entry.organization_name), entry
            )
        return found

    def _audit_as(self, entry: TalentEntry, action: str, data: dict) -> None:
        """The entry's audit line under its literal code (a two-word model), written with the chunk
        and dropped with the row if the row is refused later (as ``BaseImporter._audit``)."""
        self._pending_audit.append(audit.entry(entry, action, actor=self.actor, data=data))

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        data = {"batch": self.batch.pk, "line": p.line, "source": self.source}
        if existing is None:
            entry = TalentEntry(**p.values, source=self.source, is_demo=self.is_demo)
            entry.full_clean()
            entry.save()
            self._audit_as(entry, "talent.talent_entry.imported", data)
            return CREATED, entry
        changed = [k for k, v in p.values.items() if getattr(existing, k) != v]
        if not changed:
            return UNCHANGED, existing
        for k in changed:
            setattr(existing, k, p.values[k])
        existing.updated_at = timezone.now()
        existing.full_clean()
        existing.save(update_fields=[*changed, "updated_at"])
        self._audit_as(existing, "talent.talent_entry.updated", {**data, "fields": sorted(changed)})
        return UPDATED, existing


def register_import_kind() -> None:
    from techbridge.imports.registry import ImportKind
    from techbridge.imports.registry import register_import_kind as register

    register(
        ImportKind(
            TalentRegisterImporter.kind,
            gettext_lazy("Talent register (task 15)"),
            TalentRegisterImporter,
            template_label="人才名册",
            template=TEMPLATE,
            order=50,
        )
    )
