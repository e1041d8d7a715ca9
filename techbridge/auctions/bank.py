"""The platform's receiving account and bank statements read from Excel (.xlsx) or CSV files.

``receiving_account()`` is the one place the account bidders pay into comes from (settings
``DEPOSIT_ACCOUNT_NAME``, ``_BANK``, ``_NUMBER``). Unset outside production, a sample account marked
示例 is shown instead, which nobody must pay into; unset in production, no account is shown at all.

``read_statement(name, content)`` reads the common Chinese bank exports (交易日期, 摘要/附言, 对方户名,
对方账号, 收入金额/贷方金额, 支出金额/借方金额, 流水号): the header row may sit below a few title lines,
headers are matched leniently (spaces, full-width brackets, a unit such as （元） ignored), and the whole
file is checked before anything is written — every bad row is reported with its row number, in Chinese.
Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_LINES = 20000
MAX_ERRORS = 50  # reported at most; the count says how many more
MAX_AMOUNT = Decimal("10000000000")
HEADER_SEARCH_ROWS = 20
EXTENSIONS = (".xlsx", ".csv")

# ---- the receiving account ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivingAccount:
    """The account deposits are paid into; ``is_demo``: a sample (示例) that must not be paid into."""

    name: str
    bank: str
    number: str
    is_demo: bool


def receiving_account() -> ReceivingAccount | None:
    name = getattr(settings, "DEPOSIT_ACCOUNT_NAME", "")
    bank = getattr(settings, "DEPOSIT_ACCOUNT_BANK", "")
    number = getattr(settings, "DEPOSIT_ACCOUNT_NUMBER", "")
    if name and bank and number:
        return ReceivingAccount(name, bank, number, is_demo=False)
    if getattr(settings, "PRODUCTION", False):
        return None
    return ReceivingAccount(
        _("Nanjing technology transfer platform (sample account)"),
        _("Sample Bank, Nanjing branch (sample)"),
        "0000 0000 0000 0000 000",
        is_demo=True,
    )


# ---- statements -------------------------------------------------------------------------------------

# Column → the headers banks use for it (compared after ``header_key``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("交易日期", "记账日期", "入账日期", "交易时间", "日期", "transaction date", "date"),
    "remark": ("摘要", "附言", "交易附言", "用途", "备注", "交易摘要", "摘要附言", "remark", "memo"),
    "payer_name": (
        "对方户名",
        "对方账户名称",
        "对方名称",
        "对方账户名",
        "付款人名称",
        "付款人户名",
        "payer name",
    ),
    "payer_account": ("对方账号", "对方账户", "付款人账号", "对方卡号", "payer account"),
    "income": ("收入金额", "贷方金额", "贷方发生额", "收入", "贷方", "credit amount", "credit"),
    "outgoing": ("支出金额", "借方金额", "借方发生额", "支出", "借方", "debit amount", "debit"),
    "serial": (
        "流水号",
        "交易流水号",
        "交易流水",
        "业务流水号",
        "凭证号",
        "交易序号",
        "serial number",
        "serial",
    ),
}
REQUIRED = ("date", "remark", "income", "serial")
# Every column that may hold remark text is read: the reference may be in 摘要 or in 附言.
_MULTI = {"remark"}


def column_label(key: str) -> str:
    return COLUMNS[key][0] if key != "income" else "收入金额/贷方金额"


def header_key(name: Any) -> str:
    text = unicodedata.normalize("NFKC", str(name or "")).replace("\ufeff", "")
    text = re.sub(r"\((元|人民币|rmb|cny)\)$", "", text.strip().lower())
    return re.sub(r"[\s_:：]+", "", text)


_ALIASES = {header_key(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


class StatementError(Exception):
    """The file cannot be imported; ``messages`` says why (the whole file, or row by row)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Line:
    """One transaction of the statement; ``amount`` is negative for money going out."""

    row: int
    serial: str
    booked_on: date
    remark: str
    payer_name: str
    payer_account: str
    amount: Decimal


@dataclass
class Statement:
    lines: list[Line] = field(default_factory=list)
    skipped: int = 0  # blank and total rows


def read_statement(name: str, content: bytes) -> Statement:
    """All lines of the statement, or ``StatementError`` with every problem found (nothing is half-read)."""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in EXTENSIONS:
        raise StatementError([_("Upload the bank statement as an Excel (.xlsx) or CSV (.csv) file.")])
    if not content:
        raise StatementError([_("The file is empty.")])
    if len(content) > MAX_FILE_BYTES:
        raise StatementError(
            [
                _("The file is larger than %(mb)s MB: split the statement by period.")
                % {"mb": MAX_FILE_BYTES >> 20}
            ]
        )
    rows = _xlsx_rows(content) if ext == ".xlsx" else _csv_rows(content)
    return _parse(rows)


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise StatementError(
            [_("The CSV file is neither UTF-8 nor GB18030 text. Save it as UTF-8 and try again.")]
        )
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            yield number, list(row)
    except csv.Error as exc:
        raise StatementError([_("The CSV file cannot be read: %(error)s") % {"error": exc}]) from exc


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError, ParseError, TypeError) as exc:
        raise StatementError([_("The file is not a valid Excel (.xlsx) workbook.")]) from exc
    try:
        visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not visible:
            raise StatementError([_("The workbook has no visible sheet.")])
        sheet = wb.active if wb.active in visible else visible[0]
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        wb.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[dict[str, list[int]], int]:
    best: tuple[dict[str, list[int]], int] | None = None
    for number, values in rows:
        columns: dict[str, list[int]] = {}
        for index, value in enumerate(values):
            key = _ALIASES.get(header_key(value))
            if key and (key in _MULTI or key not in columns):
                columns.setdefault(key, []).append(index)
        if len(columns) >= 3 and (best is None or len(columns) > len(best[0])):
            best = (columns, number)
            if all(k in columns for k in REQUIRED):
                return best
        if number >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise StatementError(
            [
                _(
                    "No header row found in the first %(n)s rows: the statement needs the columns "
                    "交易日期, 摘要 or 附言, 收入金额 (or 贷方金额) and 流水号."
                )
                % {"n": HEADER_SEARCH_ROWS}
            ]
        )
    missing = [k for k in REQUIRED if k not in best[0]]
    raise StatementError(
        [
            _("Column “%(column)s” is missing (also accepted: %(aliases)s).")
            % {"column": column_label(k), "aliases": "、".join(COLUMNS[k][1:4])}
            for k in missing
        ]
    )


def _parse(rows: Iterator[tuple[int, list[Any]]]) -> Statement:
    columns, _header_row = _find_header(rows)
    statement = Statement()
    errors: list[str] = []
    error_count = 0
    serials: dict[str, int] = {}

    def cell(values: list[Any], key: str) -> Any:
        indexes = columns.get(key, [])
        found = [values[i] for i in indexes if i < len(values) and not _blank(values[i])]
        if key in _MULTI:
            return " ".join(str(v).strip() for v in found)
        return found[0] if found else None

    for number, values in rows:
        if all(_blank(v) for v in values):
            continue
        serial_cell, date_cell = cell(values, "serial"), cell(values, "date")
        if _blank(serial_cell) and (_blank(date_cell) or _is_total(values)):
            statement.skipped += 1  # 合计 / 本页小计 rows and footers
            continue
        problems: list[str] = []
        serial = _text(serial_cell)
        if not serial:
            problems.append(_("the serial number (流水号) is empty"))
        elif len(serial) > 64:
            problems.append(_("the serial number (流水号) is longer than 64 characters"))
        elif serial in serials:
            problems.append(
                _("serial number %(serial)s also appears in row %(row)s")
                % {"serial": serial, "row": serials[serial]}
            )
        booked_on = _date(date_cell)
        if booked_on is None:
            problems.append(
                _("the date “%(value)s” is not a date (write 2026-12-06)") % {"value": _text(date_cell)}
            )
        amount, amount_problem = _amount(cell(values, "income"), cell(values, "outgoing"))
        if amount_problem:
            problems.append(amount_problem)
        if problems:
            error_count += 1
            if len(errors) < MAX_ERRORS:
                errors.append(
                    _("Row %(row)s: %(problems)s.") % {"row": number, "problems": "；".join(problems)}
                )
            continue
        serials[serial] = number
        assert booked_on is not None and amount is not None
        statement.lines.append(
            Line(
                row=number,
                serial=serial,
                booked_on=booked_on,
                remark=_text(cell(values, "remark"))[:500],
                payer_name=_text(cell(values, "payer_name"))[:200],
                payer_account=_text(cell(values, "payer_account"))[:64],
                amount=amount,
            )
        )
        if len(statement.lines) > MAX_LINES:
            raise StatementError(
                [
                    _("The statement has more than %(max)s lines: split it by period.")
                    % {"max": f"{MAX_LINES:,}"}
                ]
            )
    if error_count:
        if error_count > len(errors):
            errors.append(_("… and %(n)s more rows with problems.") % {"n": error_count - len(errors)})
        raise StatementError(errors)
    if not statement.lines:
        raise StatementError([_("The statement has no transaction lines under its header row.")])
    return statement


def _is_total(values: list[Any]) -> bool:
    return any(isinstance(v, str) and re.search(r"合\s*计|小\s*计|总\s*计", v) for v in values)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an account or serial number Excel stored as a number
    return unicodedata.normalize("NFKC", str(value)).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    head = text.split()[0] if " " in text else text
    if "T" in head and len(head) > 10:
        head = head.split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(head, fmt).date()
        except ValueError:
            continue
        if 2000 <= parsed.year <= 2100:
            return parsed
    return None


def _decimal(value: Any) -> Decimal | str | None:
    """The amount in a cell: a Decimal, None when blank, or "" when it is not a number."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
    else:
        text = re.sub(r"[\s,，¥￥元]", "", _text(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return ""
    return number


def _amount(income_cell: Any, outgoing_cell: Any) -> tuple[Decimal | None, str]:
    income, outgoing = _decimal(income_cell), _decimal(outgoing_cell)
    if income == "":
        return None, _("the amount “%(value)s” is not a number") % {"value": _text(income_cell)}
    if outgoing == "":
        return None, _("the amount “%(value)s” is not a number") % {"value": _text(outgoing_cell)}
    if isinstance(income, Decimal) and income != 0:
        amount = income
    elif isinstance(outgoing, Decimal) and outgoing != 0:
        amount = -abs(outgoing)
    else:
        return None, _("the line has no amount")
    if abs(amount) > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        return None, _("the amount “%(value)s” is out of range or has more than two decimals") % {
            "value": _text(income_cell if income else outgoing_cell)
        }
    return amount.quantize(Decimal("0.01")), ""
