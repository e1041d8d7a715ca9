"""Deals (洽谈): a negotiation room straight in the database; ``open_room`` in the services is the way
a user opens one (and what most tests use)."""

from __future__ import annotations

import factory

from techbridge.deals.models import Room

from .achievements import AchievementFactory
from .organizations import OrganizationFactory


class RoomFactory(factory.django.DjangoModelFactory):
    """An open room about a published achievement, between its owner and a new enterprise; no one is
    notified and nothing is audited (use ``deals.services.open_room`` for that)."""

    class Meta:
        model = Room

    achievement = factory.SubFactory(AchievementFactory, published=True)
    subject_key = factory.LazyAttribute(lambda room: f"achievement:{room.achievement.pk}")
    title = factory.LazyAttribute(lambda room: room.achievement.title)
    seller = factory.LazyAttribute(lambda room: room.achievement.owner)
    buyer = factory.SubFactory(OrganizationFactory)
