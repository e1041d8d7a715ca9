"""Password reset by e-mail and password change."""

import re

import pytest
from django.urls import reverse

from techbridge.testing.cast import PASSWORD


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, cast, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "buyer@example.cn"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["buyer@example.cn"]
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", mail.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "New-bridge-2026", "new_password2": "New-bridge-2026"})

    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    cast.buyer.refresh_from_db()
    assert cast.buyer.check_password("New-bridge-2026")
    # The link works once.
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client, cast, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client, cast):
    client.force_login(cast.buyer)

    wrong = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "New-bridge-2026", "new_password2": "New-bridge-2026"},
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["old_password"]

    ok = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "New-bridge-2026", "new_password2": "New-bridge-2026"},
    )
    assert ok.status_code == 302
    assert ok.url == reverse("accounts:password_change_done")
    cast.buyer.refresh_from_db()
    assert cast.buyer.check_password("New-bridge-2026")


@pytest.mark.django_db
def test_password_change_needs_sign_in(client):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
