"""What instruments adds to the shared pages and registries: menus, the demand panel, console figures,
"my work", audit words, the daily sweep, governance metrics, the import kind and the search corpora."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import signed_in
from techbridge.core.roles import is_console_user, is_staff_reviewer

AUDIT_LABELS = {
    "instruments.instrument.created": _("Instrument listed"),
    "instruments.instrument.updated": _("Instrument details changed"),
    "instruments.instrument.rates_changed": _("Fee schedule changed"),
    "instruments.instrument.suspended": _("Instrument suspended"),
    "instruments.instrument.reactivated": _("Instrument reopened for booking"),
    "instruments.instrument.retired": _("Instrument retired"),
    "instruments.qualification.granted": _("Training qualification granted"),
    "instruments.qualification.revoked": _("Training qualification revoked"),
    "instruments.maintenance.scheduled": _("Maintenance scheduled"),
    "instruments.maintenance.removed": _("Maintenance removed"),
    "instruments.booking.requested": _("Booking requested"),
    "instruments.booking.booked_for_order": _("Booked for a service order"),
    "instruments.booking.approved": _("Booking approved"),
    "instruments.booking.rejected": _("Booking rejected"),
    "instruments.booking.cancelled": _("Booking cancelled"),
    "instruments.booking.no_show": _("Booking marked as not used"),
    "instruments.booking.voucher_changed": _("Voucher for the booking changed"),
    "instruments.booking.started": _("Usage started"),
    "instruments.booking.completed": _("Booking completed"),
    "instruments.usage.started": _("Usage clock started"),
    "instruments.usage.recorded": _("Usage recorded"),
    "instruments.invoice.issued": _("Fee statement issued"),
    "instruments.programme.created": _("Voucher programme created"),
    "instruments.programme.updated": _("Voucher programme changed"),
    "instruments.programme.opened": _("Voucher programme opened"),
    "instruments.programme.closed": _("Voucher programme closed"),
    "instruments.voucher.applied": _("Voucher applied for"),
    "instruments.voucher.approved": _("Voucher approved"),
    "instruments.voucher.rejected": _("Voucher application rejected"),
    "instruments.voucher.withdrawn": _("Voucher application withdrawn"),
    "instruments.voucher.expired": _("Voucher expired"),
    "instruments.voucher.redeemed": _("Voucher redeemed on a bill"),
    "instruments.voucher.claimed": _("Voucher payment claimed by the provider"),
    "instruments.voucher.claim_returned": _("Voucher claim returned to the provider"),
    "instruments.voucher.settled": _("Voucher claim settled"),
    "instruments.platform.designated": _("Service platform designated"),
    "instruments.platform.updated": _("Service platform changed"),
    "instruments.platform.suspended": _("Service platform suspended"),
    "instruments.platform.reopened": _("Service platform reopened"),
    "instruments.platform.closed": _("Service platform closed"),
    "instruments.offer.created": _("Service offer added"),
    "instruments.offer.updated": _("Service offer changed"),
    "instruments.order.requested": _("Service requested"),
    "instruments.order.quoted": _("Service quoted"),
    "instruments.order.declined": _("Service request declined"),
    "instruments.order.withdrawn": _("Service request withdrawn"),
    "instruments.order.ordered": _("Service ordered"),
    "instruments.order.delivered": _("Service delivered"),
    "instruments.order.sent_back": _("Delivery sent back"),
    "instruments.order.accepted": _("Delivery accepted"),
    "instruments.order.rated": _("Service rated"),
}


def _demand_panel(request: Any, demand: Any) -> dict[str, Any] | None:
    """The demand page gets a placeholder; the matches load separately (htmx) so the page stays fast."""
    if demand is None or getattr(demand, "status", "") != "published":
        return None
    return {"instrument_panel_demand": demand.pk}


def _mine(request: Any) -> dict[str, Any] | None:
    """ "My work" gets a placeholder; the bookings and orders load separately (htmx), without a query here."""
    return {} if getattr(request.user, "is_authenticated", False) else None


def _pickable_vouchers(user: Any) -> Any:
    from .models import Voucher
    from .permissions import usable_vouchers_q

    return Voucher.objects.filter(usable_vouchers_q(user)).select_related("programme")


def _voucher_label(v: Any) -> str:
    from .forms import voucher_label

    return voucher_label(v)


def register() -> None:
    from . import corpora, importing, metrics

    registry.register_picker(
        registry.PickerKind(
            "vouchers",
            visible=_pickable_vouchers,
            label=_voucher_label,
            fields=("programme__name",),
            prefix_fields=("number",),
            name_field="number",
        )
    )
    from .services.reminders import send_reminders

    registry.register_nav("portal", _("Shared instruments"), "instruments:list", group="services", order=10)
    registry.register_nav(
        "portal", _("Technology service platforms"), "instruments:platforms", group="services", order=11
    )
    registry.register_nav(
        "portal", _("Innovation vouchers"), "instruments:vouchers", group="services", order=12
    )
    registry.register_nav(
        "portal", _("Bookings and orders"), "instruments:bookings", group="work", order=30, visible=signed_in
    )
    registry.register_nav(
        "portal",
        _("Instrument utilisation"),
        "instruments:utilisation",
        group="work",
        order=31,
        visible=signed_in,
    )
    registry.register_nav(
        "console",
        _("Innovation vouchers"),
        "instruments_console:vouchers",
        group="console.services",
        order=20,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Technology service platforms"),
        "instruments_console:platforms",
        group="console.services",
        order=21,
        visible=is_console_user,
    )
    registry.register_nav(
        "console",
        _("Instrument sharing and utilisation"),
        "instruments_console:utilisation",
        group="console.data",
        order=20,
        visible=is_console_user,
    )
    registry.register_panel(
        "demand.detail", "instruments/partials/demand_panel.html", order=60, context=_demand_panel
    )
    registry.register_mine_section("instruments/partials/mine.html", order=40, context=_mine)
    registry.register_counter(
        "instruments.vouchers_applied",
        _("Voucher applications awaiting decision"),
        _count_applied,
        visible=is_staff_reviewer,
        url_name="instruments_console:vouchers",
        order=30,
        attention=True,
    )
    registry.register_counter(
        "instruments.claims",
        _("Voucher claims awaiting settlement"),
        _count_claims,
        visible=is_staff_reviewer,
        url_name="instruments_console:claims",
        order=31,
        attention=True,
    )
    registry.register_counter(
        "instruments.instruments",
        _("Shared instruments open for booking"),
        _count_instruments,
        visible=is_console_user,
        url_name="instruments:list",
        order=50,
    )
    registry.register_counter(
        "instruments.platforms",
        _("Public technology service platforms"),
        _count_platforms,
        visible=is_console_user,
        url_name="instruments:platforms",
        order=51,
    )
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(send_reminders)
    registry.register_metric(
        registry.Metric(
            "instruments.service_platforms",
            _("Public technology service platforms"),
            _("platforms"),
            compute=metrics.service_platforms,
            cumulative=True,
            by_organization=metrics.service_platforms_by_organization,
            by_place=metrics.service_platforms_by_place,
            description=_(
                "Platforms designated on or before the end of the period and not closed by then, "
                "counted where the host organisation is. Plan target: 10."
            ),
            order=40,
        )
    )
    registry.register_metric(
        registry.Metric(
            "instruments.external_hours",
            _("Machine hours served to outside users"),
            _("hours"),
            compute=metrics.external_hours,
            by_organization=metrics.external_hours_by_organization,
            by_place=metrics.external_hours_by_place,
            description=_("Recorded usage of shared instruments by organisations other than the owner."),
            order=41,
        )
    )
    importing.register()
    corpora.register()


def _count_applied() -> int:
    from .choices import VoucherStatus
    from .models import Voucher

    return Voucher.objects.filter(status=VoucherStatus.APPLIED).count()


def _count_claims() -> int:
    from .choices import RedemptionStatus
    from .models import VoucherRedemption

    return VoucherRedemption.objects.filter(status=RedemptionStatus.CLAIMED).count()


def _count_instruments() -> int:
    from .choices import InstrumentStatus
    from .models import Instrument

    return Instrument.objects.filter(status=InstrumentStatus.ACTIVE).count()


def _count_platforms() -> int:
    from .choices import PlatformStatus
    from .models import ServicePlatform

    return ServicePlatform.objects.filter(status=PlatformStatus.OPERATING).count()
