"""Hard demands are scored by a stated rule and routed to a technology manager by field, level and load."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.core.models import Notification
from techbridge.demands import services as demand_services
from techbridge.demands.models import Demand
from techbridge.talent import rules, services
from techbridge.talent.models import DemandAssessment, Routing
from techbridge.taxonomy.models import IndustryField
from techbridge.testing.factories import DemandFactory
from techbridge.testing.factories.talent import make_manager, member_of

from .conftest import HARD


def _publish(cast, **kw) -> Demand:
    """A demand of the cast's enterprise, through review, as users publish it."""
    demand: Demand = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, **kw)  # type: ignore[assignment]
    demand.fields.set(IndustryField.objects.filter(code="nev"))
    demand_services.submit_demand(demand, actor=cast.buyer)
    demand_services.approve_demand(demand, actor=cast.reviewer)
    demand.refresh_from_db()
    return demand


def test_the_rule_reads_the_demand_and_states_its_inputs():
    d = SimpleNamespace(pk=None, budget_negotiable=True, budget_min=None, budget_max=None, **HARD)
    score, lines = rules.assess(d)
    by_key = {line["key"]: line for line in lines}
    assert by_key["indicators"]["points"] == 4
    assert by_key["indicators"]["evidence"] == ["≥45%", "9μm", "≤3%", "≥500gf"]
    assert set(by_key["pilot"]["evidence"]) >= {"中试", "量产", "放大"}
    assert "专利壁垒" in by_key["ip_risk"]["evidence"] and by_key["certification"]["points"] == 1
    assert by_key["no_budget"]["points"] == 2
    assert score == 4 + 2 + 2 + 1 + 2 >= rules.THRESHOLD
    easy = SimpleNamespace(
        pk=None,
        title="x",
        problem="希望合作",
        indicators="",
        setting="",
        budget_negotiable=False,
        budget_min=1,
        budget_max=2,
    )
    assert rules.assess(easy)[0] == 0


def test_on_the_sample_demands_a_minority_is_hard():
    """The threshold keeps manual routing for demands that combine difficulties (data/demo, 60 demands)."""
    path = Path(settings.BASE_DIR) / "data" / "demo" / "sample_demands.jsonl"
    scores = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        d = SimpleNamespace(
            pk=None,
            title=r["title"],
            problem=r["problem"],
            setting=r.get("setting", ""),
            indicators=r.get("indicators", ""),
            budget_negotiable=r.get("budget_negotiable", False),
            budget_min=r.get("budget_min"),
            budget_max=r.get("budget_max"),
        )
        scores.append(rules.assess(d)[0])
    hard = sum(s >= rules.THRESHOLD for s in scores)
    assert len(scores) == 60 and 5 <= hard <= 20, hard


def test_a_published_hard_demand_is_routed_and_both_sides_are_told(cast, run_on_commit):
    junior = make_manager(member_of(cast.service, "junior_mgr", real_name="钱初级"), level="junior")
    senior = make_manager(cast.broker, level="senior")
    with run_on_commit(execute=True):
        demand = _publish(cast, budget_negotiable=True, **HARD)
    routing = Routing.objects.get(demand=demand)
    assert (
        routing.manager == senior and routing.reason["required_level"] == "senior"
    )  # score 11 → senior only
    assert junior.routings.count() == 0
    assert Notification.objects.filter(recipient=cast.broker, kind="talent_routing").exists()
    assert Notification.objects.filter(recipient=cast.buyer, kind="talent_routing").exists()
    assert DemandAssessment.objects.get(demand=demand).is_hard


def test_an_easy_demand_is_left_to_matching(cast, run_on_commit):
    make_manager(cast.broker)
    with run_on_commit(execute=True):
        demand = _publish(cast, budget_negotiable=False, budget_min=100000, budget_max=200000)
    assert not Routing.objects.filter(demand=demand).exists()
    assert not DemandAssessment.objects.get(demand=demand).is_hard


def test_decline_passes_the_demand_to_the_next_manager_and_load_counts(cast):
    first = make_manager(cast.broker)
    second = make_manager(member_of(cast.service, "second_mgr", real_name="孙高级"))
    demand = _publish(cast, budget_negotiable=True, **HARD)
    r1 = services.route_demand(demand)
    assert r1.manager == first
    with pytest.raises(PermissionDenied):
        services.answer_routing(r1, actor=second.user, accept=True)
    services.answer_routing(r1, actor=cast.broker, accept=False, note="领域不熟")
    r2 = Routing.objects.get(demand=demand, status="assigned")
    assert r2.manager == second
    services.answer_routing(r2, actor=second.user, accept=True, note="可以对接")
    assert Notification.objects.filter(
        recipient=cast.buyer, title__contains=second.user.display_name
    ).exists()
    assert services.route_demand(demand) == r2  # idempotent: the open routing is kept


def test_managers_of_a_blacklisted_institution_get_no_demands(cast, institution):
    import datetime as dt

    from techbridge.institutions import services as inst_services

    make_manager(cast.broker, institution=institution)
    inst_services.record_event(
        institution,
        actor=cast.reviewer,
        kind="judgment",
        severity="severe",
        occurred_on=dt.date(2026, 1, 5),
        description="判决认定欺诈",
        reference="(2026)苏01民初1号",
    )
    demand = _publish(cast, budget_negotiable=True, **HARD)
    assert services.route_demand(demand) is None
    from techbridge.talent.queries import hard_demands_without_manager

    assert demand in hard_demands_without_manager()


def test_the_panel_on_the_demand_page(client, cast):
    make_manager(cast.broker)
    demand = _publish(cast, budget_negotiable=True, **HARD)
    services.route_demand(demand)
    public = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert 'data-testid="rule-inputs"' in public and 'data-testid="hard"' in public
    assert 'data-testid="routing"' not in public  # who took it up: the enterprise, the manager, the console
    client.force_login(cast.buyer)
    own = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert 'data-testid="routing"' in own and cast.broker.display_name in own
    assert APIClient().get(f"/api/v1/talent/demands/{demand.pk}/assessment/").json()["hard"] is True


def test_the_daily_sweep_routes_what_was_missed_and_is_idempotent(cast):
    demand = _publish(cast, budget_negotiable=True, **HARD)
    assert services.route_pending_demands() == 0  # no manager yet
    make_manager(cast.broker)
    assert services.route_pending_demands() == 1
    assert services.route_pending_demands() == 0
    assert Routing.objects.filter(demand=demand).count() == 1


def test_the_manager_answers_from_the_portal_and_the_api(client, cast):
    make_manager(cast.broker)
    demand = _publish(cast, budget_negotiable=True, **HARD)
    routing = services.route_demand(demand)
    client.force_login(cast.broker)
    page = client.get(reverse("talent:manager_mine")).content.decode()
    assert demand.title in page and 'data-testid="accept-routing"' in page
    client.post(reverse("talent:routing_answer", args=[routing.pk, "accept"]))
    routing.refresh_from_db()
    assert routing.status == "accepted"
    api = APIClient()
    api.force_authenticate(cast.buyer)
    assert (
        api.post(
            f"/api/v1/talent/routings/{routing.pk}/close/", {"note": "已解决"}, format="json"
        ).status_code
        == 200
    )
    api.force_authenticate(cast.stranger)
    assert api.post(f"/api/v1/talent/routings/{routing.pk}/accept/", {}, format="json").status_code == 404
