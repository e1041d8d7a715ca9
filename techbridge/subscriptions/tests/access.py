"""Who may open the pages and endpoints of follows and subscriptions (see techbridge.testing.access):
every signed-in user follows what they may see, saves searches and sets their notification preferences;
a follow or a saved search is seen, changed and removed by its user only."""

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


@shared
def buyers_search(cast: Any) -> Any:
    from techbridge.subscriptions.services import save_search

    return save_search(cast.buyer, kind="achievement", query="q=电池", name="电池")


_made = {"n": 0}


def a_fresh_search(cast: Any) -> dict[str, Any]:
    """A search of the buyer's made for each try, so deleting one leaves the others."""
    from techbridge.subscriptions.services import save_search

    _made["n"] += 1
    return {"pk": save_search(cast.buyer, kind="demand", query="", name=f"需求 {_made['n']}").pk}


def the_search(cast: Any) -> dict[str, Any]:
    return {"pk": buyers_search(cast).pk}


OWN: dict[str, Any] = {
    "anonymous": LOGIN,
    "default": HIDE,
    "buyer": OK,
    "note": "a saved search is its user's own",
}

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
    Route("subscriptions:save_search", method="POST", anonymous=LOGIN),
    Route("subscriptions:edit_search", kwargs=the_search, method="POST", **OWN),
    Route("subscriptions:delete_search", kwargs=a_fresh_search, method="POST", **OWN),
    Route("subscriptions:preview_search", kwargs=the_search, **OWN),
    Route("subscriptions:preferences", anonymous=LOGIN),
    Route("subscriptions:preferences", method="POST", anonymous=LOGIN),
    Route("api:saved-search-list", anonymous=LOGIN),
    Route("api:saved-search-list", method="POST", anonymous=LOGIN, default=BAD),
    Route("api:saved-search-detail", kwargs=the_search, **OWN),
    Route("api:saved-search-detail", kwargs=the_search, method="PATCH", **OWN),
    Route("api:saved-search-detail", kwargs=a_fresh_search, method="DELETE", **OWN),
    Route("api:saved-search-preview", kwargs=the_search, **OWN),
    Route("api:notification-preferences", anonymous=LOGIN),
    Route("api:notification-preferences", method="PUT", anonymous=LOGIN, default=BAD),
]
