"""Every write of events, by topic: ``events`` (the event and its programme) and ``registrations``
(seats, the waitlist, the door). Audit codes are ``events.<model>.<verb>``."""

from .events import (
    cancel_event,
    conclude_event,
    create_event,
    publish_event,
    set_sessions,
    update_event,
)
from .registrations import (
    CheckIn,
    cancel,
    check_in,
    door_open,
    promote_waitlist,
    register,
    send_event_reminders,
)

__all__ = [
    "CheckIn",
    "cancel",
    "cancel_event",
    "check_in",
    "conclude_event",
    "create_event",
    "door_open",
    "promote_waitlist",
    "publish_event",
    "register",
    "send_event_reminders",
    "set_sessions",
    "update_event",
]
