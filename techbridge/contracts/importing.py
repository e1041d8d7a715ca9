"""Import contracts made outside the platform from Excel/CSV (one row = one signed contract).

Contracts are a registered import kind (``imports.registry``, ``contracts``): the same importer runs
behind the operators' import console (upload → row report → confirm), the members' import page
(``contracts:import``) and ``manage.py import_contracts``. It is built on the import machinery —
``BaseImporter`` (rows in savepoints, per-row refusals with line numbers, the batch record),
``Cells`` (headers in Chinese or English, amounts, dates) — and enters each row through
``services.enter_external_contract``, so an imported contract passes the same checks as one entered
by hand. A row naming an 原合同编号 its seller already imported is not entered twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from techbridge.achievements.choices import AchievementType, LegalStatus
from techbridge.core.workflow import Source
from techbridge.imports.cells import Cells, RowRefused
from techbridge.imports.importers.base import CREATED, UNCHANGED, BaseImporter, ImportReport, Prepared
from techbridge.imports.readers import read_rows
from techbridge.lib import credit_code as cc
from techbridge.organizations.choices import District
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import services
from .choices import ContractType, Origin, SubType
from .models import Contract
from .parties import IdType, PartyKind, normalise_id

# canonical column → the headers it is known by (the template's first).
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("合同名称",),
    "contract_type": ("合同类型",),
    "sub_type": ("合同子类型", "子类型"),
    "subject_kind": ("标的类型",),
    "subject_legal_status": ("专利法律状态", "法律状态"),
    "seller_credit_code": ("卖方统一社会信用代码", "卖方信用代码"),
    "seller_party_kind": ("卖方类型",),
    "seller_name": ("卖方名称",),
    "seller_id_type": ("卖方证件类型",),
    "seller_id_number": ("卖方证件号码",),
    "seller_country": ("卖方国家或地区",),
    "seller_district": ("卖方所在区",),
    "buyer_credit_code": ("买方统一社会信用代码", "买方信用代码"),
    "buyer_party_kind": ("买方类型",),
    "buyer_name": ("买方名称",),
    "buyer_id_type": ("买方证件类型",),
    "buyer_id_number": ("买方证件号码",),
    "buyer_country": ("买方国家或地区",),
    "total_amount": ("合同金额（元）", "合同金额"),
    "equipment_amount": ("设备费（元）", "设备费"),
    "materials_amount": ("材料费（元）", "材料费"),
    "other_non_tech_amount": ("其他非技术性款项（元）", "其他非技术性款项"),
    "carrier_amount": ("其中承载技术的标的物成本（元）", "承载技术的标的物成本"),
    "signed_on": ("签订日期",),
    "field": ("技术领域",),
    "origin_ref": ("原合同编号",),
}
CENT = Decimal("0.01")
REQUIRED = ("title", "contract_type", "total_amount", "signed_on")
AMOUNTS = ("total_amount", "equipment_amount", "materials_amount", "other_non_tech_amount", "carrier_amount")
TYPE_NAMES = {
    "技术开发": ContractType.DEVELOPMENT,
    "技术转让": ContractType.TRANSFER,
    "技术许可": ContractType.LICENSE,
    "技术咨询": ContractType.CONSULTING,
    "技术服务": ContractType.SERVICE,
}

# The Excel template: (header — a star marks a required column, example, note).
TEMPLATE: tuple[tuple[str, str, str], ...] = (
    ("合同名称*", "高效钙钛矿电池技术转让", "必填，200 字以内。"),
    ("合同类型*", "技术转让", "技术开发、技术转让、技术许可、技术咨询、技术服务。"),
    (
        "合同子类型",
        "专利权转让",
        "如委托开发、合作开发、专利权转让、专利申请权转让、专利实施许可；不填时按标的判断，判断不了的行不导入。",
    ),
    ("标的类型", "发明专利", "发明专利、实用新型、外观设计、技术秘密、软件著作权等，可留空。"),
    ("专利法律状态", "有效", "申请中、有效、终止、届满、宣告无效；标的为专利时填写。"),
    ("卖方统一社会信用代码", "", "卖方为境内单位时必填：18 位，须为平台上已注册的单位。"),
    (
        "卖方类型",
        "境内单位",
        "境内单位、自然人（个人发明人）或境外单位；留空按境内单位。后两种仅登记机构可导入。",
    ),
    ("卖方名称", "", "卖方为自然人或境外单位时必填。"),
    ("卖方证件类型", "", "卖方为自然人时必填，证件类型同买方。"),
    ("卖方证件号码", "", "卖方为自然人时必填；页面上只显示前四位和后四位。"),
    ("卖方国家或地区", "", "境外卖方必填；与境外卖方的合同标记为技术进口。"),
    ("卖方所在区", "", "卖方为自然人时必填：南京市的区，或“南京市外”；统计按卖方所在地计算。"),
    ("买方统一社会信用代码", "", "买方为境内单位时必填：18 位，须为平台上已注册的单位。"),
    ("买方类型", "境内单位", "境内单位、自然人或境外单位；留空按境内单位。"),
    ("买方名称", "", "买方为自然人或境外单位时必填。"),
    (
        "买方证件类型",
        "",
        "自然人必填：居民身份证、护照、港澳居民来往内地通行证、台湾居民来往大陆通行证、外国人永久居留身份证。",
    ),
    ("买方证件号码", "", "自然人必填；页面上只显示前四位和后四位。"),
    ("买方国家或地区", "", "境外单位必填；与境外单位的合同标记为技术出口。"),
    ("合同金额（元）*", "1200000.00", "合同总金额，元（可写 120万）。"),
    ("设备费（元）", "200000.00", "不计入技术交易额的部分。"),
    ("材料费（元）", "0", ""),
    ("其他非技术性款项（元）", "0", ""),
    (
        "其中承载技术的标的物成本（元）",
        "0",
        "设备费、材料费中承载技术的合理数量样品、样机的直接成本，计入技术交易额，由登记机构核定。",
    ),
    ("签订日期*", "2026-03-15", "YYYY-MM-DD，不能晚于今天。"),
    ("技术领域", "", "行业领域名称或代码，可留空。"),
    ("原合同编号", "NJ-2026-001", "合同上的编号；同一卖方重复导入同一编号不会重复登记。"),
)


class ContractImporter(BaseImporter):
    """Contracts signed outside the platform, entered as ``signed`` for registration."""

    kind = "contracts"
    model = Contract
    columns = COLUMNS

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._orgs: dict[str, Organization | None] = {}
        self._fields: dict[int, IndustryField] = {}

    def _org(self, cells: Cells, name: str) -> Organization:
        code = cc.normalise(cells.text(name))
        if code not in self._orgs:
            self._orgs[code] = Organization.objects.filter(credit_code=code).first() if code else None
        org = self._orgs[code]
        if org is None:
            raise RowRefused(
                _("%(column)s: no organisation with this credit code is registered.")
                % {"column": cells.label(name)}
            )
        return org

    def _choices(self, cells: Cells) -> dict[str, str]:
        """Sub-type, subject kind and legal status, by code or by their Chinese name."""
        out = {}
        for name, choices in (
            ("seller_party_kind", PartyKind.choices),
            ("seller_id_type", IdType.choices),
            ("seller_district", District.choices),
            ("buyer_party_kind", PartyKind.choices),
            ("buyer_id_type", IdType.choices),
            ("sub_type", SubType.choices),
            ("subject_kind", AchievementType.choices),
            ("subject_legal_status", LegalStatus.choices),
        ):
            if not cells.has(name):
                continue
            text = cells.text(name)
            with translation.override("zh-hans"):
                names = {str(label): value for value, label in choices}
            # "有效" matches "有效（…）": a Chinese label is matched on its words before the bracket.
            short = {label.split("（")[0].split("(")[0].strip(): value for label, value in names.items()}
            value = text if text in dict(choices) else names.get(text) or short.get(text)
            if not value:
                raise RowRefused(
                    _("%(column)s: unknown value “%(value)s”.") % {"column": cells.label(name), "value": text}
                )
            out[name] = value
        return out

    def prepare(self, line: int, cells: Cells) -> Prepared:
        for name in REQUIRED:
            if not cells.has(name):
                raise RowRefused(_("%(column)s is required.") % {"column": cells.label(name)})
        ctype = cells.text("contract_type")
        ctype = TYPE_NAMES.get(ctype, ctype)
        if ctype not in ContractType.values:
            raise RowRefused(_("Unknown contract type: %(value)s") % {"value": cells.text("contract_type")})
        values: dict[str, Any] = {
            "title": cells.text("title")[:200],
            "contract_type": ctype,
            **self._choices(cells),
            "origin_ref": cells.text("origin_ref")[:100],
        }
        # 认定规则 art. 4: the seller may be an individual inventor or an organisation abroad.
        if values.get("seller_party_kind", PartyKind.ORGANIZATION) == PartyKind.ORGANIZATION:
            if not cells.has("seller_credit_code"):
                raise RowRefused(_("%(column)s is required.") % {"column": cells.label("seller_credit_code")})
            values["seller"] = self._org(cells, "seller_credit_code")
        else:
            values["seller"] = None
            for name in ("seller_name", "seller_id_number", "seller_country"):
                values[name] = cells.text(name)
        kind = values.get("buyer_party_kind", PartyKind.ORGANIZATION)
        if kind == PartyKind.ORGANIZATION:
            if not cells.has("buyer_credit_code"):
                raise RowRefused(_("%(column)s is required.") % {"column": cells.label("buyer_credit_code")})
            values["buyer"] = self._org(cells, "buyer_credit_code")
        else:
            values["buyer"] = None
            for name in ("buyer_name", "buyer_id_number", "buyer_country"):
                values[name] = cells.text(name)
        for name in AMOUNTS:
            amount = cells.amount(name)
            if isinstance(amount, str):  # 面议: a contract states its amounts
                raise RowRefused(
                    _("%(column)s: “%(value)s” is not an amount in yuan.")
                    % {"column": cells.label(name), "value": cells.text(name)}
                )
            if amount is not None and amount < 0:
                raise RowRefused(_("%(column)s must not be negative.") % {"column": cells.label(name)})
            values[name] = (amount or Decimal(0)).quantize(CENT)
        if cells.has("field"):
            pk = self.vocab.fields.get(cells.text("field")) or self.vocab.fields.get(
                cells.text("field").lower()
            )
            if pk is None:
                raise RowRefused(_("Unknown industry field: %(value)s") % {"value": cells.text("field")})
            if pk not in self._fields:
                self._fields[pk] = IndustryField.objects.get(pk=pk)
            values["field"] = self._fields[pk]
        values["signed_on"] = cells.date("signed_on")
        ref = values["origin_ref"]
        seller = values["seller"]
        if not ref:
            key: tuple[Any, ...] = ("line", line)
        elif seller is not None:
            key = ("ref", seller.pk, ref)
        else:
            key = ("person", normalise_id(values["seller_id_number"]) or values["seller_name"], ref)
        return Prepared(line=line, key=key, values=values)

    def fetch_existing(self, prepared: list[Prepared]) -> dict[Any, Any]:
        refs = {(p.key[1], p.key[2]) for p in prepared if p.key[0] == "ref"}
        people = {(p.key[1], p.key[2]) for p in prepared if p.key[0] == "person"}
        found: dict[Any, Any] = {}
        if refs:
            rows = Contract.objects.filter(
                origin=Origin.EXTERNAL,
                seller_id__in={seller for seller, _ref in refs},
                origin_ref__in={ref for _seller, ref in refs},
            )
            found.update({("ref", c.seller_id, c.origin_ref): c for c in rows})
        if people:
            # A seller with no platform organisation is known by its document number (or its name).
            rows = Contract.objects.filter(
                origin=Origin.EXTERNAL,
                seller__isnull=True,
                origin_ref__in={ref for _who, ref in people},
            )
            for c in rows:
                found[("person", c.seller_id_number or c.seller_name, c.origin_ref)] = c
        return found

    def write(self, p: Prepared, existing: Any) -> tuple[str, Any]:
        values = dict(p.values)
        signed_on = values.pop("signed_on")
        if existing is not None:
            same = existing.title == values["title"] and existing.total_amount == values["total_amount"]
            if same:
                return UNCHANGED, existing
            raise RowRefused(
                _("Contract %(ref)s of this seller was already entered as %(number)s; change it on its page.")
                % {"ref": values["origin_ref"], "number": existing.number}
            )
        try:
            contract = services.enter_external_contract(actor=self.actor, data=values, signed_on=signed_on)
        except PermissionDenied as exc:
            raise RowRefused(str(exc) or _("You may not enter contracts for this seller.")) from None
        return CREATED, contract


@dataclass
class ContractImport:
    """What an import of contracts did: the run's report, and the contracts it entered."""

    report: ImportReport
    created: list[Contract] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(r.line, r.reason) for r in self.report.refused]


def import_contracts(*, actor: Any, path: str | Path, file_name: str = "") -> ContractImport:
    """Import every row of ``path`` as ``actor``; ``ImportFileError`` when the file cannot be read."""
    importer = ContractImporter(source=Source.MANUAL, actor=actor, file_name=file_name or Path(path).name)
    report = importer.run(read_rows(path))
    created = list(Contract.objects.filter(pk__in=importer.changed_pks).order_by("pk"))
    return ContractImport(report, created)
