"""An institution applies, is reviewed and appears in the directory (portal and API)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.core.models import AuditEntry, Notification
from techbridge.core.workflow import TransitionError
from techbridge.institutions import services
from techbridge.institutions.choices import InstitutionStatus
from techbridge.institutions.models import Institution
from techbridge.taxonomy.models import IndustryField

PROFILE = {
    "summary": "面向新能源汽车产业的技术转移服务机构，提供技术经纪与知识产权运营。",
    "services": ["transfer", "ip"],
    "staff_count": 15,
    "contact_name": "赵经理",
    "contact_phone": "025-83790000",
}


def _apply(cast) -> Institution:
    data = {**PROFILE, "fields": list(IndustryField.objects.filter(code="nev")), "host": cast.university}
    return services.save_profile(actor=cast.broker, data=data)


def test_apply_submit_review_and_the_directory(client, cast):
    inst = _apply(cast)
    assert inst.status == InstitutionStatus.DRAFT and inst.host == cast.university
    assert not client.get(reverse("institutions:directory")).content.decode().count(cast.service.name)
    services.submit_application(inst, actor=cast.broker)
    assert Notification.objects.filter(recipient=cast.reviewer, kind="institution_review").exists()
    services.approve_application(inst, actor=cast.reviewer, note="材料齐全")
    inst.refresh_from_db()
    assert inst.status == InstitutionStatus.APPROVED and inst.listed_at and inst.reviewed_by == cast.reviewer
    assert inst.current_credit is not None and inst.current_credit.grade == "A"
    html = client.get(reverse("institutions:directory")).content.decode()
    assert cast.service.name in html and "技术转移" in html
    codes = list(AuditEntry.objects.filter(object_id=str(inst.pk)).values_list("action", flat=True))
    assert "institutions.institution.submitted" in codes and "institutions.institution.listed" in codes
    assert Notification.objects.filter(recipient=cast.broker, kind="institution").exists()


def test_an_incomplete_application_is_refused_with_what_is_missing(cast):
    inst = services.save_profile(actor=cast.broker, data={"summary": "", "services": []})
    with pytest.raises(ValidationError) as exc:
        services.submit_application(inst, actor=cast.broker)
    assert "服务" in str(exc.value) or "services" in str(exc.value)
    inst.refresh_from_db()
    assert inst.status == InstitutionStatus.DRAFT


@pytest.mark.parametrize("who", ["researcher", "buyer", "outsider", "reviewer"])
def test_only_members_of_an_approved_service_organisation_apply(cast, who):
    with pytest.raises(PermissionDenied):
        services.save_profile(actor=getattr(cast, who), data=PROFILE)


def test_one_application_per_organisation_and_bounded_input(cast):
    _apply(cast)
    with pytest.raises(ValidationError):
        _apply(cast)
    inst = Institution.objects.get()
    with pytest.raises(ValidationError):
        services.save_profile(actor=cast.broker, institution=inst, data={**PROFILE, "summary": "长" * 3001})
    with pytest.raises(ValidationError):
        services.save_profile(actor=cast.broker, institution=inst, data={**PROFILE, "services": ["magic"]})
    with pytest.raises(ValidationError):
        services.save_profile(actor=cast.broker, institution=inst, data={**PROFILE, "host": cast.service})
    inst.refresh_from_db()
    assert inst.summary == PROFILE["summary"]


def test_return_needs_a_reason_and_only_reviewers_decide(cast):
    inst = _apply(cast)
    services.submit_application(inst, actor=cast.broker)
    with pytest.raises(PermissionDenied):
        services.approve_application(inst, actor=cast.official)
    with pytest.raises(PermissionDenied):
        services.approve_application(inst, actor=cast.broker)
    with pytest.raises(ValidationError):
        services.return_application(inst, actor=cast.reviewer, reason=" ")
    services.return_application(inst, actor=cast.reviewer, reason="请补充服务案例")
    inst.refresh_from_db()
    assert inst.status == InstitutionStatus.REJECTED and inst.review_note == "请补充服务案例"
    with pytest.raises(TransitionError):
        services.approve_application(inst, actor=cast.reviewer)
    services.submit_application(inst, actor=cast.broker)  # resubmitted after changes


def test_apply_through_the_pages(client, cast):
    IndustryField.objects.filter(code="nev").exists()
    client.force_login(cast.broker)
    assert 'data-testid="apply"' in client.get(reverse("institutions:mine")).content.decode()
    bad = client.post(
        reverse("institutions:profile"), {**PROFILE, "industry_fields": ["nev"], "staff_count": "-1"}
    )
    assert bad.status_code == 200 and not Institution.objects.exists()
    ok = client.post(
        reverse("institutions:profile"),
        {**PROFILE, "industry_fields": ["nev"], "host": cast.university.credit_code},
    )
    assert ok.status_code == 302
    client.post(reverse("institutions:submit"))
    inst = Institution.objects.get()
    assert inst.status == InstitutionStatus.SUBMITTED and inst.host == cast.university
    client.force_login(cast.reviewer)
    page = client.get(reverse("institutions_console:institution", args=[inst.pk])).content.decode()
    assert 'data-testid="decide-application"' in page
    client.post(reverse("institutions_console:decide", args=[inst.pk]), {"decision": "approve"})
    inst.refresh_from_db()
    assert inst.status == InstitutionStatus.APPROVED


def test_apply_and_review_through_the_api(cast):
    api = APIClient()
    api.force_authenticate(cast.broker)
    created = api.post(
        "/api/v1/institutions/", {**PROFILE, "fields": ["nev"], "host": cast.university.name}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    unknown = api.patch(f"/api/v1/institutions/{pk}/", {"status": "approved"}, format="json")
    assert unknown.status_code == 400
    assert api.post(f"/api/v1/institutions/{pk}/submit/", format="json").status_code == 200
    assert (
        api.post(f"/api/v1/institutions/{pk}/review/", {"decision": "approve"}, format="json").status_code
        == 403
    )
    api.force_authenticate(cast.reviewer)
    done = api.post(f"/api/v1/institutions/{pk}/review/", {"decision": "approve"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "approved"
    api.force_authenticate(None)
    listing = api.get("/api/v1/institutions/?service=ip")
    assert listing.status_code == 200 and [i["id"] for i in listing.json()["results"]] == [pk]
    assert api.get("/api/v1/institutions/?service=magic").status_code == 400
    assert api.get("/api/v1/institutions/?colour=red").status_code == 400


def test_an_unlisted_institution_is_hidden_from_the_public(client, cast):
    inst = _apply(cast)
    assert client.get(reverse("institutions:detail", args=[inst.pk])).status_code == 404
    client.force_login(cast.broker)
    assert client.get(reverse("institutions:detail", args=[inst.pk])).status_code == 200
