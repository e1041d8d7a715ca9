"""The demands API, per role of the cast: the shape and rules of achievements, budgets for prices."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.testing.factories import DemandFactory, publish

pytestmark = pytest.mark.django_db

LIST = "/api/v1/demands/"


def new_demand(**extra) -> dict:
    return {
        "title": "高盐废水零排放处理技术",
        "problem": "化工园区高盐废水处理成本高，希望寻求蒸发结晶与分盐技术。",
        "fields": ["environment"],
        "cooperation_modes": ["development", "consulting"],
        "budget_negotiable": False,
        "budget_min": "1000000",
        "budget_max": "3000000",
        "deadline": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        **extra,
    }


def test_anonymous_list_shows_published_only(api, cast, published_demand):
    DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, title="草稿需求")

    body = api.get(LIST).json()

    assert [item["id"] for item in body["results"]] == [published_demand.pk]
    assert body["results"][0]["owner"]["name"] == "示范企业有限公司"


def test_draft_is_invisible_to_others(api, as_user, cast):
    draft = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer)

    assert api.get(f"{LIST}{draft.pk}/").status_code == 404
    assert as_user(cast.researcher).get(f"{LIST}{draft.pk}/").status_code == 404
    assert as_user(cast.buyer).get(f"{LIST}{draft.pk}/").status_code == 200
    assert as_user(cast.reviewer).get(f"{LIST}{draft.pk}/").status_code == 200


def test_enterprise_creates_a_demand_with_codes_and_a_budget(as_user, cast):
    response = as_user(cast.buyer).post(LIST, new_demand(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert (body["budget_min"], body["budget_max"]) == ("1000000.00", "3000000.00")
    assert {m["code"] for m in body["cooperation_modes"]} == {"development", "consulting"}
    assert Demand.objects.get(pk=body["id"]).enterprise == cast.enterprise


def test_budget_min_above_budget_max_is_a_400_with_a_message(as_user, cast):
    response = as_user(cast.buyer).post(
        LIST, new_demand(budget_min="5000000", budget_max="100"), format="json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "budget_max"
    assert response.json()["message"].endswith(_("The upper budget must not be below the lower one."))
    assert not Demand.objects.exists()


def test_a_patch_that_inverts_the_budget_is_refused(as_user, cast):
    created = as_user(cast.buyer).post(LIST, new_demand(), format="json").json()

    response = as_user(cast.buyer).patch(f"{LIST}{created['id']}/", {"budget_min": "9000000"}, format="json")

    assert response.status_code == 400
    assert Demand.objects.get(pk=created["id"]).budget_min == 1000000


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget_min": "-5"}, "budget_min"),
        ({"cooperation_modes": ["barter"]}, "cooperation_modes"),
        ({"fields": ["no-such-field"]}, "fields"),
        ({"deadline": "next spring"}, "deadline"),
        ({"owner": 1}, "owner"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(as_user, cast, change, field):
    response = as_user(cast.buyer).post(LIST, new_demand(**change), format="json")

    assert response.status_code == 400
    assert response.json()["field"] == field and not response.json()["message"].startswith(f"{field}: ")


def test_government_departments_do_not_publish_demands(as_user, cast):
    response = as_user(cast.official).post(LIST, new_demand(), format="json")

    assert response.status_code == 403
    assert response.json()["message"] == _(
        "Government departments and the platform operator do not publish demands."
    )


def test_university_cannot_patch_an_enterprise_demand(as_user, cast, published_demand):
    response = as_user(cast.univ_admin).patch(
        f"{LIST}{published_demand.pk}/", {"title": "被改"}, format="json"
    )

    assert response.status_code == 403
    published_demand.refresh_from_db()
    assert published_demand.title != "被改"


def test_review_cycle_submit_reject_resubmit_approve(as_user, cast, django_capture_on_commit_callbacks):
    created = as_user(cast.buyer).post(LIST, new_demand(), format="json").json()
    url = f"{LIST}{created['id']}/"

    assert as_user(cast.buyer).post(f"{url}submit/").json()["status"] == "submitted"
    assert as_user(cast.reviewer).patch(url, {"title": "审核员改的"}, format="json").status_code == 403
    assert as_user(cast.reviewer).post(f"{url}reject/", {}, format="json").status_code == 400
    assert (
        as_user(cast.reviewer).post(f"{url}reject/", {"reason": "预算写法不清"}, format="json").status_code
        == 200
    )
    assert as_user(cast.buyer).post(f"{url}submit/").json()["status"] == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        assert as_user(cast.reviewer).post(f"{url}approve/").json()["status"] == "published"

    found = as_user(cast.researcher).get(LIST, {"q": "高盐废水"}).json()
    assert [item["id"] for item in found["results"]] == [created["id"]]


def test_filters_are_the_portals(api, cast):
    big = DemandFactory(
        enterprise=cast.enterprise, budget_negotiable=False, budget_min=5_000_000, budget_max=8_000_000
    )
    small = DemandFactory(
        enterprise=cast.enterprise, budget_negotiable=False, budget_min=10_000, budget_max=50_000
    )
    publish(big)
    publish(small)

    body = api.get(LIST, {"budget_min": 100}).json()  # 万元

    assert [item["id"] for item in body["results"]] == [big.pk]


@pytest.mark.parametrize(
    "params", [{"budget_min": "-1"}, {"budget_min": "9", "budget_max": "1"}, {"sort": "x"}]
)
def test_an_invalid_filter_is_a_400_with_a_message(api, cast, params):
    response = api.get(LIST, params)

    assert response.status_code == 400
    assert response.json()["message"]


def test_mine_lists_the_enterprises_demands_in_every_status(as_user, cast, published_demand):
    draft = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer)

    body = as_user(cast.buyer).get(LIST, {"mine": "true"}).json()

    assert {item["id"] for item in body["results"]} == {published_demand.pk, draft.pk}
    assert {item["status"] for item in body["results"]} == {ReviewStatus.PUBLISHED, ReviewStatus.DRAFT}


def test_list_query_count_does_not_grow_with_the_page(api, as_user, cast, pinned_queries):
    for n in range(12):
        DemandFactory(
            enterprise=cast.enterprise,
            created_by=cast.buyer,
            title=f"污泥减量需求{n}",
            fields=("environment", "nev", "ic"),
            cooperation_modes=("development", "service"),
            published=True,
        )
    researcher = as_user(cast.researcher)

    # count, page, industry fields, cooperation modes
    with pinned_queries("list"):
        body = api.get(LIST).json()
    assert len(body["results"]) == 12
    with pinned_queries("sorted, open only"):
        body = researcher.get(LIST, {"sort": "deadline", "open_only": "1"}).json()
    assert body["count"] == 12
