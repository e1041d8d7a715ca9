"""Template filters of deals: who is offered the "open a negotiation" button."""

from __future__ import annotations

from typing import Any

from django import template

from techbridge.core.roles import Role

register = template.Library()


@register.filter
def trades(user: Any) -> bool:
    """Members and admins of an organisation negotiate; staff, officials and users without one do not."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "organization_id", None)
        and user.role in (Role.MEMBER, Role.ORG_ADMIN)
    )


@register.filter
def may_negotiate(user: Any, listing: Any) -> bool:
    """Whether ``user`` may open a negotiation about a published listing of another organisation."""
    return (
        trades(user)
        and getattr(listing, "is_public", False)
        and getattr(listing, "owner_organization_id", None) != user.organization_id
    )
