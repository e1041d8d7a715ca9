"""Demands API: the 技术需求 listings, searched and filtered like the portal list.

Who sees what: published demands are public in full; drafts and everything under review show only
to the enterprise that owns them and to reviewers; to anyone else they do not exist (404).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from techbridge.core.listing_api import (
    ListingViewSet,
    ListingWriteSerializer,
    StrictModelSerializer,
    listing_schema,
)
from techbridge.lib.numbers import validate_price
from techbridge.lib.privacy import mask_contact_fields
from techbridge.organizations.api import OrganizationBriefSerializer, zone_field
from techbridge.taxonomy.api import (
    DealModeSerializer,
    IndustryFieldSerializer,
    deal_mode_codes,
    industry_field_codes,
)

from . import services
from .filters import DemandFilterForm
from .models import Demand
from .permissions import check_author
from .queries import visible_demands

LIST_FIELDS = [
    "id",
    "title",
    "status",
    "is_demo",
    "stale_since",
    "published_at",
    "updated_at",
    "owner",
    "fields",
    "cooperation_modes",
    "budget_negotiable",
    "budget_min",
    "budget_max",
    "deadline",
    "problem",
    "keywords",
    "zone",
]


class DemandSummarySerializer(serializers.ModelSerializer):
    """A demand as a list shows it."""

    owner = OrganizationBriefSerializer(source="enterprise", read_only=True)
    fields = IndustryFieldSerializer(many=True, read_only=True)  # type: ignore[assignment]  # DRF pops it
    cooperation_modes = DealModeSerializer(many=True, read_only=True)

    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Demand
        fields = LIST_FIELDS
        read_only_fields = fields


class DemandSerializer(DemandSummarySerializer):
    """One demand, everything of it (a published demand is public in full)."""

    class Meta(DemandSummarySerializer.Meta):
        fields = [
            *LIST_FIELDS,
            "setting",
            "indicators",
            "contact_name",
            "contact_phone",
            "contact_email",
            "reject_reason",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Demand) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not getattr(getattr(request, "user", None), "is_authenticated", False):
            mask_contact_fields(data)  # anonymous callers see the contact masked (lib.privacy)
        return data


def _budget(name: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text=f"{name} of the budget in yuan; leave both out and set budget_negotiable for 面议.",
        error_messages={"min_value": _("A budget cannot be negative.")},
        validators=[validate_price],
    )


class DemandWriteSerializer(ListingWriteSerializer):
    """The fields an enterprise writes; industry fields and cooperation modes by code."""

    fields = industry_field_codes(required=False)  # type: ignore[assignment]
    cooperation_modes = deal_mode_codes(required=False)
    zone = zone_field()
    budget_min = _budget("Lower end")
    budget_max = _budget("Upper end")

    class Meta(StrictModelSerializer.Meta):
        model = Demand
        fields = [*services.EDITABLE_FIELDS, "fields", "cooperation_modes"]

    create_service = staticmethod(services.create_demand)
    update_service = staticmethod(services.update_demand)
    m2m = ("fields", "cooperation_modes")


@listing_schema(
    tag="demands",
    noun="demand",
    filter_form=DemandFilterForm,
    list_serializer=DemandSummarySerializer,
    detail_serializer=DemandSerializer,
    write_serializer=DemandWriteSerializer,
)
class DemandViewSet(ListingViewSet):
    search_kind = "demand"
    filter_form_class = DemandFilterForm
    list_serializer_class = DemandSummarySerializer
    detail_serializer_class = DemandSerializer
    write_serializer_class = DemandWriteSerializer
    check_author = staticmethod(check_author)
    moves = {
        "submit": services.submit_demand,
        "approve": services.approve_demand,
        "reject": services.reject_demand,
        "withdraw": services.withdraw_demand,
        "reopen": services.reopen_demand,
    }

    def visible_to(self, user: Any) -> Any:
        return visible_demands(user)
