"""Serializers of the instruments API: read shapes, and strict input shapes bounded like the forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from techbridge.core.listing_api import StrictSerializer
from techbridge.organizations.choices import OrgKind

from .. import slots
from ..choices import (
    AccessMode,
    Audience,
    BookingMode,
    FeeUnit,
    InstrumentCategory,
    OfferKind,
    ResourceKind,
    VoucherUse,
)
from ..models import (
    Booking,
    FeeRate,
    Instrument,
    Invoice,
    ServiceOffer,
    ServiceOrder,
    ServicePlatform,
    UsageRecord,
    Voucher,
    VoucherProgramme,
    VoucherRedemption,
)
from ..models.common import MAX_AMOUNT, MAX_HOURS, MAX_RATE, MAX_SAMPLES

MONEY_IN: dict[str, Any] = {
    "max_digits": 16,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": MAX_AMOUNT,
}


class InstrumentOrgSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    district = serializers.CharField()


class FeeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeRate
        fields = ["audience", "unit", "price", "note"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    owner = InstrumentOrgSerializer(read_only=True)
    zone = serializers.SerializerMethodField()
    industry_fields = serializers.SerializerMethodField()
    rates = FeeRateSerializer(many=True, read_only=True)
    is_large = serializers.BooleanField(read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "kind",
            "name",
            "model_number",
            "maker",
            "category",
            "industry_fields",
            "owner",
            "zone",
            "lab",
            "location",
            "platform",
            "purchase_value",
            "purchase_year",
            "publicly_funded",
            "is_large",
            "description",
            "specs",
            "sample_requirements",
            "capacity",
            "access",
            "open_days",
            "opens_at",
            "closes_at",
            "slot_minutes",
            "cancel_notice_hours",
            "horizon_days",
            "calibration_due",
            "contact_phone",
            "rates",
            "status",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = fields

    def get_zone(self, obj: Instrument) -> str | None:
        return obj.owner.zone.code if obj.owner.zone_id else None  # type: ignore[union-attr]

    def get_industry_fields(self, obj: Instrument) -> list[str]:
        return [f.code for f in obj.fields.all()]


class MatchExplanationSerializer(serializers.Serializer):
    """Why a record matched: its score, the terms it shares with the query, the closeness of meaning."""

    score = serializers.FloatField()
    shared_terms = serializers.ListField(child=serializers.CharField())
    similarity = serializers.FloatField(allow_null=True)
    sentences = serializers.ListField(child=serializers.CharField())


class InstrumentHitSerializer(serializers.Serializer):
    instrument = InstrumentSerializer()
    match = MatchExplanationSerializer()


class FeeRateInSerializer(StrictSerializer):
    audience = serializers.ChoiceField(choices=Audience.choices)
    unit = serializers.ChoiceField(choices=FeeUnit.choices)
    price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), max_value=MAX_RATE
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FeeRatesInSerializer(StrictSerializer):
    rates = FeeRateInSerializer(many=True, max_length=4)  # type: ignore[call-arg]


class InstrumentInSerializer(StrictSerializer):
    """Input of create and partial update (every field optional on update)."""

    kind = serializers.ChoiceField(choices=ResourceKind.choices, required=False)
    name = serializers.CharField(max_length=200)
    model_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    maker = serializers.CharField(max_length=100, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=InstrumentCategory.choices, required=False)
    industry_fields = serializers.ListField(
        child=serializers.SlugField(max_length=32),
        required=False,
        max_length=15,
        help_text="Industry field codes.",
    )
    lab = serializers.CharField(max_length=100, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    manager = serializers.CharField(max_length=150, required=False, allow_blank=True, help_text="username")
    platform = serializers.IntegerField(required=False, allow_null=True)
    purchase_value = serializers.DecimalField(required=False, allow_null=True, **MONEY_IN)
    purchase_year = serializers.IntegerField(required=False, allow_null=True, min_value=1950, max_value=2100)
    publicly_funded = serializers.BooleanField(required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    specs = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    sample_requirements = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    capacity = serializers.CharField(max_length=200, required=False, allow_blank=True)
    access = serializers.ChoiceField(choices=AccessMode.choices, required=False)
    open_days = serializers.RegexField(r"^[1-7]{1,7}$", max_length=7, required=False)
    opens_at = serializers.TimeField(required=False)
    closes_at = serializers.TimeField(required=False)
    slot_minutes = serializers.ChoiceField(choices=list(slots.SLOT_CHOICES), required=False)
    cancel_notice_hours = serializers.IntegerField(required=False, min_value=0, max_value=720)
    horizon_days = serializers.IntegerField(required=False, min_value=1, max_value=366)
    calibration_due = serializers.DateField(required=False, allow_null=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    rates = FeeRateInSerializer(many=True, required=False, max_length=4)  # type: ignore[call-arg]


class CalendarCellSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    state = serializers.CharField()
    text = serializers.CharField()
    booking_id = serializers.IntegerField(allow_null=True)


class CalendarDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    cells = CalendarCellSerializer(many=True)


class CalendarSerializer(serializers.Serializer):
    instrument = serializers.IntegerField()
    week = serializers.DateField()
    slot_minutes = serializers.IntegerField()
    days = CalendarDaySerializer(many=True)


class InstrumentStatusInSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=["suspend", "reactivate", "retire"])
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MaintenanceInSerializer(StrictSerializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=200)


class QualificationInSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    valid_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class InternalUseInSerializer(StrictSerializer):
    started_at = serializers.DateTimeField()
    hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_HOURS
    )
    samples = serializers.IntegerField(min_value=0, max_value=MAX_SAMPLES, required=False, default=0)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UsageRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = UsageRecord
        fields = [
            "id",
            "instrument",
            "booking",
            "order",
            "audience",
            "started_at",
            "ended_at",
            "hours",
            "samples",
            "fee",
            "fee_detail",
            "method",
            "status",
            "recorded_at",
            "is_demo",
        ]
        read_only_fields = fields


# ---- bookings --------------------------------------------------------------------------------------


class InstrumentBookingSerializer(serializers.ModelSerializer):
    instrument_name = serializers.CharField(source="instrument.name", read_only=True)
    organization = InstrumentOrgSerializer(read_only=True)
    invoice = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "instrument",
            "instrument_name",
            "organization",
            "audience",
            "mode",
            "starts_at",
            "ends_at",
            "units",
            "purpose",
            "sample_description",
            "sample_count",
            "voucher",
            "status",
            "decided_at",
            "reason",
            "invoice",
            "is_demo",
            "created_at",
        ]
        read_only_fields = fields

    def get_invoice(self, obj: Booking) -> int | None:
        """Lists annotate ``invoice_pk`` (one query for the page); a single booking looks it up."""
        if hasattr(obj, "invoice_pk"):
            return obj.invoice_pk
        return Invoice.objects.filter(booking=obj).values_list("pk", flat=True).first()


class InstrumentBookingInSerializer(StrictSerializer):
    instrument = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=BookingMode.choices, default=BookingMode.OPERATED)
    purpose = serializers.CharField(max_length=2000)
    sample_description = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    sample_count = serializers.IntegerField(min_value=0, max_value=MAX_SAMPLES, required=False, default=0)
    voucher = serializers.IntegerField(required=False, allow_null=True)


class InstrumentReasonInSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UsageHoursInSerializer(StrictSerializer):
    hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_HOURS
    )
    samples = serializers.IntegerField(min_value=0, max_value=MAX_SAMPLES, required=False, default=0)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UsageStopInSerializer(StrictSerializer):
    samples = serializers.IntegerField(min_value=0, max_value=MAX_SAMPLES, required=False, default=0)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class VoucherChoiceInSerializer(StrictSerializer):
    voucher = serializers.IntegerField(allow_null=True)


class FeeStatementSerializer(serializers.ModelSerializer):
    provider = InstrumentOrgSerializer(read_only=True)
    payer = InstrumentOrgSerializer(read_only=True)
    has_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "booking",
            "order",
            "provider",
            "payer",
            "amount",
            "voucher_amount",
            "payable",
            "snapshot",
            "issued_at",
            "pdf_sha256",
            "has_pdf",
            "is_demo",
        ]
        read_only_fields = fields

    def get_has_pdf(self, obj: Invoice) -> bool:
        return bool(obj.pdf)


# ---- vouchers --------------------------------------------------------------------------------------


class VoucherProgrammeSerializer(serializers.ModelSerializer):
    remaining = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = VoucherProgramme
        fields = [
            "id",
            "name",
            "year",
            "issuer",
            "basis",
            "budget",
            "allocated",
            "remaining",
            "share",
            "cap_per_enterprise",
            "eligible_kinds",
            "nanjing_only",
            "uses",
            "applications_open",
            "applications_close",
            "valid_until",
            "status",
            "is_demo",
        ]
        read_only_fields = fields


class VoucherProgrammeInSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    issuer = serializers.CharField(max_length=100)
    basis = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    budget = serializers.DecimalField(**MONEY_IN)
    share = serializers.DecimalField(
        max_digits=4, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal("1")
    )
    cap_per_enterprise = serializers.DecimalField(**MONEY_IN)
    eligible_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrgKind.choices), min_length=1, max_length=len(OrgKind.values)
    )
    nanjing_only = serializers.BooleanField(default=True)
    uses = serializers.ChoiceField(choices=VoucherUse.choices, default=VoucherUse.ALL)
    applications_open = serializers.DateField()
    applications_close = serializers.DateField()
    valid_until = serializers.DateField()


class VoucherSerializer(serializers.ModelSerializer):
    enterprise = InstrumentOrgSerializer(read_only=True)
    balance = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Voucher
        fields = [
            "id",
            "number",
            "programme",
            "enterprise",
            "purpose",
            "requested_amount",
            "quota",
            "spent",
            "balance",
            "status",
            "decided_at",
            "reason",
            "is_demo",
            "created_at",
        ]
        read_only_fields = fields


class VoucherApplySerializer(StrictSerializer):
    programme = serializers.IntegerField()
    requested_amount = serializers.DecimalField(**MONEY_IN)
    purpose = serializers.CharField(max_length=2000)


class VoucherQuotaInSerializer(StrictSerializer):
    quota = serializers.DecimalField(**MONEY_IN)


class VoucherRedemptionSerializer(serializers.ModelSerializer):
    provider = InstrumentOrgSerializer(read_only=True)

    class Meta:
        model = VoucherRedemption
        fields = [
            "id",
            "voucher",
            "invoice",
            "provider",
            "amount",
            "status",
            "claimed_at",
            "settled_at",
            "settlement_ref",
            "return_reason",
            "is_demo",
            "created_at",
        ]
        read_only_fields = fields


class VoucherSettleInSerializer(StrictSerializer):
    reference = serializers.CharField(max_length=100)


# ---- platforms -------------------------------------------------------------------------------------


class ServicePlatformSerializer(serializers.ModelSerializer):
    host = InstrumentOrgSerializer(read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    zone = serializers.SerializerMethodField()

    class Meta:
        model = ServicePlatform
        fields = [
            "id",
            "name",
            "industry",
            "host",
            "zone",
            "description",
            "designated_on",
            "designation_ref",
            "website",
            "contact_phone",
            "status",
            "closed_on",
            "is_demo",
        ]
        read_only_fields = fields

    def get_zone(self, obj: ServicePlatform) -> str | None:
        return obj.host.zone.code if obj.host.zone_id else None  # type: ignore[union-attr]


class ServicePlatformInSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    industry = serializers.SlugField(max_length=32)
    host = serializers.IntegerField()
    manager = serializers.CharField(max_length=150, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000)
    designated_on = serializers.DateField()
    designation_ref = serializers.CharField(max_length=100, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class ServicePlatformStatusInSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=["operating", "suspended", "closed"])
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True)


class ServiceOfferSerializer(serializers.ModelSerializer):
    platform_name = serializers.CharField(source="platform.name", read_only=True)

    class Meta:
        model = ServiceOffer
        fields = [
            "id",
            "platform",
            "platform_name",
            "kind",
            "title",
            "description",
            "deliverables",
            "lead_time_days",
            "price_from",
            "resource",
            "is_active",
            "is_demo",
        ]
        read_only_fields = fields


class ServiceOfferHitSerializer(serializers.Serializer):
    offer = ServiceOfferSerializer()
    match = MatchExplanationSerializer()


class InstrumentMatchResultSerializer(serializers.Serializer):
    instruments = InstrumentHitSerializer(many=True)
    offers = ServiceOfferHitSerializer(many=True)


class ServiceOfferInSerializer(StrictSerializer):
    platform = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    deliverables = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lead_time_days = serializers.IntegerField(min_value=1, max_value=365, required=False, default=10)
    price_from = serializers.DecimalField(required=False, allow_null=True, **MONEY_IN)
    resource = serializers.IntegerField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False, default=True)


class ServiceOrderSerializer(serializers.ModelSerializer):
    organization = InstrumentOrgSerializer(read_only=True)
    offer_title = serializers.CharField(source="offer.title", read_only=True)

    class Meta:
        model = ServiceOrder
        fields = [
            "id",
            "offer",
            "offer_title",
            "platform",
            "organization",
            "need",
            "wanted_by",
            "status",
            "quote_amount",
            "quote_days",
            "quote_note",
            "slot_start",
            "slot_end",
            "quoted_at",
            "voucher",
            "booking",
            "ordered_at",
            "delivered_at",
            "delivery_note",
            "hours_used",
            "accepted_at",
            "reason",
            "rating",
            "rating_comment",
            "rated_at",
            "is_demo",
            "created_at",
        ]
        read_only_fields = fields


class ServiceOrderInSerializer(StrictSerializer):
    offer = serializers.IntegerField()
    need = serializers.CharField(max_length=2000)
    wanted_by = serializers.DateField(required=False, allow_null=True)


class ServiceQuoteInSerializer(StrictSerializer):
    amount = serializers.DecimalField(**MONEY_IN)
    days = serializers.IntegerField(min_value=1, max_value=365)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    slot_start = serializers.DateTimeField(required=False, allow_null=True)
    slot_end = serializers.DateTimeField(required=False, allow_null=True)


class ServiceDeliverInSerializer(StrictSerializer):
    report = serializers.CharField(max_length=2000)
    hours_used = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURS,
        required=False,
        allow_null=True,
    )


class ServiceRatingInSerializer(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


# ---- utilisation -----------------------------------------------------------------------------------


class UtilisationRowSerializer(serializers.Serializer):
    instrument = serializers.IntegerField()
    name = serializers.CharField()
    hours = serializers.DecimalField(max_digits=16, decimal_places=2)
    external_hours = serializers.DecimalField(max_digits=16, decimal_places=2)
    fee = serializers.DecimalField(max_digits=16, decimal_places=2)
    available_hours = serializers.FloatField()
    rate = serializers.FloatField(allow_null=True)
    low_external_use = serializers.DictField(allow_null=True)


class UtilisationSeriesSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField())
    internal = serializers.ListField(child=serializers.FloatField())
    external = serializers.ListField(child=serializers.FloatField())
    fee = serializers.ListField(child=serializers.FloatField())


class UtilisationSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.CharField())
    series = UtilisationSeriesSerializer()
    instruments = UtilisationRowSerializer(many=True)
    count = serializers.IntegerField()
