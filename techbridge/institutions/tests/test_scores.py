"""The record of platform work and the quarterly score: read from the platform's own records, every
input kept, versions never overwritten."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.contracts import services as contracts
from techbridge.institutions import queries, scoring, services
from techbridge.institutions.models import QuarterlyScore, ScorecardWeights
from techbridge.institutions.records import Activity
from techbridge.institutions.scoring import Quarter


def _this_quarter() -> Quarter:
    return Quarter.of(timezone.localdate())


def test_a_brokered_registered_deal_is_in_the_record(cast, institution, brokered_deal):
    _room, contract = brokered_deal()
    record = queries.work_record(institution)
    assert record["rooms"] == 1 and record["brokered"] == 1 and record["intermediated"] == 1
    assert record["registered"] == 1 and record["turnover"] == contract.technology_amount
    assert record["clients"] == 2  # the university and the enterprise
    assert record["median_days"] is not None
    assert record["turnover_public"] is False  # fewer than three registered contracts


def test_a_service_contract_served_by_the_institution_counts_once(cast, institution):
    contract = contracts.create_draft_contract(
        actor=cast.broker,
        seller=cast.service,
        buyer=cast.enterprise,
        title="技术中介服务合同",
        amount="50000",
    )
    contracts.update_draft(
        contract, actor=cast.broker, data={"contract_type": "service", "sub_type": "intermediation"}
    )
    contracts.sign_contract(contract, actor=cast.broker)
    contracts.sign_contract(contract, actor=cast.buyer)
    record = queries.work_record(institution)
    assert record["intermediated"] == 1 and record["served"] == 0 and record["clients"] == 1


def test_quarterly_score_shows_every_input_and_is_versioned(cast, institution, brokered_deal):
    brokered_deal()
    quarter = _this_quarter()
    first = services.compute_quarter(quarter, actor=cast.operator)
    assert first == {"created": 1, "unchanged": 0}
    score = QuarterlyScore.objects.get(institution=institution)
    assert score.provisional and score.version == 1 and score.weights.version == 1
    perf = {line["key"]: line for line in score.inputs["performance"]}
    assert perf["rooms_brokered"]["value"] == 1 and perf["contracts"]["value"] == 1
    assert Decimal(perf["registered_amount"]["value"]) == Decimal("800000.00")
    assert Decimal(perf["rooms_brokered"]["points"]) == Decimal("2.00")  # 1 of a target of 10 → 2 of 20
    assert score.capability == 0 and score.inputs["capability"][0]["value"] is None  # no accepted report
    expected = sum(getattr(score, c) * w for c, w in score.weights.as_dict().items()) / 100
    assert score.total == Decimal(expected).quantize(Decimal("0.01"))
    institution.refresh_from_db()
    assert institution.current_score == score

    # Nothing changed: no new version.
    assert services.compute_quarter(quarter) == {"created": 0, "unchanged": 1}
    # A client rating changes the credit input: a new version, the old one stays as it was.
    _room, contract = brokered_deal()
    services.rate_service(contract, actor=cast.buyer, institution=institution, score=5)
    services.compute_quarter(quarter, actor=cast.operator)
    v1, v2 = QuarterlyScore.objects.filter(institution=institution).order_by("version")
    assert (v1.version, v2.version) == (1, 2) and v1.total == score.total and v2.total > v1.total
    institution.refresh_from_db()
    assert institution.current_score == v2


def test_capability_and_governance_come_from_the_accepted_self_report(cast, institution):
    year = timezone.localdate().year
    data = {
        "full_time_staff": 20,
        "staff_with_degree": 10,
        "certified_managers": 5,
        "service_revenue": Decimal("3000000"),
        "services_delivered": 40,
        "clients_served": 30,
        "has_articles": True,
        "has_financial_audit": True,
        "has_quality_system": False,
        "has_disclosure": True,
        "has_complaint_handling": True,
        "summary": "年度工作总结",
    }
    report = services.save_report(institution, actor=cast.broker, year=year, data=data)
    services.submit_report(report, actor=cast.broker)
    services.compute_quarter(_this_quarter())
    assert QuarterlyScore.objects.get().capability == 0  # submitted, not yet accepted
    services.accept_report(report, actor=cast.reviewer)
    services.compute_quarter(_this_quarter())
    score = QuarterlyScore.objects.order_by("-version").first()
    # staff 20/20 → 30, managers 5/5 → 30, degree 50% → 10, services 2/4 → 10
    assert score.capability == Decimal("80.00") and score.governance == Decimal("80.00")


def test_self_reports_refuse_inconsistent_figures(cast, institution):
    year = timezone.localdate().year
    with pytest.raises(ValidationError):
        services.save_report(
            institution, actor=cast.broker, year=year, data={"full_time_staff": 3, "certified_managers": 9}
        )
    with pytest.raises(ValidationError):
        services.save_report(institution, actor=cast.broker, year=year + 1, data={"full_time_staff": 3})
    with pytest.raises(PermissionDenied):
        services.save_report(institution, actor=cast.buyer, year=year, data={"full_time_staff": 3})


def test_weights_are_versioned_and_must_add_up_to_100(cast):
    with pytest.raises(ValidationError):
        services.set_weights(
            actor=cast.operator,
            weights={"basics": 10, "performance": 30, "capability": 30, "governance": 20, "credit": 20},
        )
    with pytest.raises(PermissionDenied):
        services.set_weights(actor=cast.reviewer, weights={})
    row = services.set_weights(
        actor=cast.operator,
        weights={"basics": 10, "performance": 40, "capability": 20, "governance": 20, "credit": 10},
        note="突出服务绩效",
    )
    assert row.version == 2 and ScorecardWeights.objects.count() == 2


def test_a_quarter_that_has_not_begun_cannot_be_scored(cast, institution):
    from techbridge.core.workflow import TransitionError

    later = Quarter.of(timezone.localdate() + dt.timedelta(days=100))
    with pytest.raises(TransitionError):
        services.compute_quarter(later, actor=cast.operator)
    with pytest.raises(PermissionDenied):
        services.compute_quarter(_this_quarter(), actor=cast.reviewer)


def test_the_rules_are_pure_and_stated():
    a = Activity(rooms={1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, deal_days=[30.0])
    points, lines = scoring.score_performance(a)
    by_key = {line["key"]: line for line in lines}
    assert by_key["rooms_brokered"]["points"] == "20.00"  # capped at the target
    assert by_key["median_days_to_deal"]["points"] == "10.00"
    assert points == Decimal("30")
    credit, _ = scoring.score_credit(
        events={"minor": 1}, ratings=2, rating_mean=Decimal("4"), blacklisted=False
    )
    assert credit == Decimal("90") * Decimal("0.6") + Decimal("80") * Decimal("0.4")
    assert scoring.score_credit(events={}, ratings=0, rating_mean=None, blacklisted=True)[0] == 0
    assert scoring.grade_of(Decimal("85")) == "A" and scoring.grade_of(Decimal("54.99")) == "D"
    assert Quarter(2026, 1).end == dt.date(2026, 3, 31) and Quarter(2026, 4).end == dt.date(2026, 12, 31)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)


def test_score_pages_show_inputs_to_the_institution_and_staff_only(client, cast, institution, brokered_deal):
    brokered_deal()
    services.compute_quarter(_this_quarter())
    score = QuarterlyScore.objects.get()
    url = reverse("institutions:score", args=[institution.pk, score.pk])
    public = client.get(url).content.decode()
    assert 'data-testid="score-total-head"' in public and 'data-testid="inputs-performance"' not in public
    client.force_login(cast.broker)
    own = client.get(url).content.decode()
    assert 'data-testid="inputs-performance"' in own and 'data-testid="inputs-credit"' in own
    api = APIClient()
    assert "breakdown" not in api.get(f"/api/v1/institutions/{institution.pk}/scores/").json()[0]
    api.force_authenticate(cast.official)
    rows = api.get(f"/api/v1/institutions/{institution.pk}/scores/").json()
    assert rows[0]["breakdown"][1]["key"] == "performance" and rows[0]["breakdown"][1]["lines"]


def test_compute_through_the_console_and_the_api(client, cast, institution):
    q = _this_quarter()
    client.force_login(cast.operator)
    response = client.post(reverse("institutions_console:scores"), {"year": q.year, "quarter": q.quarter})
    assert response.status_code == 302 and QuarterlyScore.objects.count() == 1
    page = client.get(reverse("institutions_console:scores") + f"?year={q.year}&quarter={q.quarter}")
    assert cast.service.name in page.content.decode()
    api = APIClient()
    api.force_authenticate(cast.operator)
    again = api.post(
        "/api/v1/institution-scores/compute/", {"year": q.year, "quarter": q.quarter}, format="json"
    )
    assert again.status_code == 200 and again.json()["unchanged"] == 1
    api.force_authenticate(cast.reviewer)
    assert (
        api.post(
            "/api/v1/institution-scores/compute/", {"year": q.year, "quarter": 1}, format="json"
        ).status_code
        == 403
    )
