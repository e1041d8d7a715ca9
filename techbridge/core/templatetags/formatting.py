"""Formatting helpers for pages: query strings for paging links, yuan amounts, highlighted terms."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def yuan(value: Decimal | None) -> str:
    """An amount in yuan as people read it: 万元 above ten thousand."""
    if value is None:
        return _("Negotiable")
    value = Decimal(value)
    if value >= 10000:
        wan = (value / 10000).quantize(Decimal("0.01")).normalize()
        return _("%(n)s 10k yuan") % {"n": f"{wan:f}"}
    return _("%(n)s yuan") % {"n": f"{value.quantize(Decimal('0.01')).normalize():f}"}


@register.filter
def highlight(text: str, terms: list[str] | None) -> str:
    """Wrap the search terms in ``<mark>``, escaping everything else."""
    text = text or ""
    wanted = sorted({t for t in terms or [] if t}, key=len, reverse=True)
    if not wanted:
        return escape(text)
    rx = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
    out: list[str] = []
    pos = 0
    for m in rx.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


@register.filter
def masked_phone(value: Any) -> str:
    """A phone number with its middle digits hidden (lib.privacy), for anonymous visitors."""
    from techbridge.lib.privacy import mask_phone

    return mask_phone(str(value or ""))


@register.filter
def masked_email(value: Any) -> str:
    """An e-mail address with its local part hidden but the first letter (lib.privacy)."""
    from techbridge.lib.privacy import mask_email

    return mask_email(str(value or ""))
