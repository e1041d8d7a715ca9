"""One readable, translated line from the error a service raised, for a page's message; and the shared
way a POST action shows it (``act``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
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


#: What a service raises to refuse a request: shown as a message on the page, not as an error page.
REFUSALS: tuple[type[Exception], ...] = (ValidationError, TransitionError)


def act(
    request: HttpRequest,
    func: Callable[[], Any],
    success: str,
    to: str,
    *args: Any,
    refusals: tuple[type[Exception], ...] = REFUSALS,
) -> HttpResponse:
    """Run one service call from a POST; show its refusal (``message_of``) or ``success``; redirect to ``to``.

    ``PermissionDenied`` is not caught unless listed in ``refusals``: by default it renders the 403 page with
    its reason. Every app's POST-only action views share this instead of writing the try/except again.
    """
    try:
        func()
    except refusals as exc:
        messages.error(request, message_of(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect(to, *args)
