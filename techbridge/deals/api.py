"""Negotiation API: rooms, messages, the NDA step, offers, brokers and disputes.

Who sees what: a room exists (else 404) only for its participants — members of the seller and buyer
organisations and invited brokers — and, while a dispute is open, for platform reviewers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.accounts.models import User
from techbridge.achievements.permissions import achievement_for
from techbridge.contracts.choices import DURATION_LIMIT, INSTALMENTS_LIMIT
from techbridge.core.api import Pagination
from techbridge.core.listing_api import StrictSerializer, error_responses
from techbridge.demands.permissions import demand_for
from techbridge.lib import limits
from techbridge.mining.permissions import package_for

from . import permissions as room_permissions
from . import services
from .choices import RoomOrigin
from .models import Message, Offer, Room
from .queries import rooms_for

TAG = "deals"


class OrgBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offer
        fields = [
            "id",
            "side",
            "deal_mode",
            "price",
            "payment_terms",
            "entry_fee",
            "royalty_rate",
            "instalments",
            "equity_share",
            "duration_months",
            "territory",
            "exclusivity",
            "note",
            "status",
            "replaces",
            "contract",
            "created_at",
            "answered_at",
        ]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(
        source="author.display_name", default=None, read_only=True, allow_null=True
    )
    text = serializers.CharField(read_only=True)
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "author",
            "body",
            "text",
            "is_system",
            "event",
            "attachment_name",
            "has_attachment",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_attachment(self, obj: Message) -> bool:
        return bool(obj.attachment)


class RoomSerializer(serializers.ModelSerializer):
    seller = OrgBriefSerializer(read_only=True)
    buyer = OrgBriefSerializer(read_only=True)
    nda_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "title",
            "status",
            "origin",
            "origin_ref",
            "achievement",
            "demand",
            "package",
            "seller",
            "buyer",
            "seller_nda_at",
            "buyer_nda_at",
            "nda_complete",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RoomDetailSerializer(RoomSerializer):
    offers = OfferSerializer(many=True, read_only=True)
    confidential_detail = serializers.SerializerMethodField()

    class Meta(RoomSerializer.Meta):
        fields = [*RoomSerializer.Meta.fields, "offers", "confidential_detail"]
        read_only_fields = fields

    def get_confidential_detail(self, room: Room) -> str | None:
        """The achievement's NDA-gated detail, once both sides accepted the NDA (participants only)."""
        user = self.context["request"].user
        if room.achievement is not None and room_permissions.can_see_confidential_detail(user, room):
            return room.achievement.detail
        return None


class OpenRoomSerializer(StrictSerializer):
    achievement = serializers.IntegerField(required=False)
    demand = serializers.IntegerField(required=False)
    package = serializers.IntegerField(required=False)
    origin = serializers.ChoiceField(
        choices=[RoomOrigin.LISTING, RoomOrigin.MATCH], default=RoomOrigin.LISTING
    )


class PostMessageSerializer(StrictSerializer):
    body = serializers.CharField(max_length=limits.MESSAGE)


class MakeOfferSerializer(StrictSerializer):
    deal_mode = serializers.CharField(max_length=32)
    price = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    payment_terms = serializers.CharField(max_length=24)
    entry_fee = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    royalty_rate = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    # Bounded by the validators the model, the form and the service share (issue 20 point 3).
    instalments = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, validators=[INSTALMENTS_LIMIT]
    )
    equity_share = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    duration_months = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, validators=[DURATION_LIMIT]
    )
    territory = serializers.CharField(max_length=100, required=False, allow_blank=True)
    exclusivity = serializers.CharField(max_length=16, required=False, allow_blank=True)
    note = serializers.CharField(max_length=limits.REASON, required=False, allow_blank=True)


class BrokerSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)


class TextSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=limits.MESSAGE, required=False, allow_blank=True)


MOVE = {200: RoomDetailSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="My negotiation rooms",
        responses={200: RoomSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read one room",
        responses={200: RoomDetailSerializer, **error_responses(401, 404)},
    ),
)
class RoomViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Negotiation rooms of the signed-in user."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = RoomSerializer

    def get_queryset(self):
        return rooms_for(self.request.user).order_by("-updated_at", "-id")

    def get_serializer_class(self):
        return RoomSerializer if self.action == "list" else RoomDetailSerializer

    def get_object(self) -> Room:
        return room_permissions.room_for(self.request.user, self.kwargs["pk"])

    def _detail(self, room: Room, code: int = 200) -> Response:
        room.refresh_from_db()
        return Response(RoomDetailSerializer(room, context={"request": self.request}).data, status=code)

    @extend_schema(
        tags=[TAG],
        summary="Open (or return the open) room",
        request=OpenRoomSerializer,
        responses={201: RoomDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        room_permissions.check_trade(request.user)
        ser = OpenRoomSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        room = services.open_room(
            actor=request.user,
            achievement=achievement_for(request.user, d["achievement"]) if "achievement" in d else None,
            demand=demand_for(request.user, d["demand"]) if "demand" in d else None,
            package=package_for(request.user, d["package"]) if "package" in d else None,
            origin=d["origin"],
        )
        return self._detail(room, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Messages of a room",
        methods=["GET"],
        responses={200: MessageSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        tags=[TAG],
        summary="Post a message",
        methods=["POST"],
        request=PostMessageSerializer,
        responses={201: MessageSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request: Request, pk: int) -> Response:
        room = self.get_object()
        if request.method == "GET":
            msgs = room.messages.select_related("author").order_by("created_at", "id")[:500]
            return Response(MessageSerializer(msgs, many=True).data)
        room_permissions.check_participant(request.user, room)
        ser = PostMessageSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        msg = services.post_message(room, actor=request.user, body=ser.validated_data["body"])
        return Response(MessageSerializer(msg).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Accept the NDA for my side (a broker: for himself, before the gated detail shows)",
        request=None,
        responses=MOVE,
    )
    @action(detail=True, methods=["post"])
    def nda(self, request: Request, pk: int) -> Response:
        room = services.accept_room_nda(self.get_object(), actor=request.user)
        return self._detail(room)

    @extend_schema(
        tags=[TAG],
        summary="Make an offer or counter-offer",
        request=MakeOfferSerializer,
        responses={201: OfferSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def offers(self, request: Request, pk: int) -> Response:
        room = self.get_object()
        room_permissions.check_party(request.user, room)
        ser = MakeOfferSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        offer = services.make_offer(room, actor=request.user, data=dict(ser.validated_data))
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="Accept, decline or withdraw the open offer",
        operation_id="v1_deals_rooms_offers_answer",
        request=TextSerializer,
        responses={200: OfferSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(
        detail=True, methods=["post"], url_path=r"offers/(?P<offer_pk>\d+)/(?P<verb>accept|decline|withdraw)"
    )
    def answer(self, request: Request, pk: int, offer_pk: str, verb: str) -> Response:
        room = self.get_object()
        offer = get_object_or_404(Offer, pk=int(offer_pk), room=room)
        offer.room = room
        if verb == "withdraw":
            room_permissions.check_withdraw_offer(request.user, offer)
        else:
            room_permissions.check_answer(request.user, offer)
        ser = TextSerializer(data=request.data or {})
        ser.is_valid(raise_exception=True)
        if verb == "accept":
            services.accept_offer(offer, actor=request.user)
        elif verb == "decline":
            services.decline_offer(offer, actor=request.user, reason=ser.validated_data.get("reason", ""))
        else:
            services.withdraw_offer(offer, actor=request.user)
        offer.refresh_from_db()
        return Response(OfferSerializer(offer).data)

    @extend_schema(tags=[TAG], summary="Invite a broker", request=BrokerSerializer, responses=MOVE)
    @action(detail=True, methods=["post"])
    def brokers(self, request: Request, pk: int) -> Response:
        room = self.get_object()
        room_permissions.check_party(request.user, room)
        ser = BrokerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        broker = User.objects.filter(username=ser.validated_data["username"], is_active=True).first()
        if broker is None:
            raise DjangoValidationError({"username": [_("No user with this name.")]})
        services.invite_broker(room, actor=request.user, broker=broker)
        return self._detail(room)

    @extend_schema(tags=[TAG], summary="Raise a dispute", request=TextSerializer, responses=MOVE)
    @action(detail=True, methods=["post"])
    def disputes(self, request: Request, pk: int) -> Response:
        room = self.get_object()
        services.raise_dispute(room, actor=request.user, reason=_reason(request))
        return self._detail(room)

    @extend_schema(tags=[TAG], summary="Close without a deal", request=TextSerializer, responses=MOVE)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: int) -> Response:
        room = self.get_object()
        services.close_room(room, actor=request.user, reason=_reason(request))
        return self._detail(room)


def _reason(request: Request) -> str:
    data = request.data if isinstance(request.data, dict) else {}
    return str(data.get("reason", ""))
