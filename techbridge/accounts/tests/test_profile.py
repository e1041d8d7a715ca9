"""The profile page: own details, organisation, review status and role."""

import pytest
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.organizations.choices import OrgStatus


@pytest.mark.django_db
def test_profile_shows_organisation_status_and_role(client, cast):
    client.force_login(cast.buyer)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert cast.enterprise.name in page
    assert str(OrgStatus.APPROVED.label) in page
    assert str(cast.buyer.get_role_display()) in page
    assert reverse("accounts:password_change") in page


@pytest.mark.django_db
def test_profile_shows_rejection_reason(client, cast):
    cast.enterprise.status = OrgStatus.REJECTED
    cast.enterprise.reject_reason = "营业执照照片不清晰"
    cast.enterprise.save()
    client.force_login(cast.buyer)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "营业执照照片不清晰" in page


@pytest.mark.django_db
def test_profile_edit_saves_and_is_audited(client, cast):
    client.force_login(cast.buyer)

    response = client.post(
        reverse("accounts:profile"),
        {"real_name": "张新采购", "email": "zhang@example.cn", "phone": "13800000000", "title": "采购经理"},
        follow=True,
    )

    cast.buyer.refresh_from_db()
    assert (cast.buyer.real_name, cast.buyer.email, cast.buyer.phone, cast.buyer.title) == (
        "张新采购",
        "zhang@example.cn",
        "13800000000",
        "采购经理",
    )
    assert "Your profile was saved" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.user.profile_edited")
    assert entry.actor == cast.buyer
    assert set(entry.data["fields"]) == {"real_name", "email", "phone", "title"}


@pytest.mark.django_db
def test_profile_edit_with_bad_email_explains_and_keeps_old_value(client, cast):
    client.force_login(cast.buyer)

    response = client.post(reverse("accounts:profile"), {"real_name": "张", "email": "not-an-address"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    cast.buyer.refresh_from_db()
    assert cast.buyer.email == "buyer@example.cn"


@pytest.mark.django_db
def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
