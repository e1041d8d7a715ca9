"""IP-protection assistance (维权援助): a request runs from draft to outcome through states with
deadlines, evidence files behind a permission check, routing, overdue reminders, statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.ipservices.models import AssistanceRequest, EvidenceFile
from techbridge.ipservices.services import assistance as services
from techbridge.testing.factories.ipservices import PatentFactory

pytestmark = pytest.mark.django_db

DRAFT = {
    "kind": "infringement",
    "title": "发现竞争对手仿制我司配电终端",
    "description": "2026年展会上发现某公司展出的配电终端与我司专利权利要求1全部技术特征相同。",
    "patent_number": "ZL 2020 1000 0001 1",
    "counterparty": "某电气设备有限公司",
}


def test_a_request_runs_from_draft_to_its_outcome(client, cast, provider, smart_grid):
    patent = PatentFactory(application_number="CN202010000001.1")
    client.force_login(cast.buyer)
    response = client.post(reverse("ipservices:assistance_new"), {**DRAFT, "industry": smart_grid.pk})
    req = AssistanceRequest.objects.get()
    assert response["Location"] == reverse("ipservices:assistance", args=[req.pk])
    assert (
        req.status == "draft" and req.patent == patent and req.industry == smart_grid
    )  # number read in any spelling

    upload = SimpleUploadedFile("展会照片.jpg", b"\xff\xd8\xff" + b"0" * 100)
    client.post(
        reverse("ipservices:evidence_upload", args=[req.pk]), {"file": upload, "description": "展台照片"}
    )
    evidence = EvidenceFile.objects.get()
    assert evidence.name == "展会照片.jpg" and len(evidence.sha256) == 64

    client.post(reverse("ipservices:assistance_act", args=[req.pk, "submit"]), {"provider": provider.pk})
    req.refresh_from_db()
    assert req.status == "submitted" and req.provider == provider
    assert req.due_date == timezone.localdate() + dt.timedelta(days=services.ACCEPT_DAYS)
    assert cast.broker.notifications.filter(kind="ipservices_assistance").exists()

    client.force_login(cast.broker)  # a member of the provider
    page = client.get(reverse("ipservices:assistance", args=[req.pk])).content.decode()
    assert DRAFT["description"] in page and "展会照片.jpg" in page
    client.post(reverse("ipservices:assistance_act", args=[req.pk, "accept"]))
    req.refresh_from_db()
    assert req.status == "accepted" and req.due_date == timezone.localdate() + dt.timedelta(
        days=services.HANDLE_DAYS
    )
    client.post(
        reverse("ipservices:assistance_act", args=[req.pk, "close"]),
        {"outcome": "settled", "note": "经调解，对方停止展出并赔偿。"},
    )
    req.refresh_from_db()
    assert req.status == "closed" and req.outcome == "settled" and req.due_date is None and req.closed_at
    actions = list(
        AuditEntry.objects.filter(
            object_id=str(req.pk), action__startswith="ipservices.assistance"
        ).values_list("action", flat=True)
    )
    for step in ("created", "evidence_added", "submitted", "accepted", "closed"):
        assert f"ipservices.assistance.{step}" in actions

    client.force_login(cast.buyer)
    assert "经调解" in client.get(reverse("ipservices:assistance", args=[req.pk])).content.decode()


def test_evidence_is_served_only_through_the_checked_view(client, cast, provider):
    req = services.create_request(actor=cast.buyer, values=DRAFT)
    evidence = services.add_evidence(
        req, actor=cast.buyer, upload=SimpleUploadedFile("证据.pdf", b"%PDF-1.4 test")
    )
    url = reverse("ipservices:evidence_file", args=[req.pk, evidence.pk])
    client.force_login(cast.buyer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Cache-Control"] == "private, no-store"
    # A draft is the applicant's alone; staff and the provider see it once submitted.
    for who in ("broker", "reviewer", "stranger", "researcher", "official"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 404, who
    services.submit_request(req, actor=cast.buyer, provider=provider)
    for who, code in (
        ("broker", 200),
        ("reviewer", 200),
        ("operator", 200),
        ("stranger", 404),
        ("official", 404),
    ):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == code, who
    client.logout()
    assert client.get(url).status_code == 302
    assert str(evidence.file.name).startswith("ipservices/assistance/")


def test_evidence_files_are_bounded(cast):
    from django.core.exceptions import ValidationError

    req = services.create_request(actor=cast.buyer, values=DRAFT)
    with pytest.raises(ValidationError, match="not accepted"):
        services.add_evidence(req, actor=cast.buyer, upload=SimpleUploadedFile("病毒.exe", b"MZ"))
    with pytest.raises(ValidationError, match="empty"):
        services.add_evidence(req, actor=cast.buyer, upload=SimpleUploadedFile("空.pdf", b""))


def test_moves_are_refused_to_the_wrong_side(cast, provider):
    from django.core.exceptions import PermissionDenied, ValidationError

    req = services.create_request(actor=cast.buyer, values=DRAFT)
    with pytest.raises(ValidationError):
        services.submit_request(req, actor=cast.buyer, provider=None)
    with pytest.raises(PermissionDenied):
        services.submit_request(req, actor=cast.stranger, provider=provider)
    services.submit_request(req, actor=cast.buyer, provider=provider)
    with pytest.raises(PermissionDenied):
        services.accept_request(req, actor=cast.buyer)
    with pytest.raises(PermissionDenied):
        services.accept_request(req, actor=cast.reviewer)
    with pytest.raises(ValidationError):
        services.decline_request(req, actor=cast.broker, reason="")
    services.decline_request(req, actor=cast.broker, reason="不属于本机构受理范围")
    req.refresh_from_db()
    assert req.status == "declined" and req.decline_reason


def test_staff_reroute_a_submitted_request_to_the_centre(client, cast, provider, centre):
    req = services.create_request(actor=cast.buyer, values=DRAFT)
    services.submit_request(req, actor=cast.buyer, provider=provider)
    client.force_login(cast.reviewer)
    client.post(reverse("ipservices:assistance_act", args=[req.pk, "reroute"]), {"provider": centre.pk})
    req.refresh_from_db()
    assert req.provider == centre and req.status == "submitted"
    assert AuditEntry.objects.filter(action="ipservices.assistance.rerouted").exists()
    # The institution no longer sees it.
    client.force_login(cast.broker)
    assert client.get(reverse("ipservices:assistance", args=[req.pk])).status_code == 404


def test_overdue_steps_are_reminded_once(cast, provider):
    req = services.create_request(actor=cast.buyer, values=DRAFT)
    services.submit_request(req, actor=cast.buyer, provider=provider)
    AssistanceRequest.objects.filter(pk=req.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    req.refresh_from_db()
    assert req.is_overdue
    assert services.remind_overdue() == 1
    services.remind_overdue()
    assert cast.broker.notifications.filter(title__contains="overdue").count() == 1
    assert cast.buyer.notifications.filter(title__contains="past its deadline").count() == 1


def test_statistics_by_industry_for_console_users(client, cast, provider, smart_grid):
    for kind in ("infringement", "accused", "ownership"):
        req = services.create_request(
            actor=cast.buyer, values={**DRAFT, "kind": kind, "industry": smart_grid}
        )
        services.submit_request(req, actor=cast.buyer, provider=provider)
    services.create_request(actor=cast.buyer, values=DRAFT)  # a draft is not counted
    client.force_login(cast.official)
    page = client.get(reverse("ipservices_console:assistance_stats")).content.decode()
    assert 'data-testid="stats-total">3<' in page and "智能电网" in page
    assert DRAFT["title"] not in page  # aggregates only
    for odd in ("99999999999999999999999", "²", "-1"):  # an odd year is ignored, never a server error
        assert client.get(reverse("ipservices_console:assistance_stats"), {"year": odd}).status_code == 200
    client.force_login(cast.buyer)
    assert client.get(reverse("ipservices_console:assistance_stats")).status_code == 403


def test_api_runs_a_request_to_its_outcome(cast, provider):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.buyer)
    created = api.post(reverse("api:ip-assistance-list"), {k: v for k, v in DRAFT.items()}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    upload = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 x")
    assert (
        api.post(
            reverse("api:ip-assistance-evidence", args=[pk]), {"file": upload}, format="multipart"
        ).status_code
        == 201
    )
    assert (
        api.post(
            reverse("api:ip-assistance-submit", args=[pk]), {"provider": provider.pk}, format="json"
        ).json()["status"]
        == "submitted"
    )
    api.force_authenticate(cast.broker)
    assert api.post(reverse("api:ip-assistance-accept", args=[pk])).json()["status"] == "accepted"
    closed = api.post(
        reverse("api:ip-assistance-close", args=[pk]),
        {"outcome": "advice", "note": "已出具维权意见书。"},
        format="json",
    )
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "advice"
    api.force_authenticate(cast.stranger)
    assert api.get(reverse("api:ip-assistance-detail", args=[pk])).status_code == 404
    api.force_authenticate(cast.official)
    stats = api.get(reverse("api:ip-assistance-stats")).json()
    assert stats["total"] == 1 and stats["by_outcome"][0]["code"] == "advice"
