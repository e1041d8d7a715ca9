"""A signed-in user saves the search they are looking at (保存此搜索, htmx) on the achievement or demand
list, manages it under 我的关注 (rename, digest frequency, delete, run now) or the API, and gets ONE
digest per period listing only the new listings that match — nothing when nothing is new."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry, Notification
from techbridge.core.workflow import ReviewStatus
from techbridge.subscriptions import digests, services
from techbridge.subscriptions.models import SavedSearch
from techbridge.testing.factories import AchievementFactory, DemandFactory, publish
from techbridge.testing.factories.core import set_status
from techbridge.testing.pages import card

pytestmark = pytest.mark.django_db


def _achievement(cast, title, *, owner=None, days_ago=0, **extra):
    a = AchievementFactory(owner=owner or cast.university, created_by=cast.researcher, title=title, **extra)
    set_status(a, ReviewStatus.PUBLISHED, published_at=timezone.now() - timedelta(days=days_ago))
    from techbridge.core.fulltext import get_backend

    get_backend().index("achievement", a.pk, a.search_document())
    return a


def _saved(cast, query="q=隔膜&district=gulou", frequency="daily", days=2, name="鼓楼隔膜"):
    search = services.save_search(cast.buyer, kind="achievement", query=query, name=name, frequency=frequency)
    SavedSearch.objects.filter(pk=search.pk).update(created_at=timezone.now() - timedelta(days=days))
    search.refresh_from_db()
    return search


def test_saving_the_current_search_from_the_list_page_with_htmx(cast, client):
    client.force_login(cast.buyer)
    page = client.get(reverse("achievements:list"), {"q": "隔膜", "district": "gulou", "page": "2"})
    html = page.content.decode()
    assert "保存此搜索" in html and 'value="q=%E9%9A%94%E8%86%9C&amp;district=gulou"' in html
    answer = client.post(
        reverse("subscriptions:save_search"),
        {"kind": "achievement", "query": "q=隔膜&district=gulou&sort=newest&page=2", "name": "鼓楼隔膜"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200 and "已保存为“鼓楼隔膜”" in answer.content.decode()
    saved = SavedSearch.objects.get(user=cast.buyer)
    assert (saved.query, saved.frequency) == ("q=%E9%9A%94%E8%86%9C&district=gulou", "daily")
    assert AuditEntry.objects.filter(action="subscriptions.savedsearch.created").exists()
    again = client.post(
        reverse("subscriptions:save_search"),
        {"kind": "achievement", "query": "trl_min=12", "name": "太成熟"},
        HTTP_HX_REQUEST="true",
    )
    assert "技术成熟度" in again.content.decode() and 'role="alert"' in again.content.decode()
    assert SavedSearch.objects.count() == 1
    same_name = client.post(
        reverse("subscriptions:save_search"),
        {"kind": "achievement", "query": "", "name": "鼓楼隔膜"},
        HTTP_HX_REQUEST="true",
    )
    assert "您已有同名的保存搜索。" in same_name.content.decode()


def test_the_demand_list_has_the_box_and_anonymous_visitors_are_asked_to_sign_in(cast, client):
    assert "登录后保存此搜索" in client.get(reverse("demands:list")).content.decode()
    client.force_login(cast.researcher)
    assert "保存此搜索" in client.get(reverse("demands:list"), {"district": "jiangning"}).content.decode()
    response = client.post(reverse("subscriptions:save_search"), {"kind": "demand", "name": "x"})
    assert response.status_code == 302  # saved, back to the list of saved searches
    client.logout()
    response = client.post(reverse("subscriptions:save_search"), {"kind": "demand", "name": "x"})
    assert "/accounts/login/" in response["Location"]


def test_managing_saved_searches_on_the_page(cast, client):
    search = _saved(cast)
    client.force_login(cast.buyer)
    html = client.get(reverse("subscriptions:follows")).content.decode()
    row = card(html, "鼓楼隔膜")
    assert "隔膜" in row and "鼓楼" in row and "立即运行" in row
    client.post(
        reverse("subscriptions:edit_search", args=[search.pk]),
        {"name": "隔膜（鼓楼）", "frequency": "weekly"},
    )
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("隔膜（鼓楼）", "weekly")
    bad = client.post(
        reverse("subscriptions:edit_search", args=[search.pk]),
        {"name": "", "frequency": "hourly"},
        follow=True,
    )
    assert "请为此搜索命名。" in bad.content.decode()
    _achievement(cast, "一种高安全隔膜")
    preview = client.get(reverse("subscriptions:preview_search", args=[search.pk]), HTTP_HX_REQUEST="true")
    assert "一种高安全隔膜" in preview.content.decode()
    client.force_login(cast.researcher)
    assert client.get(reverse("subscriptions:preview_search", args=[search.pk])).status_code == 404
    assert client.post(reverse("subscriptions:delete_search", args=[search.pk])).status_code == 404
    client.force_login(cast.buyer)
    client.post(reverse("subscriptions:delete_search", args=[search.pk]))
    assert not SavedSearch.objects.exists()


def test_one_digest_per_period_with_only_the_new_matching_listings(cast, monkeypatch):
    _saved(cast)
    _saved(cast, query="field=materials", name="新材料", frequency="weekly")  # not due after two days
    new = _achievement(cast, "一种高安全锂电池隔膜")
    _achievement(cast, "另一所大学的隔膜", owner=cast.other_university)  # another district
    _achievement(cast, "三天前发布的隔膜", days_ago=3)  # before the search's window
    _achievement(cast, "一种低功耗芯片时钟电路", chip=True, keywords="芯片", summary="芯片时钟")  # no keyword

    assert digests.send_digests() == 1
    [digest] = Notification.objects.filter(recipient=cast.buyer, kind="digest")
    assert digest.title == "您保存的搜索有 1 条新结果"
    assert "“鼓楼隔膜”：新增 1 条" in digest.body and f"/achievements/{new.pk}/" in digest.body
    for other in ("另一所大学的隔膜", "三天前发布的隔膜", "低功耗芯片", "新材料"):
        assert other not in digest.body
    assert digest.link == "/subscriptions/#saved-searches"

    assert digests.send_digests() == 0  # once per period
    later = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert digests.send_digests() == 0  # nothing new since: nothing sent
    assert Notification.objects.filter(kind="digest").count() == 1


def test_no_digest_when_nothing_is_new_or_the_digest_is_off(cast):
    _saved(cast)
    _saved(cast, query="", name="全部成果", frequency="off")
    _achievement(cast, "一种低功耗芯片时钟电路", chip=True, keywords="芯片", summary="芯片时钟")
    assert digests.send_digests() == 0
    assert not Notification.objects.filter(kind="digest").exists()


def test_the_api_saves_lists_changes_runs_and_deletes(cast, as_user, pinned_queries):
    api = as_user(cast.buyer)
    url = reverse("api:saved-search-list")
    bad = api.post(url, {"name": "太成熟", "kind": "achievement", "query": "trl_min=12"}, format="json")
    assert bad.status_code == 400 and "技术成熟度" in bad.content.decode()
    made = api.post(
        url,
        {"name": "鼓楼隔膜", "kind": "achievement", "query": "district=gulou&q=隔膜&page=4"},
        format="json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["query"] == "q=%E9%9A%94%E8%86%9C&district=gulou" and body["frequency"] == "daily"
    assert body["url"] == "/achievements/?q=%E9%9A%94%E8%86%9C&district=gulou"
    for n in range(3):
        api.post(url, {"name": f"需求{n}", "kind": "demand", "query": "district=jiangning"}, format="json")
    with pinned_queries("saved searches"):
        rows = api.get(url).json()
    assert [r["name"] for r in rows][-1] == "鼓楼隔膜" and len(rows) == 4
    detail = reverse("api:saved-search-detail", args=[body["id"]])
    assert as_user(cast.researcher).get(detail).status_code == 404
    changed = api.patch(detail, {"frequency": "weekly"}, format="json")
    assert changed.status_code == 200 and changed.json()["frequency"] == "weekly"
    assert api.patch(detail, {"frequency": "hourly"}, format="json").status_code == 400
    SavedSearch.objects.filter(pk=body["id"]).update(created_at=timezone.now() - timedelta(days=1))
    new = _achievement(cast, "一种高安全隔膜")
    preview = api.get(reverse("api:saved-search-preview", args=[body["id"]])).json()
    assert preview["total"] == 1 and preview["items"][0]["url"] == f"/achievements/{new.pk}/"
    assert api.delete(detail).status_code == 204
    assert SavedSearch.objects.filter(user=cast.buyer).count() == 3


def test_followers_hear_when_a_listing_they_follow_is_withdrawn(cast, run_on_commit):
    from techbridge.achievements import services as achievement_services

    achievement = _achievement(cast, "一种高安全锂电池隔膜")
    services.follow(cast.buyer, kind="achievement", pk=achievement.pk)
    with run_on_commit(execute=True):
        achievement_services.withdraw_achievement(achievement, actor=cast.researcher)
    [told] = Notification.objects.filter(recipient=cast.buyer, kind="follow_update")
    assert told.title == "已被发布方撤回：一种高安全锂电池隔膜"
    assert not Notification.objects.filter(recipient=cast.researcher, kind="follow_update").exists()


def test_a_demand_search_runs_the_demand_filters(cast):
    demand = DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, title="需要低成本隔膜")
    publish(demand)
    search = services.save_search(cast.researcher, kind="demand", query="district=jiangning", name="江宁需求")
    SavedSearch.objects.filter(pk=search.pk).update(created_at=timezone.now() - timedelta(days=1))
    search.refresh_from_db()
    items, total = digests.new_items(search)
    assert total == 1 and items[0].pk == demand.pk
