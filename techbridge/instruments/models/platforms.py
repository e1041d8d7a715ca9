"""Public technology service platforms (公共技术服务平台), their service offers and the orders for them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core.workflow import StateMachineMixin

from ..choices import ORDER_TRANSITIONS, PLATFORM_TRANSITIONS, OfferKind, OrderStatus, PlatformStatus
from .common import HOURS, MONEY, TEXT_LONG, TEXT_MEDIUM, TEXT_SHORT


class ServicePlatform(StateMachineMixin):
    """A public technology service platform designated for one strategic industry.

    Hosted by an organisation (whose district and zone are the platform's); designated by platform
    operators with the date and reference of the designation. The governance metric counts platforms
    designated on or before a day and not closed by it (``designated_on``/``closed_on``), so the count
    for a past period never changes when a platform closes later.
    """

    TRANSITIONS = PLATFORM_TRANSITIONS

    name = models.CharField(_("name"), max_length=TEXT_SHORT, unique=True)
    industry = models.ForeignKey(
        "taxonomy.IndustryField", verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+"
    )
    host = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="service_platforms",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_platforms",
    )
    description = models.TextField(_("introduction"), max_length=TEXT_LONG)
    designated_on = models.DateField(_("designated on"))
    designation_ref = models.CharField(_("designation document"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlatformStatus.choices,
        default=PlatformStatus.OPERATING,
        db_index=True,
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("public technology service platform")
        verbose_name_plural = _("public technology service platforms")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("designated_on")),
                name="platform_closed_after_designation",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceOffer(models.Model):
    """One service a platform offers: R&D design, testing, standards or pilot-scale production.

    A testing or pilot offer may name the resource it runs on (an instrument or a pilot line); orders
    for it then book that resource through the same calendar as everyone else.
    """

    platform = models.ForeignKey(ServicePlatform, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("service"), max_length=16, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=TEXT_SHORT)
    description = models.TextField(_("description"), max_length=TEXT_LONG)
    deliverables = models.TextField(_("what the enterprise receives"), max_length=TEXT_MEDIUM, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        _("typical lead time (days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    price_from = models.DecimalField(
        _("price from (yuan)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when every job is quoted."),
        **MONEY,
    )
    resource = models.ForeignKey(
        "instruments.Instrument",
        verbose_name=_("runs on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    is_active = models.BooleanField(_("on offer"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("service offer")
        verbose_name_plural = _("service offers")
        ordering = ["platform", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class ServiceOrder(StateMachineMixin):
    """An enterprise's request for a service offer, through quote, order, delivery, acceptance and rating.

    Guarantees: only the host's staff quote, decline and deliver; only the requesting organisation
    orders, accepts, sends back and rates. When the offer runs on a resource, ordering books the quoted
    period on the resource's calendar in the same transaction (refused when it is no longer free).
    Acceptance issues the fee statement for the quoted amount (a voucher attached pays its share).
    """

    TRANSITIONS = ORDER_TRANSITIONS

    offer = models.ForeignKey(
        ServiceOffer, verbose_name=_("service"), on_delete=models.PROTECT, related_name="orders"
    )
    platform = models.ForeignKey(ServicePlatform, on_delete=models.PROTECT, related_name="orders")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    need = models.TextField(_("what is needed"), max_length=TEXT_MEDIUM)
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.REQUESTED, db_index=True
    )
    quote_amount = models.DecimalField(_("quoted price (yuan)"), null=True, blank=True, **MONEY)
    quote_days = models.PositiveSmallIntegerField(
        _("delivery within (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    quote_note = models.TextField(_("quote details"), max_length=TEXT_MEDIUM, blank=True)
    slot_start = models.DateTimeField(_("resource booked from"), null=True, blank=True)
    slot_end = models.DateTimeField(_("resource booked until"), null=True, blank=True)
    quoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quoted_at = models.DateTimeField(_("quoted"), null=True, blank=True)
    voucher = models.ForeignKey(
        "instruments.Voucher",
        verbose_name=_("innovation voucher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    booking = models.OneToOneField(
        "instruments.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="service_order"
    )
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery_note = models.TextField(_("delivery report"), max_length=TEXT_MEDIUM, blank=True)
    hours_used = models.DecimalField(_("machine hours used"), null=True, blank=True, **HOURS)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(pgettext_lazy("order rating", "comment"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | (models.Q(rating__gte=1) & models.Q(rating__lte=5)),
                name="order_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_start__isnull=True)
                | models.Q(slot_end__isnull=True)
                | models.Q(slot_end__gt=models.F("slot_start")),
                name="order_slot_span",
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "status"]),
            models.Index(fields=["organization", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}/{self.organization_id}"
