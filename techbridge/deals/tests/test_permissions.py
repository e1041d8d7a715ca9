"""Who negotiates (``deals.permissions``): the same rule on the page, in the API and on the button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.deals.models import Room
from techbridge.deals.templatetags.negotiation import may_negotiate
from techbridge.testing.fixtures.records import published_achievement

pytestmark = pytest.mark.django_db


def test_officials_do_not_open_negotiations(client, as_user, cast):
    """A department official belongs to an organisation (the department) but does not trade: the
    button was hidden, yet the page and the API opened a room with the department as the buyer."""
    achievement = published_achievement(cast)
    client.force_login(cast.official)

    page = client.post(reverse("deals:open"), {"achievement": achievement.pk})
    response = as_user(cast.official).post(
        reverse("api:deal-room-list"), {"achievement": achievement.pk}, format="json"
    )

    assert not may_negotiate(cast.official, achievement)
    assert page.status_code == 403
    assert response.status_code == 403
    assert not Room.objects.exists()


def test_a_member_opens_one(client, cast):
    achievement = published_achievement(cast)
    client.force_login(cast.buyer)

    response = client.post(reverse("deals:open"), {"achievement": achievement.pk})

    assert may_negotiate(cast.buyer, achievement)
    room = Room.objects.get()
    assert response["Location"] == reverse("deals:room", args=[room.pk])
    assert (room.seller, room.buyer) == (cast.university, cast.enterprise)
