"""Core: notifications, and putting a record that has a state machine straight into a state.

``set_status`` and ``publish`` are test set-up only: they skip the state machine, the audit log and
every signal, so a test starts from the state it describes without walking the workflow to get there.
"""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from techbridge.core.models import Notification
from techbridge.core.workflow import ReviewStatus

from .accounts import UserFactory


def set_status(obj: Any, status: str, **extra: Any) -> Any:
    """Put ``obj`` straight into ``status`` (and any other ``extra`` values); returns it refreshed."""
    field = getattr(obj, "STATUS_FIELD", "status")
    type(obj)._default_manager.filter(pk=obj.pk).update(**{field: status, **extra})
    obj.refresh_from_db()
    return obj


def publish(listing: Any, **extra: Any) -> None:
    """Put an achievement or demand straight into the published state (bypassing review)."""
    set_status(listing, ReviewStatus.PUBLISHED, published_at=timezone.now(), **extra)


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread notification in someone's inbox; pass ``recipient`` (a new user otherwise)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"成果审核通过通知{n}")
    body = "您提交的成果已通过审核并公开发布。"
