"""Template tags of auctions: the lots panel on achievement pages, money formatting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from techbridge.auctions import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def lots_for_achievement(context: Any, achievement: Any) -> list:
    request = context.get("request")
    user = getattr(request, "user", None)
    return queries.lots_for_achievement(user, achievement)


@register.filter
def yuan(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return f"¥{Decimal(value):,.2f}"
