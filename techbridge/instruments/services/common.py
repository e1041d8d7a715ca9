"""Helpers every service module of instruments shares: who to tell, and telling them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from techbridge.core import notifications
from techbridge.core.roles import Role


def instrument_staff(instrument: Any) -> list[Any]:
    """Who looks after an instrument: its person in charge, else the owner's admins."""
    from techbridge.accounts.models import User

    if instrument.manager_id and instrument.manager and instrument.manager.is_active:
        return [instrument.manager]
    return list(User.objects.filter(organization_id=instrument.owner_id, role=Role.ORG_ADMIN, is_active=True))


def platform_staff(platform: Any) -> list[Any]:
    """Who runs a platform: its person in charge, else the host's admins."""
    from techbridge.accounts.models import User

    if platform.manager_id and platform.manager and platform.manager.is_active:
        return [platform.manager]
    return list(User.objects.filter(organization_id=platform.host_id, role=Role.ORG_ADMIN, is_active=True))


def tell(
    users: Iterable[Any],
    *,
    kind: str,
    title: str,
    body: str = "",
    url_name: str = "",
    pk: Any = None,
    key: str = "",
) -> None:
    """Notify each of ``users`` once per ``key`` (an empty key sends every time)."""
    link = reverse(url_name, args=[pk]) if url_name else ""
    seen = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notifications.notify(user, kind=kind, title=title, body=body, link=link, dedupe_key=key)
