"""The bid endpoint's fast lane: ``POST /api/v1/auctions/lots/<id>/bids/`` with an API token and a JSON
body, decided without DRF's dispatch.

Most of a live auction's traffic is programmatic bidders sending JSON with a token, and 98 % of their
bids are refusals decided from one read. For those, DRF's view machinery (content negotiation, parser
and authenticator lists, the permission classes, the renderer's response) cost more CPU than the
decision. This view takes the same decision with the same parts, in the same order:

- authentication by the platform's own ``ExpiringTokenAuthentication`` (expiry, revocation, disabled
  accounts: nothing cached, so a revoked token is refused on the very next bid);
- the body read by the platform's ``JSONParser`` (depth and size limits, Chinese messages);
- :func:`techbridge.auctions.api.decide_bid` — the permission helpers and ``services.place_bid``,
  shared with the DRF action, so both lanes answer alike;
- the answer rendered by DRF's ``JSONRenderer`` as the DRF view would.

Anything else goes to the DRF view unchanged: a GET (the bid history), a session sign-in (CSRF applies),
a form or non-JSON body, an ``Accept`` that does not take JSON, a missing or refused token, a body that
does not parse and a lot the bidder may not see (its 404). Those are rare, and the DRF view answers them
with the API's usual error format. The URL is routed here ahead of the router's (``api_urls``); the
OpenAPI schema still describes the DRF action, which is the same contract.

Two entrances take the same decision:

- ``bids``, the URL-routed view, behind the site's whole middleware stack (tests' clients, runserver);
- ``BidLane``, a WSGI layer in front of the Django handler (``techbridge.wsgi``). A token-authenticated
  JSON bid that it can answer skips the handler and the middleware that has nothing to do for it
  (``SKIPPED`` names each one and why); the rest of ``settings.MIDDLEWARE`` (security headers, language,
  host check, frame options, the database-outage answer, and any middleware added later) wraps the
  decision as it wraps every view. Everything it does not take — and a request whose token or body it
  cannot use — goes to the Django handler unchanged, with the body it read put back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpRequest, HttpResponse
from django.urls import set_script_prefix
from django.utils.log import log_response
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer

from techbridge.accounts.authentication import (
    TOKEN_READ,
    ExpiringTokenAuthentication,
    digest_of,
    token_from_row,
)
from techbridge.core.api import JSONParser, exception_handler
from techbridge.core.prepared import ChainedRead

from .api import LotViewSet, decide_bid
from .services.bidding import SNAPSHOT_READ, Snapshot, snapshot_from_row
from .services.rules import BidRefused, clean_nonce

_drf_view = LotViewSet.as_view({"get": "bids", "post": "bids"})
_renderer = JSONRenderer()
_parser = JSONParser()
_authentication = ExpiringTokenAuthentication()

#: The API token (with its user) and the lot as the bid rules see it for that user and nonce, in one
#: statement on PostgreSQL (``core.prepared.ChainedRead``): a refusal costs two statements, not three.
_TOKEN_AND_LOT = ChainedRead(
    TOKEN_READ, SNAPSHOT_READ, links={"user_id": "user__id", "org_id": "user__organization_id"}
)


def _takes_json(meta: dict[str, Any]) -> bool:
    content_type = meta.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    if content_type != "application/json":
        return False
    accept = meta.get("HTTP_ACCEPT", "")
    return not accept or "application/json" in accept or "*/*" in accept


def _token_key(request: HttpRequest) -> str | None:
    """The key of ``Authorization: Token <key>`` as DRF's ``TokenAuthentication`` reads it, or None when
    the header is malformed (DRF answers that)."""
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(parts) != 2 or parts[0].lower() != "token":
        return None
    return parts[1]


def _prepare(request: HttpRequest, pk: int) -> tuple[Any, Any, Snapshot | None] | None:
    """The token's user, the parsed body and the lot's snapshot read with the token, or ``None`` when
    the DRF view must answer (no token, a refused one, a body that is not JSON, another content type or
    ``Accept``). The token is checked by ``ExpiringTokenAuthentication.check``, as every API request's."""
    if not request.META.get("HTTP_AUTHORIZATION", "").startswith("Token ") or not _takes_json(request.META):
        return None
    key = _token_key(request)
    if key is None:
        return None
    try:
        data = _parser.parse(io.BytesIO(request.body), "application/json", {"request": request})
    except (exceptions.APIException, RequestDataTooBig):
        return None
    try:
        nonce = clean_nonce(data.get("nonce")) if isinstance(data, dict) else None
    except BidRefused:
        nonce = None  # a malformed nonce is refused before any read of the lot
    snapshot: Snapshot | None = None
    try:
        if nonce is None:
            user, _token = _authentication.authenticate_credentials(key)
        else:
            token_row, lot_row = _TOKEN_AND_LOT.one(digest=digest_of(key), lot_id=pk, key=nonce)
            user, _token = _authentication.check(None if token_row is None else token_from_row(token_row))
            if lot_row is not None:
                snapshot = snapshot_from_row(lot_row, user_id=user.pk, key=nonce)
    except exceptions.APIException:
        return None
    request.user = user  # as DRF does: later middleware and logs see the token's user
    return user, data, snapshot


def _answer(user: Any, pk: int, data: Any, snapshot: Snapshot | None = None) -> HttpResponse:
    """The decision as the DRF action would render it; its API errors (a lot the bidder may not see, a
    body that is not an object) in the API's error format (``core.api.exception_handler``)."""
    try:
        body, code = decide_bid(user, pk, data, snapshot)
    except exceptions.APIException as exc:
        refused = exception_handler(exc, {"request": None, "view": None})
        assert refused is not None  # an APIException always has an answer
        response = HttpResponse(_renderer.render(refused.data), status=refused.status_code)
        for name, value in refused.items():
            response[name] = value
        response["Content-Type"] = "application/json"
        response["Vary"] = "Accept"
        return response
    response = HttpResponse(_renderer.render(body), status=code, content_type="application/json")
    response["Vary"] = "Accept"
    if code >= 400:
        # a refused bid is the auction working, not a server problem: no "Conflict" log line per bid
        response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@csrf_exempt
def bids(request: HttpRequest, pk: int) -> Any:
    """``/api/v1/auctions/lots/<pk>/bids/``: token-authenticated JSON bids here, all else through DRF."""
    if request.method == "POST" and (prepared := _prepare(request, pk)) is not None:
        return _answer(pk=pk, user=prepared[0], data=prepared[1], snapshot=prepared[2])
    return _drf_view(request, pk=str(pk))


# ---- the WSGI lane -----------------------------------------------------------------------------------

#: ``settings.MIDDLEWARE`` the lane leaves out, each with the reason it has nothing to do for a
#: token-authenticated JSON bid without a query string. Every other middleware wraps the lane's answer
#: (a new one too, until it is named here with its reason: ``test_fastbid`` checks this list).
SKIPPED: dict[str, str] = {
    "whitenoise.middleware.WhiteNoiseMiddleware": "serves static files; a bid is not one",
    "django.contrib.sessions.middleware.SessionMiddleware": "the token authenticates; no session is read",
    "django.middleware.csrf.CsrfViewMiddleware": "the view is csrf_exempt: a token, not a cookie, signs in",
    "django.contrib.auth.middleware.AuthenticationMiddleware": "the token's user is set on the request",
    "django.contrib.messages.middleware.MessageMiddleware": "an API answer carries no flash messages",
    "django_htmx.middleware.HtmxMiddleware": "a JSON client is not htmx",
    "techbridge.core.strict_query.StrictQueryParamsMiddleware": "the lane takes no query string; the lot "
    "id is digits by the lane's own pattern",
    "techbridge.core.pdf_limits.PdfRefusedMiddleware": "answers PDF rendering limits; a bid renders none",
}

_BID_PATH = re.compile(r"^/api/v1/auctions/lots/([0-9]{1,18})/bids/$")


class _HandOver(Exception):
    pass


class BidLane:
    """WSGI application: bids of API clients decided in front of the Django handler, all else to
    ``app`` (the Django WSGI handler). Connection handling, URL prefix, exceptions, logging and the
    WSGI answer are Django's own (``request_started``/``request_finished``, ``convert_exception_to_response``,
    ``log_response``), so the lane answers like the routed view, with less on the way."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self._chain: Callable[[HttpRequest], Any] | None = None
        self._exception_hooks: list[Callable[..., HttpResponse | None]] = []

    def _build(self) -> Callable[[HttpRequest], Any]:
        """The middleware that is not skipped around the lane's view, as Django's handler builds it."""
        handler: Callable[[HttpRequest], Any] = convert_exception_to_response(self._view)
        hooks: list[Callable[..., HttpResponse | None]] = []
        for path in reversed(settings.MIDDLEWARE):
            if path in SKIPPED:
                continue
            middleware = import_string(path)(handler)
            if hasattr(middleware, "process_exception"):
                hooks.append(middleware.process_exception)  # Django calls the last one first
            handler = convert_exception_to_response(middleware)
        self._exception_hooks = hooks
        return handler

    @staticmethod
    def takes(environ: dict[str, Any]) -> int | None:
        """The lot id of a request the lane answers (a token, a JSON body, no query string), else None."""
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("QUERY_STRING"):
            return None
        if not environ.get("HTTP_AUTHORIZATION", "").startswith("Token ") or not _takes_json(environ):
            return None
        match = _BID_PATH.match(environ.get("PATH_INFO", ""))
        return int(match.group(1)) if match else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        pk = self.takes(environ)
        if pk is None:
            return self.app(environ, start_response)
        if self._chain is None:
            self._chain = self._build()
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        try:
            request.get_host()  # an unknown Host is refused by the Django handler (400)
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                raise _HandOver  # redirected to HTTPS by the Django handler, before any sign-in
            prepared = _prepare(request, pk)
        except Exception:
            prepared = None
        if prepared is None:
            return self._hand_over(request, environ, start_response)
        request._bid = (pk, *prepared)  # type: ignore[attr-defined]
        response = self._chain(request)
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        start_response(status, headers)
        return response  # its close() sends request_finished, as Django's handler arranges

    def _hand_over(
        self, request: WSGIRequest, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """The Django handler answers, reading the body the lane already read."""
        try:
            body = request.body
        except Exception:  # too large, or the client went away: the handler answers that too
            body = b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    def _view(self, request: HttpRequest) -> HttpResponse:
        pk, user, data, snapshot = request._bid  # type: ignore[attr-defined]
        try:
            return _answer(user, pk, data, snapshot)
        except Exception as exc:
            for hook in self._exception_hooks:
                if (response := hook(request, exc)) is not None:
                    return response
            raise
