"""Reviewing demands in the console, and the whole path from draft to search result."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.core.workflow import ReviewStatus
from techbridge.demands import services
from techbridge.demands.models import Demand
from techbridge.testing.factories.core import set_status
from techbridge.testing.factories.demands import make_demand

pytestmark = pytest.mark.django_db

QUEUE = "/console/demands/"


@pytest.fixture
def submitted(cast):
    return set_status(make_demand(cast, published=False, title="待审核的污泥需求"), ReviewStatus.SUBMITTED)


@pytest.mark.parametrize("who", ["official", "buyer", "researcher", "outsider"])
def test_console_is_forbidden_to_everyone_but_reviewers(client, cast, submitted, who):
    client.force_login(getattr(cast, who))
    review = reverse("demands_console:review", args=[submitted.pk])

    assert client.get(QUEUE).status_code == 403
    assert client.post(review, {"decision": "approve"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_anonymous_visitors_are_sent_to_sign_in(client, submitted):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_queue_lists_submitted_demands(client, cast, submitted, pinned_queries):
    others = [make_demand(cast, published=False, title=f"待审核的需求{n}") for n in range(3)]
    for demand in others:
        set_status(demand, ReviewStatus.SUBMITTED)
    client.force_login(cast.reviewer)

    with pinned_queries("queue"):
        response = client.get(QUEUE)

    assert {d.pk for d in response.context["page"].object_list} == {submitted.pk, *(d.pk for d in others)}
    assert "示范企业有限公司" in response.content.decode() and "待审核的需求2" in response.content.decode()


def test_review_page_shows_the_history(client, cast):
    demand = make_demand(cast, published=False, title="刚提交的污泥需求")
    services.submit_demand(demand, actor=cast.buyer)
    client.force_login(cast.reviewer)

    html = client.get(reverse("demands_console:review", args=[demand.pk])).content.decode()

    assert demand.problem in html
    history = html.split('class="history"')[1]
    assert cast.buyer.display_name in history  # who submitted it
    assert f"{ReviewStatus.DRAFT.label} → {ReviewStatus.SUBMITTED.label}" in history


def test_rejecting_without_a_reason_is_refused(client, cast, submitted):
    client.force_login(cast.reviewer)

    response = client.post(reverse("demands_console:review", args=[submitted.pk]), {"decision": "reject"})

    submitted.refresh_from_db()
    assert response.status_code == 200
    assert submitted.status == ReviewStatus.SUBMITTED
    assert "reason" in response.context["form"].errors


def test_buyer_publishes_and_an_anonymous_visitor_finds_it(client, cast, run_on_commit):
    client.force_login(cast.buyer)
    with run_on_commit(execute=True):
        client.post(
            "/demands/new/",
            {
                "title": "锅炉烟气脱硝技术需求",
                "problem": "现有脱硝效率不足，氮氧化物排放超标。",
                "budget_negotiable": "on",
                "and_submit": "1",
            },
        )
    d = Demand.objects.get()
    assert d.status == ReviewStatus.SUBMITTED

    client.force_login(cast.reviewer)
    with run_on_commit(execute=True):
        client.post(
            reverse("demands_console:review", args=[d.pk]), {"decision": "reject", "reason": "请补充指标"}
        )
    d.refresh_from_db()
    assert d.status == ReviewStatus.REJECTED

    client.force_login(cast.buyer)
    client.post(reverse("demands:submit", args=[d.pk]))
    client.force_login(cast.reviewer)
    with run_on_commit(execute=True):
        client.post(reverse("demands_console:review", args=[d.pk]), {"decision": "approve"})

    client.logout()
    found = client.get(reverse("demands:list"), {"q": "烟气脱硝"})
    assert [x.pk for x in found.context["page"].object_list] == [d.pk]
    assert "<mark>脱硝</mark>" in found.content.decode()
