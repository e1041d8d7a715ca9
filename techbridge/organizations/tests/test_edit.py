"""Organisation admins edit their organisation's profile; nobody else can."""

import pytest
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.organizations.choices import OrgStatus


def profile_data(**overrides):
    data = {
        "district": "gulou",
        "address": "南京市鼓楼区汉口路22号",
        "contact_phone": "025-83590000",
        "website": "https://example.edu.cn",
        "description": "综合性研究型大学，技术转移中心提供成果对接服务。",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_org_admin_edits_profile_and_it_is_audited(client, cast):
    client.force_login(cast.univ_admin)

    response = client.post(
        reverse("organizations:edit", args=[cast.university.pk]), profile_data(), follow=True
    )

    assert "was saved" in response.content.decode()
    cast.university.refresh_from_db()
    assert cast.university.address == "南京市鼓楼区汉口路22号"
    assert cast.university.website == "https://example.edu.cn"
    entry = AuditEntry.objects.get(action="organizations.organization.edited")
    assert entry.actor == cast.univ_admin
    assert "address" in entry.data["fields"]


@pytest.mark.django_db
def test_approved_organisation_cannot_change_its_name_or_code(client, cast):
    client.force_login(cast.univ_admin)
    name, code = cast.university.name, cast.university.credit_code

    client.post(
        reverse("organizations:edit", args=[cast.university.pk]),
        profile_data(name="改名大学", credit_code="91350100M000100Y43"),
    )

    cast.university.refresh_from_db()
    assert (cast.university.name, cast.university.credit_code) == (name, code)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["researcher", "buyer", "reviewer", "operator", "official", "outsider"])
def test_others_cannot_edit_the_organisation(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(reverse("organizations:edit", args=[cast.university.pk])).status_code == 403
    response = client.post(
        reverse("organizations:edit", args=[cast.university.pk]), profile_data(address="黑客")
    )

    assert response.status_code == 403
    cast.university.refresh_from_db()
    assert cast.university.address != "黑客"


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, cast):
    response = client.get(reverse("organizations:edit", args=[cast.university.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_bad_website_is_explained(client, cast):
    client.force_login(cast.univ_admin)

    response = client.post(
        reverse("organizations:edit", args=[cast.university.pk]), profile_data(website="not a url")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["website"]


@pytest.mark.django_db
def test_rejected_registration_is_corrected_and_resubmitted(client, cast):
    org = cast.enterprise
    org.status, org.reject_reason = OrgStatus.REJECTED, "信用代码与名称不符"
    org.save()
    client.force_login(cast.buyer)
    cast.buyer.role = "org_admin"
    cast.buyer.save()

    page = client.get(reverse("organizations:edit", args=[org.pk])).content.decode()
    assert "信用代码与名称不符" in page
    client.post(
        reverse("organizations:edit", args=[org.pk]),
        profile_data(name="示范企业股份有限公司", credit_code="91320113MA1W12345C"),
    )

    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING
    assert org.name == "示范企业股份有限公司"
    assert org.credit_code == "91320113MA1W12345C"
    assert AuditEntry.objects.filter(
        action="organizations.organization.resubmitted", to_state=OrgStatus.PENDING
    ).exists()


@pytest.mark.django_db
def test_resubmitting_with_another_organisations_code_is_refused(client, cast):
    org = cast.enterprise
    org.status = OrgStatus.REJECTED
    org.save()
    cast.buyer.role = "org_admin"
    cast.buyer.save()
    client.force_login(cast.buyer)

    response = client.post(
        reverse("organizations:edit", args=[org.pk]),
        profile_data(name=org.name, credit_code=cast.university.credit_code),
    )

    assert "already registered" in str(response.context["form"].errors["credit_code"])
    org.refresh_from_db()
    assert org.status == OrgStatus.REJECTED
