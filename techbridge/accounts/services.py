"""Writes to accounts: sign-up, profile, API tokens, and the sign-in throttle."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from techbridge.core import audit
from techbridge.core.roles import Role
from techbridge.organizations.services import register_organization

from .authentication import digest_of
from .models import ApiToken, User


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


# ---- API tokens ------------------------------------------------------------------------------


def active_tokens(user: Any) -> Any:
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now())


def issue_token(user: User, *, name: str, actor: Any) -> tuple[ApiToken, str]:
    """A new named token for ``user``, valid for ``API_TOKEN_DAYS``; returns it and its key (shown once).

    Expired tokens of the user are dropped, and beyond ``API_TOKEN_MAX_PER_USER`` the oldest are revoked.
    """
    key = secrets.token_hex(20)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100],
            digest=digest_of(key),
            prefix=key[:8],
            expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
        )
        ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
        surplus = list(
            active_tokens(user)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[settings.API_TOKEN_MAX_PER_USER :]
        )
        if surplus:
            ApiToken.objects.filter(pk__in=surplus).delete()
        audit.record(
            user,
            "accounts.user.token_issued",
            actor=actor,
            data={"token": token.pk, "name": token.name, "expires": token.expires_at.isoformat()},
        )
    return token, key


def revoke_token(token: ApiToken, *, actor: Any) -> None:
    """Revoke one token: it stops working at once."""
    with transaction.atomic():
        user = token.user
        data = {"token": token.pk, "name": token.name}
        token.delete()
        audit.record(user, "accounts.user.token_revoked", actor=actor, data=data)


def revoke_all_tokens(user: Any, *, actor: Any, reason: str) -> int:
    """Revoke every token of ``user`` (a password change or reset); ``reason`` is kept in the audit entry."""
    with transaction.atomic():
        count, _ = ApiToken.objects.filter(user=user).delete()
        if count:
            audit.record(
                user, "accounts.user.tokens_revoked", actor=actor, data={"count": count, "reason": reason}
            )
    return count


# ---- sign-in throttle ------------------------------------------------------------------------


def _user_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]
    return f"login-fail:user:{digest}"


def _address_key(ip: str) -> str:
    return f"login-fail:ip:{ip}"


def login_blocked(username: str, ip: str = "") -> bool:
    """Whether this username has used up its sign-in attempts (then even the right password is refused).

    Only the account is locked, never an address: offices and whole campuses sit behind one NAT address,
    and a flood of failures from it must not refuse their colleagues' right passwords. A flooding address
    is slowed down instead (``login_flooded``). ``ip`` is accepted for callers that pass both.
    """
    return (cache.get(_user_key(username)) or 0) >= settings.LOGIN_MAX_ATTEMPTS


def login_flooded(ip: str) -> bool:
    """Whether this address has sent more failed sign-ins than ``LOGIN_MAX_ATTEMPTS_PER_ADDRESS``.

    Its further failures are answered only after ``LOGIN_FLOOD_DELAY_SECONDS`` (``slow_down``), which
    slows a password-spraying client down; a right password from the same address still signs in at once.
    """
    return (cache.get(_address_key(ip)) or 0) >= settings.LOGIN_MAX_ATTEMPTS_PER_ADDRESS


def record_login_failure(username: str, ip: str) -> None:
    """Count one failed sign-in against the username and against the client address."""
    for key in (_user_key(username), _address_key(ip)):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def slow_down(ip: str) -> float:
    """After a failure from a flooding address, wait before answering; returns the seconds waited."""
    delay = max(0.0, float(settings.LOGIN_FLOOD_DELAY_SECONDS))
    if delay and login_flooded(ip):
        time.sleep(min(delay, 5.0))
        return min(delay, 5.0)
    return 0.0


def clear_login_failures(username: str, ip: str = "") -> None:
    """A right password clears the account's count; the address count runs on until it expires.

    Clearing the address as well would let a sprayer reset its own count by signing in to an account it
    owns between guesses.
    """
    cache.delete(_user_key(username))


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
