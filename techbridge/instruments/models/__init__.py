"""Models of shared instruments and public technology service platforms, by topic."""

from .booking import Booking, Invoice, Slot, UsageMonth, UsageRecord
from .catalogue import FeeRate, Instrument, MaintenanceWindow, Qualification
from .platforms import ServiceOffer, ServiceOrder, ServicePlatform
from .vouchers import Voucher, VoucherProgramme, VoucherRedemption

__all__ = [
    "Booking",
    "FeeRate",
    "Instrument",
    "Invoice",
    "MaintenanceWindow",
    "Qualification",
    "ServiceOffer",
    "ServiceOrder",
    "ServicePlatform",
    "Slot",
    "UsageMonth",
    "UsageRecord",
    "Voucher",
    "VoucherProgramme",
    "VoucherRedemption",
]
