"""Query counts of an organisation's members, its join requests and the membership-request endpoint,
with several rows each."""

from __future__ import annotations

import pytest

from techbridge.organizations import services
from techbridge.testing.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_members_and_join_requests_of_an_organisation(as_user, cast, pinned_queries):
    for n in range(3):
        UserFactory(organization=cast.university, username=f"member{n}", real_name=f"成员{n}")
        services.request_membership(
            cast.university, actor=UserFactory(username=f"applicant{n}"), message="申请"
        )
    admin = as_user(cast.univ_admin)
    base = f"/api/v1/organizations/{cast.university.pk}"

    with pinned_queries("members"):
        members = admin.get(f"{base}/members/").json()
    with pinned_queries("join requests"):
        requests = admin.get(f"{base}/join-requests/").json()
    with pinned_queries("membership requests"):
        waiting = admin.get("/api/v1/membership-requests/").json()

    assert {"member0", "member1", "member2", "researcher", "univ_admin"} <= {m["username"] for m in members}
    assert len(requests) == 3
    assert waiting["count"] == 3
