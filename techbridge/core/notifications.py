"""Send in-platform notifications, and e-mail when an e-mail backend is configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification


def notify(
    recipient: Any, *, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = ""
) -> bool:
    """Create a notification for ``recipient``; with a ``dedupe_key`` it is sent at most once.

    Returns False when the same key was already sent. E-mail goes out after the transaction commits.
    """
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient=recipient, kind=kind, title=title[:200], body=body, link=link, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return False
    email = getattr(recipient, "email", "")
    if email and getattr(settings, "NOTIFY_BY_EMAIL", True):
        transaction.on_commit(
            lambda: send_mail(title[:200], f"{body}\n\n{link}".strip(), None, [email], fail_silently=True)
        )
    return True
