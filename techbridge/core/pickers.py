"""Search-as-you-type pickers: one form field, one widget, one search for every kind of record that grows.

A form that picks an achievement, a demand, an organisation or a user never renders a ``<select>`` of
every row. ``PickerField`` (one record) and ``PickerMultipleField`` (one per line) render a text box
holding only the chosen record (``#12 标题``); ``core/picker.js`` lists matches under it as the user
types (``GET /pick/<kind>/?q=``, at most ``LIMIT``), and without JavaScript the box accepts the record's
number or its exact name, validated on the server against the form's own queryset. Kinds are registered
by their apps (``core.registry.register_picker``); the API twin is ``GET /api/v1/pick/<kind>/?q=``.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import registry
from .fulltext import get_backend
from .listing_api import BadQuery, error_responses

LIMIT = 20  # choices per answer
MAX_QUERY = 100  # characters of a search
MAX_VALUE = 300  # characters of one typed value
MAX_LINES = 100  # records of a multiple picker
FULLTEXT_HITS = 200
PK = re.compile(r"^#?\s*(\d{1,12})(?:\s|$)")
SPLIT = re.compile(r"[\r\n]+")


def kind_or_none(kind: str) -> registry.PickerKind | None:
    return registry.picker(kind)


def query_problem(q: str) -> str:
    """A translated reason why ``q`` is not a search, or ``""``."""
    if len(q) > MAX_QUERY:
        return _("Type at most %(n)s characters to search.") % {"n": MAX_QUERY}
    return ""


def find(picker: registry.PickerKind, user: Any, q: str, *, limit: int = LIMIT) -> list[Model]:
    """At most ``limit`` records of ``picker`` this user may find for ``q``: the record numbered ``q``,
    then full-text hits by rank, then prefix/substring matches. Empty text finds nothing."""
    q = q.strip()
    if not q or len(q) > MAX_QUERY:
        return []
    visible: QuerySet = picker.visible(user)
    found: dict[int, Model] = {}
    m = PK.match(q)
    if m:
        for obj in visible.filter(pk=int(m[1]))[:1]:
            found[obj.pk] = obj
    if picker.fulltext:
        ids = [h.object_id for h in get_backend().search(picker.fulltext, q, limit=FULLTEXT_HITS)]
        if ids:
            rows = visible.in_bulk(ids)
            for pk in ids:
                if pk in rows and len(found) < limit:
                    found.setdefault(pk, rows[pk])
    if len(found) < limit and (picker.fields or picker.prefix_fields):
        cond = Q()
        for name in picker.prefix_fields:
            cond |= Q(**{f"{name}__istartswith": q})
        for name in picker.fields:
            cond |= Q(**{f"{name}__icontains": q})
        more = visible.filter(cond).exclude(pk__in=list(found)).order_by(*picker.order_by)
        for obj in more[: limit - len(found)]:
            found[obj.pk] = obj
    return list(found.values())[:limit]


def choices(picker: registry.PickerKind, user: Any, q: str, *, limit: int = LIMIT) -> list[tuple[int, str]]:
    """``(id, label)`` of what ``find`` (or the kind's own ``search``) gives this user for ``q``."""
    if picker.search is not None:
        q = q.strip()
        if not q or len(q) > MAX_QUERY or not getattr(user, "is_authenticated", False):
            return []
        return list(picker.search(user, q, limit))[:limit]
    return [(o.pk, picker.label(o)) for o in find(picker, user, q, limit=limit)]


def number_of(text: Any) -> int | None:
    """The record number a typed or picked value starts with (``#12 …`` or ``12``), or ``None``."""
    m = PK.match(str(text or "").strip())
    return int(m[1]) if m else None


def value_of(picker: registry.PickerKind, obj: Model) -> str:
    """What the text box holds for a chosen record: its number, then how it reads."""
    return f"#{obj.pk} {picker.label(obj)}"


def resolve(picker: registry.PickerKind, queryset: QuerySet, text: str) -> Model:
    """The one record of ``queryset`` that ``text`` names (``#12 …``, ``12`` or the exact name)."""
    text = text.strip()
    if len(text) > MAX_VALUE:
        raise ValidationError(_("Type at most %(n)s characters.") % {"n": MAX_VALUE}, code="max_length")
    m = PK.match(text)
    if m:
        obj = queryset.filter(pk=int(m[1])).first()
        if obj is not None:
            return obj
    elif picker.name_field:
        rows = list(queryset.filter(**{picker.name_field: text})[:2])
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise ValidationError(
                _("Several records are called “%(value)s”; pick one from the list.") % {"value": text},
                code="ambiguous",
            )
    raise ValidationError(
        _("“%(value)s” is not a record you may choose here: type part of its name and pick it from the list.")
        % {"value": text[:60]},
        code="invalid_choice",
    )


class PickerWidget(forms.TextInput):
    """A text box the picker script turns into a search-as-you-type list (never a ``<select>``)."""

    def __init__(self, kind: str, *, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "data-pick": kind,
            "data-pick-url": reverse_lazy("pick", kwargs={"kind": kind}),
            "autocomplete": "off",
            "maxlength": str(MAX_VALUE),
            "placeholder": gettext_lazy("Type a name or number, then pick from the list"),
        }
        super().__init__(attrs={**base, **(attrs or {})})


class PickerTextarea(forms.Textarea):
    """One record per line, each line searched as the user types."""

    def __init__(self, kind: str, *, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "data-pick": kind,
            "data-pick-url": reverse_lazy("pick", kwargs={"kind": kind}),
            "data-multi": "1",
            "autocomplete": "off",
            "rows": "3",
        }
        super().__init__(attrs={**base, **(attrs or {})})


class _PickerMixin:
    kind: str

    def _qs(self) -> QuerySet:
        qs = getattr(self, "queryset", None)
        assert qs is not None, "a picker field needs a queryset"
        return qs

    @property
    def picker(self) -> registry.PickerKind:
        found = registry.picker(self.kind)
        if found is None:  # pragma: no cover - a programming error, caught by the first test of the form
            raise LookupError(f"No picker registered for {self.kind!r}")
        return found

    def _display(self, value: Any) -> Any:
        if isinstance(value, Model):
            return value_of(self.picker, value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            obj = self._qs().filter(pk=int(value)).first()
            return value_of(self.picker, obj) if obj is not None else str(value)
        return value


class PickerField(_PickerMixin, forms.ModelChoiceField):
    """One record of ``queryset``, picked by typing (the drop-in for a ``ModelChoiceField``)."""

    def __init__(self, kind: str, queryset: Any, **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("widget", PickerWidget(kind))
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return self._display(value)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        return resolve(self.picker, self._qs(), str(value))

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self._display(initial) or "") != str(data or "").strip()


class PickerMultipleField(_PickerMixin, forms.ModelMultipleChoiceField):
    """Several records of ``queryset``, one per line (the drop-in for a ``ModelMultipleChoiceField``)."""

    def __init__(self, kind: str, queryset: Any, *, limit: int = MAX_LINES, **kwargs: Any) -> None:
        self.kind, self.limit = kind, limit
        kwargs.setdefault("widget", PickerTextarea(kind))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, QuerySet):
            value = list(value)
        if isinstance(value, list | tuple):
            return "\n".join(str(self._display(v)) for v in value)
        return value

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        lines = [line.strip() for line in SPLIT.split(str(value or "")) if line.strip()]
        if not lines:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self._qs().none()
        if len(lines) > self.limit:
            raise ValidationError(_("At most %(n)s records.") % {"n": self.limit}, code="max_records")
        chosen: dict[int, Model] = {}
        errors: list[str] = []
        for line in lines:
            try:
                obj = resolve(self.picker, self._qs(), line)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                chosen[obj.pk] = obj
        if errors:
            raise ValidationError(errors)
        return self._qs().filter(pk__in=list(chosen))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True


# ---- the search endpoints --------------------------------------------------------------------------


def pick(request: HttpRequest, kind: str) -> HttpResponse:
    """``GET /pick/<kind>/?q=``: the choices as a small HTML list for the picker script."""
    picker = kind_or_none(kind)
    if picker is None:
        raise Http404
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    q = (request.GET.get("q") or "").strip()
    problem = query_problem(q)
    if problem:
        return render(request, "core/partials/pick.html", {"problem": problem, "q": q}, status=400)
    found = [(f"#{pk} {label}",) * 2 for pk, label in choices(picker, request.user, q)]
    return render(request, "core/partials/pick.html", {"choices": found, "q": q})


class PickView(APIView):
    """``GET /api/v1/pick/<kind>/?q=``: at most 20 records of a kind the caller may choose in a form."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["pickers"],
        summary="Search records to pick in a form (achievements, demands, organisations, users …)",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                OpenApiParameter.PATH,
                description=(
                    "achievements, demands, organizations, users, patents, packages, lots, brokers, "
                    "experts, analysis-providers, assistance-providers, vouchers, carriers, contracts, "
                    "case-contract, case-room, case-lot."
                ),
            ),
            OpenApiParameter(
                "q",
                str,
                description="Part of the name or title, a credit code or number, or #id (≤ 100 characters).",
            ),
        ],
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    "PickResults",
                    {
                        "results": serializers.ListField(
                            child=inline_serializer(
                                "PickChoice",
                                {
                                    "id": serializers.IntegerField(),
                                    "label": serializers.CharField(),
                                    "value": serializers.CharField(
                                        help_text="What a form field of this kind accepts."
                                    ),
                                },
                            )
                        )
                    },
                )
            ),
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request: Request, kind: str) -> Response:
        picker = kind_or_none(kind)
        if picker is None:
            raise NotFound(_("No such kind of record."))
        q = (request.query_params.get("q") or "").strip()
        problem = query_problem(q)
        if problem:
            raise BadQuery(problem)
        results = [
            {"id": pk, "label": label, "value": f"#{pk} {label}"}
            for pk, label in choices(picker, request.user, q)
        ]
        return Response({"results": results})
