"""The governance metrics this app feeds (``core.registry.Metric``), computed from the records.

Each ``compute(period, district=None, zone=None)`` counts what exists at the period's end (cumulative
metrics) in the district and zone given (a zone includes its parks; ``zone`` is a ``Zone``, its id or
its code). It returns ``None`` when no record of the kind exists at all, which a dashboard shows as
"no data" rather than 0.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core.registry import Metric, Period

from . import queries
from .choices import MAKER_KINDS, CarrierKind, DesignationKind
from .models import Carrier, Designation


def _carriers_exist(*kinds: str) -> bool:
    return Carrier.objects.filter(kind__in=kinds).exists()


def new_rd_institutions(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    if not _carriers_exist(CarrierKind.RD_INSTITUTION):
        return None
    return queries.count_rd_institutions(period.end, district=district, zone=zone)


def university_science_parks(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    if not _carriers_exist(CarrierKind.SCIENCE_PARK):
        return None
    return queries.count_science_parks(period.end, district=district, zone=zone)


def maker_spaces(period: Period, district: str | None = None, zone: Any = None) -> int | None:
    if not _carriers_exist(*MAKER_KINDS):
        return None
    return queries.count_maker_carriers(period.end, district=district, zone=zone)


def _designated(kind: str) -> Any:
    def compute(period: Period, district: str | None = None, zone: Any = None) -> int | None:
        if not Designation.objects.filter(kind=kind).exists():
            return None
        return queries.count_designated(kind, period.end, district=district, zone=zone)

    compute.__name__ = f"designated_{kind}"
    return compute


demonstration_enterprises = _designated(DesignationKind.DEMONSTRATION)
high_tech_enterprises = _designated(DesignationKind.HIGH_TECH)

METRICS = (
    Metric(
        "carriers.new_rd_institutions",
        _("New R&D institutions"),
        _("institutions"),
        compute=new_rd_institutions,
        cumulative=True,
        description=_("New R&D institutions recognised and approved on the platform at the period's end."),
        order=10,
    ),
    Metric(
        "carriers.university_science_parks",
        _("University science parks"),
        _("parks"),
        compute=university_science_parks,
        cumulative=True,
        description=_("Recognised university science parks at the period's end."),
        order=20,
    ),
    Metric(
        "carriers.maker_spaces",
        _("Provincial-or-national maker carriers"),
        _("carriers"),
        compute=maker_spaces,
        cumulative=True,
        description=_(
            "Maker spaces and rural maker spaces (星创天地) recognised at provincial or national level."
        ),
        order=30,
    ),
    Metric(
        "enterprises.demonstration",
        _("Industry-university-research demonstration enterprises"),
        _("enterprises"),
        compute=demonstration_enterprises,
        cumulative=True,
        description=_("Enterprises holding a valid 产学研合作示范企业 designation at the period's end."),
        order=40,
    ),
    Metric(
        "enterprises.high_tech",
        _("High-tech enterprises"),
        _("enterprises"),
        compute=high_tech_enterprises,
        cumulative=True,
        description=_("Enterprises holding a valid 高新技术企业 certificate at the period's end."),
        order=50,
    ),
)
