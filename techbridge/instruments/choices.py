"""Vocabularies and state machines of shared instruments, vouchers and service platforms."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstrumentCategory(models.TextChoices):
    """The classes of the national catalogue of large research instruments (大型科研仪器分类)."""

    ANALYSIS = "analysis", _("Analytical instruments")
    PHYSICAL = "physical", _("Physical property testing instruments")
    METROLOGY = "metrology", _("Metrology instruments")
    ELECTRONIC = "electronic", _("Electronic measuring instruments")
    OCEAN = "ocean", _("Marine instruments")
    EARTH = "earth", _("Earth exploration instruments")
    ATMOSPHERE = "atmosphere", _("Atmospheric sounding instruments")
    SPECIAL = "special", _("Special testing instruments")
    LASER = "laser", _("Lasers")
    PROCESS = "process", _("Process test instruments")
    COMPUTING = "computing", _("Computers and ancillary equipment")
    ASTRONOMY = "astronomy", _("Astronomical instruments")
    MEDICAL = "medical", _("Medical research instruments")
    NUCLEAR = "nuclear", _("Nuclear instruments")
    OTHER = "other", _("Other instruments")


# The Chinese names the national catalogue and owners' spreadsheets use, for imports.
CATEGORY_NAMES: dict[str, str] = {
    "分析仪器": InstrumentCategory.ANALYSIS,
    "物理性能测试仪器": InstrumentCategory.PHYSICAL,
    "计量仪器": InstrumentCategory.METROLOGY,
    "电子测量仪器": InstrumentCategory.ELECTRONIC,
    "海洋仪器": InstrumentCategory.OCEAN,
    "地球探测仪器": InstrumentCategory.EARTH,
    "大气探测仪器": InstrumentCategory.ATMOSPHERE,
    "特种检测仪器": InstrumentCategory.SPECIAL,
    "激光器": InstrumentCategory.LASER,
    "工艺试验仪器": InstrumentCategory.PROCESS,
    "计算机及其配套设备": InstrumentCategory.COMPUTING,
    "天文仪器": InstrumentCategory.ASTRONOMY,
    "医学科研仪器": InstrumentCategory.MEDICAL,
    "核仪器": InstrumentCategory.NUCLEAR,
    "其他仪器": InstrumentCategory.OTHER,
}


class ResourceKind(models.TextChoices):
    """What a bookable resource is: both share the calendar, slots, usage and fees."""

    INSTRUMENT = "instrument", _("Instrument")
    PILOT_LINE = "pilot_line", _("Pilot line")


class AccessMode(models.TextChoices):
    OPERATED = "operated", _("Operated by the owner's staff only")
    SELF_USE = "self_use", _("Self-use after training (staff operation also offered)")


class BookingMode(models.TextChoices):
    OPERATED = "operated", _("Staff operate it for me")
    SELF_USE = "self_use", _("I operate it myself (trained)")


class Audience(models.TextChoices):
    """Whose use it is: the owner's own people, or an outside user (the figure the plan asks for)."""

    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class FeeUnit(models.TextChoices):
    HOUR = "hour", pgettext_lazy("fee unit", "per machine hour")
    SAMPLE = "sample", pgettext_lazy("fee unit", "per sample")


class InstrumentStatus(models.TextChoices):
    ACTIVE = "active", _("Open for booking")
    SUSPENDED = "suspended", _("Temporarily unavailable")
    RETIRED = "retired", _("Retired")


INSTRUMENT_TRANSITIONS: dict[str, set[str]] = {
    InstrumentStatus.ACTIVE: {InstrumentStatus.SUSPENDED, InstrumentStatus.RETIRED},
    InstrumentStatus.SUSPENDED: {InstrumentStatus.ACTIVE, InstrumentStatus.RETIRED},
    InstrumentStatus.RETIRED: set(),
}


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("booking status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
    IN_USE = "in_use", _("In use")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("Not used (no-show)")


BOOKING_TRANSITIONS: dict[str, set[str]] = {
    BookingStatus.REQUESTED: {BookingStatus.APPROVED, BookingStatus.REJECTED, BookingStatus.CANCELLED},
    BookingStatus.APPROVED: {
        BookingStatus.IN_USE,
        BookingStatus.COMPLETED,
        BookingStatus.CANCELLED,
        BookingStatus.NO_SHOW,
    },
    BookingStatus.IN_USE: {BookingStatus.COMPLETED},
    BookingStatus.REJECTED: set(),
    BookingStatus.CANCELLED: set(),
    BookingStatus.COMPLETED: set(),
    BookingStatus.NO_SHOW: set(),
}

# Bookings that hold their slots on the calendar.
HOLDING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.IN_USE)


class UsageMethod(models.TextChoices):
    TIMER = "timer", _("Started and stopped on the platform")
    ENTERED = "entered", _("Entered by the operator")


class UsageStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    RECORDED = "recorded", pgettext_lazy("usage status", "Recorded")


USAGE_TRANSITIONS: dict[str, set[str]] = {
    UsageStatus.RUNNING: {UsageStatus.RECORDED},
    UsageStatus.RECORDED: set(),
}


# ---- innovation vouchers (创新券) --------------------------------------------------------------------


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("programme status", "Draft")
    OPEN = "open", pgettext_lazy("programme status", "Open for applications")
    CLOSED = "closed", pgettext_lazy("programme status", "Closed")


PROGRAMME_TRANSITIONS: dict[str, set[str]] = {
    ProgrammeStatus.DRAFT: {ProgrammeStatus.OPEN},
    ProgrammeStatus.OPEN: {ProgrammeStatus.CLOSED},
    ProgrammeStatus.CLOSED: set(),
}


class VoucherUse(models.TextChoices):
    """What a programme's vouchers may pay for."""

    ALL = "all", _("Instrument bookings and platform services")
    INSTRUMENTS = "instruments", _("Instrument bookings only")
    SERVICES = "services", _("Platform services only")


class VoucherStatus(models.TextChoices):
    APPLIED = "applied", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("voucher status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("voucher status", "Withdrawn")
    EXPIRED = "expired", pgettext_lazy("voucher status", "Expired")


VOUCHER_TRANSITIONS: dict[str, set[str]] = {
    VoucherStatus.APPLIED: {VoucherStatus.APPROVED, VoucherStatus.REJECTED, VoucherStatus.WITHDRAWN},
    VoucherStatus.APPROVED: {VoucherStatus.EXPIRED},
    VoucherStatus.REJECTED: set(),
    VoucherStatus.WITHDRAWN: set(),
    VoucherStatus.EXPIRED: set(),
}

# A voucher in one of these states counts as the enterprise's voucher of the programme.
LIVE_VOUCHER_STATUSES = (VoucherStatus.APPLIED, VoucherStatus.APPROVED, VoucherStatus.EXPIRED)


class RedemptionStatus(models.TextChoices):
    REDEEMED = "redeemed", _("Redeemed")
    CLAIMED = "claimed", _("Claimed by the provider")
    SETTLED = "settled", _("Settled")


REDEMPTION_TRANSITIONS: dict[str, set[str]] = {
    # Staff may return a claim to the provider (missing evidence); the provider claims again.
    RedemptionStatus.REDEEMED: {RedemptionStatus.CLAIMED},
    RedemptionStatus.CLAIMED: {RedemptionStatus.SETTLED, RedemptionStatus.REDEEMED},
    RedemptionStatus.SETTLED: set(),
}


# ---- public technology service platforms (公共技术服务平台) -----------------------------------------


class PlatformStatus(models.TextChoices):
    OPERATING = "operating", pgettext_lazy("platform status", "Operating")
    SUSPENDED = "suspended", pgettext_lazy("platform status", "Suspended")
    CLOSED = "closed", pgettext_lazy("platform status", "Closed")


PLATFORM_TRANSITIONS: dict[str, set[str]] = {
    PlatformStatus.OPERATING: {PlatformStatus.SUSPENDED, PlatformStatus.CLOSED},
    PlatformStatus.SUSPENDED: {PlatformStatus.OPERATING, PlatformStatus.CLOSED},
    PlatformStatus.CLOSED: set(),
}


class OfferKind(models.TextChoices):
    """The services the plan names for public technology service platforms (task 13)."""

    DESIGN = "design", _("R&D design")
    TESTING = "testing", _("Testing and inspection")
    STANDARDS = "standards", _("Technical standards")
    PILOT = "pilot", _("Pilot-scale production")


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("Request sent")
    QUOTED = "quoted", _("Quoted")
    DECLINED = "declined", _("Declined by the provider")
    WITHDRAWN = "withdrawn", _("Withdrawn by the enterprise")
    ORDERED = "ordered", _("Ordered")
    DELIVERED = "delivered", _("Delivered")
    ACCEPTED = "accepted", pgettext_lazy("order status", "Accepted")


ORDER_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.REQUESTED: {OrderStatus.QUOTED, OrderStatus.DECLINED, OrderStatus.WITHDRAWN},
    # A provider may revise its quote until the enterprise orders.
    OrderStatus.QUOTED: {
        OrderStatus.QUOTED,
        OrderStatus.ORDERED,
        OrderStatus.DECLINED,
        OrderStatus.WITHDRAWN,
    },
    OrderStatus.ORDERED: {OrderStatus.DELIVERED},
    # The enterprise accepts the delivery, or sends it back for rework.
    OrderStatus.DELIVERED: {OrderStatus.ACCEPTED, OrderStatus.ORDERED},
    OrderStatus.DECLINED: set(),
    OrderStatus.WITHDRAWN: set(),
    OrderStatus.ACCEPTED: set(),
}
