"""Who may publish and move achievements: the rules of ``achievements.permissions`` and
``core.listing_permissions``, the same on the page, in the API and on the buttons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.core.roles import Role
from techbridge.core.workflow import ReviewStatus
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.fixtures.records import draft_achievement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["reviewer", "operator", "official"])
def test_staff_and_officials_do_not_publish_achievements(client, as_user, cast, role):
    """Platform staff and department officials review and promote; they publish nothing of their own
    (they used to get the form and create drafts under the platform's or the department's name)."""
    user = getattr(cast, role)
    client.force_login(user)

    page = client.get(reverse("achievements:create"))
    listing = client.get(reverse("achievements:list")).content.decode()
    response = as_user(user).post(reverse("api:achievement-list"), {"title": "x"}, format="json")

    assert page.status_code == 403
    assert "Government departments and the platform operator" in page.content.decode() or "政府部门" in (
        page.content.decode()
    )
    assert reverse("achievements:create") not in listing  # no "publish" button either
    assert response.status_code == 403
    assert response.json()["message"]


def test_a_researcher_sees_the_publish_button(client, cast):
    client.force_login(cast.researcher)
    assert reverse("achievements:create") in client.get(reverse("achievements:list")).content.decode()


def test_a_colleague_who_is_not_the_author_is_refused_with_the_reason(client, as_user, cast):
    """Another member of the owning university sees the draft but may not move it: a 403 that says
    why (it used to get past the page and fail in the service with a 400)."""
    colleague = UserFactory(organization=cast.university, role=Role.MEMBER, real_name="吴同事")
    draft = draft_achievement(cast)
    client.force_login(colleague)
    api = as_user(colleague)

    page = client.post(reverse("achievements:submit", args=[draft.pk]))
    response = api.post(reverse("api:achievement-submit", args=[draft.pk]), format="json")

    assert client.get(reverse("achievements:detail", args=[draft.pk])).status_code == 200
    assert page.status_code == 403
    assert response.status_code == 403
    assert response.json()["message"] != "You do not have permission to perform this action."
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT
