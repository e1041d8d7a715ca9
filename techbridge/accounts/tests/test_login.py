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
def test_a_flood_from_one_address_never_refuses_a_colleagues_right_password(client, cast, settings):
    """51 failures used to lock every user of an office proxy out; now the flood is only slowed down."""
    settings.LOGIN_MAX_ATTEMPTS = 5
    settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 8
    settings.LOGIN_FLOOD_DELAY_SECONDS = 0
    for i in range(60):
        sign_in(client, f"nobody{i}", "wrong", REMOTE_ADDR="10.0.0.9")

    response = sign_in(client, "buyer", PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.buyer.pk)


@pytest.mark.django_db
def test_a_flooding_address_gets_its_failures_answered_slowly(client, cast, settings, monkeypatch):
    from techbridge.accounts import services

    waited: list[float] = []
    monkeypatch.setattr(services.time, "sleep", waited.append)
    settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 8
    settings.LOGIN_FLOOD_DELAY_SECONDS = 1.5
    for i in range(8):
        sign_in(client, f"nobody{i}", "wrong", REMOTE_ADDR="10.0.0.9")
    assert waited == [1.5]  # the eighth failure reached the limit

    sign_in(client, "nobody99", "wrong", REMOTE_ADDR="10.0.0.9")
    sign_in(client, "nobody98", "wrong", REMOTE_ADDR="10.0.0.10")  # another address is not slowed
    assert waited == [1.5, 1.5]

    assert sign_in(client, "buyer", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302
    assert waited == [1.5, 1.5]  # a right password is never delayed


@pytest.mark.django_db
def test_signing_in_does_not_reset_the_address_count(client, cast, settings):
    """135 failures never slowed a sprayer that signed in to its own account between guesses."""
    from techbridge.accounts import services

    settings.LOGIN_MAX_ATTEMPTS = 5
    settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 10
    settings.LOGIN_FLOOD_DELAY_SECONDS = 0
    for round_ in range(3):
        for i in range(4):
            sign_in(client, f"victim{round_}{i}", "wrong", REMOTE_ADDR="10.0.0.7")
        assert sign_in(client, "buyer", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302
        client.logout()

    assert services.login_flooded("10.0.0.7")


@pytest.mark.django_db
def test_a_forged_forwarded_header_does_not_change_the_counted_address(client, cast, settings):
    from techbridge.accounts import services

    settings.TRUSTED_PROXY_COUNT = 0
    settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 3
    settings.LOGIN_FLOOD_DELAY_SECONDS = 0
    for i in range(3):
        sign_in(client, f"x{i}", "wrong", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")

    assert services.login_flooded("10.0.0.5")
    assert not services.login_flooded("192.0.2.0")


@pytest.mark.django_db
def test_behind_one_trusted_proxy_the_client_is_the_address_the_proxy_saw(client, cast, settings):
    from techbridge.accounts import services

    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 3
    settings.LOGIN_FLOOD_DELAY_SECONDS = 0
    for i in range(3):
        # The client wrote the first entry itself; the proxy appended the address it saw.
        sign_in(
            client, f"x{i}", "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.4"
        )

    assert services.login_flooded("203.0.113.4")
    assert not services.login_flooded("10.0.0.1")
    assert not services.login_flooded("6.6.6.0")


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
