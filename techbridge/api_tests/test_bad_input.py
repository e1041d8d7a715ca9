"""Issue 20 point 5: bad input is a 400/404 with a JSON message, never a server error.

Superscript digits (``²`` passes ``str.isdigit()`` but not ``int()``), numbers too large for the database,
non-numeric ids, 5,000-level nested JSON and bodies of the wrong JSON type, on the routes that returned 500.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

NESTED = "[" * 5000 + "]" * 5000
HUGE = "9" * 23

QUERY_CASES = [
    ("researcher", "/api/v1/valuation/screening/", "min_trl"),
    ("operator", "/api/v1/contracts/statistics/", "year"),
    ("operator", "/api/v1/carriers/stats/", "year"),
    ("anonymous", "/api/v1/auctions/lots/", "session"),
    ("buyer", "/api/v1/auctions/registrations/", "session"),
    ("operator", "/api/v1/events/stats/", "year"),
    ("official", "/api/v1/governance/evaluation/", "year"),
    ("anonymous", "/api/v1/talent/register/", "year"),
    ("anonymous", "/api/v1/ipservices/designations/", "year"),
    ("anonymous", "/api/v1/achievements/", "trl_min"),
    ("anonymous", "/api/v1/achievements/", "page"),
]


def _client(cast, api, as_user, who):
    return api if who == "anonymous" else as_user(getattr(cast, who))


@pytest.mark.parametrize("value", ["²", "3²", "¹⁰", HUGE, "-" + HUGE])
@pytest.mark.parametrize(("who", "path", "param"), QUERY_CASES)
def test_bad_integer_query_parameters_are_400_with_a_message(cast, api, as_user, who, path, param, value):
    response = _client(cast, api, as_user, who).get(path, {param: value})
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert param in body["message"] and body["errors"][param]


def test_a_year_out_of_range_is_400(cast, as_user):
    response = as_user(cast.operator).get("/api/v1/contracts/statistics/", {"year": "10000"})
    assert response.status_code == 400 and response.json()["errors"]["year"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/contracts/abc/"),
        ("get", "/api/v1/contracts/²/"),
        ("get", f"/api/v1/contracts/{HUGE}/"),
        ("post", "/api/v1/contracts/abc/sign/"),
        ("get", "/api/v1/deals/rooms/abc/"),
        ("get", "/api/v1/deals/rooms/abc/messages/"),
        ("post", "/api/v1/deals/rooms/1/offers/abc/accept/"),
        ("post", "/api/v1/imports/batches/abc/confirm/"),
        ("post", "/api/v1/imports/batches/abc/cancel/"),
        ("post", f"/api/v1/imports/batches/{HUGE}/cancel/"),
        ("post", "/api/v1/auctions/sessions/abc/register/"),
        ("get", "/api/v1/auctions/lots/abc/bids/"),
    ],
)
def test_non_numeric_ids_on_signed_in_routes_are_404_json(cast, as_user, method, path):
    response = getattr(as_user(cast.operator), method)(path, {} if method == "get" else None, format="json")
    assert response.status_code == 404, response.content[:300]
    assert response.json()["message"]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("anonymous", "/api/v1/auth/token/"),
        ("researcher", "/api/v1/achievements/"),
        ("buyer", "/api/v1/deals/rooms/"),
        ("researcher", "/api/v1/valuation/requests/"),
        ("operator", "/api/v1/auctions/sessions/"),
    ],
)
def test_deeply_nested_json_is_400(cast, api, as_user, who, path):
    client = _client(cast, api, as_user, who)
    response = client.post(path, NESTED, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert "32" in response.json()["message"]


def test_nesting_within_the_limit_still_parses(cast, api):
    body = {"username": "nobody", "password": "x", "extra": json.loads("[" * 20 + "]" * 20)}
    response = api.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code in (400, 401) and "32" not in response.json()["message"]


@pytest.mark.parametrize("verb", ["bids", "proxy"])
@pytest.mark.parametrize("body", ["[1, 2]", '"100"', "null", "42"])
def test_a_bid_body_of_the_wrong_json_type_is_400(cast, as_user, verb, body):
    from techbridge.auctions import services
    from techbridge.testing.fixtures.records import lot as make_lot

    lot = make_lot(cast)
    services.register_bidder(actor=cast.buyer, session=lot.session)
    client = as_user(cast.buyer)
    response = client.post(f"/api/v1/auctions/lots/{lot.pk}/{verb}/", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["message"] == "请求正文必须是一个 JSON 对象。"


@pytest.mark.parametrize("value", ["²", "9" * 23])
@pytest.mark.parametrize(
    ("who", "method", "url", "key"),
    [
        ("anonymous", "get", "/governance/", "plan"),
        ("buyer", "post", "/deals/open/", "achievement"),
        ("researcher", "get", "/instruments/utilisation/", "instrument"),
    ],
)
def test_pages_take_superscripts_and_huge_numbers_without_a_server_error(
    cast, client, who, method, url, key, value
):
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    response = getattr(client, method)(url, {key: value})
    assert response.status_code < 500


@pytest.mark.parametrize(
    ("who", "path"), [("anonymous", "/api/v1/auth/token/"), ("researcher", "/api/v1/achievements/")]
)
def test_an_over_size_body_is_a_413_json_message_not_an_html_page(cast, api, as_user, who, path, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = _client(cast, api, as_user, who)
    body = json.dumps({"username": "x", "title": "专利", "summary": "长" * (1024 * 1024)})

    response = client.post(path, body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "1 MB" in response.json()["message"]
