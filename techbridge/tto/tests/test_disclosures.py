"""Disclosure, assessment and decision: shares sum to 100 %, only the office and inventors see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.core.workflow import TransitionError
from techbridge.tto import services
from techbridge.tto.models import Disclosure


def test_shares_must_sum_to_100(cast):
    with pytest.raises(ValidationError) as exc:
        services.create_disclosure(
            actor=cast.researcher,
            data={"title": "T", "summary": "S"},
            inventors=[{"name": "甲", "share": "60"}, {"name": "乙", "share": "30"}],
        )
    assert "90.00" in " ".join(exc.value.messages)
    assert not Disclosure.objects.exists()


def test_page_refuses_shares_not_summing_to_100_in_chinese(cast, client):
    client.force_login(cast.researcher)
    response = client.post(
        reverse("tto:create"),
        {"title": "一种方法", "summary": "摘要", "inventors_text": "李研究, 50\n周同事, 20"},
    )
    assert response.status_code == 200
    assert "份额之和必须为 100 %" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_researcher_discloses_through_the_page(cast, client, media_root):
    client.force_login(cast.researcher)
    response = client.post(
        reverse("tto:create"),
        {
            "title": "一种方法",
            "summary": "摘要",
            "inventors_text": "李研究, 70, researcher\n周同事, 30",
            "funding_text": "国家自然科学基金, 52070001, 须报告",
        },
    )
    case = Disclosure.objects.get()
    assert response.status_code == 302
    assert [(i.name, str(i.share), i.user) for i in case.inventors.all()] == [
        ("李研究", "70.00", cast.researcher),
        ("周同事", "30.00", None),
    ]
    assert case.funding.get().obligations == "须报告"
    client.post(reverse("tto:submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "submitted"


def test_only_office_and_inventors_see_the_case(cast, client, disclosed):
    url = reverse("tto:case", args=[disclosed.pk])
    for user, status in (
        (cast.researcher, 200),
        (cast.univ_admin, 200),
        (cast.reviewer, 404),
        (cast.operator, 404),
        (cast.stranger, 404),
        (cast.buyer, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(cast.univ_admin)
    assert "配方：……（保密）" in client.get(url).content.decode()


def test_decision_needs_assessment_and_reasons(cast, disclosed):
    with pytest.raises(PermissionDenied):
        services.decide_disclosure(disclosed, actor=cast.researcher, decision="protect", reasons="x")
    with pytest.raises(TransitionError):
        services.decide_disclosure(disclosed, actor=cast.univ_admin, decision="protect", reasons="x")
    services.assess_disclosure(
        disclosed,
        actor=cast.univ_admin,
        scores={"score_novelty": 4, "score_market": 3, "score_maturity": 2, "score_protectability": 5},
    )
    assert disclosed.score == 14
    with pytest.raises(ValidationError):
        services.decide_disclosure(disclosed, actor=cast.univ_admin, decision="protect", reasons=" ")
    with pytest.raises(ValidationError):
        services.assess_disclosure(disclosed, actor=cast.univ_admin, scores={"score_novelty": 9})


@pytest.mark.parametrize(
    "decision,code",
    [
        ("protect", "tto.disclosure.protection_decided"),
        ("publish", "tto.disclosure.publication_decided"),
        ("release", "tto.disclosure.released"),
        ("empower", "tto.disclosure.rights_granted"),
    ],
)
def test_each_decision_is_recorded_with_reasons(cast, disclosed, decision, code):
    services.assess_disclosure(
        disclosed,
        actor=cast.univ_admin,
        scores={"score_novelty": 1, "score_market": 1, "score_maturity": 1, "score_protectability": 1},
    )
    services.decide_disclosure(disclosed, actor=cast.univ_admin, decision=decision, reasons="理由")
    disclosed.refresh_from_db()
    assert disclosed.status == decision
    assert disclosed.decision_reasons == "理由" and disclosed.decided_by == cast.univ_admin
    entry = AuditEntry.objects.get(action=code)
    assert entry.message == "理由" and entry.to_state == decision


def test_office_assesses_with_experts_from_the_pool(cast, disclosed, client):
    from techbridge.testing.factories.talent import ExpertFactory

    expert = ExpertFactory()
    client.force_login(cast.univ_admin)
    client.post(
        reverse("tto:assess", args=[disclosed.pk]),
        {
            "score_novelty": 4,
            "score_market": 4,
            "score_maturity": 3,
            "score_protectability": 5,
            "experts": [expert.pk],
            "note": "专家意见一致",
        },
    )
    disclosed.refresh_from_db()
    assert disclosed.score == 16
    assert list(disclosed.experts.all()) == [expert]


def test_files_are_behind_the_permission_check(cast, client, disclosed, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.researcher)
    client.post(
        reverse("tto:add_file", args=[disclosed.pk]), {"file": SimpleUploadedFile("图纸.txt", b"drawing")}
    )
    item = disclosed.files.get()
    url = reverse("tto:file", args=[disclosed.pk, item.pk])
    assert b"".join(client.get(url).streaming_content) == b"drawing"
    client.force_login(cast.stranger)
    assert client.get(url).status_code == 404


def test_publish_as_listing_through_the_achievements_services(cast, granted):
    case = granted.disclosure
    achievement = services.publish_listing(case, actor=cast.univ_admin)
    assert achievement.status == "submitted"
    assert achievement.summary == case.summary and achievement.detail == case.detail
    assert achievement.legal_status == "granted" and achievement.kind == "invention_patent"
    assert achievement.patent_numbers.startswith("CN202110123456")
    case.refresh_from_db()
    assert case.achievement == achievement
    with pytest.raises(TransitionError):
        services.publish_listing(case, actor=cast.univ_admin)
