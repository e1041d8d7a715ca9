"""Reviewing organisations in the console: reviewers and operators only."""

import pytest
from django.urls import reverse

from techbridge.core.models import AuditEntry, Notification
from techbridge.core.roles import Role
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.services import register_organization
from techbridge.testing.factories.accounts import UserFactory


@pytest.fixture
def applicant(cast):
    org = register_organization(
        name="申请科技公司", kind=OrgKind.ENTERPRISE, credit_code="91320106MA1Y00002Q"
    )
    admin = UserFactory(username="applicant", organization=org, role=Role.ORG_ADMIN)
    return org, admin


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["buyer", "researcher", "univ_admin", "official", "outsider"])
@pytest.mark.parametrize("page", ["queue", "review"])
def test_console_is_forbidden_to_everyone_but_reviewers(client, cast, applicant, who, page):
    org, _admin = applicant
    client.force_login(getattr(cast, who))
    url = reverse(f"organizations_console:{page}", **({"args": [org.pk]} if page == "review" else {}))

    assert client.get(url).status_code == 403
    if page == "review":
        assert client.post(url, {"decision": "approve"}).status_code == 403
        org.refresh_from_db()
        assert org.status == OrgStatus.PENDING


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, applicant):
    org, _admin = applicant

    for url in (
        reverse("organizations_console:queue"),
        reverse("organizations_console:review", args=[org.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_queue_shows_pending_by_default_and_all_on_request(client, cast, applicant, pinned_queries):
    org, _admin = applicant
    client.force_login(cast.reviewer)

    with pinned_queries("pending"):
        pending = client.get(reverse("organizations_console:queue"))
    assert [o.pk for o in pending.context["page"]] == [org.pk]
    assert ("pending", "Awaiting review", 1) in [
        (v, str(label), n) for v, label, n in pending.context["tabs"]
    ]
    everything = client.get(reverse("organizations_console:queue"), {"status": "all"})
    assert everything.context["page"].paginator.count == 7
    assert everything.context["tabs"][-1][2] == 7
    approved = client.get(reverse("organizations_console:queue"), {"status": "approved"})
    assert org.pk not in [o.pk for o in approved.context["page"]]
    bad = client.get(reverse("organizations_console:queue"), {"status": "nonsense"})
    assert bad.status_code == 200
    assert [o.pk for o in bad.context["page"]] == [org.pk]


@pytest.mark.django_db
def test_queue_query_count_does_not_grow_with_rows(client, cast, pinned_queries):
    for i in range(25):
        register_organization(name=f"申请单位{i:02d}", kind=OrgKind.ENTERPRISE)
    client.force_login(cast.operator)

    with pinned_queries("queue"):
        response = client.get(reverse("organizations_console:queue"))

    assert len(response.context["page"]) == 20
    assert "申请单位00" in response.content.decode()


@pytest.mark.django_db
def test_review_page_shows_details_members_and_history(client, cast, applicant):
    org, admin = applicant
    client.force_login(cast.reviewer)

    response = client.get(reverse("organizations_console:review", args=[org.pk]))

    page = response.content.decode()
    assert org.credit_code in page
    assert admin.username in page
    assert [r.entry.action for r in response.context["history"]] == ["organizations.organization.registered"]
    zh = client.get(reverse("organizations_console:review", args=[org.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "<td>已注册</td>" in zh.content.decode()  # the action in words, not its code
    assert "organizations.organization.registered" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reviewer", "operator"])
def test_reviewer_approves_members_are_notified_and_it_is_audited(client, cast, applicant, who):
    org, admin = applicant
    client.force_login(getattr(cast, who))

    response = client.post(
        reverse("organizations_console:review", args=[org.pk]), {"decision": "approve"}, follow=True
    )

    org.refresh_from_db()
    assert org.status == OrgStatus.APPROVED
    assert "was approved" in response.content.decode()
    assert Notification.objects.filter(recipient=admin, kind="organization_review").exists()
    entry = AuditEntry.objects.get(action="organizations.organization.approved")
    assert entry.actor == getattr(cast, who)
    assert (entry.from_state, entry.to_state) == (OrgStatus.PENDING, OrgStatus.APPROVED)
    # The approved organisation now appears in the public directory.
    client.logout()
    assert client.get(reverse("organizations:detail", args=[org.pk])).status_code == 200


@pytest.mark.django_db
def test_reject_without_reason_is_refused_with_message(client, cast, applicant):
    org, _admin = applicant
    client.force_login(cast.reviewer)

    response = client.post(
        reverse("organizations_console:review", args=[org.pk]), {"decision": "reject", "reason": "  "}
    )

    assert response.status_code == 200
    assert "Give the applicant a reason" in response.content.decode()
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING
    assert not AuditEntry.objects.filter(action="organizations.organization.rejected").exists()


@pytest.mark.django_db
def test_reject_with_reason_tells_the_applicant(client, cast, applicant):
    org, admin = applicant
    client.force_login(cast.reviewer)

    client.post(
        reverse("organizations_console:review", args=[org.pk]),
        {"decision": "reject", "reason": "营业执照与名称不符"},
    )

    org.refresh_from_db()
    assert org.status == OrgStatus.REJECTED
    assert org.reject_reason == "营业执照与名称不符"
    note = Notification.objects.get(recipient=admin)
    assert note.body == "营业执照与名称不符"
    client.force_login(admin)
    assert "营业执照与名称不符" in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.django_db
def test_deciding_twice_is_refused_with_message(client, cast, applicant):
    org, _admin = applicant
    client.force_login(cast.reviewer)
    client.post(reverse("organizations_console:review", args=[org.pk]), {"decision": "approve"})

    response = client.post(
        reverse("organizations_console:review", args=[org.pk]),
        {"decision": "reject", "reason": "晚了"},
        follow=True,
    )

    assert "not possible" in response.content.decode()
    org.refresh_from_db()
    assert org.status == OrgStatus.APPROVED


@pytest.mark.django_db
def test_unknown_decision_is_explained(client, cast, applicant):
    org, _admin = applicant
    client.force_login(cast.reviewer)

    response = client.post(reverse("organizations_console:review", args=[org.pk]), {"decision": "delete"})

    assert response.status_code == 200
    assert response.context["form"].errors["decision"]
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING
