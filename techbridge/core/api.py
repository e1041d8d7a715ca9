"""API base classes: pagination, JSON errors with a message, a JSON parser with a depth limit, permissions."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError as DjangoInterfaceError
from django.db import OperationalError as DjangoOperationalError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, metadata, pagination, parsers, permissions, serializers
from rest_framework.response import Response

from techbridge.lib import limits

from .workflow import TransitionError


class Pagination(pagination.PageNumberPagination):
    """Pages of at most 100 records, whose long texts are excerpts (``lib.limits.LIST_EXCERPT``).

    A list never carries unbounded text: a field stored in a ``TextField`` longer than the excerpt (a
    summary, a description, a narrative), at the top level of a record or in a record nested in it, is
    cut to ``limits.excerpt``; the record's detail endpoint carries it whole (issue 20 point 8).
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.long_text = _long_text_fields(view, getattr(queryset, "model", None))
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        shape = getattr(self, "long_text", None)
        if shape:
            data = [_cut(item, shape) for item in data]
        return super().get_paginated_response(data)


def list_excerpts(data: Any, serializer_class: type) -> Any:
    """``data`` (records ``serializer_class`` made) with long texts cut, for lists paged by hand."""
    shape = _serializer_shape(serializer_class)
    return [_cut(item, shape) for item in data] if shape else data


# {field name: True (cut it) or {nested field name: …}} for the records a list returns.
LongTextShape = dict[str, Any]


def _long_text_fields(view: Any, model: Any) -> LongTextShape:
    serializer_class = None
    if view is not None and hasattr(view, "get_serializer_class"):
        try:
            serializer_class = view.get_serializer_class()
        except (AssertionError, AttributeError, TypeError):  # a view without one pages plain data
            serializer_class = None
    shape = _serializer_shape(serializer_class) if serializer_class is not None else None
    if shape is None and model is not None:
        shape = {name: True for name in _model_long_text(model)}
    return shape or {}


def _model_long_text(model: Any) -> set[str]:
    return {
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and (field.max_length or 10**9) > limits.LIST_EXCERPT
    }


@cache
def _serializer_shape(serializer_class: type) -> LongTextShape | None:
    """The long-text fields of a serializer's records; ``None`` if it cannot be built without a request."""
    try:
        serializer = serializer_class()
        return _shape_of(serializer, depth=0)
    except (AssertionError, AttributeError, KeyError, TypeError):
        return None


def _shape_of(serializer: Any, depth: int) -> LongTextShape:
    shape: LongTextShape = {}
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    long_text = _model_long_text(model) if model is not None else set()
    for name, field in serializer.fields.items():
        inner = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(inner, serializers.BaseSerializer):
            if depth < 3 and (nested := _shape_of(inner, depth + 1)):
                shape[name] = nested
        elif isinstance(inner, serializers.CharField) and inner.source in long_text:
            shape[name] = True
    return shape


def _cut(value: Any, shape: LongTextShape) -> Any:
    if isinstance(value, list):
        return [_cut(item, shape) for item in value]
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for name, rule in shape.items():
        current = out.get(name)
        if rule is True:
            if isinstance(current, str):
                out[name] = limits.excerpt(current)
        elif current is not None:
            out[name] = _cut(current, rule)
    return out


# No request body the API accepts nests deeper than this (a 5,000-level body used to raise RecursionError).
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether lists/objects in ``data`` nest deeper than ``limit`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies that are not JSON or nest too deeply with a readable 400."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(too_deep_message()) from exc
        except exceptions.ParseError as exc:
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from exc
        if json_depth_exceeds(data):
            raise exceptions.ParseError(too_deep_message())
        return data


def json_object(data: Any) -> Mapping[str, Any]:
    """The request body if it is a JSON object (or form data); an array, string, number or null is a 400."""
    if isinstance(data, Mapping):
        return data
    raise exceptions.ValidationError({"detail": _("The request body must be a JSON object.")})


def too_deep_message() -> str:
    return _("The request body nests lists or objects more than %(limit)s levels deep.") % {
        "limit": MAX_JSON_DEPTH
    }


def _first_error(detail: Any) -> tuple[str, str]:
    """The key of the first field in error ("" for a general error) and its first message."""
    if isinstance(detail, list) and detail:
        return _first_error(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        inner_key, inner = _first_error(value)
        if key in ("non_field_errors", "detail"):
            return inner_key, inner
        return str(key), inner
    return "", str(detail)


def _first_message(detail: Any, labels: dict[str, str] | None = None) -> str:
    """The first message, naming its field by its label (``摘要：请确保…``), never by its key."""
    key, message = _first_error(detail)
    if not key:
        return message
    label = (labels or {}).get(key) or key
    return _("%(field)s: %(message)s") % {"field": label, "message": message}


def _is_auto_label(name: str, label: Any) -> bool:
    """DRF names a field without a label after its key (``summary`` → ``Summary``): no real label."""
    return label is None or str(label) == name.replace("_", " ").capitalize()


def serializer_labels(serializer: Any) -> dict[str, str]:
    """Field key → the field's label in the current language, from a serializer and its model."""
    labels: dict[str, str] = {}
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    try:
        fields = serializer.fields
    except Exception:  # a serializer that cannot build its fields without a request: no labels
        return labels
    for name, f in fields.items():
        if not _is_auto_label(name, f.label):
            labels[name] = str(f.label)
    if model is not None:
        labels.update({k: v for k, v in model_labels(model).items() if k not in labels})
    return labels


def model_labels(model: Any) -> dict[str, str]:
    from django.utils.text import capfirst

    return {
        f.name: str(capfirst(f.verbose_name))
        for f in model._meta.get_fields()
        if getattr(f, "verbose_name", None) and not f.auto_created
    }


def _labels_for(exc: Exception, context: dict) -> dict[str, str]:
    """The labels of the fields an error names: from the serializer that refused the input (set by
    ``StrictSerializer.is_valid``), else from the view's serializer and model."""
    labels: dict[str, str] = dict(getattr(exc, "field_labels", None) or {})
    view = context.get("view")
    if view is None:
        return labels
    serializer_class = None
    try:
        serializer_class = view.get_serializer_class() if hasattr(view, "get_serializer_class") else None
    except Exception:  # a view that cannot tell outside its normal flow
        serializer_class = None
    if serializer_class is not None:
        try:
            found = serializer_labels(
                serializer_class(context={"request": context.get("request"), "view": view})
            )
        except Exception:
            found = {}
        labels.update({k: v for k, v in found.items() if k not in labels})
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        labels.update({k: v for k, v in model_labels(queryset.model).items() if k not in labels})
    return labels


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"


# Seconds a client is asked to wait after the database did not answer (``Retry-After``).
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailable(exceptions.APIException):
    """The database did not answer (restarting, failing over, its connection cut): 503, not 500.

    Nothing the request wanted to write was stored (its transaction did not commit), so the client may
    send it again; an idempotent request (a bid's nonce) is answered once either way. The connection is
    closed at the end of the request (Django drops an unusable one), so the next request reconnects.
    """

    status_code = 503
    default_code = "database_unavailable"


def database_unavailable_message() -> str:
    return _(
        "The service is briefly unavailable (the database did not answer). Nothing was saved; "
        "try again in a few seconds."
    )


# SQLite reports mistakes in a query as OperationalError too: those stay server errors.
_QUERY_MISTAKES = ("no such table", "no such column", "has no column", "syntax error")


def is_database_outage(exc: BaseException) -> bool:
    """A lost, refused or locked database connection (not a constraint, not a mistake in a query)."""
    if isinstance(exc, DjangoInterfaceError):
        return True
    if not isinstance(exc, DjangoOperationalError):
        return False
    text = str(exc).lower()
    return not any(mistake in text for mistake in _QUERY_MISTAKES)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every error is JSON with a human ``message`` (translated) and, for bad input, ``errors``."""
    if isinstance(exc, TransitionError):
        exc = exceptions.ValidationError({"detail": str(exc.message)})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, RecursionError):
        exc = exceptions.ParseError(too_deep_message())
    elif isinstance(exc, OverflowError):
        # A number too large for the database (a 23-digit id) is bad input, not a server error.
        exc = exceptions.ValidationError({"detail": _("A number in the request is out of range.")})
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(
            _("The request is larger than %(mb)s MB. Send large files through an upload, not in the body.")
            % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}
        )
    elif is_database_outage(exc):
        exc = DatabaseUnavailable(database_unavailable_message())
    elif isinstance(exc, DjangoPermissionDenied):
        # Keep the reason a check gave (``PermissionDenied("…")``), as the 403 page does.
        exc = exceptions.PermissionDenied(str(exc) or None)
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES (this module's JSONParser) when
    # it is first imported, so importing it at the top is circular whenever DRF's settings load this
    # module first (e.g. its pagination system check running before the URL check).
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        # The message names the field by its label in the request's language (``摘要：请确保…``); the
        # structured body keeps the keys (``field``, ``errors``) for programs.
        field, _message = _first_error(detail)
        body: dict[str, Any] = {
            "message": _first_message(detail, _labels_for(exc, context)),
            "status": response.status_code,
            "errors": detail,
        }
        if field:
            body["field"] = field
    else:
        body = {"message": _first_message(detail), "status": response.status_code}
    response.data = body
    if isinstance(exc, DatabaseUnavailable):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class ReadOnlyOrAuthenticated(permissions.IsAuthenticatedOrReadOnly):
    """Anyone may read what is public; writing needs a signed-in user. Objects check more."""


class PlainMetadata(metadata.BaseMetadata):
    """What an ``OPTIONS`` request answers: the endpoint's name, description and formats.

    DRF's default also describes the write serializer of every allowed method, which builds serializers
    outside their view's normal flow (a view that picks its serializer per action answered ``OPTIONS``
    with a server error). The schema in ``docs/openapi.json`` is where fields are described.
    """

    def determine_metadata(self, request: Any, view: Any) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
