"""The organisations API: the public directory, registration by a signed-in user, edits and review."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from techbridge.core.roles import Role
from techbridge.lib.credit_code import check_character
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.testing.factories.organizations import OrganizationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organizations/"


def valid_code(body: str = "91320106MA1Q0000") -> str:
    body = (body + "0")[:17]
    return body + check_character(body)


def registration(**extra) -> dict:
    return {
        "name": "南京新材料科技有限公司",
        "kind": "enterprise",
        "credit_code": valid_code(),
        "district": "jiangning",
        "description": "膜材料研发",
        **extra,
    }


@pytest.fixture
def pending_org(cast):
    return OrganizationFactory(name="待审核研究院", kind=OrgKind.INSTITUTE, status=OrgStatus.PENDING)


def test_public_directory_lists_approved_organisations_only(api, cast, pending_org):
    body = api.get(LIST).json()

    names = {item["name"] for item in body["results"]}
    assert "示范大学" in names
    assert "待审核研究院" not in names
    assert api.get(f"{LIST}{pending_org.pk}/").status_code == 404


def test_reviewer_sees_pending_registrations(as_user, cast, pending_org):
    body = as_user(cast.reviewer).get(LIST, {"status": "pending"}).json()

    assert [item["name"] for item in body["results"]] == ["待审核研究院"]


def test_directory_filters_by_kind_district_and_name(api, cast):
    assert [o["name"] for o in api.get(LIST, {"kind": "university"}).json()["results"]] == [
        "另一大学",
        "示范大学",
    ]
    assert [o["name"] for o in api.get(LIST, {"district": "jiangning"}).json()["results"]] == [
        "示范企业有限公司"
    ]
    assert [o["name"] for o in api.get(LIST, {"q": "转移"}).json()["results"]] == ["示范技术转移中心"]


def test_an_unknown_kind_filter_is_a_400(api, cast):
    response = api.get(LIST, {"kind": "pirate"})

    assert response.status_code == 400
    assert response.json()["message"]


def test_directory_query_count_is_fixed(api, cast, pinned_queries):
    for i in range(10):
        OrganizationFactory(name=f"企业{i}")

    with pinned_queries("directory"):  # count, page
        body = api.get(LIST).json()
    assert {f"企业{i}" for i in range(10)} <= {o["name"] for o in body["results"]}


def test_user_without_organisation_registers_one_and_becomes_its_admin(as_user, cast):
    response = as_user(cast.outsider).post(LIST, registration(), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    cast.outsider.refresh_from_db()
    assert cast.outsider.organization.name == "南京新材料科技有限公司"
    assert cast.outsider.role == Role.ORG_ADMIN


def test_credit_code_with_spaces_and_lower_case_is_normalised(as_user, cast):
    code = valid_code()
    typed = f"{code[:6]} {code[6:]}".lower()

    response = as_user(cast.outsider).post(LIST, registration(credit_code=typed), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == code


def test_registration_with_a_bad_credit_code_is_a_400_with_a_message(as_user, cast):
    code = valid_code()
    wrong_check = code[:17] + ("1" if code[17] != "1" else "2")

    response = as_user(cast.outsider).post(LIST, registration(credit_code=wrong_check), format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "credit_code"
    assert response.json()["message"].endswith(
        _("The check character of this unified social credit code is wrong; please check the code.")
    )
    cast.outsider.refresh_from_db()
    assert cast.outsider.organization is None
    assert not Organization.objects.filter(name="南京新材料科技有限公司").exists()


def test_a_member_of_an_organisation_cannot_register_another(as_user, cast):
    response = as_user(cast.buyer).post(LIST, registration(), format="json")

    assert response.status_code == 403
    assert response.json()["message"] == _("You already belong to an organisation.")


def test_anonymous_cannot_register(api, cast):
    assert api.post(LIST, registration(), format="json").status_code == 401


def test_registration_refuses_unknown_keys_and_the_status(as_user, cast):
    response = as_user(cast.outsider).post(LIST, registration(status="approved"), format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "status"


def test_org_admin_edits_the_profile(as_user, cast):
    response = as_user(cast.univ_admin).patch(
        f"{LIST}{cast.university.pk}/", {"address": "南京市鼓楼区汉口路22号"}, format="json"
    )

    assert response.status_code == 200, response.json()
    cast.university.refresh_from_db()
    assert cast.university.address == "南京市鼓楼区汉口路22号"


def test_a_plain_member_and_other_organisations_cannot_edit_the_profile(as_user, cast):
    for user in (cast.researcher, cast.buyer, cast.reviewer):
        response = as_user(user).patch(f"{LIST}{cast.university.pk}/", {"address": "别处"}, format="json")
        assert response.status_code == 403, user
    cast.university.refresh_from_db()
    assert cast.university.address == ""


def test_an_approved_organisation_keeps_its_name(as_user, cast):
    response = as_user(cast.univ_admin).patch(
        f"{LIST}{cast.university.pk}/", {"name": "改名大学"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "name"


def test_reviewer_approves_and_rejects_registrations(as_user, cast, pending_org):
    other = OrganizationFactory(name="另一家待审企业", status=OrgStatus.PENDING)

    approved = as_user(cast.reviewer).post(f"{LIST}{pending_org.pk}/approve/")
    rejected = as_user(cast.operator).post(
        f"{LIST}{other.pk}/reject/", {"reason": "营业执照不清晰"}, format="json"
    )

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["reject_reason"] == "营业执照不清晰"


def test_reject_without_reason_is_a_400(as_user, cast, pending_org):
    response = as_user(cast.reviewer).post(f"{LIST}{pending_org.pk}/reject/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert response.json()["message"].endswith(_("Give the applicant a reason for the rejection."))
    pending_org.refresh_from_db()
    assert pending_org.status == OrgStatus.PENDING


def test_non_reviewers_cannot_approve(as_user, cast, pending_org):
    for user in (cast.univ_admin, cast.official, cast.outsider):
        assert as_user(user).post(f"{LIST}{pending_org.pk}/approve/").status_code == 403
    pending_org.refresh_from_db()
    assert pending_org.status == OrgStatus.PENDING


def test_admin_resubmits_a_rejected_registration(as_user, cast):
    as_user(cast.outsider).post(LIST, registration(), format="json")
    cast.outsider.refresh_from_db()
    org = cast.outsider.organization
    as_user(cast.reviewer).post(f"{LIST}{org.pk}/reject/", {"reason": "信用代码与名称不符"}, format="json")

    fixed = as_user(cast.outsider).patch(f"{LIST}{org.pk}/", {"name": "南京新材料有限公司"}, format="json")
    resubmitted = as_user(cast.outsider).post(f"{LIST}{org.pk}/resubmit/")

    assert fixed.status_code == 200, fixed.json()
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "pending"
    assert resubmitted.json()["name"] == "南京新材料有限公司"
