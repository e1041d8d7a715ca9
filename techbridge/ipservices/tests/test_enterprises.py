"""IP-intensive enterprises: indicators from the register and the platform's contracts, designations
with year, counts per industry base, and the two governance metrics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.core import registry
from techbridge.core.registry import Period
from techbridge.ipservices.models import Designation, EnterpriseIndicators
from techbridge.ipservices.services import enterprises
from techbridge.testing.factories.contracts import ContractFactory
from techbridge.testing.factories.ipservices import PatentFactory

pytestmark = pytest.mark.django_db


def registered_contract(seller, buyer, kind, amount, year, n):
    """A contract registered on 1 June of ``year`` (the indicators read the year of registration)."""
    return ContractFactory(
        number=f"T{year}{n:04d}",
        title=f"专利许可合同{n}",
        contract_type=kind,
        seller=seller,
        buyer=buyer,
        total_amount=Decimal(amount),
        technology_amount=Decimal(amount),
        registered_at=timezone.make_aware(dt.datetime(year, 6, 1, 10)),
    )


def test_indicators_come_from_the_register_and_registered_contracts(client, cast):
    org = cast.enterprise
    for kind in ("invention", "invention", "utility_model"):
        PatentFactory(kind=kind, applicants=org.name, first_applicant=org.name, applicant_org=org)
    PatentFactory(kind="invention", legal_status="lapsed", status_date=dt.date(2023, 1, 1), applicant_org=org)
    PatentFactory(
        kind="invention", applicants=f"东南大学；{org.name}", first_applicant="东南大学"
    )  # co-applicant
    registered_contract(org, cast.university, "license", "200000.00", 2024, 1)
    registered_contract(cast.university, org, "transfer", "500000.00", 2024, 2)
    registered_contract(org, cast.university, "license", "90000.00", 2023, 3)  # another year
    client.force_login(cast.reviewer)
    client.post(
        reverse("ipservices_console:enterprises"),
        {"organization": org.credit_code, "year": 2024, "employees": 50, "rd_employees": 12},
    )
    ind = EnterpriseIndicators.objects.get(organization=org, year=2024)
    assert (ind.patents_in_force, ind.inventions_in_force) == (4, 3)
    assert ind.invention_share == Decimal("0.7500") and ind.patents_per_100_employees == Decimal("8.00")
    assert (ind.licences_out, ind.transfers_out, ind.licences_in, ind.transfers_in) == (1, 0, 0, 1)
    assert ind.contract_amount == Decimal("700000.00")


def test_indicators_input_is_bounded(cast):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        enterprises.record_indicators(
            cast.enterprise, 2024, actor=cast.reviewer, employees=10, rd_employees=20
        )
    with pytest.raises(ValidationError):
        enterprises.record_indicators(
            cast.enterprise, timezone.localdate().year + 1, actor=cast.reviewer, employees=10
        )
    with pytest.raises(PermissionDenied):
        enterprises.record_indicators(cast.enterprise, 2024, actor=cast.buyer, employees=10)


def test_designation_with_year_counts_per_base_and_in_the_metric(client, cast, smart_grid):
    client.force_login(cast.operator)
    client.post(
        reverse("ipservices_console:designate"),
        {"organization": cast.enterprise.name, "year": 2024, "industry": smart_grid.pk},
    )
    designation = Designation.objects.get()
    assert (designation.year, designation.industry) == (2024, smart_grid)
    page = client.get(reverse("ipservices:enterprises")).content.decode()
    assert cast.enterprise.name in page and "智能电网" in page

    metric = registry.metric("ipservices.ip_intensive_enterprises")
    assert metric.cumulative
    assert metric.compute(Period.year(2023)) == 0
    assert metric.compute(Period.year(2024)) == 1 and metric.compute(Period.year(2025)) == 1
    assert metric.compute(Period.year(2024), district="jiangning") == 1
    assert metric.compute(Period.year(2024), district="gulou") == 0
    from techbridge.organizations.models import Zone

    zone = Zone.objects.get(code="jiangbei")
    assert metric.compute(Period.year(2024), zone=zone) == 0
    type(cast.enterprise).objects.filter(pk=cast.enterprise.pk).update(zone=zone)
    assert metric.compute(Period.year(2024), zone="jiangbei") == 1

    # Once per enterprise and year; only approved enterprises; only operators.
    response = client.post(
        reverse("ipservices_console:designate"), {"organization": cast.enterprise.name, "year": 2024}
    )
    assert Designation.objects.count() == 1 and response.status_code == 302
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        enterprises.designate(cast.university, 2024, actor=cast.operator)
    with pytest.raises(PermissionDenied):
        enterprises.designate(cast.enterprise, 2025, actor=cast.reviewer)

    enterprises.revoke(designation, actor=cast.operator, reason="不再符合条件")
    assert metric.compute(Period(dt.date(2030, 1, 1), dt.date(2030, 12, 31))) == 0


def test_metric_of_nanjing_patents_in_force_at_period_end():
    metric = registry.metric("ipservices.patents_nanjing")
    assert metric.compute(Period.year(2024)) is None  # no data at all: "no data", not 0
    PatentFactory(grant_date=dt.date(2022, 6, 1))  # Nanjing, Jiangning, in force
    PatentFactory(grant_date=dt.date(2025, 2, 1))  # granted after 2024
    PatentFactory(legal_status="pending", grant_date=None)
    PatentFactory(legal_status="lapsed", grant_date=dt.date(2021, 1, 1), status_date=dt.date(2024, 3, 1))
    PatentFactory(city="苏州", district="")
    PatentFactory(district="gulou", grant_date=dt.date(2021, 1, 1))
    assert metric.compute(Period.year(2023)) == 3  # the lapsed one was still in force
    assert metric.compute(Period.year(2024)) == 2
    assert metric.compute(Period.year(2024), district="gulou") == 1


def test_providers_are_registered_by_operators(client, cast):
    client.force_login(cast.operator)
    client.post(
        reverse("ipservices_console:providers"),
        {
            "organization": cast.service.name,
            "role": "institution",
            "offers_analysis": "on",
            "offers_assistance": "on",
            "is_active": "on",
        },
    )
    assert cast.service.ip_provider.role == "institution"
    response = client.post(
        reverse("ipservices_console:providers"), {"organization": cast.enterprise.name, "role": "institution"}
    )
    assert "No approved organisation of this kind" in response.content.decode()
    client.force_login(cast.reviewer)
    assert client.get(reverse("ipservices_console:providers")).status_code == 403
