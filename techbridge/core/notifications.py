"""Send notifications: the in-platform row always, outside channels as the recipient chose.

``notify`` keeps its old signature. It reads the recipient's preferences (``core.channels``), creates
the ``Notification`` (idempotent by ``dedupe_key``) and one ``Delivery`` per outside channel the user
wants and can be reached on; deliveries are sent after the commit, or held until the end of the
user's quiet hours. ``deliver`` sends one (claimed by a conditional UPDATE, so two workers never send
it twice); a failure is retried with back-off by ``send_due`` (``core.tasks.send_due_deliveries``).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import channels
from .models import Delivery, Notification

log = logging.getLogger("techbridge.notifications")

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=10)  # a claimed delivery whose worker died is tried again after this


def backoff(attempts: int) -> timedelta:
    """2, 4, 8, 16 minutes after the 1st, 2nd, 3rd, 4th failure."""
    return timedelta(minutes=2**attempts)


def wants(recipient: Any, kind: str) -> bool:
    """Whether ``recipient`` hears of ``kind`` at all (its group is not muted)."""
    return channels.preferences_for(recipient).enabled(channels.group_of(kind), channels.IN_APP)


def notify(
    recipient: Any,
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
    urgent: bool | None = None,
) -> bool:
    """Create a notification for ``recipient``; with a ``dedupe_key`` it is sent at most once.

    Returns False when the same key was already sent, or when the recipient muted this kind's group.
    Outside channels go out after the transaction commits (``urgent`` defaults to the kind's urgency).
    """
    group = channels.group_of(kind)
    prefs = channels.preferences_for(recipient)
    if not prefs.enabled(group, channels.IN_APP):
        return False
    now = timezone.now()
    hold = None if (channels.is_urgent(kind) if urgent is None else urgent) else prefs.quiet_until(now)
    rows: list[Delivery] = []
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, title=title[:200], body=body, link=link, dedupe_key=dedupe_key
            )
            for name, ch in channels.OUTSIDE.items():
                if not prefs.enabled(group, name):
                    continue
                address = ch.address(recipient, prefs)
                if address:
                    rows.append(
                        Delivery(
                            notification=notification,
                            channel=name,
                            address=ch.shown(address)[:200],
                            not_before=hold or now,
                        )
                    )
            if rows:
                rows = Delivery.objects.bulk_create(rows)
    except IntegrityError:
        return False
    if rows and hold is None:
        pks = [row.pk for row in rows]
        transaction.on_commit(lambda: [deliver(pk) for pk in pks])
    return True


def deliver(pk: int) -> str:
    """Send one due delivery; returns its state afterwards ("" when it was not due or taken)."""
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=pk, state=Delivery.PENDING, not_before__lte=now).update(
        not_before=now + LEASE
    )
    if not claimed:
        return ""
    row = Delivery.objects.select_related("notification__recipient").get(pk=pk)
    n = row.notification
    ch = channels.channel(row.channel)
    message = channels.Message(n.kind, n.title, n.body, n.link)
    try:
        if ch is None:
            raise channels.DeliveryError(f"unknown channel {row.channel}")
        ch.send(n.recipient, message)
    except channels.DeliveryError as exc:
        attempts = row.attempts + 1
        done = attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=pk).update(
            attempts=attempts,
            error=str(exc)[:500],
            state=Delivery.FAILED if done else Delivery.PENDING,
            not_before=now + backoff(attempts),
        )
        log.warning("delivery %s on %s failed (attempt %s): %s", pk, row.channel, attempts, exc)
        return Delivery.FAILED if done else Delivery.PENDING
    Delivery.objects.filter(pk=pk).update(
        state=Delivery.SENT, attempts=row.attempts + 1, sent_at=timezone.now(), error=""
    )
    return Delivery.SENT


def send_due(limit: int = 500) -> dict[str, int]:
    """Send the deliveries that are due (held by quiet hours, or waiting after a failure)."""
    counts: dict[str, int] = {}
    due = Delivery.objects.filter(state=Delivery.PENDING, not_before__lte=timezone.now())
    for pk in due.order_by("not_before", "pk").values_list("pk", flat=True)[:limit]:
        state = deliver(pk)
        if state:
            counts[state] = counts.get(state, 0) + 1
    return counts
