"""Strict API queries: a query parameter the API does not document is refused, not ignored.

A typo (``?serach=…``) or a guess (``?search=`` where the parameter is ``q``) used to return the whole
unfiltered list, which looks like "no filter matched". The allowed parameters of each operation are the
ones its OpenAPI schema documents (the schema is generated from the code once per process), so the
documentation and the check cannot drift apart. ``search`` is the conventional alias of ``q``: the
schema documents it wherever ``q`` exists and the request is read as if it said ``q``.

An unknown parameter gets 400 with the unknown and the allowed names.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
# Parameters every operation accepts: DRF's format override and the page of a paginated list.
ALWAYS_ALLOWED = frozenset({"format"})

_lock = threading.Lock()
_table: list[tuple[re.Pattern[str], dict[str, frozenset[str]]]] | None = None


def _compile(path: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
    return re.compile(f"^{pattern}$")


def _build() -> list[tuple[re.Pattern[str], dict[str, frozenset[str]]]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    table = []
    for path, item in (schema.get("paths") or {}).items():
        methods: dict[str, frozenset[str]] = {}
        shared = [p for p in item.get("parameters", []) if p.get("in") == "query"]
        for method, op in item.items():
            if method == "parameters" or not isinstance(op, dict):
                continue
            params = shared + [p for p in op.get("parameters", []) if p.get("in") == "query"]
            methods[method.upper()] = frozenset(p["name"] for p in params)
        table.append((_compile(path), methods))
    # Literal segments before parameters: "/x/mine/" must win over "/x/{id}/".
    table.sort(key=lambda row: row[0].pattern.count("[^/]+"))
    return table


def allowed_parameters(path: str, method: str) -> frozenset[str] | None:
    """The query parameters the schema documents for ``method path``; None if the schema has no such path."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                try:
                    _table = _build()
                except Exception:  # a broken schema must not take the API down with it
                    log.exception("strict query parameters: the OpenAPI schema could not be generated")
                    _table = []
    for pattern, methods in _table:
        if pattern.match(path):
            if method in methods:
                return methods[method] | ALWAYS_ALLOWED
            return None
    return None


def reset() -> None:
    """Forget the table (tests that change URL patterns)."""
    global _table
    with _lock:
        _table = None


class StrictQueryParamsMiddleware:
    """Refuse undocumented query parameters on ``/api/v1/``; read ``search`` as ``q``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and request.GET:
            allowed = allowed_parameters(request.path, request.method or "GET")
            if allowed is not None:
                unknown = sorted(set(request.GET) - allowed)
                if unknown:
                    return _refuse(unknown, allowed)
                if "search" in request.GET and "q" in allowed and "q" not in request.GET:
                    query = request.GET.copy()
                    query.setlist("q", query.pop("search"))
                    request.GET = query  # type: ignore[assignment]
        return self.get_response(request)


def _refuse(unknown: list[str], allowed: frozenset[str]) -> HttpResponse:
    shown = sorted(allowed - ALWAYS_ALLOWED)
    message = _("Unknown query parameter: %(names)s. This endpoint accepts: %(allowed)s.") % {
        "names": ", ".join(unknown),
        "allowed": ", ".join(shown) if shown else _("no query parameters"),
    }
    body: dict[str, Any] = {
        "message": message,
        "status": 400,
        "errors": {"unknown_parameters": unknown, "allowed_parameters": shown},
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=400, content_type="application/json")


def document_search_alias(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: document ``search`` wherever ``q`` is a query parameter."""
    for item in (result.get("paths") or {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            params = op.get("parameters", [])
            q = next((p for p in params if p.get("in") == "query" and p.get("name") == "q"), None)
            if q is not None and not any(p.get("name") == "search" for p in params):
                alias = {**q, "name": "search", "description": _("Same as q (the conventional name).")}
                params.append(alias)
    return result
