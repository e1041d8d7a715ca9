"""Who may see and do what with accounts: signing up, in and out and resetting a password are open
to everyone; the profile, the password change and the notifications are the signed-in user's own.
A notification exists only for its recipient (anyone else gets a 404)."""

from __future__ import annotations

from typing import Any

from techbridge.core.models import Notification
from techbridge.core.permissions import hide


def notification_for(user: Any, pk: Any) -> Notification:
    """The user's own notification ``pk``, else ``Http404``."""
    notification = Notification.objects.filter(pk=pk, recipient_id=getattr(user, "pk", None) or 0).first()
    if notification is None:
        hide()
    return notification
