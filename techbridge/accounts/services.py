"""Writes to accounts: sign-up, profile, and the sign-in throttle."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from techbridge.core import audit
from techbridge.core.roles import Role
from techbridge.organizations.services import register_organization

from .models import User


def sign_up(
    *, username: str, password: str, email: str, real_name: str, phone: str, organization: dict
) -> User:
    """Register a new organisation (awaiting review) and its first user as organisation admin.

    Both are created or neither is.
    """
    with transaction.atomic():
        org = register_organization(**organization)
        user = User(username=username, email=email, real_name=real_name, phone=phone, organization=org)
        user.role = Role.ORG_ADMIN
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(user, "accounts.user.signed_up", actor=user, data={"organization": org.pk})
        audit.record(org, "organizations.organization.first_admin_joined", actor=user)
    return user


def update_profile(user: User, *, actor: Any, **fields: Any) -> User:
    """Change the user's own profile details; the change is audited."""
    changed = [k for k, v in fields.items() if getattr(user, k) != v]
    for key, value in fields.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=list(fields) or None)
        audit.record(user, "accounts.user.profile_edited", actor=actor, data={"fields": sorted(changed)})
    return user


# ---- sign-in throttle ------------------------------------------------------------------------


def _keys(username: str, ip: str) -> list[tuple[str, int]]:
    """Counter keys with their limits: a tight one per username, a loose one per address.

    Government offices sit behind one NAT address, so the per-address limit is much higher: it stops a
    password-spraying client without locking a whole office out after five typos.
    """
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]
    return [
        (f"login-fail:user:{digest}", settings.LOGIN_MAX_ATTEMPTS),
        (f"login-fail:ip:{ip}", settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS),
    ]


def login_blocked(username: str, ip: str) -> bool:
    """Whether this username or this address has used up its sign-in attempts."""
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(username, ip))


def record_login_failure(username: str, ip: str) -> None:
    for key, _limit in _keys(username, ip):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear_login_failures(username: str, ip: str) -> None:
    cache.delete_many([key for key, _limit in _keys(username, ip)])


# ---- notifications ---------------------------------------------------------------------------
# Reading a notification is not an important change, so these moves are not written to the audit log.


def mark_notification_read(notification: Any, *, actor: Any) -> bool:
    """Mark one of the actor's own notifications read; returns False when it already was.

    Raises ``PermissionDenied`` for someone else's notification.
    """
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from techbridge.core.models import Notification

    if not getattr(actor, "is_authenticated", False) or notification.recipient_id != actor.pk:
        raise PermissionDenied
    now = timezone.now()
    rows = Notification.objects.filter(pk=notification.pk, recipient=actor, read_at__isnull=True).update(
        read_at=now
    )
    if rows:
        notification.read_at = now
    return bool(rows)


def mark_all_notifications_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    from django.utils import timezone

    from techbridge.core.models import Notification

    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# ---- registering an organisation after sign-up -----------------------------------------------
