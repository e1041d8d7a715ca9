"""The achievements API, per role of the cast: who sees what, who may change what, and bad input."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from techbridge.achievements.models import Achievement, NdaAcceptance
from techbridge.core.workflow import ReviewStatus
from techbridge.testing.factories import AchievementFactory, publish

pytestmark = pytest.mark.django_db

LIST = "/api/v1/achievements/"


def detail_url(obj) -> str:
    return f"{LIST}{obj.pk}/"


def new_achievement(**extra) -> dict:
    return {
        "title": "基于深度学习的中文分词方法",
        "kind": "invention_patent",
        "trl": 5,
        "summary": "一种面向专业文献的中文分词方法，提高领域术语识别准确率。",
        "detail": "保密：模型结构与训练语料配比",
        "fields": ["software"],
        "deal_modes": ["assignment", "license-ordinary"],
        "discipline": "计算机科学与技术",
        "price_negotiable": False,
        "price": "500000.00",
        **extra,
    }


# ---- reading --------------------------------------------------------------------------------


def test_anonymous_list_shows_published_only(api, published_achievement, draft_achievement):
    response = api.get(LIST)

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["results"]]
    assert ids == [published_achievement.pk]
    item = response.json()["results"][0]
    assert item["status"] == "published"
    assert item["owner"] == {
        "id": item["owner"]["id"],
        "name": "示范大学",
        "kind": "university",
        "district": "gulou",
    }
    assert {"is_demo", "stale_since", "price", "trl"} <= set(item)
    assert "detail" not in item  # the confidential part is never in a list


def test_draft_is_invisible_to_other_organisations_and_the_public(api, as_user, cast, draft_achievement):
    assert api.get(detail_url(draft_achievement)).status_code == 404
    assert as_user(cast.buyer).get(detail_url(draft_achievement)).status_code == 404
    assert as_user(cast.outsider).get(detail_url(draft_achievement)).status_code == 404
    assert as_user(cast.researcher).get(detail_url(draft_achievement)).status_code == 200
    assert as_user(cast.univ_admin).get(detail_url(draft_achievement)).status_code == 200
    assert as_user(cast.reviewer).get(detail_url(draft_achievement)).status_code == 200


def test_draft_is_not_in_the_list_even_when_asked_for_by_status(api, as_user, cast, draft_achievement):
    assert api.get(LIST, {"status": "draft"}).json()["count"] == 0
    assert as_user(cast.buyer).get(LIST, {"status": "draft"}).json()["count"] == 0
    assert as_user(cast.reviewer).get(LIST, {"status": "draft"}).json()["count"] == 1


def test_mine_lists_the_callers_organisation_in_every_status(
    as_user, cast, published_achievement, draft_achievement
):
    AchievementFactory(owner=cast.enterprise, created_by=cast.buyer)  # someone else's draft

    mine = as_user(cast.univ_admin).get(LIST, {"mine": "1"}).json()

    assert {item["id"] for item in mine["results"]} == {published_achievement.pk, draft_achievement.pk}
    assert as_user(cast.outsider).get(LIST, {"mine": "1"}).json()["count"] == 0


def test_mine_needs_a_signed_in_user(api):
    response = api.get(LIST, {"mine": "1"})

    assert response.status_code == 401
    assert response.json()["message"]


def test_outsider_sees_no_detail_until_accepting_the_nda(as_user, cast, published_achievement):
    client = as_user(cast.outsider)

    before = client.get(detail_url(published_achievement)).json()
    accepted = client.post(f"{detail_url(published_achievement)}accept-nda/")
    after = client.get(detail_url(published_achievement)).json()

    assert before["detail"] is None
    assert before["attachments"] is None
    assert before["nda_required"] is True
    assert before["summary"] == published_achievement.summary
    assert accepted.status_code == 200
    assert accepted.json()["detail"] == published_achievement.detail
    assert after["detail"] == published_achievement.detail
    assert after["attachments"] == []
    assert after["nda_required"] is False
    assert NdaAcceptance.objects.filter(user=cast.outsider, achievement=published_achievement).count() == 1


def test_anonymous_sees_no_detail_and_cannot_accept_the_nda(api, published_achievement):
    body = api.get(detail_url(published_achievement)).json()
    response = api.post(f"{detail_url(published_achievement)}accept-nda/")

    assert body["detail"] is None
    assert body["nda_required"] is True
    assert response.status_code == 401
    assert response.json()["message"]


def test_owner_and_reviewer_see_the_detail_without_an_nda(as_user, cast, published_achievement):
    for user in (cast.researcher, cast.reviewer):
        body = as_user(user).get(detail_url(published_achievement)).json()
        assert body["detail"] == published_achievement.detail
        assert body["nda_required"] is False


def test_search_in_chinese_finds_a_published_achievement(
    api, as_user, cast, django_capture_on_commit_callbacks
):
    created = as_user(cast.researcher).post(LIST, new_achievement(), format="json").json()
    as_user(cast.researcher).post(f"{LIST}{created['id']}/submit/")
    AchievementFactory(owner=cast.university, created_by=cast.researcher, title="锂电池隔膜")

    with django_capture_on_commit_callbacks(execute=True):
        approved = as_user(cast.reviewer).post(f"{LIST}{created['id']}/approve/")

    assert approved.status_code == 200
    found = api.get(LIST, {"q": "中文分词"}).json()
    assert [item["id"] for item in found["results"]] == [created["id"]]
    assert api.get(LIST, {"q": "火箭发动机"}).json()["count"] == 0


def test_filters_are_the_portals(api, cast):
    cheap = AchievementFactory(owner=cast.university, trl=3, price_negotiable=False, price=10000)
    mature = AchievementFactory(owner=cast.university, trl=8, price_negotiable=False, price=2_000_000)
    publish(cheap)
    publish(mature)

    by_trl = api.get(LIST, {"trl_min": 7}).json()
    by_price = api.get(LIST, {"price_max": 10, "sort": "price_asc"}).json()  # 万元

    assert [item["id"] for item in by_trl["results"]] == [mature.pk]
    assert [item["id"] for item in by_price["results"]] == [cheap.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"trl_min": "12"},
        {"field": "no-such-field"},
        {"price_min": "-1"},
        {"sort": "random"},
        {"mine": "perhaps"},
    ],
)
def test_an_invalid_filter_is_a_400_with_a_message(api, cast, params):
    response = api.get(LIST, params)

    assert response.status_code == 400
    assert response.json()["message"]


def test_list_is_paged(api, cast):
    for _i in range(3):
        publish(AchievementFactory(owner=cast.university))

    first = api.get(LIST, {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] is not None


def test_list_query_count_does_not_grow_with_the_page(api, as_user, cast, pinned_queries):
    for n in range(12):
        AchievementFactory(
            owner=cast.university,
            created_by=cast.researcher,
            title=f"锂电池隔膜成果{n}",
            fields=("ic", "nev", "materials"),
            deal_modes=("assignment", "equity"),
            published=True,
            indexed=True,
        )
    buyer = as_user(cast.buyer)

    # count, page, industry fields, deal modes
    with pinned_queries("list"):
        body = api.get(LIST).json()
    assert len(body["results"]) == 12
    assert all(len(a["fields"]) == 3 and len(a["deal_modes"]) == 2 for a in body["results"])
    # the same plus the full-text search and the visibility check of its hits
    with pinned_queries("search"):
        body = api.get(LIST, {"q": "锂电池"}).json()
    assert body["count"] == 12
    # the same plus looking up the field code
    with pinned_queries("field"):
        body = buyer.get(LIST, {"field": "ic"}).json()
    assert body["count"] == 12


# ---- writing --------------------------------------------------------------------------------


def test_owner_creates_a_draft_with_codes_and_a_price(as_user, cast):
    response = as_user(cast.researcher).post(LIST, new_achievement(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["price"] == "500000.00"
    assert [f["code"] for f in body["fields"]] == ["software"]
    assert {m["code"] for m in body["deal_modes"]} == {"assignment", "license-ordinary"}
    assert body["discipline"] == "计算机科学与技术"
    achievement = Achievement.objects.get(pk=body["id"])
    assert achievement.owner == cast.university
    assert achievement.created_by == cast.researcher


def test_anonymous_cannot_create(api):
    assert api.post(LIST, new_achievement(), format="json").status_code == 401


def test_outsider_without_an_organisation_cannot_create(as_user, cast):
    response = as_user(cast.outsider).post(LIST, new_achievement(), format="json")

    assert response.status_code == 403
    assert response.json()["message"] == _("Only members of an organisation can publish achievements.")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trl": 12}, "trl"),
        ({"price": "-1"}, "price"),
        ({"fields": ["no-such-field"]}, "fields"),
        ({"deal_modes": ["barter"]}, "deal_modes"),
        ({"discipline": "炼金术"}, "discipline"),
        ({"colour": "blue"}, "colour"),
        ({"status": "published"}, "status"),
        ({"price": None, "price_negotiable": False}, "price"),
        ({"ipc_codes": "not an ipc"}, "ipc_codes"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(as_user, cast, change, field):
    response = as_user(cast.researcher).post(LIST, new_achievement(**change), format="json")

    assert response.status_code == 400
    body = response.json()
    # The message names the field in words; the body keeps its key (issue 20 point 8).
    assert body["field"] == field and not body["message"].startswith(f"{field}: ")
    assert field in body["errors"]
    assert not Achievement.objects.exists()


def test_trl_12_message_says_what_is_allowed(as_user, cast):
    body = as_user(cast.researcher).post(LIST, new_achievement(trl=12), format="json").json()

    assert "9" in body["message"]


def test_unknown_field_code_is_named_in_the_message(as_user, cast):
    body = (
        as_user(cast.researcher).post(LIST, new_achievement(fields=["quantum-magic"]), format="json").json()
    )

    assert "quantum-magic" in body["message"]


def test_malformed_json_is_a_400_with_a_message(as_user, cast):
    response = as_user(cast.researcher).post(LIST, data='{"title": "半截', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["message"] == _("The request body is not valid JSON.")


def test_buyer_cannot_patch_a_university_achievement(as_user, cast, published_achievement):
    response = as_user(cast.buyer).patch(
        detail_url(published_achievement), {"title": "被篡改"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["message"]
    published_achievement.refresh_from_db()
    assert published_achievement.title != "被篡改"
    assert published_achievement.status == ReviewStatus.PUBLISHED


def test_reviewer_cannot_patch_content_but_can_approve(as_user, cast, draft_achievement):
    as_user(cast.researcher).post(f"{detail_url(draft_achievement)}submit/")

    patched = as_user(cast.reviewer).patch(
        detail_url(draft_achievement), {"title": "审核员改的"}, format="json"
    )
    approved = as_user(cast.reviewer).post(f"{detail_url(draft_achievement)}approve/")

    assert patched.status_code == 403
    assert approved.status_code == 200
    assert approved.json()["status"] == "published"
    draft_achievement.refresh_from_db()
    assert draft_achievement.title == "未公开的草稿成果"
    assert draft_achievement.status == ReviewStatus.PUBLISHED


def test_owner_edits_and_a_published_achievement_goes_back_to_review(as_user, cast, published_achievement):
    response = as_user(cast.researcher).patch(
        detail_url(published_achievement), {"summary": "更新后的公开摘要", "fields": ["nev"]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["summary"] == "更新后的公开摘要"
    assert [f["code"] for f in response.json()["fields"]] == ["nev"]


def test_patch_cannot_set_the_status(as_user, cast, draft_achievement):
    response = as_user(cast.researcher).patch(
        detail_url(draft_achievement), {"status": "published"}, format="json"
    )

    assert response.status_code == 400
    draft_achievement.refresh_from_db()
    assert draft_achievement.status == ReviewStatus.DRAFT


def test_member_who_did_not_write_it_cannot_patch(as_user, cast):
    achievement = AchievementFactory(owner=cast.university, created_by=cast.univ_admin)

    response = as_user(cast.researcher).patch(detail_url(achievement), {"title": "同事改的"}, format="json")

    assert response.status_code == 403


def test_reject_without_reason_is_a_400_with_a_message(as_user, cast, draft_achievement):
    as_user(cast.researcher).post(f"{detail_url(draft_achievement)}submit/")

    response = as_user(cast.reviewer).post(f"{detail_url(draft_achievement)}reject/", {}, format="json")
    blank = as_user(cast.reviewer).post(
        f"{detail_url(draft_achievement)}reject/", {"reason": "  "}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert response.json()["message"].endswith(_("Give the owner a reason for the rejection."))
    assert blank.status_code == 400
    draft_achievement.refresh_from_db()
    assert draft_achievement.status == ReviewStatus.SUBMITTED


def test_reject_with_reason_sends_it_back(as_user, cast, draft_achievement):
    as_user(cast.researcher).post(f"{detail_url(draft_achievement)}submit/")

    response = as_user(cast.reviewer).post(
        f"{detail_url(draft_achievement)}reject/", {"reason": "请补充专利号"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["reject_reason"] == "请补充专利号"


def test_only_reviewers_approve(as_user, cast, draft_achievement):
    as_user(cast.researcher).post(f"{detail_url(draft_achievement)}submit/")

    for user in (cast.researcher, cast.univ_admin):
        response = as_user(user).post(f"{detail_url(draft_achievement)}approve/")
        assert response.status_code == 403, user
        assert response.json()["message"] == _("Only platform reviewers and operators can review listings.")
    # Those who cannot even see a listing under review are told it does not exist.
    for user in (cast.official, cast.buyer):
        assert as_user(user).post(f"{detail_url(draft_achievement)}approve/").status_code == 404
    draft_achievement.refresh_from_db()
    assert draft_achievement.status == ReviewStatus.SUBMITTED


def test_a_move_the_state_does_not_allow_is_a_400(as_user, cast, draft_achievement):
    response = as_user(cast.reviewer).post(f"{detail_url(draft_achievement)}approve/")

    assert response.status_code == 400
    assert response.json()["message"]


def test_owner_withdraws_and_reopens(as_user, cast, published_achievement):
    client = as_user(cast.researcher)

    withdrawn = client.post(
        f"{detail_url(published_achievement)}withdraw/", {"reason": "已转让"}, format="json"
    )
    reopened = client.post(f"{detail_url(published_achievement)}reopen/")

    assert withdrawn.json()["status"] == "withdrawn"
    assert reopened.json()["status"] == "draft"


def test_other_organisations_cannot_withdraw_but_the_operator_can(as_user, cast, published_achievement):
    assert as_user(cast.buyer).post(f"{detail_url(published_achievement)}withdraw/").status_code == 403
    assert as_user(cast.reviewer).post(f"{detail_url(published_achievement)}withdraw/").status_code == 403
    assert as_user(cast.operator).post(f"{detail_url(published_achievement)}withdraw/").status_code == 200
