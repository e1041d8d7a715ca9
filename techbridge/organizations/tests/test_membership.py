"""Joining an existing organisation: request, the admins' decision, members and admins, per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.core.models import AuditEntry, Notification
from techbridge.core.roles import Role
from techbridge.organizations import services
from techbridge.organizations.choices import MembershipStatus, OrgStatus
from techbridge.organizations.models import MembershipRequest
from techbridge.testing.factories.accounts import UserFactory
from techbridge.testing.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.django_db


def ask(client, user, org, message="我在示范大学技术转移中心工作"):
    client.force_login(user)
    return client.post(reverse("organizations:join", args=[org.pk]), {"message": message}, follow=True)


def members_page(org):
    return reverse("organizations:members", args=[org.pk])


# ---- asking ----------------------------------------------------------------------------------------


def test_a_user_without_organisation_asks_and_the_admins_are_told(client, cast):
    page = client.get(reverse("organizations:detail", args=[cast.university.pk]))
    assert "Request to join" not in page.content.decode()  # anonymous visitors are not offered it
    client.force_login(cast.outsider)
    assert (
        "Request to join"
        in client.get(reverse("organizations:detail", args=[cast.university.pk])).content.decode()
    )

    response = ask(client, cast.outsider, cast.university)
    assert "Your request was sent" in response.content.decode()
    assert "waiting for its admins" in response.content.decode()
    request = MembershipRequest.objects.get(user=cast.outsider)
    assert request.status == MembershipStatus.PENDING and request.organization == cast.university
    told = Notification.objects.filter(recipient=cast.univ_admin, kind="membership_request")
    assert told.count() == 1
    assert not Notification.objects.filter(recipient=cast.researcher, kind="membership_request").exists()


@pytest.mark.parametrize("who", ["buyer", "reviewer", "operator", "official"])
def test_members_of_an_organisation_and_staff_cannot_ask(client, cast, who):
    user = getattr(cast, who)
    client.force_login(user)
    assert (
        "Request to join"
        not in client.get(reverse("organizations:detail", args=[cast.university.pk])).content.decode()
    )
    response = ask(client, user, cast.university)
    assert MembershipRequest.objects.count() == 0
    assert "cannot join" in response.content.decode() or "already belong" in response.content.decode()


def test_an_organisation_awaiting_review_takes_no_members(cast):
    pending = OrganizationFactory(name="待审企业", status=OrgStatus.PENDING)
    with pytest.raises(services.MembershipError, match="approved"):
        services.request_membership(pending, actor=cast.outsider)


def test_one_pending_request_at_a_time_and_withdrawing_frees_the_user(client, cast):
    ask(client, cast.outsider, cast.university)
    response = ask(client, cast.outsider, cast.enterprise)
    assert "already have a request" in response.content.decode()
    assert MembershipRequest.objects.filter(user=cast.outsider).count() == 1

    request = MembershipRequest.objects.get(user=cast.outsider)
    client.post(reverse("organizations:join_cancel", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == MembershipStatus.CANCELLED
    ask(client, cast.outsider, cast.enterprise)
    assert (
        MembershipRequest.objects.filter(user=cast.outsider, status=MembershipStatus.PENDING)
        .get()
        .organization
        == cast.enterprise
    )


def test_someone_else_cannot_withdraw_a_request(client, cast):
    request = services.request_membership(cast.university, actor=cast.outsider)
    client.force_login(cast.researcher)
    assert client.post(reverse("organizations:join_cancel", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == MembershipStatus.PENDING


# ---- deciding ----------------------------------------------------------------------------------------


def test_the_admin_accepts_and_the_applicant_becomes_a_member(client, cast, pinned_queries):
    request = services.request_membership(cast.university, actor=cast.outsider, message="请批准")
    for n in range(3):  # more requests and members, so a query per row would show
        services.request_membership(cast.university, actor=UserFactory(), message=f"申请{n}")
        UserFactory(organization=cast.university, username=f"member{n}")
    client.force_login(cast.univ_admin)
    with pinned_queries("members"):
        page = client.get(members_page(cast.university)).content.decode()
    assert all(text in page for text in ("请批准", "申请0", "申请2", cast.researcher.username, "member2"))

    response = client.post(
        members_page(cast.university), {"action": "approve", "request": request.pk}, follow=True
    )
    assert "is now a member" in response.content.decode()
    cast.outsider.refresh_from_db()
    assert cast.outsider.organization == cast.university and cast.outsider.role == Role.MEMBER
    assert Notification.objects.filter(recipient=cast.outsider, kind="membership_decision").count() == 1
    assert AuditEntry.objects.filter(
        action="organizations.organization.member_added", object_id=str(cast.university.pk)
    ).exists()


def test_the_admin_declines_with_a_reason_the_applicant_reads(client, cast):
    request = services.request_membership(cast.university, actor=cast.outsider)
    client.force_login(cast.univ_admin)
    client.post(
        members_page(cast.university), {"action": "reject", "request": request.pk, "reason": "查无此人"}
    )
    request.refresh_from_db()
    cast.outsider.refresh_from_db()
    assert request.status == MembershipStatus.REJECTED and cast.outsider.organization is None
    note = Notification.objects.get(recipient=cast.outsider, kind="membership_decision")
    assert note.body == "查无此人"


@pytest.mark.parametrize("who", ["researcher", "buyer", "reviewer", "outsider"])
def test_only_the_organisations_admins_open_the_members_page(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(members_page(cast.university)).status_code == 403


def test_a_decided_request_cannot_be_decided_again(cast):
    request = services.request_membership(cast.university, actor=cast.outsider)
    services.reject_membership(request, actor=cast.univ_admin)
    with pytest.raises(services.MembershipError, match="already decided"):
        services.approve_membership(request, actor=cast.univ_admin)
    cast.outsider.refresh_from_db()
    assert cast.outsider.organization is None


def test_accepting_someone_who_joined_elsewhere_meanwhile_changes_nothing(cast):
    request = services.request_membership(cast.university, actor=cast.outsider)
    type(cast.outsider).objects.filter(pk=cast.outsider.pk).update(organization=cast.enterprise)
    with pytest.raises(services.MembershipError, match="another organisation"):
        services.approve_membership(request, actor=cast.univ_admin)
    request.refresh_from_db()
    assert request.status == MembershipStatus.PENDING  # the decision was rolled back with the membership


# ---- members and admins --------------------------------------------------------------------------------


def test_the_last_admin_can_neither_leave_nor_be_demoted(cast):
    with pytest.raises(services.MembershipError, match="at least one admin"):
        services.set_member_admin(cast.university, cast.univ_admin, actor=cast.univ_admin, admin=False)
    services.set_member_admin(cast.university, cast.researcher, actor=cast.univ_admin, admin=True)
    services.set_member_admin(cast.university, cast.univ_admin, actor=cast.researcher, admin=False)
    cast.univ_admin.refresh_from_db()
    assert cast.univ_admin.role == Role.MEMBER


def test_an_admin_removes_a_member_who_keeps_the_account(client, cast):
    client.force_login(cast.univ_admin)
    client.post(members_page(cast.university), {"action": "remove", "user": cast.researcher.pk})
    cast.researcher.refresh_from_db()
    assert cast.researcher.organization is None and cast.researcher.is_active


def test_an_admin_cannot_touch_another_organisations_members(client, cast):
    client.force_login(cast.univ_admin)
    client.post(members_page(cast.university), {"action": "remove", "user": cast.buyer.pk}, follow=True)
    cast.buyer.refresh_from_db()
    assert cast.buyer.organization == cast.enterprise


# ---- API ------------------------------------------------------------------------------------------------


def test_api_join_decide_and_list(client, cast):
    client.force_login(cast.outsider)
    url = f"/api/v1/organizations/{cast.university.pk}/join/"
    created = client.post(url, {"message": "hi"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 400 and "already have a request" in again.json()["message"]
    request_id = created.json()["id"]
    assert client.post(f"/api/v1/membership-requests/{request_id}/approve/").status_code == 403

    client.force_login(cast.researcher)
    assert client.get(f"/api/v1/organizations/{cast.university.pk}/join-requests/").status_code == 403
    client.force_login(cast.univ_admin)
    waiting = client.get(f"/api/v1/organizations/{cast.university.pk}/join-requests/").json()
    assert [r["applicant"] for r in waiting] == [cast.outsider.username]
    approved = client.post(f"/api/v1/membership-requests/{request_id}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    members = client.get(f"/api/v1/organizations/{cast.university.pk}/members/").json()
    assert cast.outsider.username in [m["username"] for m in members]


def test_api_member_actions_check_input(client, cast):
    client.force_login(cast.univ_admin)
    url = f"/api/v1/organizations/{cast.university.pk}/members/"
    bad = client.post(url, {"user": cast.researcher.pk, "action": "promote"}, content_type="application/json")
    assert bad.status_code == 400
    unknown = client.post(url, {"user": cast.buyer.pk, "action": "remove"}, content_type="application/json")
    assert unknown.status_code == 404
    last = client.post(
        url, {"user": cast.univ_admin.pk, "action": "revoke_admin"}, content_type="application/json"
    )
    assert last.status_code == 400 and "at least one admin" in last.json()["message"]
    assert client.get("/api/v1/membership-requests/").status_code == 200
    client.logout()
    assert client.get("/api/v1/membership-requests/").status_code in (401, 403)


def test_a_malformed_id_is_refused_with_a_message(client, cast):
    client.force_login(cast.univ_admin)
    response = client.post(
        members_page(cast.university), {"action": "approve", "request": "x'1"}, follow=True
    )
    assert response.status_code == 200 and "already decided or withdrawn" in response.content.decode()


def test_the_page_title_is_just_the_organisation_name(client, cast):
    client.force_login(cast.outsider)
    page = client.get(reverse("organizations:detail", args=[cast.university.pk])).content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert cast.university.name in title and "<" not in title
