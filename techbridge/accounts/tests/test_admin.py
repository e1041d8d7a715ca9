"""The Django admin is for superusers only; platform staff work in the console."""

import pytest
from django.urls import reverse

from techbridge.accounts.models import User
from techbridge.core import audit


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reviewer", "operator", "official", "buyer"])
def test_staff_flag_alone_does_not_open_the_admin(client, cast, who):
    user = getattr(cast, who)
    user.is_staff = True
    user.save()
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


@pytest.mark.django_db
def test_superuser_sees_users_organisations_and_read_only_audit_log(client, cast):
    admin = User.objects.create_superuser("root", "root@example.cn", "Root-pass-2026")
    entry = audit.record(cast.university, "organizations.organization.edited", actor=cast.univ_admin)
    client.force_login(admin)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[cast.buyer.pk])).status_code == 200
    assert client.get(reverse("admin:organizations_organization_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_notification_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
