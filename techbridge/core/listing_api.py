"""What every listing endpoint shares: strict JSON input, errors with a message, filter forms as
query parameters, listing paging, and the review actions of a listing (submit, approve …).

The listing apps (achievements, demands) subclass ``ListingViewSet`` and name their queries,
serializers and services; the rules of who may do what are ``core.listing_permissions`` (the same
helpers the pages and the services use) and the app's ``permissions.check_author``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from . import listing_permissions as perms
from . import listing_search, listings
from .api import JSONParser, Pagination, ReadOnlyOrAuthenticated, list_excerpts
from .workflow import ReviewStatus

# ---- input -----------------------------------------------------------------------------------


class StrictJSONParser(JSONParser):
    """JSON only; a body that is not JSON or nests too deeply is refused with a readable message."""


class StrictSerializer(serializers.Serializer):
    """Refuse keys the endpoint does not know, instead of silently ignoring a typo.

    Read-only fields count as unknown too: a client cannot set ``status`` or ``owner`` by sending them.
    """

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        """As DRF's, and a refusal carries the fields' labels, so the API's message names the field in
        words (``core.api.exception_handler``), not by its key."""
        try:
            return super().is_valid(raise_exception=raise_exception)
        except serializers.ValidationError as exc:
            from .api import serializer_labels

            exc.field_labels = serializer_labels(self)  # type: ignore[attr-defined]
            raise

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    """A model serializer for input only: it checks types, and its ``create``/``update`` call a service."""

    class Meta:
        # Uniqueness and constraints are checked by the model's ``full_clean`` inside the services.
        validators: ClassVar[list] = []


class ListingWriteSerializer(StrictModelSerializer):
    """Writes a listing through its app's services, many-to-many values passed by name.

    Subclasses set ``create_service`` (``create(actor=, data=, **m2m)``), ``update_service``
    (``update(obj, actor=, data=, **m2m)``) and ``m2m`` (the many-to-many fields the services take).
    On update an m2m field left out of the request is ``None``: the service leaves it as it is.
    """

    create_service: ClassVar[Callable[..., Any]]
    update_service: ClassVar[Callable[..., Any]]
    m2m: ClassVar[tuple[str, ...]] = ()

    def create(self, validated_data: dict[str, Any]) -> Any:
        data = dict(validated_data)
        values = {name: data.pop(name, ()) for name in self.m2m}
        return type(self).create_service(actor=self.context["request"].user, data=data, **values)

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        data = dict(validated_data)
        values = {name: data.pop(name, None) for name in self.m2m}
        return type(self).update_service(instance, actor=self.context["request"].user, data=data, **values)


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Give the owner a reason for the rejection."),
            "blank": gettext_lazy("Give the owner a reason for the rejection."),
        },
    )


class OptionalReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    message = serializers.CharField(
        help_text="One translated sentence saying what went wrong; a field is named by its label in the "
        "request's language (成果简介（公开）：…), never by its key."
    )
    status = serializers.IntegerField(help_text="The HTTP status code.")
    field = serializers.CharField(
        required=False, help_text="For invalid input: the key of the first field in error (as in errors)."
    )
    errors = serializers.JSONField(  # type: ignore[assignment]  # a field, not Serializer.errors
        required=False, help_text="For invalid input: the messages per field, as lists of strings."
    )


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    descriptions = {
        400: "Invalid input or a move the record's state does not allow.",
        401: "Not signed in.",
        403: "Signed in, but not allowed to do this.",
        404: "No such record, or not visible to the caller.",
        429: "Too many attempts.",
    }
    return {c: OpenApiResponse(ErrorSerializer, description=descriptions[c]) for c in codes}


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a service's ``PermissionDenied`` into a 403 that keeps the service's message."""
    try:
        yield
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


def user_only(check: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    """A role check (``check(user)``) in the ``check(user, obj)`` shape ``run_action`` calls."""
    return lambda user, obj: check(user)


def run_action(
    request: Request,
    obj: Any,
    *,
    service: Callable[..., Any],
    out: Callable[..., Any],
    check: Callable[[Any, Any], Any] | None = None,
    body: type[serializers.Serializer] | None = None,
    reply: str = "object",
    refresh: bool = False,
    status: int = status.HTTP_200_OK,
) -> Response:
    """The shape every API action on one record shares, in its order.

    The caller has already found ``obj`` (not visible: 404). Then ``check(user, obj)`` refuses who may
    not (403; ``user_only(check)`` for a role check), ``body`` (a serializer class) validates the request
    (400 with the field's message), and ``service(obj, actor=user, **validated_data)`` runs inside
    ``service_errors()`` (its ``PermissionDenied`` is a 403 with its message; its ``ValidationError`` a
    400). The answer is ``out(x).data`` with ``status``, where ``x`` is ``obj`` (``reply="object"``, read
    again from the database first with ``refresh=True``) or what the service returned
    (``reply="result"``: a record the action created).
    """
    user = request.user
    if check is not None:
        check(user, obj)
    data: dict[str, Any] = {}
    if body is not None:
        serializer = body(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
    with service_errors():
        result = service(obj, actor=user, **data)
    if reply == "result":
        shown = result
    else:
        if refresh:
            obj.refresh_from_db()
        shown = obj
    return Response(out(shown).data, status=status)


class BadQuery(exceptions.APIException):
    """A filter value that does not exist: an error with a message, not an empty page."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("Invalid filter.")
    default_code = "invalid_query"


class FlagField(forms.Field):
    """A yes/no query parameter: ``1``/``true``/``yes`` or ``0``/``false``/``no``; anything else is wrong."""

    TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}

    def to_python(self, value: Any) -> bool:
        text = str(value or "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Use 1 or 0."), code="invalid")


def validated_query(form_class: type[forms.Form], request: Request) -> forms.Form:
    """The filter form bound to the query string, or ``BadQuery`` with the form's first error."""
    form = form_class(request.query_params)
    if not form.is_valid():
        if hasattr(form, "error_message"):
            raise BadQuery(form.error_message())
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else name
        raise BadQuery(f"{label}: {errors[0]}")
    return form


def form_parameters(form_class: type[forms.Form]) -> list[OpenApiParameter]:
    """Query parameters for the schema, read from a filter form so the documentation cannot drift."""
    params = []
    for name, field in form_class.base_fields.items():
        enum = None
        if isinstance(field, forms.ModelChoiceField):
            kind, description = OpenApiTypes.STR, "A code from the matching /taxonomy/ list."
        elif isinstance(field, forms.ChoiceField):
            kind, description = OpenApiTypes.STR, ""
            choices = [str(k) for k, _label in field.choices if k != ""]  # type: ignore[union-attr,misc]
            if name == "sort":
                choices = list(getattr(form_class, "SORTS", {}))
            enum = choices or None
        elif isinstance(field, (forms.DecimalField, forms.FloatField)):  # both subclass IntegerField
            kind, description = OpenApiTypes.NUMBER, ""
        elif isinstance(field, forms.IntegerField):
            kind, description = OpenApiTypes.INT, ""
        elif isinstance(field, (forms.BooleanField, FlagField)):
            kind, description = OpenApiTypes.BOOL, ""
        elif isinstance(field, forms.DateField):
            kind, description = OpenApiTypes.DATE, ""
        else:
            kind, description = OpenApiTypes.STR, ""
        # Lazy: the schema is built when this module is imported, in whatever language is active then;
        # the description is rendered later, in the language of the request or of ``manage.py spectacular``.
        label = field.label or ""
        text: Any = (
            format_lazy("{}. {}", label, description) if label and description else label or description
        )
        params.append(OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=text, enum=enum))
    return params


@functools.cache
def with_listing_params(form_class: type[forms.Form]) -> type[forms.Form]:
    """The listing app's filter form plus what only the API has: ``mine``, ``status`` and ``page_size``."""
    return type(
        f"Api{form_class.__name__}",
        (form_class,),
        {
            "mine": FlagField(required=False, label=gettext_lazy("Only my organisation's listings")),
            "status": forms.ChoiceField(
                label=gettext_lazy("Status"), choices=[("", ""), *ReviewStatus.choices], required=False
            ),
            "page_size": forms.IntegerField(
                label=gettext_lazy("Page size"),
                min_value=1,
                max_value=Pagination.max_page_size,
                required=False,
            ),
        },
    )


# ---- listings --------------------------------------------------------------------------------


class ListingViewSet(viewsets.GenericViewSet):
    """List, read, create, edit and move one kind of reviewable listing.

    Subclasses set the serializers, the filter form, the search ``kind``, ``visible_to(user)``,
    ``check_author`` (the app's rule for who may create one) and ``moves`` (the services by action
    name). Visibility first (a listing the caller may not see is a 404), then who may act (403, the
    checks of ``core.listing_permissions``), then the service, which checks again with the same
    helpers and refuses moves the state does not allow (400).
    """

    search_kind: ClassVar[str] = ""
    filter_form_class: ClassVar[type[forms.Form]]
    list_serializer_class: ClassVar[type[serializers.Serializer]]
    detail_serializer_class: ClassVar[type[serializers.Serializer]]
    write_serializer_class: ClassVar[type[serializers.Serializer]]
    moves: ClassVar[dict[str, Callable[..., Any]]]
    check_author: Callable[[Any], None]

    permission_classes = [ReadOnlyOrAuthenticated]
    parser_classes = [StrictJSONParser]
    pagination_class = Pagination
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def visible_to(self, user: Any) -> QuerySet:
        """The listings ``user`` may see, with what the serializers show already joined."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.visible_to(self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "list":
            return self.list_serializer_class
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.detail_serializer_class

    def get_object(self) -> Any:
        obj = perms.listing_for(self.get_queryset(), self.kwargs.get("pk", ""))
        self.check_object_permissions(self.request, obj)
        return obj

    def detail_response(self, obj: Model, code: int = status.HTTP_200_OK) -> Response:
        # Read back with the joins the serializer needs; a move can only keep a listing visible to its actor,
        # but if it ever does not, answer with what we have rather than fail.
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(
            self.detail_serializer_class(fresh, context=self.get_serializer_context()).data, status=code
        )

    # -- reading

    def list(self, request: Request) -> Response:
        form = validated_query(with_listing_params(self.filter_form_class), request)
        cd = form.cleaned_data
        qs = self.get_queryset()
        if cd.get("mine"):
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated(_("Sign in to see your organisation's listings."))
            qs = qs & listings.owner_queryset(qs.model, request.user)
        elif not cd.get("status"):
            qs = qs.filter(status=ReviewStatus.PUBLISHED)
        if cd.get("status"):
            qs = qs.filter(status=cd["status"])
        qs = form.filter(qs)  # type: ignore[attr-defined]
        result = listing_search.run(
            qs,
            kind=self.search_kind,
            q=cd.get("q") or "",
            sort=form.sort_key,  # type: ignore[attr-defined]
            sort_fields=form.sort_fields,  # type: ignore[attr-defined]
            page=cd.get("page") or 1,
            per_page=cd.get("page_size") or Pagination.page_size,
        )
        page = result.page
        url = request.build_absolute_uri()
        previous = None
        if page.has_previous():
            number = page.previous_page_number()
            previous = (
                remove_query_param(url, "page") if number == 1 else replace_query_param(url, "page", number)
            )
        data = list_excerpts(
            self.list_serializer_class(
                page.object_list, many=True, context=self.get_serializer_context()
            ).data,
            self.list_serializer_class,
        )
        return Response(
            {
                "count": result.total,
                "next": replace_query_param(url, "page", page.next_page_number())
                if page.has_next()
                else None,
                "previous": previous,
                "results": data,
            }
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.detail_response(self.get_object())

    # -- writing

    def create(self, request: Request) -> Response:
        type(self).check_author(request.user)
        serializer = self.write_serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors():
            obj = serializer.save()
        return self.detail_response(obj, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=False)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        obj = self.get_object()
        perms.check_edit(request.user, obj)
        serializer = self.write_serializer_class(
            obj, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            serializer.save()
        return self.detail_response(obj)

    # -- moves

    def _move(self, name: str, *, check: Callable[[Any, Any], None], body: Any = None) -> Response:
        """Visible (else 404), allowed (else 403), a valid body, then the service (400 if state forbids)."""
        obj = self.get_object()
        user: Any = self.request.user
        check(user, obj)
        kwargs: dict[str, Any] = {}
        if body is not None:
            serializer = body(data=self.request.data)
            serializer.is_valid(raise_exception=True)
            kwargs = dict(serializer.validated_data)
        with service_errors():
            self.moves[name](obj, actor=user, **kwargs)
        return self.detail_response(obj)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Send a draft, rejected or expired listing to the reviewers (owners)."""
        return self._move("submit", check=perms.check_editor)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Take a listing off the portal (owners; operators may withdraw any)."""
        return self._move("withdraw", check=perms.check_withdraw, body=OptionalReasonSerializer)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """Bring a withdrawn listing back as a draft (owners)."""
        return self._move("reopen", check=perms.check_editor)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Publish a submitted listing (reviewers and operators)."""
        return self._move("approve", check=_reviewer)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """Send a submitted listing back to its owner with a reason (reviewers and operators)."""
        return self._move("reject", check=_reviewer, body=ReasonSerializer)


def _reviewer(user: Any, obj: Any) -> None:
    perms.check_review(user)


def listing_schema(
    *,
    tag: str,
    noun: str,
    filter_form: type[forms.Form],
    list_serializer: type[serializers.Serializer],
    detail_serializer: type[serializers.Serializer],
    write_serializer: type[serializers.Serializer],
    extra: dict[str, Any] | None = None,
) -> Callable[[type], type]:
    """The OpenAPI description of a ``ListingViewSet`` subclass: parameters, bodies and error responses."""
    move = {200: detail_serializer, **error_responses(400, 401, 403, 404)}
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            summary=f"List {noun}s",
            description=(
                f"Published {noun}s, filtered and searched like the portal list. `mine=1` lists the caller's "
                "organisation's listings in every status; `status` narrows to one status among those the "
                "caller may see."
            ),
            parameters=form_parameters(with_listing_params(filter_form)),
            responses={200: list_serializer(many=True), **error_responses(400, 401)},
        ),
        retrieve=extend_schema(
            tags=[tag], summary=f"Read one {noun}", responses={200: detail_serializer, **error_responses(404)}
        ),
        create=extend_schema(
            tags=[tag],
            summary=f"Create a draft {noun}",
            request=write_serializer,
            responses={201: detail_serializer, **error_responses(400, 401, 403)},
        ),
        update=extend_schema(
            tags=[tag], summary=f"Replace a {noun} (owners)", request=write_serializer, responses=move
        ),
        partial_update=extend_schema(
            tags=[tag], summary=f"Edit a {noun} (owners)", request=write_serializer, responses=move
        ),
        submit=extend_schema(tags=[tag], summary=f"Submit a {noun} for review", request=None, responses=move),
        withdraw=extend_schema(
            tags=[tag], summary=f"Withdraw a {noun}", request=OptionalReasonSerializer, responses=move
        ),
        reopen=extend_schema(tags=[tag], summary=f"Reopen a withdrawn {noun}", request=None, responses=move),
        approve=extend_schema(
            tags=[tag], summary=f"Publish a {noun} (reviewers)", request=None, responses=move
        ),
        reject=extend_schema(
            tags=[tag], summary=f"Reject a {noun} (reviewers)", request=ReasonSerializer, responses=move
        ),
        **(extra or {}),
    )
