"""Pinned query counts of the list pages and endpoints (several rows, so a query per row would show)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.testing.factories.tto import make_application, make_case, make_open_licence


@pytest.fixture
def many(cast):
    for n in range(3):
        case = make_case(cast, status="protect")
        app = make_application(cast, case, number=f"CN20201000000{n}.{n}")
        make_open_licence(cast, app)


def test_home_of_the_office(cast, client, many, pinned_queries):
    client.force_login(cast.univ_admin)
    with pinned_queries("tto-home"):
        assert client.get(reverse("tto:home")).status_code == 200


def test_public_licences(client, many, pinned_queries):
    with pinned_queries("tto-licences"):
        assert client.get(reverse("tto:licences")).status_code == 200


def test_api_lists(cast, as_user, many, pinned_queries):
    client = as_user(cast.univ_admin)
    with pinned_queries("tto-api-disclosures"):
        assert client.get("/api/v1/tto/disclosures/").status_code == 200
    with pinned_queries("tto-api-licences"):
        assert client.get("/api/v1/tto/open-licences/").status_code == 200
