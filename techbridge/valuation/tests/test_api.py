"""The valuation API: the same path and the same rules as the pages."""

from __future__ import annotations

import hashlib
from decimal import Decimal as D

import pytest

from techbridge.achievements.services import accept_nda
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.valuation import ASSUMPTIONS
from techbridge.valuation import services
from techbridge.valuation.models import Valuation

pytestmark = pytest.mark.django_db


def _json(data):
    return {k: (str(v) if isinstance(v, D) else v) for k, v in data.items()}


@pytest.fixture
def api_language():
    return "en"


def test_full_path_through_the_api(
    django_capture_on_commit_callbacks, api, cast, achievement, experts, three_comparables
):
    api.force_authenticate(cast.researcher)
    r = api.post(
        "/api/v1/valuation/requests/", {"achievement": achievement.pk, **_json(ASSUMPTIONS)}, format="json"
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["figures"]["cost"]["point"] == "693000.00"
    pk = body["id"]
    # Growth above the discount rate over a finite period still gives a value (only a perpetuity fails).
    r = api.patch(f"/api/v1/valuation/requests/{pk}/", {"growth_pct": "12"}, format="json")
    assert r.json()["figures"]["income"]["point"] == "104143.50"
    api.patch(f"/api/v1/valuation/requests/{pk}/", {"growth_pct": "5"}, format="json")
    # only operators draw panels
    assert (
        api.post(f"/api/v1/valuation/requests/{pk}/assign-panel/", {"size": 3}, format="json").status_code
        == 403
    )
    api.force_authenticate(cast.operator)
    r = api.post(f"/api/v1/valuation/requests/{pk}/assign-panel/", {"size": 3}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "panel"
    for e in ("e1", "e2", "e3"):
        api.force_authenticate(experts[e].user)
        seats = api.get("/api/v1/valuation/assignments/").json()["results"]
        assert len(seats) == 1
        r = api.post(
            f"/api/v1/valuation/assignments/{seats[0]['id']}/score/",
            {"score": 80, "comment": "可行", "value_low": "500000", "value_high": "800000"},
            format="json",
        )
        assert r.status_code == 200, r.json()
    api.force_authenticate(cast.operator)
    with django_capture_on_commit_callbacks() as queued:
        r = api.post(
            f"/api/v1/valuation/requests/{pk}/issue/",
            {"conclusion": "weighted", "reason": "采用加权值"},
            format="json",
        )
    assert r.status_code == 201, r.json()
    vid = r.json()["id"]
    assert r.json()["snapshot"]["final"]["point"] == "487447.20"
    api.force_authenticate(cast.researcher)
    # Issuing answers before the report is typeset (issue 22, point 6): the API says 202 and where to ask.
    r = api.get(f"/api/v1/valuation/valuations/{vid}/report/")
    assert r.status_code == 202 and r.json()["status"] == "queued"
    assert r.json()["status_url"].endswith(f"/api/v1/valuation/valuations/{vid}/report/")
    assert r.json()["detail"]
    for callback in queued:  # the background task runs
        callback()
    r = api.get(r.json()["status_url"])
    content = b"".join(r.streaming_content)
    assert r.status_code == 200 and content.startswith(b"%PDF")
    assert (
        api.get(f"/api/v1/valuation/valuations/{vid}/").json()["report_sha256"]
        == hashlib.sha256(content).hexdigest()
    )


def test_bad_input_is_a_400_with_a_message(api, cast, achievement):
    api.force_authenticate(cast.researcher)
    r = api.post(
        "/api/v1/valuation/requests/",
        {"achievement": achievement.pk, **_json(ASSUMPTIONS), "first_year_revenue": "-1"},
        format="json",
    )
    assert r.status_code == 400 and "negative" in r.json()["message"]
    r = api.post(
        "/api/v1/valuation/requests/",
        {"achievement": achievement.pk, "purpose": "x", "bogus": 1},
        format="json",
    )
    assert r.status_code == 400 and "bogus" in r.json()["errors"]


def test_strangers_cannot_request_or_read(api, cast, achievement):
    api.force_authenticate(cast.buyer)
    r = api.post(
        "/api/v1/valuation/requests/", {"achievement": achievement.pk, "purpose": "transfer"}, format="json"
    )
    assert r.status_code == 403 and r.json()["message"]
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    assert api.get(f"/api/v1/valuation/requests/{req.pk}/").status_code == 404
    assert api.get("/api/v1/valuation/requests/").json()["count"] == 0
    api.force_authenticate(None)
    assert api.get("/api/v1/valuation/requests/").status_code in (401, 403)


def test_valuation_figures_follow_the_nda(api, cast, achievement, experts, three_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    for m in req.panel.select_related("expert__user"):
        services.submit_score(m, actor=m.expert.user, score=60, comment="一般")
    v = services.issue_valuation(
        req, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
    )
    api.force_authenticate(cast.buyer)
    assert api.get(f"/api/v1/valuation/valuations/{v.pk}/").status_code == 403
    accept_nda(achievement, actor=cast.buyer)
    assert api.get(f"/api/v1/valuation/valuations/{v.pk}/").json()["version"] == 1
    assert Valuation.objects.count() == 1


def test_scorecard_api_reads_for_all_and_writes_for_owner(api, cast, achievement):
    r = api.get(f"/api/v1/valuation/scorecards/{achievement.pk}/")
    assert r.status_code == 200 and r.json()["grade"] == "" and r.json()["parts"]["trl"] == "75.00"
    api.force_authenticate(cast.buyer)
    assert (
        api.put(f"/api/v1/valuation/scorecards/{achievement.pk}/", {"claims": 3}, format="json").status_code
        == 403
    )
    api.force_authenticate(cast.researcher)
    r = api.put(
        f"/api/v1/valuation/scorecards/{achievement.pk}/",
        {
            "legal_status": "granted",
            "remaining_term_years": "5",
            "claims": 8,
            "family_size": 2,
            "market_size": "100000000",
        },
        format="json",
    )
    assert r.status_code == 200 and (r.json()["grade"], r.json()["score"]) == ("B", "70.56")


def test_screening_api_filters_by_grade_with_pinned_queries(api, cast, pinned_queries):
    a = make_achievement(cast, chip=True, title="甲成果")
    services.save_scorecard(
        a,
        actor=cast.researcher,
        data={
            "legal_status": "granted",
            "remaining_term_years": D(10),
            "claims": 10,
            "family_size": 5,
            "citations": 10,
            "market_size": D(10_000_000_000),
        },
    )
    for i in range(10):
        make_achievement(cast, chip=True, title=f"其他{i}")
    with pinned_queries("grade A"):
        r = api.get("/api/v1/valuation/screening/", {"grade": "A"})
    assert [row["title"] for row in r.json()["results"]] == ["甲成果"]
    with pinned_queries("not graded"):
        r = api.get("/api/v1/valuation/screening/", {"grade": "-"})
    assert sorted(row["title"] for row in r.json()["results"]) == sorted(f"其他{i}" for i in range(10))
    assert api.get("/api/v1/valuation/screening/", {"grade": "Z"}).status_code == 400
    assert api.get("/api/v1/valuation/screening/", {"min_trl": "12"}).status_code == 400


def test_weights_and_experts_api_are_for_operators(api, cast):
    weights = {code: "10" for code in services.F.INDICATORS}
    api.force_authenticate(cast.researcher)
    assert api.post("/api/v1/valuation/weights/", weights, format="json").status_code == 403
    assert api.get("/api/v1/talent/experts/").status_code == 403
    api.force_authenticate(cast.operator)
    r = api.post("/api/v1/valuation/weights/", {**weights, "note": "均等"}, format="json")
    assert r.status_code == 201 and r.json()["version"] == 1
    assert api.get("/api/v1/valuation/weights/").json()["version"] == 1
    r = api.post("/api/v1/talent/experts/", {"username": "broker", "fields": ["ic"]}, format="json")
    assert r.status_code == 201 and r.json()["fields"] == ["ic"]
    assert (
        api.post(
            "/api/v1/talent/experts/", {"username": "broker", "fields": ["ic"]}, format="json"
        ).status_code
        == 400
    )
    assert api.get("/api/v1/talent/experts/").json()["count"] == 1


def test_operator_replaces_an_expert_through_the_api(api, cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    api.force_authenticate(cast.operator)
    seats = api.get(f"/api/v1/valuation/requests/{req.pk}/").json()["panel"]
    r = api.post(
        f"/api/v1/valuation/requests/{req.pk}/replace-expert/",
        {"member": seats[0]["id"], "reason": "回避"},
        format="json",
    )
    assert r.status_code == 200 and "专家e_buyer" in [s["expert"] for s in r.json()["panel"]]
    api.force_authenticate(cast.researcher)
    seat = r.json()["panel"][0]["id"]
    assert (
        api.post(
            f"/api/v1/valuation/requests/{req.pk}/replace-expert/", {"member": seat}, format="json"
        ).status_code
        == 403
    )
