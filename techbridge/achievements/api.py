"""Achievements API: the 科技成果 listings, searched and filtered like the portal list.

Who sees what: published achievements are public, except the confidential ``detail`` and the
attachments, which show only to the owner organisation, reviewers and users who accepted the NDA
(others get ``null`` and ``nda_required: true``). Drafts and everything under review show only to
the owner organisation and to reviewers; to anyone else they do not exist (404).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.listing_api import (
    ListingViewSet,
    ListingWriteSerializer,
    StrictModelSerializer,
    error_responses,
    listing_schema,
    service_errors,
)
from techbridge.lib.numbers import validate_price
from techbridge.lib.privacy import mask_contact_fields
from techbridge.organizations.api import OrganizationBriefSerializer, zone_field
from techbridge.taxonomy.api import (
    DealModeSerializer,
    IndustryFieldSerializer,
    deal_mode_codes,
    discipline_by_name,
    industry_field_codes,
)

from . import permissions as achievement_permissions
from . import services
from .filters import AchievementFilterForm
from .models import Achievement, AchievementAttachment
from .queries import visible_achievements

LIST_FIELDS = [
    "id",
    "title",
    "kind",
    "status",
    "is_demo",
    "stale_since",
    "published_at",
    "updated_at",
    "owner",
    "fields",
    "deal_modes",
    "discipline",
    "trl",
    "price_negotiable",
    "price",
    "summary",
    "keywords",
    "dual_use",
    "zone",
]


class AchievementSummarySerializer(serializers.ModelSerializer):
    """An achievement as a list shows it: the public part only."""

    owner = OrganizationBriefSerializer(read_only=True)
    fields = IndustryFieldSerializer(many=True, read_only=True)  # type: ignore[assignment]  # DRF pops it
    deal_modes = DealModeSerializer(many=True, read_only=True)
    discipline: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True
    )
    # Null means "not assessed" (imported records); the API requires a level for new ones.
    trl = serializers.IntegerField(read_only=True, allow_null=True, min_value=1, max_value=9)

    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Achievement
        fields = LIST_FIELDS
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AchievementAttachment
        fields = ["id", "name", "size", "created_at"]
        read_only_fields = fields


class AchievementSerializer(AchievementSummarySerializer):
    """One achievement; ``detail`` and ``attachments`` only for those who may see them."""

    detail = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    nda_required = serializers.SerializerMethodField()

    class Meta(AchievementSummarySerializer.Meta):
        fields = [
            *LIST_FIELDS,
            "ipc_codes",
            "patent_numbers",
            "legal_status",
            "team",
            "contact_name",
            "contact_phone",
            "contact_email",
            "advantages",
            "applications",
            "reject_reason",
            "created_at",
            "detail",
            "attachments",
            "nda_required",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Achievement) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not getattr(getattr(request, "user", None), "is_authenticated", False):
            mask_contact_fields(data)  # anonymous callers see the contact masked (lib.privacy)
        return data

    def _may_see_detail(self, obj: Achievement) -> bool:
        cache = self.__dict__.setdefault("_detail_access", {})
        if obj.pk not in cache:
            request = self.context.get("request")
            cache[obj.pk] = achievement_permissions.can_see_detail(getattr(request, "user", None), obj)
        return cache[obj.pk]

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="Null unless the caller may see it.")
    )
    def get_detail(self, obj: Achievement) -> str | None:
        return obj.detail if self._may_see_detail(obj) else None

    @extend_schema_field(AttachmentSerializer(many=True, allow_null=True))
    def get_attachments(self, obj: Achievement) -> Any:
        if not self._may_see_detail(obj):
            return None
        return AttachmentSerializer(obj.attachments.all(), many=True).data

    @extend_schema_field(
        serializers.BooleanField(help_text="True when the detail is hidden until the caller accepts the NDA.")
    )
    def get_nda_required(self, obj: Achievement) -> bool:
        return not self._may_see_detail(obj)


class AchievementWriteSerializer(ListingWriteSerializer):
    """The fields an owner writes: taxonomy by code, the discipline by name. Files go through the portal."""

    fields = industry_field_codes(required=False)  # type: ignore[assignment]
    deal_modes = deal_mode_codes(required=False)
    discipline = discipline_by_name(required=False, allow_null=True)
    zone = zone_field()
    trl = serializers.IntegerField(min_value=1, max_value=9)
    price = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text="Indicative price in yuan; leave it out and set price_negotiable for 面议.",
        error_messages={"min_value": _("The price cannot be negative.")},
        validators=[validate_price],
    )

    class Meta(StrictModelSerializer.Meta):
        model = Achievement
        fields = [*services.EDITABLE_FIELDS, "fields", "deal_modes"]

    create_service = staticmethod(services.create_achievement)
    update_service = staticmethod(services.update_achievement)
    m2m = ("fields", "deal_modes")


@listing_schema(
    tag="achievements",
    noun="achievement",
    filter_form=AchievementFilterForm,
    list_serializer=AchievementSummarySerializer,
    detail_serializer=AchievementSerializer,
    write_serializer=AchievementWriteSerializer,
    extra={
        "accept_nda": extend_schema(
            tags=["achievements"],
            summary="Accept the non-disclosure terms and see the detail",
            request=None,
            responses={200: AchievementSerializer, **error_responses(400, 401, 404)},
        )
    },
)
class AchievementViewSet(ListingViewSet):
    search_kind = "achievement"
    filter_form_class = AchievementFilterForm
    list_serializer_class = AchievementSummarySerializer
    detail_serializer_class = AchievementSerializer
    write_serializer_class = AchievementWriteSerializer
    check_author = staticmethod(achievement_permissions.check_author)
    moves = {
        "submit": services.submit_achievement,
        "approve": services.approve_achievement,
        "reject": services.reject_achievement,
        "withdraw": services.withdraw_achievement,
        "reopen": services.reopen_achievement,
    }

    @action(
        detail=True, methods=["post"], url_path="accept-nda", permission_classes=[permissions.IsAuthenticated]
    )
    def accept_nda(self, request: Request, pk: str) -> Response:
        """Accept the NDA of a published achievement; the response then shows the detail."""
        achievement = self.get_object()
        with service_errors():
            services.accept_nda(achievement, actor=request.user)
        return self.detail_response(achievement)

    def visible_to(self, user: Any) -> Any:
        return visible_achievements(user)
