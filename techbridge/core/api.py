"""API base classes: pagination, JSON errors with a message, permissions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .workflow import TransitionError


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        inner = _first_message(value)
        return inner if key in ("non_field_errors", "detail") else f"{key}: {inner}"
    return str(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every error is JSON with a human ``message`` (translated) and, for bad input, ``errors``."""
    if isinstance(exc, TransitionError):
        exc = exceptions.ValidationError({"detail": str(exc.message)})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        # Keep the reason a check gave (``PermissionDenied("…")``), as the 403 page does.
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    body: dict[str, Any] = {"message": _first_message(detail), "status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body["errors"] = detail
    response.data = body
    return response


class ReadOnlyOrAuthenticated(permissions.IsAuthenticatedOrReadOnly):
    """Anyone may read what is public; writing needs a signed-in user. Objects check more."""
