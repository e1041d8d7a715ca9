"""Owners hear of a close match on the other side: once per (demand, achievement) pair, both ways."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from techbridge.achievements import services as achievement_services
from techbridge.core.models import Notification
from techbridge.matching import services
from techbridge.matching.models import MatchNotice
from techbridge.testing.factories.matching import (
    BATTERY,
    BATTERY_NEED,
    SLUDGE,
    new_achievement,
    new_demand,
    publish_achievement,
    publish_demand,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_indexes")]


def matches_of(user):
    return list(Notification.objects.filter(recipient=user, kind="match_found"))


def test_a_new_achievement_tells_the_owner_of_the_matching_demand(cast, run_on_commit):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    mail.outbox.clear()

    with run_on_commit(execute=True):
        achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))

    [notice] = matches_of(cast.buyer)
    assert BATTERY["title"] in notice.title
    assert notice.link == f"/achievements/{achievement.pk}/#matches"
    assert BATTERY_NEED["title"] in notice.body
    assert MatchNotice.objects.get().demand == demand
    assert any(BATTERY["title"] in m.subject for m in mail.outbox)  # e-mail too, as configured
    assert matches_of(cast.researcher) == []  # the newcomer's owner is not told about themselves


def test_a_new_demand_tells_the_owner_of_the_matching_achievement(cast):
    publish_achievement(cast, new_achievement(cast, **BATTERY))

    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))

    [notice] = matches_of(cast.researcher)
    assert notice.link == f"/demands/{demand.pk}/#matches"


def test_each_pair_is_announced_once_even_after_republishing(cast, run_on_commit):
    publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    achievement = publish_achievement(cast, new_achievement(cast, **BATTERY))
    with run_on_commit(execute=True):
        achievement_services.withdraw_achievement(achievement, actor=cast.researcher)
        achievement_services.reopen_achievement(achievement, actor=cast.researcher)
    publish_achievement(cast, achievement)

    assert services.notify_matches("achievement", achievement.pk) == 0
    assert len(matches_of(cast.buyer)) == 1
    assert MatchNotice.objects.count() == 1


def test_unrelated_listings_are_not_announced(cast):
    publish_demand(cast, new_demand(cast, **BATTERY_NEED))

    publish_achievement(cast, new_achievement(cast, field_codes=("environment",), **SLUDGE))

    assert matches_of(cast.buyer) == []


def test_the_threshold_is_a_setting(cast, settings):
    settings.MATCH_NOTIFY_THRESHOLD = 0.999
    publish_demand(cast, new_demand(cast, **BATTERY_NEED))

    publish_achievement(cast, new_achievement(cast, **BATTERY))

    assert matches_of(cast.buyer) == []


def test_a_demand_past_its_deadline_is_not_announced(cast):
    demand = publish_demand(cast, new_demand(cast, **BATTERY_NEED))
    type(demand).objects.filter(pk=demand.pk).update(deadline=timezone.localdate() - timedelta(days=1))

    publish_achievement(cast, new_achievement(cast, **BATTERY))

    assert matches_of(cast.buyer) == []


def test_listings_of_the_same_organisation_are_not_announced(cast):
    publish_demand(
        cast, new_demand(cast, enterprise=cast.university, created_by=cast.univ_admin, **BATTERY_NEED)
    )

    publish_achievement(cast, new_achievement(cast, **BATTERY))

    assert matches_of(cast.univ_admin) == []


def test_an_owner_who_turned_match_recommendations_off_hears_nothing(cast):
    from techbridge.core.models import NotificationPreference

    NotificationPreference.objects.create(user=cast.researcher, choices={"matches:in_app": False})
    publish_achievement(cast, new_achievement(cast, **BATTERY))

    publish_demand(cast, new_demand(cast, **BATTERY_NEED))

    assert matches_of(cast.researcher) == []
    assert not MatchNotice.objects.exists()  # not used up: turning them on again hears of later pairs
