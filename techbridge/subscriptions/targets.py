"""The kinds of record a user can follow: each kind's model, who may see which records, and its page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from .choices import FollowKind


@dataclass(frozen=True)
class Target:
    kind: str
    visible: Callable[[Any], QuerySet]  # the records of this kind ``user`` may see
    url_name: str
    title: Callable[[Any], str]

    def url(self, pk: int) -> str:
        return reverse(self.url_name, args=[pk])


def _achievements(user: Any) -> QuerySet:
    from techbridge.achievements.queries import visible_achievements

    return visible_achievements(user)


def _demands(user: Any) -> QuerySet:
    from techbridge.demands.queries import visible_demands

    return visible_demands(user)


def _institutions(user: Any) -> QuerySet:
    from techbridge.institutions.choices import InstitutionStatus
    from techbridge.institutions.models import Institution

    return Institution.objects.filter(status=InstitutionStatus.APPROVED).select_related("organization")


def _events(user: Any) -> QuerySet:
    from techbridge.events.permissions import visible_events

    return visible_events(user)


TARGETS: dict[str, Target] = {
    FollowKind.ACHIEVEMENT: Target(
        FollowKind.ACHIEVEMENT, _achievements, "achievements:detail", lambda o: o.title
    ),
    FollowKind.DEMAND: Target(FollowKind.DEMAND, _demands, "demands:detail", lambda o: o.title),
    FollowKind.INSTITUTION: Target(
        FollowKind.INSTITUTION, _institutions, "institutions:detail", lambda o: o.organization.name
    ),
    FollowKind.EVENT: Target(FollowKind.EVENT, _events, "events:detail", lambda o: o.title),
}


def target(kind: str) -> Target | None:
    return TARGETS.get(kind)
