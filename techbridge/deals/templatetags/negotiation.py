"""Template filters of deals: who is offered the "open a negotiation" button (``deals.permissions``)."""

from __future__ import annotations

from typing import Any

from django import template

from techbridge.deals import permissions

register = template.Library()


@register.filter
def trades(user: Any) -> bool:
    """Members and admins of an organisation negotiate; staff, officials and users without one do not."""
    return permissions.can_trade(user)


@register.filter
def may_negotiate(user: Any, listing: Any) -> bool:
    """Whether ``user`` may open a negotiation about a published listing of another organisation."""
    return permissions.can_negotiate_about(user, listing)
