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


def sign_up(*, username: str, password: str, email: str, real_name: str, phone: str, organization: dict) -> User:
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
        audit.record(user, "sign_up", actor=user, data={"organization": org.pk})
        audit.record(org, "first_admin", actor=user)
    return user


def update_profile(user: User, *, actor: Any, **fields: Any) -> User:
    """Change the user's own profile details; the change is audited."""
    changed = [k for k, v in fields.items() if getattr(user, k) != v]
    for key, value in fields.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=list(fields) or None)
        audit.record(user, "edit_profile", actor=actor, data={"fields": sorted(changed)})
    return user


# ---- sign-in throttle ------------------------------------------------------------------------


def _keys(username: str, ip: str) -> list[str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]
    return [f"login-fail:user:{digest}", f"login-fail:ip:{ip}"]


def login_blocked(username: str, ip: str) -> bool:
    """Whether this username or this address has used up its sign-in attempts."""
    return any((cache.get(k) or 0) >= settings.LOGIN_MAX_ATTEMPTS for k in _keys(username, ip))


def record_login_failure(username: str, ip: str) -> None:
    for key in _keys(username, ip):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear_login_failures(username: str, ip: str) -> None:
    cache.delete_many(_keys(username, ip))
