"""Creating, editing and submitting demands on the portal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.testing.factories.demands import make_demand

pytestmark = pytest.mark.django_db

CREATE = "/demands/new/"


def valid_data(**overrides):
    data = {
        "title": "污水处理厂污泥减量技术需求",
        "problem": "每天产生大量剩余污泥，处置成本高。",
        "indicators": "污泥产量降低30%以上",
        "fields": ["environment"],
        "cooperation_modes": ["development", "assignment"],
        "budget_min": "10",
        "budget_max": "30",
        "deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "keywords": "污泥，减量",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_buyer_creates_a_draft_with_a_budget_in_wan(client, cast):
    client.force_login(cast.buyer)

    response = client.post(CREATE, valid_data())

    d = Demand.objects.get()
    assert response.status_code == 302
    assert d.status == ReviewStatus.DRAFT
    assert d.enterprise == cast.enterprise
    assert (d.budget_min, d.budget_max) == (Decimal("100000.00"), Decimal("300000.00"))
    assert sorted(d.cooperation_modes.values_list("code", flat=True)) == ["assignment", "development"]


def test_save_and_submit(client, cast):
    client.force_login(cast.buyer)

    client.post(CREATE, valid_data(and_submit="1"))

    assert Demand.objects.get().status == ReviewStatus.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"budget_min": "50", "budget_max": "10"}, "budget_max"),
        ({"budget_min": "-1"}, "budget_min"),
        ({"budget_min": None, "budget_max": None}, "budget_max"),  # neither a budget nor 面议
        ({"fields": ["nonexistent"]}, "fields"),
        ({"cooperation_modes": ["barter"]}, "cooperation_modes"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"deadline": "明天"}, "deadline"),
        ({"problem": ""}, "problem"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, cast, overrides, field):
    client.force_login(cast.buyer)

    response = client.post(CREATE, valid_data(**overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert _("Nothing was saved. Please correct the errors below.") in html
    assert all(escape(error) in html for error in response.context["form"].errors[field])
    assert not Demand.objects.exists()


def test_negotiable_budget_is_fine(client, cast):
    client.force_login(cast.buyer)

    client.post(CREATE, valid_data(budget_min=None, budget_max=None, budget_negotiable="on"))

    assert Demand.objects.get().budget_negotiable


@pytest.mark.parametrize("who", ["outsider", "official"])
def test_people_who_may_not_publish_demands_get_a_403(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, valid_data()).status_code == 403
    assert not Demand.objects.exists()


def test_expired_demand_cannot_be_submitted(client, cast):
    d = make_demand(cast, published=False, deadline=timezone.localdate() - timedelta(days=3))
    client.force_login(cast.buyer)

    response = client.post(reverse("demands:submit", args=[d.pk]), follow=True)

    d.refresh_from_db()
    assert d.status == ReviewStatus.DRAFT
    assert _("The deadline has passed; set a new deadline before submitting.") in response.content.decode()


def test_an_old_deadline_may_stay_while_editing_but_blocks_submitting(client, cast):
    old = timezone.localdate() - timedelta(days=3)
    d = make_demand(cast, published=False, deadline=old)
    client.force_login(cast.buyer)

    response = client.post(
        reverse("demands:edit", args=[d.pk]),
        valid_data(title="改了标题", deadline=old.isoformat(), and_submit="1"),
        follow=True,
    )

    d.refresh_from_db()
    assert d.title == "改了标题"
    assert d.status == ReviewStatus.DRAFT
    reason = _("The deadline has passed; set a new deadline before submitting.")
    assert _("Saved, but not submitted: %(reason)s") % {"reason": reason} in response.content.decode()


@pytest.mark.parametrize("who", ["researcher", "univ_admin", "reviewer", "broker"])
def test_others_cannot_edit_a_demand(client, cast, published, who):
    client.force_login(getattr(cast, who))
    url = reverse("demands:edit", args=[published.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, valid_data(title="被篡改")).status_code == 403
    published.refresh_from_db()
    assert published.title == "污水处理厂污泥减量技术需求"


def test_editing_a_published_demand_sends_it_back_to_review(client, cast, published):
    client.force_login(cast.buyer)

    client.post(reverse("demands:edit", args=[published.pk]), valid_data(title="更新后的需求"))

    published.refresh_from_db()
    assert published.status == ReviewStatus.SUBMITTED


def test_edit_form_shows_the_budget_in_wan(client, cast):
    d = make_demand(cast, published=False, budget_negotiable=False, budget_min=Decimal("150000"))
    client.force_login(cast.buyer)

    assert 'value="15"' in client.get(reverse("demands:edit", args=[d.pk])).content.decode()
