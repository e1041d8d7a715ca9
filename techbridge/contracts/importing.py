"""Import contracts made outside the platform from Excel/CSV (one row = one signed contract).

Every good row is saved (each in its own transaction); every bad row is reported with its line number
and leaves nothing behind. Columns may carry the Chinese header of the template or the English key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from techbridge.imports.readers import BadLine, read_rows
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from . import services
from .choices import ContractType
from .models import Contract

# (key, Chinese header, required) — the template's columns, in order.
COLUMNS = [
    ("title", "合同名称", True),
    ("contract_type", "合同类型", True),
    ("seller_credit_code", "卖方统一社会信用代码", True),
    ("buyer_credit_code", "买方统一社会信用代码", True),
    ("total_amount", "合同金额（元）", True),
    ("equipment_amount", "设备费（元）", False),
    ("materials_amount", "材料费（元）", False),
    ("other_non_tech_amount", "其他非技术性款项（元）", False),
    ("signed_on", "签订日期", True),
    ("field", "技术领域", False),
    ("origin_ref", "原合同编号", False),
]
HEADER_KEYS = {zh: key for key, zh, _req in COLUMNS}
TYPE_NAMES = {
    "技术开发": "development",
    "技术转让": "transfer",
    "技术许可": "license",
    "技术咨询": "consulting",
    "技术服务": "service",
}
EXAMPLE_ROW = [
    "高效钙钛矿电池技术转让",
    "技术转让",
    "",
    "",
    "1200000.00",
    "200000.00",
    "0",
    "0",
    "2026-03-15",
    "",
    "NJ-2026-001",
]


@dataclass
class ImportReport:
    created: list[Contract] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _amount(value: Any, label: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(_("%(column)s is not an amount.") % {"column": label}) from None
    if not d.is_finite() or d < 0:
        raise ValidationError(_("%(column)s must not be negative.") % {"column": label})
    return d.quantize(Decimal("0.01"))


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValidationError(_("The signing date must be written as YYYY-MM-DD.")) from None


def _org(code: Any, label: str) -> Organization:
    code = str(code or "").strip().upper()
    org = Organization.objects.filter(credit_code=code).first() if code else None
    if org is None:
        raise ValidationError(
            _("%(column)s: no organisation with this credit code is registered.") % {"column": label}
        )
    return org


def parse_row(row: dict[str, Any]) -> tuple[dict[str, Any], date]:
    """Turn one file row into the data ``enter_external_contract`` takes; raises ``ValidationError``."""
    data = {HEADER_KEYS.get(str(k).strip(), str(k).strip()): v for k, v in row.items()}
    for key, zh, required in COLUMNS:
        if required and str(data.get(key) or "").strip() == "":
            raise ValidationError(_("%(column)s is required.") % {"column": zh})
    ctype = str(data["contract_type"]).strip()
    ctype = TYPE_NAMES.get(ctype, ctype)
    if ctype not in ContractType.values:
        raise ValidationError(_("Unknown contract type: %(value)s") % {"value": data["contract_type"]})
    values: dict[str, Any] = {
        "title": str(data["title"]).strip()[:200],
        "contract_type": ctype,
        "seller": _org(data["seller_credit_code"], "卖方统一社会信用代码"),
        "buyer": _org(data["buyer_credit_code"], "买方统一社会信用代码"),
        "total_amount": _amount(data["total_amount"], "合同金额"),
        "equipment_amount": _amount(data.get("equipment_amount"), "设备费"),
        "materials_amount": _amount(data.get("materials_amount"), "材料费"),
        "other_non_tech_amount": _amount(data.get("other_non_tech_amount"), "其他非技术性款项"),
        "origin_ref": str(data.get("origin_ref") or "").strip(),
    }
    field_name = str(data.get("field") or "").strip()
    if field_name:
        fld = IndustryField.objects.filter(name=field_name).first()
        if fld is None:
            raise ValidationError(_("Unknown industry field: %(value)s") % {"value": field_name})
        values["field"] = fld
    return values, _date(data["signed_on"])


def import_contracts(*, actor: Any, path: str | Path) -> ImportReport:
    """Import every row of ``path``; returns the contracts created and the ``(line, reason)`` of bad rows."""
    report = ImportReport()
    for line, row in read_rows(path):
        if isinstance(row, BadLine):
            report.errors.append((line, row.reason))
            continue
        if not any(str(v or "").strip() for v in row.values()):
            continue
        try:
            values, signed_on = parse_row(row)
            report.created.append(
                services.enter_external_contract(actor=actor, data=values, signed_on=signed_on)
            )
        except ValidationError as exc:
            report.errors.append((line, " ".join(str(m) for m in exc.messages)))
        except PermissionDenied as exc:
            report.errors.append((line, str(exc) or _("You may not enter contracts for this seller.")))
    return report
