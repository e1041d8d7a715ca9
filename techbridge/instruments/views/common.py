"""What every page module of instruments shares: running one service call and saying how it went."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from techbridge.core.errors import message_of


def form_error(form: Any, exc: Exception) -> None:
    """Put a service's ``ValidationError`` on the form's fields (or on top when it names none)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, message_of(exc))


def parse_day(value: str | None) -> dt.date:
    """A ``YYYY-MM-DD`` query value, today when absent or unreadable."""
    if value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return timezone.localdate()
