"""What every page module of instruments shares: running one service call and saying how it went."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from techbridge.core.errors import message_of
from techbridge.core.workflow import TransitionError


def act(request: HttpRequest, func: Callable[[], Any], success: str, to: str, *args: Any) -> HttpResponse:
    """Run ``func`` (one service call); show its refusal or ``success``; go to ``to``.

    ``PermissionDenied`` is not caught: it becomes the 403 page with its reason.
    """
    try:
        func()
    except (ValidationError, TransitionError) as exc:
        messages.error(request, message_of(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect(to, *args)


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
