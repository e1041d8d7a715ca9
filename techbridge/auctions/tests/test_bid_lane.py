"""The bid lane (``auctions.fastbid.BidLane``), the WSGI layer in front of Django that the app servers run
(``techbridge.wsgi``): a token-authenticated JSON bid is answered there with what the routed view answers
behind the whole middleware stack — the same status, body and headers — and everything else reaches the
Django handler with its body intact."""

from __future__ import annotations

import io
import json
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, close_old_connections
from django.test import RequestFactory

from techbridge.accounts.services import issue_token, revoke_token
from techbridge.auctions import fastbid
from techbridge.auctions.models import Bid, BidAttempt

pytestmark = pytest.mark.django_db

#: Headers that differ between two answers for reasons of time and price alone (bodies differ in amounts).
VOLATILE = {"date", "content-length"}


class Handler(WSGIHandler):
    """Django's WSGI handler, counting what reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1
        return super().__call__(environ, start_response)


def call(app: Any, method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, dict, bytes]:
    """One request through a WSGI application: (status, headers in lower case, body)."""
    factory = RequestFactory()
    content_type = headers.pop("content_type", "application/json")
    environ = factory.generic(method, path, body, content_type=content_type, **headers).environ  # type: ignore[arg-type]
    environ["wsgi.input"] = io.BytesIO(body)
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"] = int(status.split(" ", 1)[0])
        seen["headers"] = {k.lower(): v for k, v in response_headers}

    # as Django's test client does: the test's transaction must survive the request's connection care
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        try:
            data = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], data


def key_for(user) -> str:
    _token, key = issue_token(user, name="竞价终端", actor=user)
    return key


def bid(amount: str, nonce: str) -> bytes:
    return json.dumps({"amount": amount, "nonce": nonce}).encode()


def post_bid(
    app: Any, path: str, key: str, amount: str, nonce: str, **headers: str
) -> tuple[int, dict, bytes]:
    """A token-authenticated JSON bid through ``app``."""
    return call(app, "POST", path, bid(amount, nonce), HTTP_AUTHORIZATION=f"Token {key}", **headers)


def url(lot, suffix: str = "") -> str:
    return f"/api/v1/auctions/lots/{lot.pk}/bids/{suffix}"


@pytest.fixture
def apps():
    django = Handler()
    return django, fastbid.BidLane(django)


def test_the_lane_answers_what_the_routed_view_answers(cast, lot, bidders, apps):
    """Accepted, refused and replayed bids: the lane and the routed view (whole middleware stack) give the
    same status, body and headers, in Chinese; the lane never reaches the Django handler."""
    django, lane = apps
    buyer, broker = key_for(cast.buyer), key_for(cast.broker)
    auth = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    answers = []
    # the lane: the buyer leads, the broker is too low; then the routed view: the broker outbids, the
    # buyer is too low; each winner sends its bid again
    rounds = ((lane, "lane", buyer, broker, "100000"), (django, "view", broker, buyer, "120000"))
    for app, tag, winner, loser, amount in rounds:
        answers.append(
            [
                post_bid(app, url(lot), key, value, f"{tag}-{nonce}", **auth)
                for key, value, nonce in (
                    (winner, amount, "accept-01"),
                    (loser, "100000", "refuse-01"),
                    (winner, amount, "accept-01"),
                )
            ]
        )
    assert django.calls == 3  # only the routed view's three
    for (l_status, l_headers, l_body), (v_status, v_headers, v_body) in zip(*answers, strict=True):
        assert l_status == v_status
        assert {k: v for k, v in l_headers.items() if k not in VOLATILE} == {
            k: v for k, v in v_headers.items() if k not in VOLATILE
        }
        lane_json, view_json = json.loads(l_body), json.loads(v_body)
        assert lane_json.keys() == view_json.keys() and lane_json["code"] == view_json["code"]
    (accepted, refused, replay) = answers[0]
    assert accepted[0] == 201 and json.loads(accepted[2])["lot"]["leader_is_you"] is True
    assert refused[0] == 409 and json.loads(refused[2])["message"].startswith("当前最低出价为")
    assert replay[0] == 200 and json.loads(replay[2])["bid"] == json.loads(accepted[2])["bid"]
    headers = accepted[1]
    assert headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["content-language"] == "zh-hans" and "Accept-Language" in headers["vary"]
    assert int(headers["content-length"]) == len(accepted[2])
    # every attempt is kept once, as through the routed view
    assert BidAttempt.objects.filter(lot=lot, nonce__startswith="lane-").count() == 2


def test_english_is_answered_in_english(cast, lot, bidders, apps):
    _django, lane = apps
    status, headers, body = post_bid(
        lane, url(lot), key_for(cast.broker), "1", "lane-en-0001", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert status == 409 and headers["content-language"] == "en"
    assert json.loads(body)["message"].startswith("The minimum bid is now")


@pytest.mark.parametrize(
    ("method", "path_suffix", "body", "extra", "status"),
    [
        ("GET", "", b"", {}, 200),
        ("POST", "?page=2", b'{"amount": "100000", "nonce": "lane-hand-001"}', {}, 400),
        (
            "POST",
            "",
            b"amount=100000&nonce=lane-hand-002",
            {"content_type": "application/x-www-form-urlencoded"},
            201,
        ),
        ("POST", "", b'{"amount": "100000", "nonce": "lane-hand-003"', {}, 400),
        ("POST", "", b'{"amount": "100000", "nonce": "lane-hand-004"}', {"HTTP_ACCEPT": "text/html"}, 201),
    ],
    ids=["history", "query-string", "form-body", "broken-json", "accept-html"],
)
def test_what_the_lane_does_not_take_reaches_django_with_its_body(
    cast, lot, bidders, apps, method, path_suffix, body, extra, status
):
    django, lane = apps
    got, _headers, data = call(
        lane, method, url(lot, path_suffix), body, HTTP_AUTHORIZATION=f"Token {key_for(cast.buyer)}", **extra
    )
    assert got == status, data
    assert django.calls == 1


def test_a_revoked_token_is_handed_over_and_refused(cast, lot, bidders, apps):
    django, lane = apps
    token, key = issue_token(cast.buyer, name="竞价终端", actor=cast.buyer)
    revoke_token(token, actor=cast.buyer)
    status, _headers, body = post_bid(lane, url(lot), key, "100000", "lane-revoked-1")
    assert status == 401 and json.loads(body)["message"]
    assert django.calls == 1 and not BidAttempt.objects.filter(nonce="lane-revoked-1").exists()


def test_a_lot_the_bidder_may_not_see_is_404_in_the_api_format(cast, lot, bidders, apps):
    django, lane = apps
    status, headers, body = post_bid(
        lane,
        "/api/v1/auctions/lots/99999999/bids/",
        key_for(cast.buyer),
        "1",
        "lane-nolot-01",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert status == 404 and headers["content-type"] == "application/json"
    assert json.loads(body) == {"message": "该拍品不存在。", "status": 404}
    assert django.calls == 0 and not BidAttempt.objects.filter(nonce="lane-nolot-01").exists()


def test_a_body_that_is_not_an_object_is_400_in_the_api_format(cast, lot, bidders, apps):
    _django, lane = apps
    status, _headers, body = call(
        lane, "POST", url(lot), b'["100000"]', HTTP_AUTHORIZATION=f"Token {key_for(cast.buyer)}"
    )
    assert status == 400 and json.loads(body)["message"]


def test_a_database_outage_is_a_503_in_chinese(cast, lot, bidders, apps):
    _django, lane = apps
    key = key_for(cast.buyer)
    with mock.patch.object(fastbid, "decide_bid", side_effect=OperationalError("connection refused")):
        status, headers, body = post_bid(
            lane, url(lot), key, "100000", "lane-outage-1", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert status == 503 and headers["retry-after"]
    assert "数据库" in json.loads(body)["message"]


def test_an_unknown_host_and_plain_http_in_production_are_left_to_django(cast, lot, bidders, apps, settings):
    django, lane = apps
    key = key_for(cast.buyer)
    status, _h, _b = post_bid(lane, url(lot), key, "100000", "lane-host-001", HTTP_HOST="evil.example")
    assert status == 400 and django.calls == 1
    settings.SECURE_SSL_REDIRECT = True  # read when the middleware is built: a new server process
    django = Handler()
    lane = fastbid.BidLane(django)
    status, headers, _b = post_bid(lane, url(lot), key, "100000", "lane-http-001")
    assert status == 301 and headers["location"].startswith("https://") and django.calls == 1
    assert not Bid.objects.filter(nonce__in=["lane-host-001", "lane-http-001"]).exists()


def test_every_middleware_wraps_the_lane_or_is_skipped_with_a_reason():
    """A middleware added to settings wraps the lane's answers until someone names it in ``SKIPPED``
    with the reason it has nothing to do for a bid; a skipped name that left the settings is stale."""
    assert set(fastbid.SKIPPED) <= set(settings.MIDDLEWARE)
    assert all(reason.strip() for reason in fastbid.SKIPPED.values())
    kept = [m for m in settings.MIDDLEWARE if m not in fastbid.SKIPPED]
    assert "django.middleware.security.SecurityMiddleware" in kept
    assert "django.middleware.locale.LocaleMiddleware" in kept
    assert "techbridge.core.outage.DatabaseOutageMiddleware" in kept


def test_the_app_servers_run_the_lane():
    """``techbridge.wsgi`` (what granian serves) is the lane in front of Django. Imported afresh with its
    task thread held back: a server's background thread has no place in the test process."""
    import importlib
    import sys

    sys.modules.pop("techbridge.wsgi", None)
    try:
        with mock.patch("techbridge.core.tasks.serve_in_background") as serve:
            wsgi = importlib.import_module("techbridge.wsgi")
        assert isinstance(wsgi.application, fastbid.BidLane)
        assert isinstance(wsgi.application.app, WSGIHandler) and serve.call_count == 1
    finally:
        sys.modules.pop("techbridge.wsgi", None)


def test_the_lane_s_pattern_is_the_bid_route():
    """The lane matches exactly the path the URL configuration routes to the bid view."""
    from django.urls import resolve, reverse

    path = reverse("api:auction-lot-bids-fast", args=[12345])
    assert (
        fastbid.BidLane.takes(
            {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": path,
                "HTTP_AUTHORIZATION": "Token k",
                "CONTENT_TYPE": "application/json",
            }
        )
        == 12345
    )
    assert resolve(path).func is fastbid.bids


@pytest.mark.parametrize(
    ("path_id", "body"),
    [
        (None, b'{"amount": "\xc2\xb2", "nonce": "lane-odd-0001"}'),
        ("99999999999999999999999", b'{"amount": "1", "nonce": "lane-odd-0002"}'),
        ("999999999999999999", b'{"amount": "1", "nonce": "lane-odd-0003"}'),
        (None, b'{"amount": ' + b"[" * 300 + b"]" * 300 + b', "nonce": "lane-odd-0004"}'),
        (None, b'{"amount": "1", "nonce": "' + b"x" * (10 * 1024 * 1024) + b'"}'),
        (None, b'{"amount": ["1"], "nonce": {"a": 1}}'),
    ],
    ids=["superscript-two", "huge-id", "id-beyond-any-lot", "deep-json", "ten-megabytes", "wrong-shapes"],
)
def test_odd_input_through_the_lane_is_refused_never_a_server_error(cast, lot, bidders, apps, path_id, body):
    _django, lane = apps
    path = f"/api/v1/auctions/lots/{path_id}/bids/" if path_id else url(lot)
    status, _headers, data = call(
        lane,
        "POST",
        path,
        body,
        HTTP_AUTHORIZATION=f"Token {key_for(cast.buyer)}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert 400 <= status < 500, (status, data[:300])
    assert json.loads(data)["message"]
