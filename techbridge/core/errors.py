"""One readable, translated line from the error a service raised, for a page's message."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .workflow import TransitionError


def message_of(exc: Exception) -> str:
    """The user-facing text of ``exc``: every message of a ``ValidationError``, a refused state move's
    reason, or the exception's own text (a generic refusal when it has none)."""
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, TransitionError):
        return str(exc.message)
    return str(getattr(exc, "message", "") or exc) or _("You may not do that.")
