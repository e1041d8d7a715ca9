"""API of the catalogue: instruments (search in Chinese, explained), calendars, upkeep, matching, utilisation.

Who sees what: active and suspended instruments are public; writing needs the owner's staff (or, to
suspend, a platform operator). Utilisation is for owner staff (their instruments) and console users
(``scope=all``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.accounts.models import User
from techbridge.core.api import Pagination, ReadOnlyOrAuthenticated
from techbridge.core.listing_api import BadQuery, error_responses, service_errors
from techbridge.core.roles import is_console_user
from techbridge.demands.queries import visible_demands
from techbridge.lib.numbers import digits
from techbridge.matching.hybrid import QueryError
from techbridge.organizations.choices import District
from techbridge.taxonomy.models import IndustryField

from .. import corpora, queries
from .. import permissions as rules
from ..choices import InstrumentCategory, InstrumentStatus, PlatformStatus, ResourceKind
from ..models import FeeRate, Instrument, ServiceOffer, ServicePlatform
from ..rules import LowExternalUseRule
from ..services import catalogue as services
from ..services import usage as usage_services
from ..views.common import parse_day
from .serializers import (
    CalendarSerializer,
    FeeRatesInSerializer,
    InstrumentHitSerializer,
    InstrumentInSerializer,
    InstrumentMatchResultSerializer,
    InstrumentSerializer,
    InstrumentStatusInSerializer,
    InternalUseInSerializer,
    MaintenanceInSerializer,
    QualificationInSerializer,
    UsageRecordSerializer,
    UtilisationSerializer,
)

TAG = "instruments"
SEARCH_DEPTH = 60

LIST_PARAMETERS = [
    OpenApiParameter(
        "q", str, description="A testing need in plain words (Chinese); results are ranked and explained."
    ),
    OpenApiParameter("category", str, enum=InstrumentCategory.values),
    OpenApiParameter("kind", str, enum=ResourceKind.values),
    OpenApiParameter(
        "district", str, enum=District.values, description="District of the owner organisation."
    ),
    OpenApiParameter("zone", str, description="Zone code of the owner organisation (its parks included)."),
    OpenApiParameter("field", str, description="Industry field code."),
    OpenApiParameter("funded", bool, description="Bought with public funds."),
    OpenApiParameter("self_use", bool, description="Only instruments trained users may operate themselves."),
    OpenApiParameter("bookable", bool, description="Only instruments open for booking now."),
    OpenApiParameter("owner", int, description="Owner organisation id."),
    OpenApiParameter("platform", int, description="Service platform id."),
]
TRUE = {"1", "true", "yes"}
FALSE = {"0", "false", "no"}


def _bool(value: str | None, name: str) -> bool | None:
    if value is None or value == "":
        return None
    word = value.lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise BadQuery(_("%(name)s: use true or false.") % {"name": name})


def _int(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    if not digits(str(value)):
        raise BadQuery(_("%(name)s: a number is expected.") % {"name": name})
    return int(str(value))


def filters_from_query(params: Any) -> queries.CatalogueFilters:
    category = params.get("category") or ""
    if category and category not in InstrumentCategory.values:
        raise BadQuery(_("Unknown category."))
    kind = params.get("kind") or ""
    if kind and kind not in ResourceKind.values:
        raise BadQuery(_("Unknown kind."))
    district = params.get("district") or ""
    if district and district not in District.values:
        raise BadQuery(_("Unknown district."))
    field = params.get("field") or ""
    if field and not IndustryField.objects.filter(code=field).exists():
        raise BadQuery(_("Unknown industry field."))
    return queries.CatalogueFilters(
        category=category,
        kind=kind,
        district=district,
        zone=(params.get("zone") or "")[:32],
        field=field,
        publicly_funded=_bool(params.get("funded"), "funded"),
        self_use=bool(_bool(params.get("self_use"), "self_use")),
        bookable=bool(_bool(params.get("bookable"), "bookable")),
        owner=_int(params.get("owner"), "owner"),
        platform=_int(params.get("platform"), "platform"),
    )


def _write_data(d: dict[str, Any], owner_id: int) -> dict[str, Any]:
    data = {k: v for k, v in d.items() if k not in ("industry_fields", "rates", "manager", "platform")}
    if d.get("manager"):
        manager = User.objects.filter(username=d["manager"], is_active=True).first()
        if manager is None:
            raise DjangoValidationError({"manager": [_("No user with this name.")]})
        data["manager"] = manager
    if "platform" in d:
        data["platform"] = (
            get_object_or_404(ServicePlatform, pk=d["platform"], host_id=owner_id) if d["platform"] else None
        )
    return data


def _fields(codes: list[str] | None) -> list[IndustryField] | None:
    if codes is None:
        return None
    found = list(IndustryField.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise DjangoValidationError({"industry_fields": [_("Unknown industry field.")]})
    return found


MOVE = {200: InstrumentSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Search and filter the catalogue of shared instruments",
        description="Without `q`: ordered by name. With `q`: the best matches first, each with `match` "
        "(shared terms, closeness of meaning, sentences).",
        parameters=LIST_PARAMETERS,
        responses={200: InstrumentHitSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one instrument",
        responses={200: InstrumentSerializer, **error_responses(404)},
    ),
)
class InstrumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shared instruments and pilot lines."""

    permission_classes = [ReadOnlyOrAuthenticated]
    lookup_value_regex = r"\d+"
    pagination_class = Pagination
    serializer_class = InstrumentSerializer

    def get_queryset(self):
        return queries.visible_instruments(self.request.user).prefetch_related(
            Prefetch("rates", queryset=FeeRate.objects.order_by("audience", "unit"))
        )

    def get_object(self) -> Instrument:
        return rules.instrument_for(self.request.user, int(self.kwargs["pk"]), queryset=self.get_queryset())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = filters_from_query(request.query_params)
        qs = filters.apply(self.get_queryset())
        q = (request.query_params.get("q") or "").strip()[:500]
        if not q:
            plain: Any = self.paginate_queryset(qs.order_by("name", "id"))
            data = [{"instrument": InstrumentSerializer(i).data, "match": None} for i in plain]
            return self.get_paginated_response(data)
        allowed = set(qs.values_list("pk", flat=True))
        try:
            matches = corpora.find(
                corpora.INSTRUMENTS,
                q,
                k=SEARCH_DEPTH,
                allowed=allowed,
                fields=[filters.field] if filters.field else (),
            )
        except QueryError as exc:
            raise BadQuery(exc.message) from exc
        rows = corpora.explained(matches, qs.in_bulk([m.id for m in matches]))
        page: Any = self.paginate_queryset(rows)  # type: ignore[arg-type]
        hits: list[dict[str, Any]] = [
            {
                "instrument": InstrumentSerializer(r["object"]).data,
                "match": {k: v for k, v in r.items() if k != "object"},
            }
            for r in page
        ]
        return self.get_paginated_response(hits)

    def _detail(self, instrument: Instrument, code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=instrument.pk)
        return Response(InstrumentSerializer(fresh).data, status=code)

    @extend_schema(
        tags=[TAG],
        summary="List an instrument of my organisation",
        request=InstrumentInSerializer,
        responses={201: InstrumentSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        user: Any = request.user
        if not rules.can_add_instrument(user):
            raise DjangoPermissionDenied(_("Only members of an approved organisation can list instruments."))
        ser = InstrumentInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        with service_errors():
            instrument = services.create_instrument(
                actor=request.user,
                data=_write_data(d, user.organization_id),
                fields=_fields(d.get("industry_fields")) or [],
                rates=d.get("rates") or [],
            )
        return self._detail(instrument, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Change an instrument (owner staff)",
        request=InstrumentInSerializer,
        responses=MOVE,
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        instrument = self.get_object()
        if not rules.can_manage_instrument(request.user, instrument):
            raise DjangoPermissionDenied(
                _("Only the owner's staff in charge of this instrument can do this.")
            )
        ser = InstrumentInSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        with service_errors():
            services.update_instrument(
                instrument,
                actor=request.user,
                data=_write_data(d, instrument.owner_id),
                fields=_fields(d.get("industry_fields")),
            )
            if "rates" in d:
                services.set_fee_rates(instrument, actor=request.user, rates=d["rates"])
        return self._detail(instrument)

    @extend_schema(
        tags=[TAG],
        summary="One week of the booking calendar",
        parameters=[
            OpenApiParameter("week", str, description="A day of the week (YYYY-MM-DD); default today.")
        ],
        responses={200: CalendarSerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny])
    def calendar(self, request: Request, pk: int) -> Response:
        instrument = rules.instrument_for(request.user, int(pk))
        week = queries.calendar_week(instrument, parse_day(request.query_params.get("week")), request.user)
        days = []
        for i, day in enumerate(week.days):
            cells = [
                {
                    "start": cells[i].start,
                    "state": cells[i].state,
                    "text": cells[i].label,
                    "booking_id": cells[i].booking_id,
                }
                for _t, cells in week.rows
            ]
            days.append({"day": day, "cells": cells})
        data = {
            "instrument": instrument.pk,
            "week": week.monday,
            "slot_minutes": instrument.slot_minutes,
            "days": days,
        }
        return Response(CalendarSerializer(data).data)

    @extend_schema(
        tags=[TAG], summary="Replace the fee schedule", request=FeeRatesInSerializer, responses=MOVE
    )
    @action(detail=True, methods=["put"])
    def rates(self, request: Request, pk: int) -> Response:
        instrument = self.get_object()
        if not rules.can_manage_instrument(request.user, instrument):
            raise DjangoPermissionDenied(
                _("Only the owner's staff in charge of this instrument can do this.")
            )
        ser = FeeRatesInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.set_fee_rates(instrument, actor=request.user, rates=ser.validated_data["rates"])
        return self._detail(instrument)

    @extend_schema(
        tags=[TAG], summary="Suspend, reopen or retire", request=InstrumentStatusInSerializer, responses=MOVE
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: int) -> Response:
        instrument = self.get_object()
        if not (rules.can_manage_instrument(request.user, instrument) or rules.can_suspend_any(request.user)):
            raise DjangoPermissionDenied(_("Only the owner's staff or a platform operator can do this."))
        ser = InstrumentStatusInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        verb = ser.validated_data["action"]
        with service_errors():
            if verb == "suspend":
                services.suspend_instrument(
                    instrument, actor=request.user, reason=ser.validated_data.get("reason", "")
                )
            elif verb == "reactivate":
                services.reactivate_instrument(instrument, actor=request.user)
            else:
                services.retire_instrument(instrument, actor=request.user)
        return self._detail(instrument)

    @extend_schema(
        tags=[TAG],
        summary="Block the calendar for maintenance",
        request=MaintenanceInSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def maintenance(self, request: Request, pk: int) -> Response:
        instrument = self.get_object()
        if not rules.can_manage_instrument(request.user, instrument):
            raise DjangoPermissionDenied(
                _("Only the owner's staff in charge of this instrument can do this.")
            )
        ser = MaintenanceInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            services.schedule_maintenance(
                instrument,
                actor=request.user,
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                reason=d["reason"],
            )
        return self._detail(instrument)

    @extend_schema(
        tags=[TAG],
        summary="Record a trained user (self-use)",
        request=QualificationInSerializer,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def qualifications(self, request: Request, pk: int) -> Response:
        instrument = self.get_object()
        if not rules.can_manage_instrument(request.user, instrument):
            raise DjangoPermissionDenied(
                _("Only the owner's staff in charge of this instrument can do this.")
            )
        ser = QualificationInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        user = User.objects.filter(username=d["username"], is_active=True).first()
        if user is None:
            raise DjangoValidationError({"username": [_("No user with this name.")]})
        with service_errors():
            services.grant_qualification(
                instrument,
                actor=request.user,
                user=user,
                valid_until=d.get("valid_until"),
                note=d.get("note", ""),
            )
        return self._detail(instrument)

    @extend_schema(
        tags=[TAG],
        summary="Enter walk-in use by the owner's own people",
        request=InternalUseInSerializer,
        responses={201: UsageRecordSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def usage(self, request: Request, pk: int) -> Response:
        instrument = self.get_object()
        if not rules.can_manage_instrument(request.user, instrument):
            raise DjangoPermissionDenied(
                _("Only the owner's staff in charge of this instrument can do this.")
            )
        ser = InternalUseInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            usage = usage_services.record_internal_use(
                instrument,
                actor=request.user,
                started_at=d["started_at"],
                hours=d["hours"],
                samples=d["samples"],
                note=d.get("note", ""),
            )
        return Response(UsageRecordSerializer(usage).data, status=status.HTTP_201_CREATED)


class MatchView(APIView):
    """Instruments and platform services for a testing need (``q``) or a demand (``demand``), explained."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="Find instruments and platform services for a need or a demand",
        parameters=[
            OpenApiParameter("q", str, description="The need in plain words."),
            OpenApiParameter("demand", int, description="A demand id (its text and fields are used)."),
            OpenApiParameter("k", int, description="How many of each (1–20, default 5)."),
        ],
        responses={200: InstrumentMatchResultSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        k = _int(request.query_params.get("k"), "k") or 5
        k = max(1, min(k, 20))
        demand_id = _int(request.query_params.get("demand"), "demand")
        fields: list[str] = []
        if demand_id is not None:
            demand = get_object_or_404(visible_demands(request.user), pk=demand_id)
            text = "\n".join(p for p in (demand.title, demand.problem, demand.indicators) if p)
            fields = [f.code for f in demand.fields.all()]
        else:
            text = (request.query_params.get("q") or "").strip()[:500]
        try:
            im = corpora.find(corpora.INSTRUMENTS, text, k=k, fields=fields)
            om = corpora.find(corpora.OFFERS, text, k=k, fields=fields)
        except QueryError as exc:
            raise BadQuery(exc.message) from exc
        instruments = corpora.explained(
            im,
            queries.visible_instruments(request.user)
            .filter(status=InstrumentStatus.ACTIVE)
            .in_bulk([m.id for m in im]),
        )
        offers = corpora.explained(
            om,
            ServiceOffer.objects.filter(is_active=True, platform__status=PlatformStatus.OPERATING)
            .select_related("platform")
            .in_bulk([m.id for m in om]),
        )

        def match(r: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in r.items() if k != "object"}

        from .serializers import ServiceOfferSerializer

        data = {
            "instruments": [
                {"instrument": InstrumentSerializer(r["object"]).data, "match": match(r)} for r in instruments
            ],
            "offers": [
                {"offer": ServiceOfferSerializer(r["object"]).data, "match": match(r)} for r in offers
            ],
        }
        return Response(data)


class UtilisationView(APIView):
    """Utilisation of the instruments I look after, or of all instruments (console users, ``scope=all``)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="Utilisation: hours per month and per instrument, with the low-external-use flag",
        parameters=[
            OpenApiParameter("scope", str, enum=["mine", "all"], description="all: console users only."),
            OpenApiParameter("page", int),
        ],
        responses={200: UtilisationSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        scope = request.query_params.get("scope") or "mine"
        if scope not in ("mine", "all"):
            raise BadQuery(_("scope: mine or all."))
        if scope == "all":
            if not is_console_user(request.user):
                raise DjangoPermissionDenied(
                    _("Only platform staff and department officials see every instrument.")
                )
            qs = Instrument.objects.exclude(status=InstrumentStatus.RETIRED)
        else:
            qs = Instrument.objects.filter(rules.managed_instruments_q(request.user)).exclude(
                status=InstrumentStatus.RETIRED
            )
        qs = qs.select_related("owner").order_by("name", "id")
        rule = LowExternalUseRule.from_settings()
        months = queries.months_back(rule.window_months)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self) or []
        table = queries.utilisation_table(qs.filter(pk__in=[i.pk for i in page]), months, rule=rule)
        series = queries.monthly_series(None if scope == "all" else qs, months)
        rows = [
            {
                "instrument": u.instrument.pk,
                "name": u.instrument.name,
                "hours": u.hours,
                "external_hours": u.external_hours,
                "fee": u.fee,
                "available_hours": u.available,
                "rate": u.rate,
                "low_external_use": {
                    k: str(v) if not isinstance(v, bool | int) else v for k, v in u.flag.items()
                }
                if u.flag
                else None,
            }
            for u in table
        ]
        data = {
            "months": series["labels"],
            "series": series,
            "instruments": rows,
            "count": paginator.page.paginator.count if paginator.page else 0,
        }
        return Response(UtilisationSerializer(data).data)
