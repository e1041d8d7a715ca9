"""A database that does not answer (restarting, failing over, a cut connection) is answered with 503 and
a message in Chinese, never the 500 page: JSON under ``/api/``, a small page elsewhere (the site's
templates read the database for menus and counters, so this page does not extend ``base.html``).

Django closes a connection that errored at the end of the request, so the next request reconnects and
the app recovers by itself once the database is back (``auctions/tests/test_faults_database.py`` for
bids; DRF views are answered by ``core.api.exception_handler`` in the same words).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from .api import RETRY_AFTER_SECONDS, database_unavailable_message, is_database_outage


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        text = database_unavailable_message()
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"message": text, "status": 503}, status=503)
        else:
            title = _("Service briefly unavailable")
            response = HttpResponse(
                f'<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{escape(title)}'
                f"</title></head><body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
