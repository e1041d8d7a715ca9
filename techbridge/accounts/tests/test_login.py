"""Sign-in with a throttle per username and client address."""

import pytest
from django.urls import reverse

from techbridge.testing.cast import PASSWORD


def sign_in(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_right_password_signs_in_and_follows_safe_next(client, cast):
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/profile/",
        {"username": "buyer", "password": PASSWORD, "next": "/accounts/profile/"},
    )

    assert response.status_code == 302
    assert response.url == "/accounts/profile/"
    assert client.session["_auth_user_id"] == str(cast.buyer.pk)


@pytest.mark.django_db
def test_next_to_another_site_is_ignored(client, cast, settings):
    response = client.post(
        reverse("accounts:login"),
        {"username": "buyer", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert "evil.example" not in response.url
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


@pytest.mark.django_db
def test_signed_in_user_opening_sign_in_goes_on_even_with_next_back_to_it(client, cast):
    client.force_login(cast.buyer)

    response = client.get(reverse("accounts:login"), {"next": reverse("accounts:login")})

    assert response.status_code == 302
    assert response.url != reverse("accounts:login")


@pytest.mark.django_db
def test_wrong_password_shows_message(client, cast):
    response = sign_in(client, "buyer", "wrong")

    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_out_even_the_right_password(client, cast, settings):
    settings.LOGIN_MAX_ATTEMPTS = 5
    settings.LOGIN_LOCKOUT_SECONDS = 900
    for _ in range(4):
        response = sign_in(client, "buyer", "wrong")
        assert "Too many" not in response.content.decode()

    fifth = sign_in(client, "buyer", "wrong")
    assert "Too many failed sign-in attempts" in fifth.content.decode()

    response = sign_in(client, "buyer", PASSWORD)
    assert response.status_code == 200
    assert "Please try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_one_office_address_is_not_locked_out_by_a_few_typos(client, cast, settings):
    """Offices share one NAT address: five failures by colleagues must not lock everyone out."""
    settings.LOGIN_MAX_ATTEMPTS = 5
    settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 50
    for i in range(5):
        sign_in(client, f"colleague{i}", "wrong", REMOTE_ADDR="10.0.0.9")

    response = sign_in(client, "buyer", PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 302


@pytest.mark.django_db
def test_lockout_also_applies_to_the_address(client, cast, settings):
    settings.LOGIN_MAX_ATTEMPTS = 5
    settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 8
    for i in range(8):
        sign_in(client, f"nobody{i}", "wrong", REMOTE_ADDR="10.0.0.9")

    response = sign_in(client, "buyer", PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    response = sign_in(client, "buyer", PASSWORD, REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 302


@pytest.mark.django_db
def test_successful_sign_in_resets_the_failure_count(client, cast, settings):
    settings.LOGIN_MAX_ATTEMPTS = 5
    for _ in range(4):
        sign_in(client, "buyer", "wrong")
    assert sign_in(client, "buyer", PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        sign_in(client, "buyer", "wrong")
    assert sign_in(client, "buyer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_logout_needs_post_and_signs_out(client, cast):
    client.force_login(cast.buyer)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
