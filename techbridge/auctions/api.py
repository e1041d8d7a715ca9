"""Auctions API: sessions, lots (live state), bids, proxy bids, bidder registration.

Who sees what: as on the portal (``queries``). Bidders appear by number only. Sealed bids are hidden
until the lot closes and the reserve amount is never shown, only whether it is met. A refused bid
answers 400 (malformed), 403 (not allowed to bid) or 409 (the lot's state refuses it) with a
translated ``message`` and a stable ``code``; nothing changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.achievements.models import Achievement
from techbridge.core.api import ReadOnlyOrAuthenticated, json_object
from techbridge.core.listing_api import error_responses
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.numbers import digits
from techbridge.mining.models import AchievementPackage

from . import permissions, queries, services
from .choices import LotFormat, LotStatus
from .forms import LotForm
from .models import AuctionSession, Bid, Lot, Registration

FORBIDDEN_CODES = {"not_bidder", "not_registered", "not_qualified", "deposit_unpaid", "own_lot"}
BAD_INPUT_CODES = {"malformed", "replayed"}


def _money(value: Decimal | None) -> str | None:
    """Decimal yuan as the API writes money everywhere: a string with two decimals."""
    return None if value is None else f"{value:.2f}"


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuctionSession
        fields = ["id", "title", "description", "status", "starts_at", "deposit_amount", "bidder_terms"]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Registration
        fields = ["id", "session", "number", "status", "deposit_status", "deposit_amount", "deposit_paid_at"]
        read_only_fields = fields


class LotSerializer(serializers.ModelSerializer):
    """A lot with its live state. ``current_price`` is null for a sealed lot until it closes."""

    current_price = serializers.SerializerMethodField()
    minimum_bid = serializers.SerializerMethodField()
    clock_price = serializers.SerializerMethodField()
    reserve_met = serializers.SerializerMethodField()
    leader_number = serializers.SerializerMethodField()
    winner_number = serializers.SerializerMethodField()
    has_reserve = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = [
            "id",
            "session",
            "title",
            "description",
            "achievement",
            "package",
            "sale_kind",
            "licence_type",
            "format",
            "status",
            "starting_price",
            "increment",
            "increment_ladder",
            "has_reserve",
            "reserve_met",
            "current_price",
            "minimum_bid",
            "clock_price",
            "leader_number",
            "bid_count",
            "starts_at",
            "scheduled_end_at",
            "ends_at",
            "soft_close_minutes",
            "extension_minutes",
            "extension_cap_minutes",
            "extension_count",
            "version",
            "closed_at",
            "outcome",
            "hammer_price",
            "winner_number",
        ]
        read_only_fields = fields

    def get_current_price(self, lot: Lot) -> str | None:
        return None if lot.is_sealed and not lot.is_closed else _money(lot.current_price)

    def get_minimum_bid(self, lot: Lot) -> str | None:
        if lot.status == LotStatus.LISTED and lot.format != LotFormat.DUTCH:
            return _money(services.minimum_bid(lot))
        return None

    def get_clock_price(self, lot: Lot) -> str | None:
        if lot.format == LotFormat.DUTCH and lot.status == LotStatus.LISTED:
            return _money(services.dutch_price(lot))
        return None

    def get_has_reserve(self, lot: Lot) -> bool:
        return lot.reserve_price is not None

    def get_reserve_met(self, lot: Lot) -> bool | None:
        if lot.is_sealed and not lot.is_closed:
            return None
        price = lot.hammer_price or lot.current_price
        return lot.reserve_price is None or (price is not None and price >= lot.reserve_price)

    def get_leader_number(self, lot: Lot) -> int | None:
        if lot.is_sealed and not lot.is_closed:
            return None
        return lot.leader.number if lot.leader_id and lot.leader else None

    def get_winner_number(self, lot: Lot) -> int | None:
        return lot.winner.number if lot.winner_id and lot.winner else None


class BidSerializer(serializers.ModelSerializer):
    bidder_number = serializers.IntegerField(source="registration.number", read_only=True)

    class Meta:
        model = Bid
        fields = [
            "seq",
            "bidder_number",
            "amount",
            "kind",
            "created_at",
            "ends_after",
            "hash",
            "prev_hash",
            "hash_algorithm",
        ]
        read_only_fields = fields


def bid_body(bid: Bid) -> dict[str, Any]:
    """An accepted bid as ``BidSerializer`` writes it, without building a serializer per bid (the bid
    path answers thousands a second); ``test_fastbid`` checks the two agree."""
    moment = serializers.DateTimeField().to_representation
    return {
        "seq": bid.seq,
        "bidder_number": bid.registration.number,
        "amount": _money(bid.amount),
        "kind": bid.kind,
        "created_at": moment(bid.created_at),
        "ends_after": moment(bid.ends_after) if bid.ends_after else None,
        "hash": bid.hash,
        "prev_hash": bid.prev_hash,
        "hash_algorithm": bid.hash_algorithm,
    }


class BidAttemptSerializer(serializers.Serializer):
    nonce = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["accepted", "refused"])
    accepted = serializers.BooleanField()
    code = serializers.CharField(help_text='"accepted", or the refusal code (e.g. "too_low").')
    message = serializers.CharField(help_text="The refusal message as it was given (empty when accepted).")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="The amount submitted.")
    created_at = serializers.DateTimeField()
    bid = BidSerializer(allow_null=True, help_text="The accepted bid (null when refused).")

    def to_representation(self, attempt: Any) -> Any:
        accepted = attempt.outcome == "accepted"
        return {
            "nonce": attempt.nonce,
            "outcome": attempt.outcome,
            "accepted": accepted,
            "code": "accepted" if accepted else attempt.reason,
            "message": attempt.message,
            "amount": _money(attempt.amount),
            "created_at": serializers.DateTimeField().to_representation(attempt.created_at),
            "bid": BidSerializer(attempt.bid).data if attempt.bid else None,
        }


class BidInputSerializer(serializers.Serializer):
    amount = serializers.CharField(help_text='Yuan, e.g. "120000.00" (decimal string, at most 2 decimals).')
    nonce = serializers.CharField(
        help_text=(
            "Client idempotency key, 8-64 of [A-Za-z0-9_.:-]. The same key with the same amount returns "
            "the original outcome (accepted or refused); with another amount it is refused as nonce_reused."
        )
    )


class ProxyInputSerializer(serializers.Serializer):
    max_amount = serializers.CharField(help_text="Hidden maximum in yuan.")


BID_OUTCOME = inline_serializer(
    "AuctionBidOutcome",
    {
        "accepted": serializers.BooleanField(),
        "replayed": serializers.BooleanField(),
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "bid": BidSerializer(allow_null=True),
        "lot": LotSerializer(),
    },
)


BID_LOT_STATE = inline_serializer(
    "AuctionBidLotState",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "current_price": serializers.CharField(allow_null=True, help_text="Null before the first bid."),
        "minimum_bid": serializers.CharField(
            allow_null=True,
            help_text="The next acceptable amount: the minimum next bid, a sealed lot's starting price "
            "or the Dutch clock price; null when the lot is not open.",
        ),
        "leader_is_you": serializers.BooleanField(),
        "version": serializers.IntegerField(help_text="Changes with every accepted bid and every close."),
        "bid_count": serializers.IntegerField(),
        "ends_at": serializers.DateTimeField(),
    },
    allow_null=True,  # null when the lot named in the URL is not visible (a refusal before any read)
)

BID_DECISION = inline_serializer(
    "AuctionBidDecision",
    {
        "accepted": serializers.BooleanField(),
        "replayed": serializers.BooleanField(),
        "code": serializers.CharField(
            help_text='"accepted", "replayed" or the refusal code, e.g. "too_low".'
        ),
        "message": serializers.CharField(help_text="The refusal, translated (empty when accepted)."),
        "bid": BidSerializer(allow_null=True),
        "lot": BID_LOT_STATE,
    },
)


#: The columns ``lot_state`` reads.
BID_STATE_FIELDS = (
    "status",
    "format",
    "current_price",
    "starting_price",
    "increment",
    "increment_ladder",
    "dutch_decrement",
    "dutch_interval_seconds",
    "reserve_price",
    "starts_at",
    "ends_at",
    "leader_id",
    "version",
    "bid_count",
)


def lot_state(lot: Lot | None, reg_id: int | None) -> dict[str, Any] | None:
    """Just what a bidder needs after a bid: the price, the next minimum, whether they lead, the version."""
    if lot is None:
        return None
    minimum: Decimal | None = None
    if lot.status == LotStatus.LISTED:
        minimum = services.dutch_price(lot) if lot.format == LotFormat.DUTCH else services.minimum_bid(lot)
    sealed = lot.format != LotFormat.ENGLISH and lot.format != LotFormat.DUTCH
    return {
        "id": lot.pk,
        "status": lot.status,
        "current_price": None if sealed else _money(lot.current_price),
        "minimum_bid": _money(minimum),
        "leader_is_you": reg_id is not None and lot.leader_id == reg_id,
        "version": lot.version,
        "bid_count": lot.bid_count,
        "ends_at": serializers.DateTimeField().to_representation(lot.ends_at),
    }


def _narrow_lot(user: Any, lot_id: int) -> Lot | None:
    return queries.visible_lots(user).filter(pk=lot_id).select_related(None).only(*BID_STATE_FIELDS).first()


def _refused(exc: services.BidRefused, code: int) -> tuple[dict[str, Any], int]:
    return {
        "accepted": False,
        "replayed": exc.replayed,
        "code": exc.code,
        "message": exc.message,
        "bid": None,
        "lot": lot_state(exc.lot, exc.reg_id),
    }, code


def decide_bid(
    user: Any, pk: str | int | None, data: Any, snapshot: Any = None
) -> tuple[dict[str, Any], int]:
    """Decide one bid of a signed-in ``user`` on lot ``pk`` with the request body ``data``: the answer's
    body and status. The auctions permission helpers, then ``services.place_bid`` (one narrow read of
    the lot); the answer is built from what the decision saw, with no re-read (``lot_state``).

    Raises ``NotFound`` for a lot the user may not see and ``ValidationError`` for a body that is not
    a JSON object. ``snapshot``: the lot as the bid lane read it with the token (``place_bid``). Shared
    by the DRF action and the fast lane (:mod:`.fastbid`), so both decide alike.
    """
    lot_id = int(pk) if pk and digits(str(pk)) else 0
    if reason := permissions.bidder_refusal(user):
        refusal = services.BidRefused("not_bidder", reason)
        refusal.lot = _narrow_lot(user, lot_id)
        if refusal.lot is None:
            raise NotFound(_("This lot does not exist."))
        return _refused(refusal, status.HTTP_403_FORBIDDEN)
    fields = json_object(data)
    try:
        result = services.place_bid(
            actor=user,
            lot_id=lot_id,
            amount=fields.get("amount"),
            nonce=fields.get("nonce"),
            snapshot=snapshot,
        )
    except services.BidRefused as exc:
        code: int = status.HTTP_409_CONFLICT
        if exc.code in FORBIDDEN_CODES:
            code = status.HTTP_403_FORBIDDEN
        elif exc.code in BAD_INPUT_CODES:
            code = status.HTTP_400_BAD_REQUEST
        if exc.code == "not_found" or (
            exc.code == "closed" and not queries.visible_lots(user).filter(pk=lot_id).exists()
        ):
            raise NotFound(_("This lot does not exist.")) from None
        if exc.lot is None:  # refused before the lot was read (malformed input): a narrow read
            exc.lot = _narrow_lot(user, lot_id)
        return _refused(exc, code)
    body = {
        "accepted": True,
        "replayed": result.replayed,
        "code": "replayed" if result.replayed else "accepted",
        "message": "",
        "bid": bid_body(result.bid),
        "lot": lot_state(result.lot, result.bid.registration_id),
    }
    return body, status.HTTP_200_OK if result.replayed else status.HTTP_201_CREATED


class SessionWriteSerializer(serializers.ModelSerializer):
    """What an operator writes to create a session (then ``publish``)."""

    class Meta:
        model = AuctionSession
        fields = ["title", "description", "starts_at", "deposit_amount", "bidder_terms"]

    def create(self, validated_data: dict[str, Any]) -> AuctionSession:
        return services.save_session(
            actor=self.context["request"].user, session=AuctionSession(**validated_data)
        )


class LotWriteSerializer(serializers.ModelSerializer):
    """What an operator writes to create a lot (a draft; then ``submit`` it to screening)."""

    session = serializers.PrimaryKeyRelatedField(queryset=AuctionSession.objects.all())
    achievement = serializers.PrimaryKeyRelatedField(
        queryset=Achievement.objects.filter(status=ReviewStatus.PUBLISHED), required=False, allow_null=True
    )
    package = serializers.PrimaryKeyRelatedField(
        queryset=AchievementPackage.objects.filter(status="published"), required=False, allow_null=True
    )
    increment_ladder = serializers.ListField(
        child=serializers.ListField(
            child=serializers.DecimalField(max_digits=16, decimal_places=2), min_length=2, max_length=2
        ),
        required=False,
        help_text='Price bands [[from_price, step], ...], e.g. [["100000", "5000"]].',
    )

    class Meta:
        model = Lot
        fields = ["session", *LotForm.Meta.fields]  # the console form's fields, plus the session

    def create(self, validated_data: dict[str, Any]) -> Lot:
        data = dict(validated_data)
        data["increment_ladder"] = [[str(a), str(b)] for a, b in data.get("increment_ladder") or []]
        return services.save_lot(actor=self.context["request"].user, lot=Lot(**data))


class ScreeningSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    rights_verified = serializers.BooleanField(default=False)
    rights_in_force = serializers.BooleanField(default=False)
    no_encumbrance = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DepositActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["paid", "refund", "forfeit"])
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(tags=["auctions"], summary="Auction sessions"),
    retrieve=extend_schema(tags=["auctions"], responses={200: SessionSerializer, **error_responses(404)}),
)
class SessionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Auction sessions; operators create and ``publish`` them; ``register`` registers the caller as a
    bidder (idempotent)."""

    serializer_class = SessionSerializer
    permission_classes = [ReadOnlyOrAuthenticated]

    def get_serializer_class(self) -> Any:
        return SessionWriteSerializer if self.action == "create" else SessionSerializer

    @extend_schema(
        tags=["auctions"],
        request=SessionWriteSerializer,
        responses={201: SessionSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        permissions.check_run_auctions(request.user)
        serializer = SessionWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        session = serializer.save()
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["auctions"],
        request=None,
        responses={200: SessionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        permissions.check_run_auctions(request.user)
        services.publish_session(actor=request.user, session=session)
        return Response(SessionSerializer(session).data)

    def get_queryset(self) -> Any:
        return queries.visible_sessions(self.request.user).order_by("-starts_at", "-id")

    @extend_schema(
        tags=["auctions"],
        request=None,
        responses={201: RegistrationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def register(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        permissions.check_bidder(request.user)
        reg = services.register_bidder(actor=request.user, session=session)
        return Response(RegistrationSerializer(reg).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        tags=["auctions"],
        summary="Lots with their live state (?open=1, ?session=id)",
        parameters=[
            OpenApiParameter("open", int, description="1: only lots open for bids now", enum=[1]),
            OpenApiParameter("session", int, description="only the lots of this auction session"),
        ],
    ),
    retrieve=extend_schema(tags=["auctions"], responses={200: LotSerializer, **error_responses(404)}),
)
class LotViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Lots with their live state; ``bids`` lists (GET) or places (POST) bids, ``proxy`` sets a maximum.
    Operators create lots and ``submit`` them; reviewers ``screen`` them."""

    serializer_class = LotSerializer
    permission_classes = [ReadOnlyOrAuthenticated]

    @extend_schema(
        tags=["auctions"],
        request=LotWriteSerializer,
        responses={201: LotSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        permissions.check_run_auctions(request.user)
        serializer = LotWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        lot = serializer.save()
        return Response(LotSerializer(lot).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["auctions"], request=None, responses={200: LotSerializer, **error_responses(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        lot = self.get_object()
        permissions.check_run_auctions(request.user)
        services.submit_lot(actor=request.user, lot=lot)
        return Response(LotSerializer(lot).data)

    @extend_schema(
        tags=["auctions"],
        request=ScreeningSerializer,
        responses={200: LotSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def screen(self, request: Request, pk: str | None = None) -> Response:
        lot = self.get_object()
        permissions.check_screen_lots(request.user)
        serializer = ScreeningSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.screen_lot(actor=request.user, lot=lot, **data)
        return Response(LotSerializer(lot).data)

    def get_queryset(self) -> Any:
        qs = (
            queries.visible_lots(self.request.user)
            .select_related("leader", "winner")
            .order_by("ends_at", "id")
        )
        if self.request.query_params.get("open") == "1":
            qs = qs.filter(status=LotStatus.LISTED, ends_at__gt=timezone.now())
        session = self.request.query_params.get("session")
        if session and digits(session):
            qs = qs.filter(session_id=int(session))
        return qs

    def _refused(self, exc: services.BidRefused, lot_pk: int) -> Response:
        code: int = status.HTTP_409_CONFLICT
        if exc.code in FORBIDDEN_CODES:
            code = status.HTTP_403_FORBIDDEN
        elif exc.code in BAD_INPUT_CODES:
            code = status.HTTP_400_BAD_REQUEST
        elif exc.code == "not_found":
            code = status.HTTP_404_NOT_FOUND
        lot = self.get_queryset().filter(pk=lot_pk).first()
        body = {
            "accepted": False,
            "replayed": exc.replayed,
            "code": exc.code,
            "message": exc.message,
            "bid": None,
        }
        body["lot"] = LotSerializer(lot).data if lot else None
        return Response(body, status=code)

    @extend_schema(
        methods=["GET"],
        tags=["auctions"],
        responses={200: BidSerializer(many=True), **error_responses(404)},
        description="Accepted bids, newest first (empty for a sealed lot still open).",
    )
    @extend_schema(
        methods=["POST"],
        tags=["auctions"],
        request=BidInputSerializer,
        description=(
            "Place a bid. One narrow read decides replays and most refusals; only a possible winner "
            "locks the lot. The answer carries the outcome and the lot's state as the decision saw it."
        ),
        responses={
            201: BID_DECISION,
            200: OpenApiResponse(BID_DECISION, description="Replay of an earlier bid: nothing changed."),
            400: BID_DECISION,
            403: BID_DECISION,
            409: BID_DECISION,
            **error_responses(401, 404),
        },
    )
    @action(detail=True, methods=["get", "post"])
    def bids(self, request: Request, pk: str | None = None) -> Response:
        if request.method == "POST":
            return self._place_bid(request, pk)
        lot = self.get_object()
        page = self.paginate_queryset(queries.bid_history(lot, limit=1000))
        return self.get_paginated_response(BidSerializer(page, many=True).data)

    def _place_bid(self, request: Request, pk: str | None) -> Response:
        """Through DRF (session sign-in with CSRF, form bodies, the browsable API); token-authenticated
        JSON bids usually take the same decision through :mod:`.fastbid` without DRF's dispatch."""
        user = request.user
        if not user.is_authenticated:
            raise NotAuthenticated
        body, code = decide_bid(user, pk, request.data)
        response = Response(body, status=code)
        if not body["accepted"]:
            # a refused bid is the auction working, not a server problem: no "Conflict" log line per bid
            response._has_been_logged = True  # type: ignore[attr-defined]
        return response

    @extend_schema(
        tags=["auctions"],
        responses={200: BidAttemptSerializer, **error_responses(401, 404)},
        description=(
            "Your own bid attempt with this nonce, accepted or refused: for a client whose response was "
            "lost. Only the bidder who sent it sees it; anyone else gets 404."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attempts/(?P<nonce>[A-Za-z0-9_.:\-]{8,64})",
        url_name="attempt",
        permission_classes=[IsAuthenticated],
    )
    def attempt(self, request: Request, pk: str | None = None, nonce: str = "") -> Response:
        lot = self.get_object()
        buffered = services.pending_attempt(lot.pk, request.user.pk or 0, nonce)
        kept = buffered or queries.own_bid_attempt(request.user, lot, nonce)
        if kept is None:
            raise NotFound(_("You sent no bid with this key on this lot."))
        return Response(BidAttemptSerializer(kept).data)

    @extend_schema(
        request=ProxyInputSerializer, responses={200: LotSerializer, 403: BID_OUTCOME, 409: BID_OUTCOME}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def proxy(self, request: Request, pk: str | None = None) -> Response:
        lot = self.get_object()
        if reason := permissions.bidder_refusal(request.user):
            return self._refused(services.BidRefused("not_bidder", reason), lot.pk)
        max_amount = json_object(request.data).get("max_amount")
        try:
            services.set_proxy(actor=request.user, lot_id=lot.pk, max_amount=max_amount)
        except services.BidRefused as exc:
            return self._refused(exc, lot.pk)
        return Response(LotSerializer(self.get_queryset().get(pk=lot.pk)).data)


@extend_schema_view(
    list=extend_schema(
        tags=["auctions"],
        summary="Bidder registrations: your own; operators see all (?session=id)",
        parameters=[OpenApiParameter("session", int, description="only the registrations of this session")],
    ),
    retrieve=extend_schema(
        tags=["auctions"], responses={200: RegistrationSerializer, **error_responses(401, 404)}
    ),
)
class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    """Bidder registrations and deposits; operators move deposits (``deposit``)."""

    serializer_class = RegistrationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> Any:
        qs = Registration.objects.order_by("session_id", "number")
        if not permissions.can_run_auctions(self.request.user):
            qs = qs.filter(user_id=self.request.user.pk or 0)
        session = self.request.query_params.get("session")
        if session and digits(session):
            qs = qs.filter(session_id=int(session))
        return qs

    @extend_schema(
        tags=["auctions"],
        request=DepositActionSerializer,
        responses={200: RegistrationSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def deposit(self, request: Request, pk: str | None = None) -> Response:
        permissions.check_run_auctions(request.user)
        reg = self.get_object()
        serializer = DepositActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        if data["action"] == "paid":
            services.confirm_deposit(actor=request.user, registration=reg, reference=data["reference"])
        elif data["action"] == "refund":
            services.refund_deposit(actor=request.user, registration=reg, message=data["reason"])
        else:
            services.forfeit_deposit(actor=request.user, registration=reg, reason=data["reason"])
        reg.refresh_from_db()
        return Response(RegistrationSerializer(reg).data)
