"""Strict API queries: a query parameter the API does not document is refused, not ignored.

A typo (``?serach=…``) or a guess (``?search=`` where the parameter is ``q``) used to return the whole
unfiltered list, which looks like "no filter matched". The allowed parameters of each operation are the
ones its OpenAPI schema documents (the schema is generated from the code once per process), so the
documentation and the check cannot drift apart. ``search`` is the conventional alias of ``q``: the
schema documents it wherever ``q`` exists and the request is read as if it said ``q``.

An unknown parameter gets 400 with the unknown and the allowed names. A parameter the schema types as an
integer must be one: a query value that is not plain ASCII digits (``²`` passes ``str.isdigit()`` but not
``int()``) or does not fit a 64-bit integer gets 400, a path id that is not one gets 404 (``/contracts/abc/``)
before any view runs.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
# Parameters every operation accepts: DRF's format override and the page of a paginated list.
ALWAYS_ALLOWED = frozenset({"format"})

INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")

_lock = threading.Lock()
_table: list[Row] | None = None
#: The table's rows by the path's first segment after ``/api/v1/`` (in the table's order), so a lookup
#: tries the dozen paths of one app instead of every path of the API.
_by_segment: dict[str, list[Row]] = {}
_any_segment: list[Row] = []  # rows whose first segment is a parameter (none today): tried for every path


@dataclass(frozen=True)
class Operation:
    """What the schema says about one method of one path."""

    allowed: frozenset[str]
    integer_query: frozenset[str] = frozenset()
    integer_path: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Row:
    pattern: re.Pattern[str]
    path_names: tuple[str, ...]
    methods: dict[str, Operation]


def is_integer(value: str) -> bool:
    """Plain ASCII digits with an optional sign that fit a signed 64-bit integer."""
    return bool(_INTEGER.fullmatch(value)) and abs(int(value)) <= INT64_MAX


def _compile(path: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(path))
    return re.compile(f"^{pattern}$")


def _is_int(param: dict[str, Any]) -> bool:
    return (param.get("schema") or {}).get("type") == "integer"


def _build() -> list[Row]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    table = []
    for path, item in (schema.get("paths") or {}).items():
        methods: dict[str, Operation] = {}
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method == "parameters" or not isinstance(op, dict):
                continue
            every = shared + op.get("parameters", [])
            query = [p for p in every if p.get("in") == "query"]
            methods[method.upper()] = Operation(
                allowed=frozenset(p["name"] for p in query),
                integer_query=frozenset(p["name"] for p in query if _is_int(p)),
                integer_path=frozenset(p["name"] for p in every if p.get("in") == "path" and _is_int(p)),
            )
        names = tuple(re.findall(r"\{([^}]+)\}", path))
        table.append(Row(_compile(path), names, methods))
    # Literal segments before parameters: "/x/mine/" must win over "/x/{id}/".
    table.sort(key=lambda row: row.pattern.pattern.count("[^/]+"))
    return table


def _first_segment(path: str) -> str:
    return path[len(API_PREFIX) :].split("/", 1)[0] if path.startswith(API_PREFIX) else ""


def _index(table: list[Row]) -> None:
    global _any_segment
    groups: dict[str, list[Row]] = {}
    wildcard: list[Row] = []
    for row in table:
        literal = _first_segment(row.pattern.pattern[1:-1].replace("\\", ""))  # no ^ $ or escapes
        if "(" in literal:
            wildcard.append(row)
            for rows in groups.values():
                rows.append(row)
        else:
            groups.setdefault(literal, list(wildcard)).append(row)
    _by_segment.clear()
    _by_segment.update(groups)
    _any_segment = wildcard


def operation(path: str, method: str) -> tuple[Operation, dict[str, str]] | None:
    """The schema's operation for ``method path`` and the path parameters; None if the schema has none."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                try:
                    table = _build()
                except Exception:  # a broken schema must not take the API down with it
                    log.exception("strict query parameters: the OpenAPI schema could not be generated")
                    table = []
                _index(table)
                _table = table
    for row in _by_segment.get(_first_segment(path), _any_segment):
        match = row.pattern.match(path)
        if match:
            if method in row.methods:
                return row.methods[method], dict(zip(row.path_names, match.groups(), strict=False))
            return None
    return None


def allowed_parameters(path: str, method: str) -> frozenset[str] | None:
    """The query parameters the schema documents for ``method path``; None if the schema has no such path."""
    found = operation(path, method)
    return found[0].allowed | ALWAYS_ALLOWED if found else None


def reset() -> None:
    """Forget the table (tests that change URL patterns)."""
    global _table
    with _lock:
        _table = None
        _by_segment.clear()


class StrictQueryParamsMiddleware:
    """Refuse undocumented query parameters on ``/api/v1/``; read ``search`` as ``q``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        found = operation(request.path, request.method or "GET")
        if found is not None:
            op, path_values = found
            if any(not is_integer(path_values.get(name, "0")) for name in op.integer_path):
                return _json(404, _("Not found."))
            bad = sorted(
                name
                for name in op.integer_query & set(request.GET)
                if any(v != "" and not is_integer(v.strip()) for v in request.GET.getlist(name))
            )
            if bad:
                message = _("Not a whole number in the allowed range: %(names)s.") % {"names": ", ".join(bad)}
                return _json(400, message, {name: [_("Enter a whole number.")] for name in bad})
        if request.GET and found is not None:
            allowed = found[0].allowed | ALWAYS_ALLOWED
            unknown = sorted(set(request.GET) - allowed)
            if unknown:
                return _refuse(unknown, allowed)
            if "search" in request.GET and "q" in allowed and "q" not in request.GET:
                query = request.GET.copy()
                query.setlist("q", query.pop("search"))
                request.GET = query  # type: ignore[assignment]
        return self.get_response(request)


def _json(status: int, message: str, errors: dict[str, Any] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"message": message, "status": status}
    if errors is not None:
        body["errors"] = errors
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


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
