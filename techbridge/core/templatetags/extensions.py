"""Template side of ``core.registry``: slots for panels, menus, audit words.

``{% panels "achievement.detail" %}`` renders every panel registered for the slot with the page's own
context (plus what the panel's ``context`` callable adds); ``{% nav_menu "portal" as groups %}`` gives
the menu links the viewer may see, grouped; ``{{ entry.action|audit_label }}`` gives an audit code's words.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from techbridge.core import registry

register = template.Library()


def _render(template_name: str, context: template.Context, extra: Any) -> str:
    flat: dict[str, Any] = dict(context.flatten())  # type: ignore[arg-type]
    if extra:
        flat.update(extra)
    return get_template(template_name).render(flat, context.get("request"))


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any = None) -> SafeString:
    """Every panel registered for ``slot``; ``obj`` defaults to the page's ``obj``."""
    subject = obj if obj is not None else context.get("obj")
    request = context.get("request")
    html = []
    for panel in registry.panels.filter(slot=slot):
        extra = None
        if panel.context is not None:
            extra = panel.context(request, subject)
            if extra is None:
                continue
        with context.push(obj=subject):
            html.append(_render(panel.template, context, extra))
    return mark_safe("".join(html))


def visible_links(menu: str, user: Any) -> list[dict[str, Any]]:
    """The links of ``menu`` that ``user`` may see, grouped as ``[{group, label, links}]``.

    Links without a group come first as a group of their own (``group`` ""). Links whose URL does not
    resolve (an app switched off) are left out.
    """
    groups: dict[str, dict[str, Any]] = {}
    for link in registry.nav.filter(menu=menu):
        if not link.visible(user):
            continue
        try:
            url = reverse(link.url_name, args=link.url_args)
        except NoReverseMatch:
            continue
        groups.setdefault(link.group, {"group": link.group, "links": []})["links"].append(
            {"label": link.label, "url": url, "url_name": link.url_name}
        )
    known = {g.key: g for g in registry.nav_groups}
    ordered = sorted(
        groups.values(),
        key=lambda g: (
            g["group"] != "",
            known[g["group"]].order if g["group"] in known else 1000,
            g["group"],
        ),
    )
    for g in ordered:
        g["label"] = known[g["group"]].label if g["group"] in known else ""
    return ordered


@register.simple_tag(takes_context=True)
def nav_menu(context: template.Context, menu: str) -> list[dict[str, Any]]:
    return visible_links(menu, context.get("user"))


@register.filter
def audit_label(code: str) -> str:
    return registry.audit_label(code)
