"""Credit events with evidence, the credit grade in versions, the blacklist (which keeps an institution
out of negotiation rooms) and the appeal that lifts it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.core.models import AuditEntry
from techbridge.core.workflow import TransitionError
from techbridge.deals import services as deals
from techbridge.deals.models import BrokerInvitation
from techbridge.institutions import queries, services
from techbridge.institutions.models import Blacklisting, CreditEvent, CreditGrade
from techbridge.testing.factories import AchievementFactory, publish


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _severe(cast, institution, **kw):
    return services.record_event(
        institution,
        actor=cast.reviewer,
        kind="false_registration",
        severity="severe",
        occurred_on=timezone.localdate() - dt.timedelta(days=3),
        description="以虚假材料申请技术合同登记，被登记机构拒绝。",
        reference="登记不予受理通知书〔2026〕12号",
        **kw,
    )


def _room(cast):
    achievement = AchievementFactory(owner=cast.university, created_by=cast.researcher)
    publish(achievement)
    return deals.open_room(actor=cast.buyer, achievement=achievement)


def test_a_severe_event_blacklists_and_the_broker_cannot_be_invited(cast, institution):
    services.recompute_credit_grade(institution)
    _severe(cast, institution)
    assert queries.is_blacklisted_org(cast.service.pk)
    grades = list(
        CreditGrade.objects.filter(institution=institution)
        .order_by("version")
        .values_list("grade", flat=True)
    )
    assert grades == ["A", "D"]
    room = _room(cast)
    with pytest.raises(ValidationError) as exc:
        deals.invite_broker(room, actor=cast.buyer, broker=cast.broker)
    assert cast.service.name in str(exc.value) and not BrokerInvitation.objects.exists()


def test_the_room_page_shows_the_refusal(client, cast, institution):
    _severe(cast, institution)
    room = _room(cast)
    client.force_login(cast.buyer)
    response = client.post(reverse("deals:invite", args=[room.pk]), {"broker": cast.broker.pk}, follow=True)
    html = response.content.decode()
    assert "黑名单" in html or "blacklist" in html
    assert not BrokerInvitation.objects.exists()


def test_an_upheld_appeal_lifts_the_blacklisting_and_annuls_the_event(cast, institution):
    event = _severe(cast, institution)
    listing = Blacklisting.objects.get()
    upload = SimpleUploadedFile("法院撤销判决.pdf", b"%PDF-1.4", content_type="application/pdf")
    appeal = services.file_appeal(
        listing, actor=cast.broker, grounds="登记材料真实，已提交原件核验。", evidence=upload
    )
    with pytest.raises(TransitionError):
        services.file_appeal(listing, actor=cast.broker, grounds="再次申诉")
    with pytest.raises(PermissionDenied):
        services.decide_appeal(appeal, actor=cast.broker, uphold=True, decision="自己决定")
    services.decide_appeal(
        appeal, actor=cast.reviewer, uphold=True, decision="经核验材料真实，撤销失信记录。"
    )
    listing.refresh_from_db()
    event.refresh_from_db()
    assert listing.status == "lifted" and event.status == "annulled"
    assert not queries.is_blacklisted_org(cast.service.pk)
    institution.refresh_from_db()
    assert institution.current_credit.grade == "A"
    assert CreditGrade.objects.filter(institution=institution).count() == 2  # D then A again: versions
    room = _room(cast)
    deals.invite_broker(room, actor=cast.buyer, broker=cast.broker)
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "institutions.appeal.upheld",
        "institutions.blacklisting.lifted",
        "institutions.credit_event.annulled",
    } <= codes


def test_a_dismissed_appeal_keeps_the_blacklisting(cast, institution):
    _severe(cast, institution)
    listing = Blacklisting.objects.get()
    appeal = services.file_appeal(listing, actor=cast.broker, grounds="理由")
    services.decide_appeal(appeal, actor=cast.reviewer, uphold=False, decision="证据不足")
    assert queries.is_blacklisted_org(cast.service.pk)


def test_events_need_evidence_and_staff(cast, institution):
    with pytest.raises(ValidationError):
        services.record_event(
            institution,
            actor=cast.reviewer,
            kind="complaint_upheld",
            severity="minor",
            occurred_on=timezone.localdate(),
            description="投诉成立",
        )
    with pytest.raises(PermissionDenied):
        services.record_event(
            institution,
            actor=cast.buyer,
            kind="complaint_upheld",
            severity="minor",
            occurred_on=timezone.localdate(),
            description="投诉成立",
            reference="投诉单 7",
        )
    with pytest.raises(ValidationError):
        services.record_event(
            institution,
            actor=cast.reviewer,
            kind="complaint_upheld",
            severity="minor",
            occurred_on=timezone.localdate() + dt.timedelta(days=1),
            description="投诉成立",
            reference="投诉单 7",
        )
    assert not CreditEvent.objects.exists()


def test_minor_and_major_events_grade_without_blacklisting(cast, institution):
    for _ in range(2):
        services.record_event(
            institution,
            actor=cast.reviewer,
            kind="complaint_upheld",
            severity="minor",
            occurred_on=timezone.localdate(),
            description="服务延误，投诉成立",
            reference="投诉单",
        )
    institution.refresh_from_db()
    assert institution.current_credit.grade == "B" and not queries.is_blacklisted_org(cast.service.pk)
    services.record_event(
        institution,
        actor=cast.reviewer,
        kind="breach",
        severity="major",
        occurred_on=timezone.localdate(),
        description="违约",
        reference="仲裁书",
    )
    institution.refresh_from_db()
    assert institution.current_credit.grade == "C"


def test_the_public_sees_the_event_kind_not_its_evidence(client, cast, institution):
    _severe(cast, institution)
    html = client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()
    assert 'data-testid="blacklist-notice"' in html and "以虚假材料" not in html
    client.force_login(cast.broker)
    assert "以虚假材料" in client.get(reverse("institutions:mine")).content.decode()


def test_blacklist_and_appeal_through_the_api(cast, institution):
    api = APIClient()
    api.force_authenticate(cast.reviewer)
    event = {
        "kind": "judgment",
        "severity": "severe",
        "occurred_on": timezone.localdate().isoformat(),
        "description": "法院判决认定存在欺诈",
        "reference": "(2026)苏01民初1号",
    }
    assert (
        api.post(f"/api/v1/institutions/{institution.pk}/credit-events/", event, format="json").status_code
        == 201
    )
    api.force_authenticate(cast.broker)
    detail = api.get(f"/api/v1/institutions/{institution.pk}/").json()
    assert detail["blacklisted"] and detail["credit_grade"] == "D"
    appeal = api.post(
        f"/api/v1/institutions/{institution.pk}/appeal/", {"grounds": "已上诉并改判"}, format="json"
    )
    assert appeal.status_code == 201
    assert (
        api.post(
            f"/api/v1/institution-appeals/{appeal.json()['id']}/decide/",
            {"verdict": "uphold", "decision": "x"},
            format="json",
        ).status_code
        == 403
    )
    api.force_authenticate(cast.reviewer)
    done = api.post(
        f"/api/v1/institution-appeals/{appeal.json()['id']}/decide/",
        {"verdict": "uphold", "decision": "二审改判，撤销失信记录"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "upheld"
    assert not queries.is_blacklisted_org(cast.service.pk)
