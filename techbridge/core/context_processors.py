"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .roles import is_console_user


def platform(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    unread = 0
    if user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()  # type: ignore[union-attr]
    return {"can_use_console": is_console_user(user), "unread_notifications": unread}
