"""Query counts of the expert pool (talent's console page and API, the pool valuation panels draw
from) and of an expert's panel seats, with several rows each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.valuation import ASSUMPTIONS
from techbridge.valuation import services

pytestmark = pytest.mark.django_db


def test_expert_pool_lists(client, as_user, cast, experts, pinned_queries):
    client.force_login(cast.operator)
    with pinned_queries("console"):
        html = client.get(reverse("talent_console:experts")).content.decode()
    assert all(expert.user.real_name in html for expert in experts.values())

    operator = as_user(cast.operator)
    with pinned_queries("api"):
        body = operator.get("/api/v1/talent/experts/").json()
    assert len(body["results"]) == len(experts)


def test_an_experts_panel_seats(as_user, cast, experts, pinned_queries):
    for n in range(3):
        req = services.create_request(
            make_achievement(cast, chip=True, title=f"待评估成果{n}"), actor=cast.researcher, data=ASSUMPTIONS
        )
        services.assign_panel(req, actor=cast.operator, size=3)
    busiest = max(experts.values(), key=lambda e: e.assignments.count())
    titles = set(busiest.assignments.values_list("request__achievement__title", flat=True))
    assert len(titles) >= 2
    expert = as_user(busiest.user)

    with pinned_queries("seats"):
        body = expert.get("/api/v1/valuation/assignments/").json()

    assert {seat["achievement_title"] for seat in body["results"]} == titles
