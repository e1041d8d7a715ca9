"""Who sees and manages organisations (``organizations.permissions``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.organizations.models import MembershipRequest
from techbridge.testing.fixtures.records import pending_organization

pytestmark = pytest.mark.django_db


def test_a_registration_under_review_is_not_confirmed_to_others(client, cast):
    """Its edit and members pages answered 403 to anyone, confirming the organisation exists."""
    org = pending_organization(cast)
    client.force_login(cast.stranger)

    assert client.get(reverse("organizations:edit", args=[org.pk])).status_code == 404
    assert client.get(reverse("organizations:members", args=[org.pk])).status_code == 404
    client.force_login(cast.reviewer)
    assert client.get(reverse("organizations:edit", args=[org.pk])).status_code == 403


def test_a_member_of_another_organisation_is_refused_with_the_reason(client, cast):
    client.force_login(cast.stranger)

    response = client.post(reverse("organizations:join", args=[cast.university.pk]))

    assert response.status_code == 403
    assert not MembershipRequest.objects.exists()
