"""A PDF the typesetter refused (too large, too slow: ``lib.pdf.PdfRefused``) is answered, not a 500.

API clients get JSON ``{"message", "status": 413}``; a page reader is sent back where he came from
(or to the home page) with the message shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from techbridge.lib.pdf import PdfRefused


class PdfRefusedMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PdfRefused):
            return None
        text = str(exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"message": text, "status": 413}, status=413)
        messages.error(request, text)
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        return redirect(back if back and safe else "/")
