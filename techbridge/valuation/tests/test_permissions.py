"""Who sees and requests valuations (``valuation.permissions``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.deals import services as deals
from techbridge.testing.fixtures.records import (
    draft_achievement,
    published_achievement,
    published_demand,
    valuation,
)

pytestmark = pytest.mark.django_db


def test_a_room_about_another_achievement_is_not_a_page(client, cast):
    """Requesting a valuation "from" a room about something else used to end in a server error."""
    room = deals.open_room(actor=cast.researcher, demand=published_demand(cast))
    achievement = published_achievement(cast)
    client.force_login(cast.researcher)

    response = client.get(reverse("valuation:request_create", args=[achievement.pk]) + f"?room={room.pk}")

    assert response.status_code == 404


def test_the_valuation_of_a_listing_one_may_not_see_does_not_exist(client, cast):
    """A valuation of a draft is hidden from outsiders (it used to be a 403, confirming it exists)."""
    issued = valuation(cast)
    type(issued.achievement).objects.filter(pk=issued.achievement_id).update(status="draft")
    client.force_login(cast.stranger)

    assert client.get(reverse("valuation:valuation", args=[issued.pk])).status_code == 404
    client.force_login(cast.researcher)
    assert client.get(reverse("valuation:valuation", args=[issued.pk])).status_code == 200


def test_the_scorecard_page_is_public_like_the_grade(client, cast):
    achievement = published_achievement(cast)

    response = client.get(reverse("valuation:scorecard", args=[achievement.pk]))

    assert response.status_code == 200
    assert achievement.title in response.content.decode()
    # … but only signed-in owners and operators enter the inputs
    assert client.post(reverse("valuation:scorecard", args=[achievement.pk]))["Location"].startswith(
        reverse("accounts:login")
    )
    assert client.get(reverse("valuation:scorecard", args=[draft_achievement(cast).pk])).status_code == 404
