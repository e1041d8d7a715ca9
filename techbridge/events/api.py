"""Events API: the list and an event, registering (seat or waitlist), my tickets, the door (check-in),
an event's figures, the statistics; operators create, change, publish, cancel and conclude events.

Who sees what follows ``permissions``: published, concluded and cancelled events are public; a ticket
code is shown only to its holder and to the door staff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.achievements.models import Achievement
from techbridge.auctions.models import AuctionSession, Lot
from techbridge.auctions.queries import PUBLIC_LOT
from techbridge.core.api import Pagination, ReadOnlyOrAuthenticated
from techbridge.core.listing_api import (
    StrictSerializer,
    error_responses,
    form_parameters,
    service_errors,
    validated_query,
)
from techbridge.core.permissions import RolePermission
from techbridge.core.roles import is_console_user
from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.organizations.api import zone_field
from techbridge.organizations.choices import District, OrgStatus
from techbridge.organizations.models import Organization

from . import figures, queries, services
from . import permissions as rules
from .choices import EventKind, RegistrationStatus
from .forms import EventFilterForm, StatsForm
from .models import MAX_CAPACITY, MAX_LINKS, Event, EventSession, Registration
from .services.events import MAX_SESSIONS

TAG = "events"


class EventSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventSession
        fields = ["title", "starts_at", "ends_at", "room", "speaker", "description"]


class EventRegistrationSerializer(serializers.ModelSerializer):
    """A registration as its holder (or the door) sees it: the ticket code and where to show it."""

    event_title = serializers.CharField(source="event.title", read_only=True)
    starts_at = serializers.DateTimeField(source="event.starts_at", read_only=True)
    ticket_url = serializers.SerializerMethodField()
    qr_payload = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "event_title",
            "starts_at",
            "status",
            "code",
            "note",
            "created_at",
            "confirmed_at",
            "checked_in_at",
            "ticket_url",
            "qr_payload",
        ]
        read_only_fields = fields

    def get_ticket_url(self, reg: Registration) -> str:
        return reverse("events:ticket", args=[reg.code])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_qr_payload(self, reg: Registration) -> str | None:
        from .tickets import payload

        return payload(reg.code) if reg.status == RegistrationStatus.CONFIRMED else None


class EventSerializer(serializers.ModelSerializer):
    organizer = serializers.SerializerMethodField()
    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    seats_left = serializers.IntegerField(read_only=True)
    sessions = EventSessionSerializer(many=True, read_only=True)
    achievements: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    demands: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    lots = serializers.SerializerMethodField()
    ical_url = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "summary",
            "organizer",
            "venue",
            "address",
            "live_url",
            "district",
            "zone",
            "starts_at",
            "ends_at",
            "registration_closes_at",
            "capacity",
            "registered_count",
            "seats_left",
            "waitlist",
            "status",
            "cancel_reason",
            "outcome",
            "auction_session",
            "achievements",
            "demands",
            "lots",
            "sessions",
            "legacy_roadshow_id",
            "is_demo",
            "ical_url",
            "my_registration",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True, help_text="id and name of the organiser"))
    def get_organizer(self, event: Event) -> dict[str, Any] | None:
        return {"id": event.organizer.pk, "name": event.organizer.name} if event.organizer else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_lots(self, event: Event) -> list[int]:
        return [lot.pk for lot in event.lots.all() if lot.status in PUBLIC_LOT]

    def get_ical_url(self, event: Event) -> str:
        return reverse("events:ical", args=[event.pk])

    @extend_schema_field(EventRegistrationSerializer(allow_null=True))
    def get_my_registration(self, event: Event) -> Any:
        mine = self.context.get("mine") or {}
        reg = mine.get(event.pk)
        return EventRegistrationSerializer(reg).data if reg is not None else None


class EventSessionInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    room = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    speaker = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=MAX_LINKS, required=False, help_text=help_text
    )


class EventWriteSerializer(StrictSerializer):
    """What an operator writes; linked records by id, the organiser by organisation id."""

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=EventKind.choices)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    organizer = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(status=OrgStatus.APPROVED), required=False, allow_null=True
    )
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    live_url = serializers.URLField(max_length=300, required=False, allow_blank=True)
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True)
    zone = zone_field()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    registration_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY)
    waitlist = serializers.BooleanField(required=False)
    auction_session = serializers.PrimaryKeyRelatedField(
        queryset=AuctionSession.objects.all(), required=False, allow_null=True
    )
    achievements = _ids("Ids of published achievements presented.")
    demands = _ids("Ids of published demands presented.")
    lots = _ids("Ids of public auction lots presented.")
    sessions = EventSessionInputSerializer(many=True, required=False, max_length=MAX_SESSIONS)  # type: ignore[call-arg]

    def records(self, name: str, model: Any, **filters: Any) -> list[Any] | None:
        ids = self.validated_data.get(name)
        if ids is None:
            return None
        rows = {r.pk: r for r in model.objects.filter(pk__in=ids, **filters)}
        missing = [i for i in ids if i not in rows]
        if missing:
            raise exceptions.ValidationError({name: [f"not found or not public: {missing}"]})
        return [rows[i] for i in dict.fromkeys(ids)]

    def service_kwargs(self) -> dict[str, Any]:
        d = dict(self.validated_data)
        data = {k: v for k, v in d.items() if k not in ("achievements", "demands", "lots", "sessions")}
        return {
            "data": data,
            "achievements": self.records("achievements", Achievement, status=ReviewStatus.PUBLISHED),
            "demands": self.records("demands", Demand, status=ReviewStatus.PUBLISHED),
            "lots": self.records("lots", Lot, status__in=PUBLIC_LOT),
        }


class EventRegisterSerializer(StrictSerializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EventReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class EventConcludeSerializer(StrictSerializer):
    outcome = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class CheckInSerializer(StrictSerializer):
    code = serializers.CharField(
        max_length=100, help_text="What the scanner read (TB-EV:…) or the typed code."
    )


class CheckInResultSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    message = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    organization = serializers.CharField(allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)


class DoorRegistrationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    organization = serializers.CharField(
        source="organization.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Registration
        fields = ["id", "name", "organization", "status", "code", "note", "created_at", "checked_in_at"]
        read_only_fields = fields


_MOVE = {200: EventSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Events",
        description="Upcoming events by default (when=past or when=all for others).",
        parameters=form_parameters(EventFilterForm),
        responses={200: EventSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG], summary="Read one event", responses={200: EventSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Create an event (operators)",
        request=EventWriteSerializer,
        responses={201: EventSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG], summary="Change an event (operators)", request=EventWriteSerializer, responses=_MOVE
    ),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = EventSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            rules.visible_events(self.request.user)
            .select_related("organizer", "zone")
            .prefetch_related(
                Prefetch("sessions", queryset=EventSession.objects.order_by("starts_at", "id")),
                Prefetch("achievements", queryset=Achievement.objects.only("pk")),
                Prefetch("demands", queryset=Demand.objects.only("pk")),
                Prefetch("lots", queryset=Lot.objects.only("pk", "status")),
            )
        )

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        form = validated_query(EventFilterForm, self.request)
        return queries.filter_events(
            queryset, {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        user: Any = self.request.user
        if user.is_authenticated:
            context["mine"] = {
                r.event_id: r
                for r in Registration.objects.filter(user=user).exclude(status=RegistrationStatus.CANCELLED)
            }
        return context

    def _event(self) -> Event:
        return rules.event_for(self.request.user, int(self.kwargs["pk"]))

    def _managed(self) -> Event:
        event = self._event()
        rules.check_manage_events(self.request.user)
        return event

    def _out(self, event: Event, code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=event.pk)
        return Response(EventSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _write(self, request: Request, event: Event | None) -> Response:
        rules.check_manage_events(request.user)
        body = EventWriteSerializer(data=request.data, partial=event is not None)
        body.is_valid(raise_exception=True)
        kwargs = body.service_kwargs()
        sessions = body.validated_data.get("sessions")
        from django.db import transaction

        with service_errors(), transaction.atomic():
            if event is None:
                event = services.create_event(
                    actor=request.user,
                    data=kwargs["data"],
                    achievements=kwargs["achievements"] or [],
                    demands=kwargs["demands"] or [],
                    lots=kwargs["lots"] or [],
                )
            else:
                services.update_event(event, actor=request.user, **kwargs)
            if sessions is not None:
                services.set_sessions(event, actor=request.user, sessions=[dict(s) for s in sessions])
        return self._out(event, status.HTTP_201_CREATED if self.action == "create" else 200)

    def create(self, request: Request) -> Response:
        return self._write(request, None)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self._write(request, self._event())

    @extend_schema(tags=[TAG], summary="Publish (operators)", request=None, responses=_MOVE)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        event = self._event()
        with service_errors():
            services.publish_event(event, actor=request.user)
        return self._out(event)

    @extend_schema(
        tags=[TAG],
        summary="Cancel and tell the people registered and following (operators)",
        request=EventReasonSerializer,
        responses=_MOVE,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        event = self._managed()
        body = EventReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.cancel_event(event, actor=request.user, reason=body.validated_data["reason"])
        return self._out(event)

    @extend_schema(
        tags=[TAG],
        summary="Conclude after the event (operators)",
        request=EventConcludeSerializer,
        responses=_MOVE,
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk: str) -> Response:
        event = self._managed()
        body = EventConcludeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.conclude_event(event, actor=request.user, outcome=body.validated_data.get("outcome", ""))
        return self._out(event)

    @extend_schema(
        tags=[TAG],
        summary="Register (a seat, or the waitlist when full)",
        methods=["POST"],
        request=EventRegisterSerializer,
        responses={201: EventRegistrationSerializer, **error_responses(400, 401, 404)},
    )
    @extend_schema(
        tags=[TAG],
        summary="Cancel my registration",
        methods=["DELETE"],
        request=None,
        responses={200: EventRegistrationSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated])
    def register(self, request: Request, pk: str) -> Response:
        event = self._event()
        if request.method == "DELETE":
            reg = (
                Registration.objects.filter(event=event, user=cast(Any, request.user))
                .exclude(status=RegistrationStatus.CANCELLED)
                .first()
            )
            if reg is None:
                raise exceptions.ValidationError({"detail": _("You are not registered for this event.")})
            reg.event = event
            with service_errors():
                services.cancel(reg, actor=request.user)
            return Response(EventRegistrationSerializer(reg).data)
        body = EventRegisterSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        with service_errors():
            reg = services.register(event, actor=request.user, note=body.validated_data.get("note", ""))
        return Response(EventRegistrationSerializer(reg).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Registrations (door staff)",
        responses={200: DoorRegistrationSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def registrations(self, request: Request, pk: str) -> Response:
        event = self._door()
        regs = event.registrations.select_related("user", "organization").order_by("created_at", "id")[:2000]
        return Response(DoorRegistrationSerializer(regs, many=True).data)

    def _door(self) -> Event:
        event = self._event()
        rules.check_run_door(self.request.user, event)
        return event

    @extend_schema(
        tags=[TAG],
        summary="Check a ticket in at the door (idempotent)",
        description="200 with the outcome: checked_in, duplicate, wrong_event, unknown, not_confirmed, "
        "closed.",
        request=CheckInSerializer,
        responses={200: CheckInResultSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def checkin(self, request: Request, pk: str) -> Response:
        event = self._door()
        body = CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.check_in(event, actor=request.user, text=body.validated_data["code"])
        reg = result.registration
        return Response(
            {
                "outcome": result.outcome,
                "message": result.message,
                "name": reg.user.display_name if reg else None,
                "organization": reg.organization.name if reg and reg.organization else None,
                "checked_in_at": reg.checked_in_at if reg else None,
            }
        )

    @extend_schema(
        tags=[TAG],
        summary="What the event started: attendance, rooms, contracts, bids",
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def figures(self, request: Request, pk: str) -> Response:
        event = self._event()
        rules.check_see_figures(request.user, event)
        data = figures.figures(event)
        started = dict(data["started"])
        lo, hi = started.pop("window")
        return Response(
            {
                "attendance": data["attendance"],
                "started": {**{k: str(v) if not isinstance(v, int) else v for k, v in started.items()}},
                "window": {"from": lo, "to": hi},
                "follow_up_days": data["follow_up_days"],
            }
        )


@extend_schema(
    tags=[TAG],
    summary="My tickets",
    responses={200: EventRegistrationSerializer(many=True), **error_responses(401)},
)
class TicketViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = EventRegistrationSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        return queries.tickets_of(self.request.user)


class EventStatsView(APIView):
    """Events held in a year and their attendance, by kind, district and zone (console users)."""

    permission_classes = [RolePermission.of(is_console_user)]

    @extend_schema(
        tags=[TAG],
        summary="Event statistics by kind, district and zone",
        parameters=form_parameters(StatsForm),
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        form = validated_query(StatsForm, request)
        f = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        year = f.get("year") or timezone.localdate().year
        data = queries.event_stats(
            dt.date(year, 1, 1), dt.date(year, 12, 31), district=f.get("district"), zone=f.get("zone")
        )
        return Response({"year": year, **data})
