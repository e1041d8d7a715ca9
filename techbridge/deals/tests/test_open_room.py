"""open_room: either side opens a negotiation from a listing, a match result or after an auction."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.core.audit import history
from techbridge.core.models import Notification
from techbridge.deals.models import Room
from techbridge.deals.services import open_room
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.core import set_status
from techbridge.testing.factories.demands import make_demand
from techbridge.testing.factories.mining import AchievementPackageFactory

pytestmark = pytest.mark.django_db


def test_buyer_opens_a_room_from_an_achievement_and_the_owner_is_notified(cast, achievement):
    room = open_room(actor=cast.buyer, achievement=achievement)
    assert (room.seller, room.buyer, room.status) == (cast.university, cast.enterprise, "open")
    assert room.subject_key == f"achievement:{achievement.pk}"
    assert history(room).get().action == "deals.room.opened"
    assert Notification.objects.filter(recipient=cast.researcher, kind="deal").exists()
    assert not Notification.objects.filter(recipient=cast.buyer).exists()


def test_opening_twice_returns_the_open_room(cast, achievement):
    first = open_room(actor=cast.buyer, achievement=achievement)
    assert open_room(actor=cast.buyer, achievement=achievement) == first
    assert Room.objects.count() == 1


def test_owner_opens_a_room_from_a_match_result_toward_the_demand(cast, achievement):
    demand = make_demand(cast)
    room = open_room(actor=cast.researcher, achievement=achievement, demand=demand, origin="match")
    assert (room.seller, room.buyer, room.origin) == (cast.university, cast.enterprise, "match")


def test_university_answers_a_demand(cast):
    demand = make_demand(cast)
    room = open_room(actor=cast.researcher, demand=demand)
    assert (room.seller, room.buyer) == (cast.university, cast.enterprise)
    assert room.subject_key == f"demand:{demand.pk}"


def test_system_opens_post_auction_negotiation_with_the_highest_bidder(cast, achievement):
    package = AchievementPackageFactory(title="成果包", achievements=[achievement])
    room = open_room(actor=None, package=package, buyer=cast.enterprise, origin="auction", origin_ref="lot:3")
    assert (room.seller, room.buyer, room.origin, room.origin_ref) == (
        cast.university,
        cast.enterprise,
        "auction",
        "lot:3",
    )


def test_staff_must_name_the_buyer(cast, achievement):
    with pytest.raises(ValidationError):
        open_room(actor=cast.operator, achievement=achievement)


def test_owner_cannot_negotiate_with_itself(cast, achievement):
    with pytest.raises(ValidationError):
        open_room(actor=cast.researcher, achievement=achievement)


def test_unpublished_achievement_cannot_be_negotiated(cast):
    draft = make_achievement(cast, published=False)
    with pytest.raises(ValidationError):
        open_room(actor=cast.buyer, achievement=draft)
    assert not Room.objects.exists()


def test_user_without_organisation_cannot_open_a_room(cast, achievement):
    with pytest.raises(PermissionDenied):
        open_room(actor=cast.outsider, achievement=achievement)


def test_package_of_several_owners_is_refused(cast, achievement):
    other = make_achievement(cast, owner=cast.service, created_by=cast.broker)
    package = AchievementPackageFactory(title="混合成果包", achievements=[achievement, other])
    with pytest.raises(ValidationError):
        open_room(actor=None, package=package, buyer=cast.enterprise, origin="auction")


def test_members_negotiate_only_published_packages(cast, achievement):
    package = AchievementPackageFactory(title="成果包", achievements=[achievement])
    with pytest.raises(ValidationError):
        open_room(actor=cast.buyer, package=package)
    set_status(package, "published")
    room = open_room(actor=cast.buyer, package=package)
    assert (room.seller, room.buyer, room.subject_key) == (
        cast.university,
        cast.enterprise,
        f"package:{package.pk}",
    )


def test_anonymous_actor_cannot_open_a_room_even_naming_a_buyer(cast, achievement):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        open_room(actor=AnonymousUser(), achievement=achievement, buyer=cast.enterprise)
