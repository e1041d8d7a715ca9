"""Token sign-in through the API, and its lockout (shared with the portal's sign-in throttle)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.test import APIClient

from techbridge.testing.cast import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/auth/me/"


def test_token_from_username_and_password_authenticates_later_requests(api, cast):
    response = api.post(TOKEN, {"username": "buyer", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["user"]["username"] == "buyer"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(ME)
    assert me.status_code == 200
    assert me.json()["organization"]["name"] == "示范企业有限公司"
    assert me.json()["role"] == "member"


def test_wrong_password_is_refused_with_a_message(api, cast):
    response = api.post(TOKEN, {"username": "buyer", "password": "wrong"}, format="json")

    assert response.status_code == 401
    assert response.json()["message"] == _("The username or password is wrong.")
    assert "token" not in response.json()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(api, cast):
    for _attempt in range(5):
        assert api.post(TOKEN, {"username": "buyer", "password": "wrong"}, format="json").status_code == 401

    response = api.post(TOKEN, {"username": "buyer", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["message"] == _(
        "Too many failed sign-in attempts. Wait %(minutes)s minutes and try again."
    ) % {"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60}


def test_a_successful_sign_in_clears_earlier_failures(api, cast):
    for _round in range(2):  # four failures, a success; four more failures would be eight in a row
        for _attempt in range(4):
            refused = api.post(TOKEN, {"username": "buyer", "password": "wrong"}, format="json")
            assert refused.status_code == 401
        signed_in = api.post(TOKEN, {"username": "buyer", "password": PASSWORD}, format="json")
        assert signed_in.status_code == 200 and signed_in.json()["token"]


def test_a_bad_token_is_refused(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = client.get(ME)

    assert response.status_code == 401
    assert response.json()["message"]


def test_me_needs_a_signed_in_user(api):
    assert api.get(ME).status_code == 401


def test_token_request_refuses_unknown_keys(api, cast):
    response = api.post(TOKEN, {"username": "buyer", "password": PASSWORD, "remember": True}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "remember"


def test_one_client_spraying_accounts_through_the_api_does_not_refuse_a_colleague(api, cast, settings):
    """Behind one office proxy the token throttle used to refuse everyone after ten tries a minute."""
    settings.LOGIN_FLOOD_DELAY_SECONDS = 0
    for i in range(15):
        refused = api.post(TOKEN, {"username": f"guess{i}", "password": "wrong"}, format="json")
        assert refused.status_code == 401

    response = api.post(TOKEN, {"username": "buyer", "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_the_token_throttle_ignores_a_forged_forwarded_header(api, cast, settings):
    """Changing X-Forwarded-For on every request no longer buys a fresh throttle (NUM_PROXIES = 0)."""
    settings.LOGIN_MAX_ATTEMPTS = 1000  # only the rate throttle is under test
    statuses = [
        api.post(
            TOKEN,
            {"username": "buyer", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(12)
    ]

    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
