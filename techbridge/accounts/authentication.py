"""API token authentication: named tokens that expire and can be revoked (``accounts.ApiToken``).

One indexed lookup per request (the token with its user), compiled to SQL once per thread
(``core.prepared``) and never cached: revoking a token, disabling the account or letting the token expire
takes effect on the very next request on every app server. ``last_used_at`` is written at most once a
minute per token, so a burst of requests (bids) adds no writes.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from techbridge.core.prepared import PreparedRead

from .models import ApiToken, User

LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


_TOKEN_FIELDS = [f.attname for f in ApiToken._meta.concrete_fields]
_USER_FIELDS = [f.attname for f in User._meta.concrete_fields]
_ORGANIZATION = User._meta.get_field("organization").related_model
_ORG_FIELDS = [f.attname for f in _ORGANIZATION._meta.concrete_fields]  # type: ignore[union-attr]

#: The token with its user and the user's organisation, by digest (also chained: ``auctions.fastbid``).
TOKEN_READ = _TOKEN = PreparedRead(
    lambda digest: ApiToken.objects.filter(digest=digest).values(
        *_TOKEN_FIELDS,
        *(f"user__{name}" for name in _USER_FIELDS),
        *(f"user__organization__{name}" for name in _ORG_FIELDS),
    )[:1],
    digest="~sentinel-digest~",
)


def token_with_user(digest: str) -> ApiToken | None:
    """The token with this digest, its user and the user's organisation (one read, the compiled
    statement), or ``None``."""
    row = _TOKEN.one(digest=digest)
    return None if row is None else token_from_row(row)


def token_from_row(row: dict[str, Any]) -> ApiToken:
    """The token, its user and the user's organisation from a row of ``TOKEN_READ``."""
    user = User.from_db("default", _USER_FIELDS, [row[f"user__{name}"] for name in _USER_FIELDS])
    organization: Any = None
    if user.organization_id is not None:
        organization = _ORGANIZATION.from_db(  # type: ignore[union-attr]
            "default", _ORG_FIELDS, [row[f"user__organization__{name}"] for name in _ORG_FIELDS]
        )
    user.organization = organization
    token = ApiToken.from_db("default", _TOKEN_FIELDS, [row[name] for name in _TOKEN_FIELDS])
    token.user = user
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against the user's named, expiring tokens."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        return self.check(token_with_user(digest_of(key)))

    def check(self, token: ApiToken | None) -> tuple[Any, ApiToken]:
        """The token's user and the token when it may sign in (it exists, has not expired, its account is
        active); ``AuthenticationFailed`` with the reason otherwise."""
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token. Sign in again."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("This token has expired. Sign in again to get a new one.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token
