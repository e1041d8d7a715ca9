"""Who may open the pages and endpoints of follows (see techbridge.testing.access): every signed-in user
follows what they may see; a follow is seen and removed by its user only."""

from __future__ import annotations

from typing import Any

from techbridge.testing.access import BAD, HIDE, LOGIN, OK, Route
from techbridge.testing.fixtures.records import published_achievement, shared


def an_achievement(cast: Any) -> dict[str, Any]:
    return {"kind": "achievement", "pk": published_achievement(cast).pk}


def a_strange_kind(cast: Any) -> dict[str, Any]:
    return {"kind": "planet", "pk": 1}


@shared
def buyers_follow(cast: Any) -> Any:
    from techbridge.subscriptions.services import follow

    return follow(cast.buyer, kind="achievement", pk=published_achievement(cast).pk)[0]


ROUTES = [
    Route("subscriptions:follows", anonymous=LOGIN),
    Route("subscriptions:toggle", kwargs=an_achievement, method="POST", anonymous=LOGIN),
    Route("subscriptions:toggle", kwargs=a_strange_kind, method="POST", anonymous=LOGIN, default=HIDE),
    Route("api:follow-list", anonymous=LOGIN),
    Route("api:follow-list", method="POST", anonymous=LOGIN, default=BAD),
    Route(
        "api:follow-detail",
        kwargs=lambda cast: {"pk": buyers_follow(cast).pk},
        method="DELETE",
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        note="a follow is its user's own",
    ),
]
