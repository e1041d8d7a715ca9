"""Every list page and list endpoint of finance pins its exact query count with several rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.testing.factories.finance import (
    ProductFactory,
    make_introduction,
    make_investor,
    make_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(cast):
    investors = [make_investor(cast, name=f"示范基金{n}") for n in range(3)]
    for inv in investors:
        ProductFactory(investor=inv)
        ProductFactory(investor=inv)
    requests = [make_request(cast, title=f"融资需求{n}", field_codes=["ic", "software"]) for n in range(3)]
    for req, inv in zip(requests, investors, strict=True):
        make_introduction(cast, request=req, investor=inv)
    return investors, requests


def test_portal_lists_pin_their_queries(client, cast, rows, pinned_queries):
    client.force_login(cast.broker)
    with pinned_queries("home"):
        r = client.get(reverse("finance:home"))
    assert r.content.decode().count('class="card listing"') == 3
    with pinned_queries("requests"):
        r = client.get(reverse("finance:requests"))
    assert r.content.decode().count('class="card listing"') == 3
    with pinned_queries("mine"):
        r = client.get(reverse("finance:mine"))
    assert "融资需求1" in r.content.decode()
    client.force_login(cast.operator)
    with pinned_queries("console"):
        r = client.get(reverse("finance_console:investors"))
    assert "示范基金2" in r.content.decode()


def test_api_lists_pin_their_queries(as_user, cast, rows, pinned_queries):
    broker = as_user(cast.broker)
    with pinned_queries("investors"):
        r = broker.get("/api/v1/finance/investors/")
    assert r.json()["count"] == 3 and len(r.json()["results"][0]["products"]) == 2
    with pinned_queries("requests"):
        r = broker.get("/api/v1/finance/requests/")
    assert r.json()["count"] == 3 and r.json()["results"][0]["fields"] == ["ic", "software"]
    with pinned_queries("introductions"):
        r = broker.get("/api/v1/finance/introductions/")
    assert r.json()["count"] == 3
