"""The challenges API: the public list and its filters, the workflow through the endpoints, sealed
applications, translated 400s for bad input, and pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from techbridge.challenges.choices import ChallengeStatus
from techbridge.challenges.models import Application, Challenge
from techbridge.contracts.models import Contract
from techbridge.testing.factories.challenges import close_applications, make_application, make_challenge

pytestmark = pytest.mark.django_db

URL = "/api/v1/challenges/"


def _body(**extra):
    body = {
        "title": "锂电池极片缺陷在线检测",
        "problem": "极片表面缺陷漏检。",
        "indicators": ["漏检率 ≤ 0.1%"],
        "budget": "300000.00",
        "deadline": (timezone.now() + dt.timedelta(days=20)).isoformat(),
        "field": "ic",
        "district": "jiangning",
    }
    body.update(extra)
    return body


PLAN = {
    "summary": "深度学习检测",
    "approach": "采集、标注、训练、部署。",
    "team": [{"name": "李研究", "role": "负责人"}],
    "schedule": [{"title": "算法验证", "due": "2027-05-31"}],
    "price": "280000.00",
}


def test_the_public_list_shows_only_published_challenges_and_filters(api, cast):
    make_challenge(cast, title="开放榜单")
    make_challenge(cast, title="草稿榜单", status=ChallengeStatus.DRAFT)
    make_challenge(cast, title="已揭榜单", status=ChallengeStatus.AWARDED, district="gulou")
    titles = {c["title"] for c in api.get(URL).json()["results"]}
    assert titles == {"开放榜单", "已揭榜单"}
    only = api.get(URL, {"status": "awarded"}).json()["results"]
    assert [c["title"] for c in only] == ["已揭榜单"] and only[0]["status_label"] == "已揭榜"
    assert [c["title"] for c in api.get(URL, {"district": "gulou"}).json()["results"]] == ["已揭榜单"]
    bad = api.get(URL, {"status": "draft"})
    assert bad.status_code == 400
    assert api.get(URL, {"colour": "red"}).status_code == 400


def test_a_challenge_runs_through_the_api_to_its_contract(as_user, cast, expert):
    buyer = as_user(cast.buyer)
    created = buyer.post(URL, _body(), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["budget"] == "300000.00"
    assert buyer.post(f"{URL}{pk}/submit/").json()["status_label"] == "待审核"
    assert as_user(cast.reviewer).post(f"{URL}{pk}/approve/").json()["status"] == "published"

    researcher = as_user(cast.researcher)
    applied = researcher.post(f"{URL}{pk}/applications/", PLAN, format="json")
    assert applied.status_code == 201, applied.json()
    again = as_user(cast.univ_admin).post(f"{URL}{pk}/applications/", PLAN, format="json")
    assert again.status_code == 400 and again.json()["message"] == "贵单位已揭过此榜。"
    assert buyer.get(f"{URL}{pk}/applications/").json() == []  # sealed
    assert buyer.get(f"{URL}{pk}/").json()["applications_sealed"] is True

    closed = buyer.post(f"{URL}{pk}/close/")
    assert closed.json()["status"] == "closed"
    assert [a["organization_name"] for a in buyer.get(f"{URL}{pk}/applications/").json()] == ["示范大学"]

    operator = as_user(cast.operator)
    panel = operator.post(f"{URL}{pk}/panel/", {"experts": [expert.pk]}, format="json")
    assert panel.json()["status"] == "reviewing"
    app_pk = applied.json()["id"]
    scored = as_user(expert.user).post(
        f"{URL}applications/{app_pk}/score/", {"values": [88], "comment": "可行"}, format="json"
    )
    assert scored.status_code == 200 and scored.json()["mean_score"] is None  # the mean is in the ranking
    ranking = buyer.get(f"{URL}{pk}/applications/").json()
    assert ranking[0]["mean_score"] == "88.00"

    awarded = buyer.post(f"{URL}{pk}/award/", {"application": app_pk}, format="json")
    assert awarded.status_code == 200 and awarded.json()["status"] == "awarded"
    contract = Contract.objects.get(pk=awarded.json()["contract"])
    assert contract.seller == cast.university and str(contract.total_amount) == "280000.00"

    milestones = buyer.get(f"{URL}{pk}/milestones/").json()
    assert [m["title"] for m in milestones] == ["算法验证"]
    done = buyer.post(
        f"{URL}milestones/{milestones[0]['id']}/decide/",
        {"accepted": True, "note": "验收通过"},
        format="json",
    )
    assert done.json()["status_label"] == "验收通过"
    assert Challenge.objects.get(pk=pk).status == ChallengeStatus.COMPLETED


def test_bad_input_is_a_translated_400(as_user, cast, challenge):
    buyer = as_user(cast.buyer)
    past = buyer.post(URL, _body(deadline=(timezone.now() - dt.timedelta(days=1)).isoformat()), format="json")
    assert past.status_code == 400 and "揭榜截止时间必须晚于当前时间" in str(past.json())
    huge = buyer.post(URL, _body(budget="99999999999999.00"), format="json")
    assert huge.status_code == 400
    typo = buyer.post(URL, _body(colour="red"), format="json")
    assert typo.status_code == 400 and "colour" in typo.json()["errors"]
    too_many = buyer.post(URL, _body(indicators=[f"指标{i}" for i in range(11)]), format="json")
    assert too_many.status_code == 400
    own = buyer.post(f"{URL}{challenge.pk}/applications/", PLAN, format="json")
    assert own.status_code == 403 and own.json()["message"] == "发榜单位本身不能揭自己的榜。"
    team = as_user(cast.researcher).post(
        f"{URL}{challenge.pk}/applications/", {**PLAN, "team": [{"name": "x" * 51}]}, format="json"
    )
    assert team.status_code == 400
    assert not Application.objects.exists()


def test_the_panel_refusal_names_the_conflict(as_user, cast, challenge):
    from techbridge.testing.factories.talent import ExpertFactory

    make_application(challenge, cast.university, cast.researcher)
    close_applications(challenge)
    conflicted = ExpertFactory(user__organization=cast.university, user__real_name="高校专家", fields=("ic",))
    r = as_user(cast.operator).post(
        f"{URL}{challenge.pk}/panel/", {"experts": [conflicted.pk]}, format="json"
    )
    assert r.status_code == 400
    assert "高校专家 是揭榜单位 示范大学 的人员" in str(r.json())
    missing = as_user(cast.operator).post(f"{URL}{challenge.pk}/panel/", {"experts": [999999]}, format="json")
    assert missing.status_code == 400 and "不是专家库中的专家：999999" in str(missing.json())


def test_an_applicant_sees_only_its_own_application_before_the_deadline(as_user, cast, challenge):
    mine = make_application(challenge, cast.university, cast.researcher)
    make_application(challenge, cast.other_university, cast.stranger)
    seen = as_user(cast.researcher).get(f"{URL}{challenge.pk}/applications/").json()
    assert [a["id"] for a in seen] == [mine.pk]
    assert as_user(cast.operator).get(f"{URL}{challenge.pk}/applications/").json() == []
    assert as_user(cast.stranger).get(f"{URL}applications/{mine.pk}/").status_code == 404


def test_list_endpoint_and_page_pin_their_queries(client, api, cast, pinned_queries):
    for n in range(25):
        make_challenge(cast, title=f"榜单{n}")
    with pinned_queries("api"):
        assert api.get(URL).json()["count"] == 25
    with pinned_queries("page"):
        assert len(client.get("/challenges/").context["page"]) == 20
    client.force_login(cast.reviewer)
    with pinned_queries("console"):
        assert len(client.get("/console/challenges/").context["page"]) == 25


def test_the_ranking_endpoint_pins_its_queries(as_user, cast, challenge, expert, pinned_queries):
    from techbridge.testing.factories.challenges import seat
    from techbridge.testing.factories.organizations import OrganizationFactory

    for n in range(6):
        make_application(challenge, OrganizationFactory(name=f"揭榜单位{n}"))
    close_applications(challenge, ChallengeStatus.REVIEWING)
    seat(challenge, expert)
    for app in challenge.applications.all():
        from techbridge.challenges import services

        services.score(app, actor=expert.user, values=[80, 70])
    buyer = as_user(cast.buyer)
    with pinned_queries("ranking"):
        assert len(buyer.get(f"{URL}{challenge.pk}/applications/").json()) == 6


def test_the_applicant_attaches_its_plan_through_the_api(as_user, cast, challenge, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = make_application(challenge, cast.university, cast.researcher)
    url = f"{URL}applications/{app.pk}/plan/"
    client = as_user(cast.researcher)
    bad = client.post(url, {"plan": SimpleUploadedFile("p.pdf", b"GIF89a")}, format="multipart")
    assert bad.status_code == 400 and "该文件不是 PDF" in str(bad.json())
    ok = client.post(url, {"plan": SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF")}, format="multipart")
    assert ok.status_code == 200 and ok.json()["plan_url"] == f"/challenges/applications/{app.pk}/plan/"
    assert as_user(cast.stranger).post(url, {}, format="multipart").status_code == 404
    close_applications(challenge)
    late = client.post(url, {"plan": SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF")}, format="multipart")
    assert late.status_code == 400 and "截止时间前" in str(late.json())


def _multipart(plan_bytes, **extra):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {**PLAN, "team": json.dumps(PLAN["team"]), "schedule": json.dumps(PLAN["schedule"]), **extra}
    if plan_bytes is not None:
        body["plan"] = SimpleUploadedFile("方案.pdf", plan_bytes)
    return body


def test_one_multipart_call_applies_with_the_plan(as_user, cast, challenge, media_root):
    client = as_user(cast.researcher)
    r = client.post(f"{URL}{challenge.pk}/applications/", _multipart(b"%PDF-1.4\n%%EOF"), format="multipart")
    assert r.status_code == 201, r.json()
    app = Application.objects.get()
    assert r.json()["plan_url"] == f"/challenges/applications/{app.pk}/plan/"
    assert (
        app.team == PLAN["team"] and app.schedule == PLAN["schedule"] and app.plan.read().startswith(b"%PDF")
    )
    # without a plan the multipart call is a plain application
    app.delete()
    r = as_user(cast.researcher).post(
        f"{URL}{challenge.pk}/applications/", _multipart(None), format="multipart"
    )
    assert r.status_code == 201 and r.json()["plan_url"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a", "该文件不是 PDF"),
        (b"%PDF-1.4\n1 0 obj << /JavaScript (app.alert(1)) >> endobj", "含有脚本或嵌入文件"),
    ],
    ids=["not-a-pdf", "scripted"],
)
def test_a_refused_plan_leaves_no_application_behind(as_user, cast, challenge, media_root, content, message):
    r = as_user(cast.researcher).post(
        f"{URL}{challenge.pk}/applications/", _multipart(content), format="multipart"
    )
    assert r.status_code == 400 and message in r.json()["message"]
    assert not Application.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_multipart_application_parts_are_checked(as_user, cast, challenge, media_root):
    client = as_user(cast.researcher)
    url = f"{URL}{challenge.pk}/applications/"
    bad_json = client.post(url, _multipart(b"%PDF-1.4\n%%EOF", team="[{"), format="multipart")
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["message"]
    unknown = client.post(url, _multipart(None, status="awarded"), format="multipart")
    assert unknown.status_code == 400 and unknown.json()["field"] == "status"
    assert not Application.objects.exists()


def test_the_schema_documents_json_and_multipart_applications():
    import json
    from pathlib import Path

    schema = json.loads((Path(__file__).parents[3] / "docs" / "openapi.json").read_text("utf-8"))
    content = schema["paths"]["/api/v1/challenges/{id}/applications/"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    upload = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][upload]["properties"]["plan"]["format"] == "binary"
