"""The permission matrix (``techbridge.testing.access``): every route × every role of the cast.

Every app declares its routes in ``<app>/tests/access.py``; these tests fail when a URL pattern has no
declared rule, and when any role gets another outcome than declared. Each request runs inside a
savepoint that is rolled back, so one role's POST never changes what the next role finds.
"""

from __future__ import annotations

import importlib
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from techbridge.testing.access import Route, classify
from techbridge.testing.cast import ROLES

# Patterns no matrix entry covers, and why.
NOT_DECLARED = {
    "set_language": "Django's language switch: a POST anyone may send, sets a cookie",
}
# Namespaces outside the platform's own code.
FOREIGN_NAMESPACES = {"admin"}
# Apps whose routes are still to be declared (issue 11 migrates them one by one; keep this empty).
PENDING_APPS: set[str] = set()


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if parts[0] == "techbridge" and len(parts) > 2 else ""


def _patterns(patterns: list[Any], prefix: str = "", owner: str = "") -> dict[str, str]:
    """Every named URL pattern and the app that mounts it: the app of the url module that lists it,
    else (project-level url modules such as the API router) the app whose module defines the view."""
    found: dict[str, str] = {}
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            if ns in FOREIGN_NAMESPACES:
                continue
            module = (
                p.urlconf_name if isinstance(p.urlconf_name, str) else getattr(p.urlconf_name, "__name__", "")
            )
            found.update(
                _patterns(p.url_patterns, f"{prefix}{ns}:" if ns else prefix, _app_of(module) or owner)
            )
        elif isinstance(p, URLPattern) and p.name:
            view = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None) or p.callback
            found[f"{prefix}{p.name}"] = owner or _app_of(view.__module__)
    return found


def _names(patterns: list[Any]) -> set[str]:
    return set(_patterns(patterns))


def _declared() -> dict[str, list[Route]]:
    routes: dict[str, list[Route]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("techbridge."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.access" and exc.name != f"{config.name}.tests":
                raise
            continue
        routes[config.label] = list(module.ROUTES)
    return routes


DECLARED = _declared()


def test_every_route_has_a_declared_rule():
    declared = {r.name for routes in DECLARED.values() for r in routes}
    patterns = _patterns(get_resolver().url_patterns)
    missing = sorted(
        name
        for name, app in patterns.items()
        if name not in declared and name not in NOT_DECLARED and app not in PENDING_APPS
    )
    assert missing == [], "declare these routes in <app>/tests/access.py (techbridge.testing.access)"


def test_declared_routes_exist():
    for routes in DECLARED.values():
        for route in routes:
            assert route.name in _names(get_resolver().url_patterns) or route.name in NOT_DECLARED, route.name


class Clients:
    """One signed-in client per role (and per kind: pages or API), made once per app's matrix.

    A request may change the client's cookies (signing out, a new session key); they are put back
    before the next request, and the database side of every request is rolled back anyway.
    """

    def __init__(self, cast: Any):
        self.cast = cast
        self._made: dict[tuple[str, bool], tuple[Any, Any]] = {}

    def get(self, role: str, api: bool) -> Any:
        key = (role, api)
        if key not in self._made:
            user = self.cast.user(role)
            client: Any = APIClient() if api else Client()
            if user is not None and api:
                client.force_authenticate(user)
            elif user is not None:
                client.force_login(user)
            self._made[key] = (client, SimpleCookie(client.cookies))
        client, cookies = self._made[key]
        client.cookies = SimpleCookie(cookies)
        return client


def _request(route: Route, client: Any, cast: Any, kwargs: dict[str, Any]) -> Any:
    url = reverse(route.name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    data = route.data(cast) if route.data else {}
    if route.is_api:
        if data:
            return getattr(client, route.method.lower())(url, data=data, format="json")
        return getattr(client, route.method.lower())(url, format="json")
    return getattr(client, route.method.lower())(url, data=data)


def _no_typesetting(html: str, **kwargs: Any) -> bytes:
    return b"%PDF-1.4\n% the permission matrix does not typeset\n"


@pytest.mark.parametrize("app", sorted(DECLARED))
def test_permission_matrix(app, cast, media_root, monkeypatch):
    # media_root: the records' files (attachments, reports) stay out of var/
    # Who gets a PDF is the question here, not its typesetting (seconds per document).
    monkeypatch.setattr("techbridge.lib.pdf.html_to_pdf", _no_typesetting)
    clients = Clients(cast)
    wrong = []
    for route in DECLARED[app]:
        kwargs = route.kwargs(cast) if route.kwargs else {}
        for role in ROLES:
            client = clients.get(role, route.is_api)
            sid = transaction.savepoint()
            try:
                response = _request(route, client, cast, kwargs)
            finally:
                transaction.savepoint_rollback(sid)
            got = classify(response, api=route.is_api, anonymous=role == "anonymous")
            want = route.outcome_for(role)
            if got != want:
                wrong.append(f"{route.method} {route.name} as {role}: {got} (declared {want})")
    assert wrong == []
