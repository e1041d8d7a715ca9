"""Open 揭榜挂帅 challenges in saved-search digests: the hook the challenges app registers
(``core.registry.digest_sources``) finds the open challenges a saved demand search stands for — the
same words (title or problem, as the list page matches them), field, district and budget range —
published after the search's time, that the user may see and was not sent already."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from techbridge.challenges.choices import ChallengeStatus
from techbridge.core import registry
from techbridge.testing.factories.challenges import close_applications, make_challenge

pytestmark = pytest.mark.django_db


def _source() -> registry.DigestSource:
    [source] = [s for s in registry.digest_sources_for("demand") if s.key == "challenges"]
    return source


def _query(filters: dict[str, str], days: int = 1) -> registry.DigestQuery:
    return registry.DigestQuery(filters=filters, since=timezone.now() - timedelta(days=days))


def test_the_hook_finds_open_matching_challenges_of_demand_searches_only(cast):
    assert [s.key for s in registry.digest_sources_for("achievement")] == []
    source = _source()
    new = make_challenge(cast, title="车规级功率芯片散热封装", problem="结温过高")
    worded = make_challenge(cast, title="封装攻关", problem="需要新的车规级散热方案")
    make_challenge(cast, title="车规级散热 另一个区", district="gulou")
    make_challenge(cast, title="车规级散热 旧榜单", published_at=timezone.now() - timedelta(days=3))
    make_challenge(cast, title="车规级散热 草稿", status=ChallengeStatus.DRAFT, published_at=None)
    close_applications(make_challenge(cast, title="车规级散热 已截止"))
    make_challenge(cast, title="车规级散热 过期未关", deadline=timezone.now() - timedelta(minutes=1))
    make_challenge(cast, title="车规级散热 预算太低", budget=Decimal("10000"))

    filters = {"q": "车规级", "field": "ic", "district": "jiangning", "budget_min": "20", "budget_max": "80"}
    items, total = source.new_items(cast.researcher, [_query(filters)], set(), 10)
    assert total == 2 and {i.pk for i in items} == {new.pk, worded.pk}
    assert {i.url for i in items} == {f"/challenges/{new.pk}/", f"/challenges/{worded.pk}/"}

    # already sent to this user: not again; capped at one, the total still counts both
    assert source.new_items(cast.researcher, [_query(filters)], {new.pk}, 10)[1] == 1
    items, total = source.new_items(cast.researcher, [_query(filters)], set(), 1)
    assert total == 2 and [i.pk for i in items] == [worded.pk]
    # another field or a field that no longer exists finds nothing
    assert source.new_items(cast.researcher, [_query({"field": "materials"})], set(), 10)[1] == 0
    assert source.new_items(cast.researcher, [_query({"field": "gone"})], set(), 10)[1] == 0
    # two searches: the union, each challenge once
    both = [_query({"district": "gulou"}), _query({"q": "车规级", "district": "jiangning"}, days=2)]
    assert source.new_items(cast.researcher, both, set(), 10)[1] == 4


def test_the_hook_uses_the_challenges_visibility_rule(cast, monkeypatch):
    from django.db.models import Q

    from techbridge.challenges import permissions

    challenge = make_challenge(cast, title="车规级功率芯片散热封装")
    source = _source()
    assert source.new_items(cast.researcher, [_query({})], set(), 10)[1] == 1
    monkeypatch.setattr(permissions, "challenges_visible_q", lambda user: Q(pk__in=[]))
    assert source.new_items(cast.researcher, [_query({})], set(), 10) == ([], 0)
    assert challenge.pk
