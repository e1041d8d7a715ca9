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
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer

from techbridge.accounts.authentication import ExpiringTokenAuthentication
from techbridge.core.api import JSONParser

from .api import LotViewSet, decide_bid

_drf_view = LotViewSet.as_view({"get": "bids", "post": "bids"})
_renderer = JSONRenderer()
_parser = JSONParser()
_authentication = ExpiringTokenAuthentication()


def _takes_json(request: HttpRequest) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    if content_type != "application/json":
        return False
    accept = request.META.get("HTTP_ACCEPT", "")
    return not accept or "application/json" in accept or "*/*" in accept


def _decide(request: HttpRequest, pk: int) -> HttpResponse | None:
    """The fast decision, or ``None`` when the DRF view must answer."""
    if not request.META.get("HTTP_AUTHORIZATION", "").startswith("Token ") or not _takes_json(request):
        return None
    try:
        pair = _authentication.authenticate(request)  # type: ignore[arg-type]
        if pair is None:
            return None
        user = pair[0]
        request.user = user  # as DRF does: later middleware and logs see the token's user
        data = _parser.parse(io.BytesIO(request.body), "application/json", {"request": request})
        body, code = decide_bid(user, pk, data)
    except (exceptions.APIException, RequestDataTooBig):
        return None
    response = HttpResponse(_renderer.render(body), status=code, content_type="application/json")
    response["Vary"] = "Accept"
    if code >= 400:
        # a refused bid is the auction working, not a server problem: no "Conflict" log line per bid
        response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@csrf_exempt
def bids(request: HttpRequest, pk: int) -> Any:
    """``/api/v1/auctions/lots/<pk>/bids/``: token-authenticated JSON bids here, all else through DRF."""
    if request.method == "POST" and (response := _decide(request, pk)) is not None:
        return response
    return _drf_view(request, pk=str(pk))
