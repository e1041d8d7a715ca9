"""The pages every app adds to: the home page, "my work" and the console home.

They read ``techbridge.core.registry`` only: which blocks, sections, figures and links exist is decided
by the apps that register them in their ``ready()``; this module names none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from techbridge.core import registry
from techbridge.core.models import AuditEntry
from techbridge.core.permissions import role_required
from techbridge.core.roles import is_console_user, is_staff_reviewer
from techbridge.core.templatetags.extensions import visible_links

RECENT_ACTIVITY = 20


def _blocks(entries: Iterable[Any], *args: Any) -> list[registry.Rendered]:
    """Each entry's template with the context it adds; entries whose context is ``None`` are left out."""
    rendered = []
    for entry in entries:
        extra = entry.context(*args) if entry.context is not None else {}
        if extra is not None:
            rendered.append(registry.Rendered(entry.template, dict(extra)))
    return rendered


def _figures(user: Any, *, public_only: bool) -> list[dict[str, Any]]:
    figures = []
    for counter in registry.counters:
        # The home page shows the public figures to everyone; the console asks each counter who may see it.
        if (public_only and not counter.public) or (not public_only and not counter.visible(user)):
            continue
        value = counter.count()
        url = ""
        if counter.url_name:
            try:
                url = reverse(counter.url_name)
            except NoReverseMatch:
                url = ""
        figures.append(
            {
                "key": counter.key,
                "label": counter.label,
                "value": value,
                "url": url,
                "attention": counter.attention,
            }
        )
    figures.sort(key=lambda f: not f["attention"])
    return figures


def home(request: HttpRequest) -> HttpResponse:
    """A search box, the public figures and the blocks the apps register (newest listings, fields …)."""
    context = {
        "figures": _figures(request.user, public_only=True),
        "blocks": _blocks(registry.home_blocks, request),
    }
    return render(request, "portal/portal/home.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own records, one section per app that registers one."""
    context = {
        "organization": getattr(request.user, "organization", None),
        "sections": _blocks(registry.mine_sections, request),
    }
    return render(request, "portal/portal/mine.html", context)


@role_required(is_console_user)
def console_home(request: HttpRequest) -> HttpResponse:
    """Queues and figures for staff and officials, the console sections, and (for staff) recent activity."""
    recent: list[AuditEntry] = []
    if is_staff_reviewer(request.user):
        recent = list(AuditEntry.objects.select_related("actor", "content_type")[:RECENT_ACTIVITY])
    context = {
        "figures": _figures(request.user, public_only=False),
        "sections": visible_links("console", request.user),
        "recent": recent,
    }
    return render(request, "portal/console/home.html", context)


def screen(request: HttpRequest) -> HttpResponse:
    """The public big screen (数据大屏): full screen, refreshed in place every 30 seconds."""
    from . import screen as big_screen

    return render(request, "portal/portal/screen.html", {"screen": big_screen.current()})


def screen_data(request: HttpRequest) -> JsonResponse:
    """The big screen's figures as JSON (what the page polls); the same for everyone, cached a minute."""
    from . import screen as big_screen

    response = JsonResponse(big_screen.current(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={big_screen.SCREEN_SECONDS // 2}"
    return response
