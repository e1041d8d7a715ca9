"""Reviewing demands in the console, and the whole path from draft to search result."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand

from .conftest import make_demand

pytestmark = pytest.mark.django_db

QUEUE = "/console/demands/"


@pytest.fixture
def submitted(cast):
    d = make_demand(cast, published=False, title="待审核的污泥需求")
    Demand.objects.filter(pk=d.pk).update(status=ReviewStatus.SUBMITTED)
    d.refresh_from_db()
    return d


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


def test_queue_lists_submitted_demands(client, cast, submitted, django_assert_max_num_queries):
    client.force_login(cast.reviewer)

    with django_assert_max_num_queries(6):
        response = client.get(QUEUE)

    assert [d.pk for d in response.context["page"].object_list] == [submitted.pk]
    assert "示范企业有限公司" in response.content.decode()


def test_review_page_shows_the_history(client, cast, submitted):
    client.force_login(cast.reviewer)

    html = client.get(reverse("demands_console:review", args=[submitted.pk])).content.decode()

    assert submitted.problem in html
    assert 'class="history"' in html


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
