"""Issue 20 point 10: a broker saw the NDA-gated detail without accepting the NDA. Now every participant
who sees gated detail has accepted it: the seller and the buyer for their sides, a broker himself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.achievements.models import NdaAcceptance
from techbridge.deals import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed_room(cast, achievement):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    services.invite_broker(room, actor=cast.buyer, broker=cast.broker)
    services.accept_room_nda(room, actor=cast.buyer)
    services.accept_room_nda(room, actor=cast.researcher)
    room.refresh_from_db()
    assert room.nda_complete
    return room


def test_a_broker_sees_the_gated_detail_only_after_accepting_the_nda(
    client, as_user, cast, agreed_room, achievement
):
    api = as_user(cast.broker)
    url = f"/api/v1/deals/rooms/{agreed_room.pk}/"
    assert api.get(url).json()["confidential_detail"] is None
    client.force_login(cast.broker)
    page = client.get(reverse("deals:room", args=[agreed_room.pk])).content.decode()
    assert 'data-testid="nda-detail"' not in page and 'data-testid="accept-nda"' in page

    resp = client.post(reverse("deals:nda", args=[agreed_room.pk]), follow=True)
    assert resp.status_code == 200
    assert NdaAcceptance.objects.filter(achievement=achievement, user=cast.broker).exists()
    assert api.get(url).json()["confidential_detail"] == achievement.detail
    page = client.get(reverse("deals:room", args=[agreed_room.pk])).content.decode()
    assert 'data-testid="nda-detail"' in page
    again = api.post(f"/api/v1/deals/rooms/{agreed_room.pk}/nda/")
    assert again.status_code == 400 and "已接受" in again.content.decode()


def test_every_participant_who_sees_the_detail_has_accepted(as_user, cast, agreed_room, achievement):
    """The buyer's side and the seller's side accepted in the room; a broker who sees it accepted too."""
    services.accept_room_nda(agreed_room, actor=cast.broker)
    for user in (cast.buyer, cast.researcher, cast.broker):
        detail = as_user(user).get(f"/api/v1/deals/rooms/{agreed_room.pk}/").json()["confidential_detail"]
        assert detail == achievement.detail
    assert agreed_room.buyer_nda_by == cast.buyer and agreed_room.seller_nda_by == cast.researcher
    assert NdaAcceptance.objects.filter(achievement=achievement, user=cast.broker).exists()


def test_a_brokers_acceptance_before_both_sides_does_not_open_the_detail(as_user, cast, achievement):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    services.invite_broker(room, actor=cast.buyer, broker=cast.broker)
    services.accept_room_nda(room, actor=cast.broker)
    assert as_user(cast.broker).get(f"/api/v1/deals/rooms/{room.pk}/").json()["confidential_detail"] is None
