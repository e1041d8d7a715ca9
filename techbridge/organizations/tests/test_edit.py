"""Organisation admins edit their organisation's profile; nobody else can."""

import pytest
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.organizations.choices import OrgStatus
from techbridge.testing.factories.organizations import credit_code


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
def test_approved_organisation_cannot_change_its_name(client, cast):
    client.force_login(cast.univ_admin)
    name, code = cast.university.name, cast.university.credit_code

    client.post(reverse("organizations:edit", args=[cast.university.pk]), profile_data(name="改名大学"))

    cast.university.refresh_from_db()
    assert (cast.university.name, cast.university.credit_code) == (name, code)


@pytest.mark.django_db
def test_approved_organisation_without_a_code_adds_one_and_it_is_audited(client, cast):
    """认定登记 needs the code: an approved organisation adds it itself, and the change is on record."""
    cast.university.credit_code = None
    cast.university.save()
    client.force_login(cast.univ_admin)
    page = client.get(reverse("organizations:edit", args=[cast.university.pk])).content.decode()
    assert "has no unified social credit code yet" in page

    response = client.post(
        reverse("organizations:edit", args=[cast.university.pk]),
        profile_data(credit_code="12320000 4660 07212 9"),
        follow=True,
    )

    assert "was saved" in response.content.decode()
    cast.university.refresh_from_db()
    assert cast.university.credit_code == "123200004660072129"
    entry = AuditEntry.objects.get(action="organizations.organization.credit_code_changed")
    assert entry.data == {"from": "", "to": "123200004660072129"} and entry.actor == cast.univ_admin


@pytest.mark.django_db
def test_approved_organisation_corrects_its_code_and_a_wrong_check_character_is_explained(client, cast):
    client.force_login(cast.univ_admin)
    old = cast.university.credit_code
    url = reverse("organizations:edit", args=[cast.university.pk])

    bad = client.post(url, profile_data(credit_code="91320100MA00000019"))
    assert "check character of this unified social credit code is wrong" in bad.content.decode()
    cast.university.refresh_from_db()
    assert cast.university.credit_code == old

    good = credit_code(1234, prefix="12320000MA")
    client.post(url, profile_data(credit_code=good))
    cast.university.refresh_from_db()
    assert cast.university.credit_code == good
    entry = AuditEntry.objects.get(action="organizations.organization.credit_code_changed")
    assert entry.data == {"from": old, "to": good}


@pytest.mark.django_db
def test_api_adds_and_corrects_the_code_of_an_approved_organisation(as_user, cast):
    cast.university.credit_code = None
    cast.university.save()
    client = as_user(cast.univ_admin)
    url = f"/api/v1/organizations/{cast.university.pk}/"

    refused = client.patch(url, {"credit_code": "91320100MA00000019"}, format="json")
    assert refused.status_code == 400
    assert "校验码不正确" in str(refused.json())
    renamed = client.patch(url, {"name": "改名大学"}, format="json")
    assert renamed.status_code == 400
    taken = client.patch(url, {"credit_code": cast.enterprise.credit_code}, format="json")
    assert taken.status_code == 400 and "已注册" in str(taken.json())

    added = client.patch(url, {"credit_code": "123200004660072129"}, format="json")

    assert added.status_code == 200 and added.json()["credit_code"] == "123200004660072129"
    removed = client.patch(url, {"credit_code": ""}, format="json")
    assert removed.status_code == 400
    cast.university.refresh_from_db()
    assert cast.university.credit_code == "123200004660072129"


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
