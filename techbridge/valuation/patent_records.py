"""Scorecard inputs from patent office records (the columns of a CNIPA-style export, as in
``data/cn_patent_records_sample/``): legal status, remaining term and family size.

Only what a record states is taken. Its ``引证数`` counts the patents it cites (backward citations),
not forward citations, so citations stay missing; ``主权项`` is the first claim only, so the number of
claims stays missing too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from techbridge.lib.numbers import digits

from . import formulas as F

# 专利类型 words → the kind whose term applies (专利法 art. 42: invention 20, utility model 10, design
# 10 or 15 by filing date — ``formulas.statutory_term_years``).
KIND_WORDS = (("发明", F.INVENTION), ("实用新型", F.UTILITY_MODEL), ("外观", F.DESIGN))
LAPSED_WORDS = ("无权", "失效", "届满", "驳回", "撤回", "放弃", "无效")


def legal_status(text: str) -> str | None:
    """granted / pending / lapsed from a 法律状态 text such as ``有权-审定授权`` or ``审中-实质审查``."""
    text = (text or "").strip()
    if not text:
        return None
    if text.startswith("有权"):
        return "granted"
    if text.startswith("审中"):
        return "pending"
    if any(word in text for word in LAPSED_WORDS):
        return "lapsed"
    return None


def term_years(kind: str, filed: date) -> int | None:
    """The statutory term of a 专利类型 filed on ``filed`` (the longest named: ``发明公开;发明授权`` → 20;
    ``外观设计`` → 10 before 2021-06-01, 15 from it)."""
    years = [F.statutory_term_years(k, filed) for word, k in KIND_WORDS if word in (kind or "")]
    return max(years) if years else None


def parse_date(value: Any) -> date | None:
    """``20221202`` (int or text) or ``2022-12-02`` → a date."""
    text = str(value or "").replace("-", "").replace(".", "").strip()
    if len(text) != 8 or not digits(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def remaining_term(filed: date, years: int, as_of: date) -> Decimal:
    """Years left until filing date + term, (expiry − as_of).days / 365.25, never below 0, 2 places."""
    return F.remaining_years(F.add_years(filed, years), as_of)


def numbers(record: dict[str, Any]) -> set[str]:
    """The record's application, publication and grant numbers."""
    out = set()
    for key in ("申请号", "公开号", "授权公告号"):
        value = str(record.get(key) or "").strip().upper()
        if value:
            out.add(value)
    return out


def scorecard_inputs(record: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The scorecard fields a record supports; missing facts are left out (never guessed)."""
    out: dict[str, Any] = {}
    status = legal_status(str(record.get("法律状态") or ""))
    if status:
        out["legal_status"] = status
    filed = parse_date(record.get("申请日"))
    years = term_years(str(record.get("专利类型") or ""), filed) if filed else None
    if status == "lapsed":
        out["remaining_term_years"] = Decimal("0.00")
    elif filed and years:
        out["remaining_term_years"] = remaining_term(filed, years, as_of)
    family = str(record.get("简单同族数量") or "").strip()
    if digits(family) and int(family) > 0:
        out["family_size"] = int(family)
    number = str(record.get("申请号") or "")
    out["source_note"] = (
        f"专利记录 {number}，法律状态 {record.get('法律状态') or '未知'}，{as_of:%Y-%m-%d} 导入"
    )[:300]
    return out
