"""Template helpers of valuation: the panels other apps include (achievement page, lot setup) read
through these tags, so the listing apps and auctions never import valuation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _

from techbridge.achievements.permissions import can_see_detail

from .. import formulas as F
from ..forms import INDICATOR_LABELS, SHARE_FACTOR_LABELS
from ..messages import describe

register = template.Library()


@register.filter
def amount(value: Any) -> str:
    """An amount in yuan with thousands separators and two decimals: 1,234,567.89."""
    if value is None or value == "":
        return "–"
    try:
        d = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    return f"{d:,.2f}"


@register.filter
def num(value: Any) -> Any:
    """A decimal without trailing zeros (10.000 → 10, 12.50 → 12.5); empty stays empty."""
    if value is None or value == "":
        return value
    try:
        d = Decimal(str(value)).normalize()
    except InvalidOperation:
        return value
    return f"{d:f}"


@register.filter
def wan(value: Any) -> str:
    """An amount in 万元 (10k yuan), two decimals."""
    if value is None or value == "":
        return "–"
    d = (Decimal(str(value)) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{d:,.2f}"


@register.filter
def formula_error(error: Any) -> str:
    """The sentence for a stored formula error ``{"code", "params"}``."""
    if not error:
        return ""
    return describe(error.get("code", ""), error.get("params"))


@register.filter
def indicator_label(code: str) -> str:
    return str(INDICATOR_LABELS.get(code, code))


@register.filter
def share_factor_label(code: str) -> str:
    return str(SHARE_FACTOR_LABELS.get(code, code))


@register.filter
def conclusion_label(code: str) -> str:
    from ..choices import Conclusion

    return str(dict(Conclusion.choices).get(code, code))


@register.filter
def indicator_input(value: Any, code: str) -> str:
    """An indicator's input as people read it: the legal status in words, the market size as an amount."""
    from ..choices import LegalStatus

    if value is None or value == "":
        return "–"
    if code == "legal_status":
        return str(LegalStatus(value).label) if value in LegalStatus.values else str(value)
    if code == "market":
        return amount(value)
    return str(value)


@register.filter
def deal_mode_name(code: str) -> str:
    from techbridge.taxonomy.models import DealMode

    names = _deal_mode_names()
    if not names:
        names.update(dict(DealMode.objects.values_list("code", "name")))
    return names.get(code, code or "–")


_DEAL_MODE_CACHE: dict[str, str] = {}


def _deal_mode_names() -> dict[str, str]:
    return _DEAL_MODE_CACHE


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def at(seq: Any, index: int) -> Any:
    try:
        return seq[int(index)]
    except (IndexError, TypeError, ValueError):
        return None


@register.simple_tag
def achievement_valuation(achievement: Any, user: Any) -> dict[str, Any]:
    """What the achievement page's valuation panel shows to ``user``: the grade (public), the latest
    issued valuation (only to those who may see the detail), whether an earlier one exists, and the
    request button for owners and operators."""
    from ..models import Scorecard, Valuation, ValuationRequest
    from ..permissions import can_manage_scorecard, can_request

    card = Scorecard.objects.filter(achievement=achievement).first()
    latest = Valuation.objects.filter(achievement=achievement).order_by("-version").first()
    allowed = latest is not None and can_see_detail(user, achievement)
    mine = None
    if getattr(user, "is_authenticated", False) and can_request(user, achievement):
        mine = (
            ValuationRequest.objects.filter(achievement=achievement, status__in=["submitted", "panel"])
            .order_by("-created_at")
            .first()
        )
    return {
        "card": card,
        "valuation": latest if allowed else None,
        "hidden_valuation": latest is not None and not allowed,
        "can_request": can_request(user, achievement),
        "can_score": can_manage_scorecard(user, achievement),
        "open_request": mine,
    }


@register.simple_tag(takes_context=True)
def lot_suggestion(context: Any, achievement: Any = None, package: Any = None) -> dict[str, Any]:
    """The grade and the suggested starting price and reserve for an auction lot, with their
    derivation: reserve = the low end of the latest issued valuation (rounded down to 100 yuan),
    start = reserve × the grade's ratio. A package sums its members' reserves and starts at the
    weakest member's ratio; if any member lacks an issued valuation there is no suggestion."""
    from ..models import Scorecard, Valuation

    user = context.get("user")
    members = (
        [achievement] if achievement is not None else (list(package.achievements.all()) if package else [])
    )
    rows = []
    for a in members:
        card = Scorecard.objects.filter(achievement=a).first()
        latest = Valuation.objects.filter(achievement=a).order_by("-version").first()
        visible = latest is not None and (user is None or can_see_detail(user, a))
        rows.append(
            {"achievement": a, "grade": card.grade if card else "", "valuation": latest if visible else None}
        )
    result: dict[str, Any] = {"rows": rows, "start": None, "reserve": None, "missing": [], "hidden": False}
    if not rows:
        return result
    missing = [r["achievement"] for r in rows if r["valuation"] is None]
    result["missing"] = missing
    if missing:
        return result
    low = sum((r["valuation"].low for r in rows), Decimal(0))
    grades = [r["grade"] for r in rows]
    # The weakest grade sets the ratio ("" = not graded counts as weakest).
    order = {"A": 0, "B": 1, "C": 2, "D": 3, "": 4}
    weakest = max(grades, key=lambda g: order.get(g, 4))
    start, reserve = F.auction_prices(low, weakest)
    result.update(
        start=start,
        reserve=reserve,
        low=low,
        grade=weakest,
        ratio=F.START_RATIOS.get(weakest, F.START_RATIOS[""]),
        grade_label=weakest or _("not graded"),
    )
    return result
