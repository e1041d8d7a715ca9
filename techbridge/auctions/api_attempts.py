"""REST API of bid attempts for disputes: ``GET /api/v1/auctions/lots/<id>/attempts/``.

Operators and reviewers list every attempt on a lot, accepted or refused; a bidder lists only their
own; platform staff who may not bid are reviewers/operators or denied (officials, the outsider: 403);
a lot the caller may not see is 404. Filters: ``reason`` (a refusal code) and ``bidder`` (paddle number).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated

from techbridge.core.api import Pagination
from techbridge.core.listing_api import error_responses
from techbridge.core.permissions import deny
from techbridge.lib.numbers import digits

from . import permissions
from .models import BidAttempt
from .refusals import MAX_BIDDER_NUMBER, REASONS, attempts_on, reason_label


class AttemptRecordSerializer(serializers.ModelSerializer):
    bidder = serializers.SerializerMethodField(help_text="Paddle number in the lot's session, or null.")
    organization = serializers.SerializerMethodField(help_text="The bidder's organisation (staff only).")
    reason_label = serializers.SerializerMethodField()
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="Null while a sealed lot is open."
    )
    bid_seq = serializers.SerializerMethodField(help_text="Sequence number of the accepted bid, or null.")

    class Meta:
        model = BidAttempt
        fields = [
            "id",
            "bidder",
            "organization",
            "amount",
            "outcome",
            "reason",
            "reason_label",
            "message",
            "nonce",
            "created_at",
            "bid_seq",
        ]

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if self.context.get("sealed"):
            data["amount"] = None  # sealed amounts stay sealed, for staff too, until the lot closes
        return data

    def get_bidder(self, obj: Any) -> int | None:
        return obj.bidder_number

    def get_organization(self, obj: Any) -> str | None:
        return obj.organization_name if self.context.get("staff") else None

    def get_reason_label(self, obj: Any) -> str:
        return str(reason_label(obj.reason))

    def get_bid_seq(self, obj: Any) -> int | None:
        return obj.bid.seq if obj.bid_id else None


class BidAttemptList(generics.ListAPIView):
    """Bid attempts on one lot (newest first): all for operators and reviewers, a bidder's own for them."""

    serializer_class = AttemptRecordSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    def get_serializer_context(self) -> dict[str, Any]:
        lot = getattr(self, "lot", None)
        return {
            **super().get_serializer_context(),
            "staff": permissions.can_use_console(self.request.user),
            "sealed": lot is not None and lot.is_sealed and not lot.is_closed,
        }

    def get_queryset(self) -> Any:
        user = self.request.user
        lot = self.lot = permissions.lot_for(user, self.kwargs["lot_pk"])
        if not permissions.can_use_console(user) and not permissions.can_bid(user):
            deny(_("Only platform reviewers, operators and the bidders themselves can see bid attempts."))
        params = self.request.query_params
        reason = params.get("reason", "")
        if reason and reason not in REASONS:
            raise ValidationError({"reason": [_("Unknown refusal reason.")]})
        bidder_raw = params.get("bidder", "")
        bidder = None
        if bidder_raw:
            if not digits(bidder_raw) or not 1 <= int(bidder_raw) <= MAX_BIDDER_NUMBER:
                raise ValidationError(
                    {
                        "bidder": [
                            _("Give a bidder number between 1 and %(max)s.") % {"max": MAX_BIDDER_NUMBER}
                        ]
                    }
                )
            bidder = int(bidder_raw)
        return attempts_on(lot, user, reason=reason, bidder=bidder)

    @extend_schema(
        tags=["auctions"],
        operation_id="auctions_lots_attempts_list",
        parameters=[
            OpenApiParameter("lot_pk", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("reason", OpenApiTypes.STR, enum=list(REASONS), description="A refusal code."),
            OpenApiParameter("bidder", OpenApiTypes.INT, description="A paddle number in the lot's session."),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: AttemptRecordSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)
