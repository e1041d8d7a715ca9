"""Records of the technology-transfer office (tto). Factories skip the workflow; tests of the workflow go
through ``techbridge.tto.services``."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from typing import Any

import factory
from django.core.files.base import ContentFile

from techbridge.tto.models import (
    AnnualReport,
    Disclosure,
    Distribution,
    DistributionLine,
    Inventor,
    OpenLicence,
    PatentApplication,
)


class DisclosureFactory(factory.django.DjangoModelFactory):
    """A submitted disclosure of a separator coating; give ``institution`` and ``created_by``."""

    class Meta:
        model = Disclosure

    number = factory.Sequence(lambda n: f"TTO-2026-{n + 1:04d}")
    title = factory.Sequence(lambda n: f"一种锂电池隔膜涂层{n}")
    summary = "陶瓷涂层隔膜，提高热稳定性。"
    detail = "涂层配方与工艺参数（保密）。"
    status = "submitted"


def make_case(cast: Any, *, status: str = "submitted", **kw: Any) -> Disclosure:
    """A case of 示范大学 disclosed by the researcher (sole inventor, 100 %)."""
    case = typing.cast(
        Disclosure,
        DisclosureFactory(institution=cast.university, created_by=cast.researcher, status=status, **kw),
    )
    Inventor.objects.create(disclosure=case, user=cast.researcher, name="李研究", share=Decimal("100"))
    return case


def make_application(
    cast: Any, case: Disclosure | None = None, *, granted: bool = True, number: str = "CN202010000001.1"
) -> PatentApplication:
    case = case or make_case(cast, status="protect")
    return PatentApplication.objects.create(
        disclosure=case,
        kind="invention",
        title=case.title,
        application_number=number,
        filing_date=dt.date(2020, 3, 5),
        status="granted" if granted else "filed",
        grant_date=dt.date(2022, 6, 1) if granted else None,
    )


def make_open_licence(cast: Any, application: PatentApplication | None = None, **kw: Any) -> OpenLicence:
    app = application or make_application(cast)
    kw.setdefault("royalty_rate", Decimal("3"))
    kw.setdefault("entry_fee", Decimal("10000"))
    kw.setdefault("term_years", 5)
    kw.setdefault("payment_terms", "每年3月31日前按上年销售额支付提成。")
    return OpenLicence.objects.create(application=app, declared_by=cast.univ_admin, **kw)


def make_distribution(cast: Any, case: Disclosure, *, with_statement: bool = True) -> Distribution:
    dist = Distribution.objects.create(
        disclosure=case,
        kind="transfer",
        year=2026,
        gross=Decimal("100000"),
        net=Decimal("100000"),
        percent=Decimal("70"),
        inventors_amount=Decimal("70000"),
    )
    for inv in case.inventors.all():
        line = DistributionLine.objects.create(
            distribution=dist, inventor=inv, share=inv.share, amount=Decimal("70000") * inv.share / 100
        )
        if with_statement:
            line.statement.save("s.pdf", ContentFile(b"%PDF-1.4 statement"), save=True)
    return dist


def make_report(cast: Any, year: int = 2025) -> AnnualReport:
    report = AnnualReport.objects.create(institution=cast.university, year=year, figures={"rewards": "0"})
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.4 report"), save=False)
    report.xlsx.save("r.xlsx", ContentFile(b"PK"), save=True)
    return report
