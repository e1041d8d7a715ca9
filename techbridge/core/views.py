"""Error pages in the site's frame and in the visitor's language (403 with its reason, 404, 500, CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from .permissions import DEFAULT_MESSAGE


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _json(message: str, status: int) -> HttpResponse:
    import json

    body = json.dumps({"message": message, "status": status}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """403 with the reason the check gave (``PermissionDenied("…")``), or a general one."""
    message = str(exception) if exception and str(exception) else str(DEFAULT_MESSAGE)
    if _wants_json(request):
        return _json(message, 403)
    return render(request, "core/errors/403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _wants_json(request):
        return _json(_("Not found."), 404)
    return render(request, "core/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without touching the database (it may be what failed)."""
    if _wants_json(request):
        return _json(_("The server could not complete the request. Try again later."), 500)
    html = loader.get_template("core/errors/500.html").render({"request": request})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was older than the session or came from another site."""
    if _wants_json(request):
        return _json(_("The request was refused: reload the page and try again."), 403)
    return render(request, "core/errors/csrf.html", status=403)
