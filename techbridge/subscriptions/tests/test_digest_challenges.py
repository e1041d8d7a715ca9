"""Saved demand searches bring new open 揭榜挂帅 challenges into the same digest, in a section of their
own: matching ones once (never twice to the same user), never drafts, closed ones or other fields, only
what the user may see; still one digest a day, and nothing when nothing is new."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.challenges.choices import ChallengeStatus
from techbridge.core.models import Notification
from techbridge.subscriptions import digests, services
from techbridge.subscriptions.models import DigestMention, SavedSearch
from techbridge.testing.factories.challenges import close_applications, make_challenge

pytestmark = pytest.mark.django_db

SECTION = "新发布的揭榜挂帅榜单"


def _saved(user, query, *, name, kind="demand", frequency="daily", days=2):
    search = services.save_search(user, kind=kind, query=query, name=name, frequency=frequency)
    SavedSearch.objects.filter(pk=search.pk).update(created_at=timezone.now() - timedelta(days=days))
    return search


def _digests(user):
    return list(Notification.objects.filter(recipient=user, kind="digest").order_by("pk"))


def test_a_new_matching_challenge_is_named_once_in_its_own_section(cast, monkeypatch):
    _saved(cast.researcher, "field=ic&district=jiangning", name="江宁集成电路需求")
    _saved(cast.researcher, "q=散热", name="散热需求")  # finds the same challenge again
    _saved(cast.researcher, "q=散热", name="散热成果", kind="achievement")  # achievements: no challenges
    new = make_challenge(cast, title="车规级功率芯片散热封装攻关")
    others = [
        make_challenge(cast, title="新材料榜单", field=None, problem="无关", district="gulou"),
        make_challenge(cast, title="草稿榜单", status=ChallengeStatus.DRAFT, published_at=None),
        close_applications(make_challenge(cast, title="已截止榜单")),
        make_challenge(cast, title="待审核榜单", status=ChallengeStatus.SUBMITTED, published_at=None),
    ]

    assert digests.send_digests() == 1
    [digest] = _digests(cast.researcher)
    assert digest.title == "您保存的搜索有 1 条新结果"
    assert f"{SECTION}：新增 1 条" in digest.body
    assert digest.body.count(f"/challenges/{new.pk}/") == 1 and "车规级功率芯片散热封装攻关" in digest.body
    for other in others:
        assert other.title not in digest.body
    assert not _digests(cast.buyer)  # no saved search, no digest

    # the next day a weekly search that was not due joins: the challenge is not named again, and with
    # nothing else new nothing is sent
    _saved(cast.researcher, "district=jiangning", name="江宁每周", frequency="weekly", days=8)
    later = timezone.now() + timedelta(days=1, hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert digests.send_digests() == 0
    assert len(_digests(cast.researcher)) == 1
    assert DigestMention.objects.filter(user=cast.researcher, object_id=new.pk).count() == 1


def test_only_one_digest_a_day_with_listings_and_challenges_together(cast):
    from techbridge.testing.factories import DemandFactory, publish

    _saved(cast.researcher, "district=jiangning", name="江宁需求")
    publish(DemandFactory(enterprise=cast.enterprise, created_by=cast.buyer, title="需要低成本隔膜"))
    challenge = make_challenge(cast, title="车规级功率芯片散热封装攻关")
    assert digests.send_digests() == 1
    [digest] = _digests(cast.researcher)
    assert digest.title == "您保存的搜索有 2 条新结果"
    assert "“江宁需求”：新增 1 条" in digest.body and f"/challenges/{challenge.pk}/" in digest.body
    assert digests.send_digests() == 0 and len(_digests(cast.researcher)) == 1


def test_a_challenge_the_user_may_not_see_is_not_sent(cast, monkeypatch):
    from django.db.models import Q

    from techbridge.challenges import permissions

    _saved(cast.researcher, "", name="全部需求")
    _saved(cast.reviewer, "", name="全部需求")
    make_challenge(cast, title="仅限本单位可见的榜单")
    real = permissions.challenges_visible_q

    def hidden_from_researchers(user):
        return Q(pk__in=[]) if user == cast.researcher else real(user)

    monkeypatch.setattr(permissions, "challenges_visible_q", hidden_from_researchers)
    assert digests.send_digests() == 1
    assert not _digests(cast.researcher)
    [digest] = _digests(cast.reviewer)
    assert "仅限本单位可见的榜单" in digest.body


def test_the_page_and_the_api_say_demand_digests_include_challenges(cast, client, as_user):
    _saved(cast.researcher, "district=jiangning", name="江宁需求")
    _saved(cast.researcher, "district=jiangning", name="江宁成果", kind="achievement")
    client.force_login(cast.researcher)
    html = client.get(reverse("subscriptions:follows")).content.decode()
    assert "保存的技术需求搜索，其汇总推送还会列出新发布、仍在揭榜期内且与搜索条件相符的揭榜挂帅榜单" in html
    rows = {r["name"]: r for r in as_user(cast.researcher).get(reverse("api:saved-search-list")).json()}
    assert "揭榜挂帅" in rows["江宁需求"]["also_included"][0]
    assert rows["江宁成果"]["also_included"] == []


def test_the_digest_s_queries_do_not_grow_with_the_challenges_it_names(cast, pinned_queries):
    for n in range(3):
        _saved(cast.researcher, f"q=散热&district=jiangning&field=ic&budget_min={n}", name=f"散热{n}")
    for n in range(12):
        make_challenge(cast, title=f"车规级功率芯片散热封装攻关{n}")
    with pinned_queries("digest with challenges"):
        assert digests.send_digests() == 1
    [digest] = _digests(cast.researcher)
    assert "新增 12 条" in digest.body and "另有 2 条：/challenges/" in digest.body
    assert DigestMention.objects.filter(user=cast.researcher).count() == 10
