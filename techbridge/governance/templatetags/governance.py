"""Template helpers of governance: a target's status as a coloured tag, figures with their disclosure rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..choices import Standing

register = template.Library()

CLASSES: dict[str, str] = {
    Standing.ON_TRACK: "status-published",
    Standing.ATTENTION: "status-submitted",
    Standing.WARNING: "status-rejected",
}


@register.filter
def number(value: Any) -> str:
    """A figure with thousands separators and at most two decimals (``–`` for none)."""
    if value is None or value == "":
        return "–"
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{d:,.2f}"
    return text[:-3] if text.endswith(".00") else text


@register.filter
def standing(value: str) -> SafeString:
    label = Standing(value).label if value in Standing.values else value
    return format_html(
        '<span class="tag {}" data-standing="{}">{}</span>', CLASSES.get(value, "status-draft"), value, label
    )


@register.filter
def figure(cell: Any) -> SafeString:
    """A ``measures.Cell``: the value, the count alone when withheld, or "no data"."""
    if cell is None or (cell.value is None and not cell.withheld):
        return format_html('<span class="muted" data-nodata="1">{}</span>', _("no data"))
    if cell.withheld:
        return format_html(
            '<span class="muted" title="{}" data-withheld="1">* {}</span>',
            _("Fewer records than the disclosure rule allows: the count is shown, the amount is not."),
            _("%(n)s records") % {"n": cell.count},
        )
    return format_html("{}", number(cell.value))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def percent(value: Any) -> str:
    return "–" if value is None else f"{value}%"
