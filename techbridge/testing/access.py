"""The permission matrix: every URL pattern and API route × every role of the cast, with the outcome each
app declares.

Each app declares its routes in ``techbridge/<app>/tests/access.py``::

    from techbridge.testing.access import DENY, HIDE, LOGIN, OK, Route

    def a_room(cast):                       # builds the URL's kwargs (and the records behind them)
        room = make_room(cast)              # seller: the university, buyer: the enterprise
        return {"pk": room.pk}

    ROUTES = [
        Route("deals:list", anonymous=LOGIN, default=OK),
        Route("deals:room", kwargs=a_room, anonymous=LOGIN, default=HIDE,
              researcher=OK, univ_admin=OK, buyer=OK, reviewer=OK, operator=OK),
        Route("deals:message", kwargs=a_room, method="POST", anonymous=LOGIN, default=HIDE,
              researcher=OK, univ_admin=OK, buyer=OK),
    ]

``core/tests/test_permission_matrix.py`` runs every route for every role of ``ROLES`` and fails on
(1) a URL pattern no app declares, (2) an outcome other than the declared one. A new route without a
declared rule fails the suite.

Outcomes: ``OK`` (2xx, or a redirect that is not to the sign-in page: the action ran or the form was
shown/re-shown), ``LOGIN`` (anonymous sent to sign in; in the API 401/403), ``DENY`` (403), ``HIDE``
(404), ``BAD`` (400: allowed, but the empty request is refused as bad input) and ``NOT_ALLOWED`` (405).
POST routes are sent an empty form (or an empty JSON object): the point is who gets past the checks,
not what the action does with good input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url

from .cast import ROLES, Cast

OK = "ok"
LOGIN = "login"
DENY = "deny"
HIDE = "hide"
BAD = "bad"
NOT_ALLOWED = "not_allowed"
OUTCOMES = (OK, LOGIN, DENY, HIDE, BAD, NOT_ALLOWED)


@dataclass
class Route:
    """One URL name (``namespace:name``) tried with one HTTP method, and who gets which outcome.

    ``expect`` maps a role to an outcome; roles not named get ``default``. Keyword arguments named
    after a role (``researcher=OK``) are a shorthand for ``expect``. ``kwargs(cast)`` creates what the
    URL needs and returns its keyword arguments. ``data(cast)`` gives a POST body when an empty one
    would not reach the permission check (rare). ``api`` routes are called with the DRF client
    (token-style authentication instead of a session).
    """

    name: str
    kwargs: Callable[[Cast], dict[str, Any]] | None = None
    method: str = "GET"
    default: str = OK
    expect: dict[str, str] = field(default_factory=dict)
    data: Callable[[Cast], dict[str, Any]] | None = None
    query: str = ""
    note: str = ""

    def __init__(
        self,
        name: str,
        *,
        kwargs: Callable[[Cast], dict[str, Any]] | None = None,
        method: str = "GET",
        default: str = OK,
        expect: dict[str, str] | None = None,
        data: Callable[[Cast], dict[str, Any]] | None = None,
        query: str = "",
        note: str = "",
        **per_role: str,
    ):
        unknown = set(per_role) - set(ROLES)
        if unknown:
            raise TypeError(f"{name}: unknown roles {sorted(unknown)}; roles are {ROLES}")
        self.name = name
        self.kwargs = kwargs
        self.method = method.upper()
        self.default = default
        self.expect = {**(expect or {}), **per_role}
        self.data = data
        self.query = query
        self.note = note
        for outcome in (default, *self.expect.values()):
            if outcome not in OUTCOMES:
                raise ValueError(f"{name}: unknown outcome {outcome!r}")

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    def outcome_for(self, role: str) -> str:
        return self.expect.get(role, self.default)


def outcomes(*tables: Mapping[str, str], **roles: str) -> dict[str, Any]:
    """Outcome tables merged left to right, for ``Route(name, **outcomes(STAFF, reviewer=BAD))``.

    Keys are roles of the cast, or ``default``; a later table (or keyword) overrides an earlier one.
    """
    merged: dict[str, Any] = {}
    for table in (*tables, roles):
        merged.update(table)
    return merged


def classify(response: Any, *, api: bool, anonymous: bool) -> str:
    """The outcome a response stands for (see the module docstring)."""
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        return LOGIN if location.startswith(resolve_url(settings.LOGIN_URL)) else OK
    # DRF answers an anonymous request to a protected view with 401 or 403 ("credentials were not
    # provided"), depending on the authentication classes: both mean "sign in first".
    if api and anonymous and code in (401, 403):
        return LOGIN
    if code == 401:
        return LOGIN
    if code == 403:
        return DENY
    if code == 404:
        return HIDE
    if code == 400:
        return BAD
    if code == 405:
        return NOT_ALLOWED
    if 200 <= code < 300:
        return OK
    return f"status {code}"
