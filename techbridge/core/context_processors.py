"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .roles import is_console_user

_UNREAD = "_techbridge_unread_notifications"


def unread_notifications(request: HttpRequest) -> int:
    """The signed-in user's unread notifications, counted once per request.

    A page that renders parts with the request (a list page and its results panel) runs the context
    processors once per render; the count is kept on the request so it is read from the database once.
    """
    user = request.user
    if not user.is_authenticated:
        return 0
    count = getattr(request, _UNREAD, None)
    if count is None:
        count = user.notifications.filter(read_at__isnull=True).count()  # type: ignore[union-attr]
        setattr(request, _UNREAD, count)
    return count


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "can_use_console": is_console_user(request.user),
        "unread_notifications": unread_notifications(request),
    }
