"""Public technology service platforms: an order from request to rating, the pilot line booked through the
shared calendar, and the governance metrics (platforms operating, hours served outside)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.core import registry
from techbridge.core.registry import Period
from techbridge.core.workflow import TransitionError
from techbridge.instruments.models import Booking, Invoice, ServiceOrder, ServicePlatform, Slot, UsageRecord
from techbridge.instruments.services import booking as booking_services
from techbridge.instruments.services import platforms as services
from techbridge.instruments.services import usage as usage_services
from techbridge.organizations.models import Organization, Zone
from techbridge.testing.factories.instruments import approved_voucher, future_slot, make_offer, make_platform

from .conftest import make_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pilot(cast, platform):
    """A pilot line of the university serving the platform, booked in whole days."""
    line = make_instrument(
        cast,
        kind="pilot_line",
        name="陶瓷膜中试线",
        slot_minutes=1440,
        access="operated",
        capacity="年产 5000 m² 膜组件",
        open_days="1234567",
    )
    line.platform = platform
    line.save(update_fields=["platform"])
    return make_offer(
        platform, kind="pilot", title="陶瓷膜中试放大", price_from=Decimal("50000"), resource=line
    )


def days(n: int = 2) -> tuple[dt.datetime, dt.datetime]:
    start, _ = future_slot(days=5, hour=0)
    return start, start + dt.timedelta(days=n)


def test_a_pilot_line_order_runs_from_request_to_rating(cast, pilot, programme, run_on_commit):
    order = services.request_service(
        actor=cast.buyer, offer=pilot, need="将实验室陶瓷膜配方放大到中试规模，验证批次稳定性。"
    )
    assert order.status == "requested"
    start, end = days(2)
    with pytest.raises(PermissionDenied):
        services.quote(order, actor=cast.buyer, amount="80000", days=30, slot_start=start, slot_end=end)
    with pytest.raises(ValidationError, match="propose the period"):
        services.quote(order, actor=cast.univ_admin, amount="80000", days=30)
    services.quote(
        order,
        actor=cast.univ_admin,
        amount="80000",
        days=30,
        note="含 2 天中试线使用",
        slot_start=start,
        slot_end=end,
    )
    voucher = approved_voucher(programme, cast.enterprise, cast.buyer, quota="50000")
    services.place_order(order, actor=cast.buyer, voucher=voucher)
    order.refresh_from_db()
    booking = order.booking
    assert order.status == "ordered" and booking.status == "approved" and booking.units == 2
    assert Slot.objects.filter(booking=booking).count() == 2
    services.deliver(
        order, actor=cast.univ_admin, report="完成 3 批次中试，提交中试报告。", hours_used="40", now=end
    )
    order.refresh_from_db()
    assert order.status == "delivered" and order.hours_used == Decimal("40.00")
    assert UsageRecord.objects.get(booking=booking).fee == 0  # billed at the quote, not the schedule
    assert Booking.objects.get(pk=booking.pk).status == "completed"
    services.send_back(order, actor=cast.buyer, reason="缺少批次稳定性数据")
    services.deliver(order, actor=cast.univ_admin, report="补充批次稳定性数据。", now=end)
    with run_on_commit(execute=True):
        services.accept_delivery(order, actor=cast.buyer)
    invoice = Invoice.objects.get(order=order)
    assert invoice.amount == Decimal("80000.00") and invoice.voucher_amount == Decimal("40000.00")
    assert invoice.payable == Decimal("40000.00") and invoice.provider == cast.university and invoice.pdf
    services.rate(order, actor=cast.buyer, rating=5, comment="响应及时")
    with pytest.raises(ValidationError, match="once"):
        services.rate(order, actor=cast.buyer, rating=4)
    assert ServiceOrder.objects.get(pk=order.pk).rating == 5


def test_ordering_is_refused_when_the_quoted_period_was_taken_meanwhile(cast, pilot):
    order = services.request_service(actor=cast.buyer, offer=pilot, need="中试放大")
    start, end = days(2)
    services.quote(order, actor=cast.univ_admin, amount="80000", days=30, slot_start=start, slot_end=end)
    booking_services.request_booking(
        actor=cast.broker,
        instrument=pilot.resource,
        starts_at=start,
        ends_at=start + dt.timedelta(days=1),
        purpose="自用",
    )
    with pytest.raises(ValidationError, match="already booked"):
        services.place_order(order, actor=cast.buyer)
    assert ServiceOrder.objects.get(pk=order.pk).status == "quoted"  # nothing half-written
    later = start + dt.timedelta(days=7)
    while later.isoweekday() > 5:
        later += dt.timedelta(days=1)
    services.quote(
        order,
        actor=cast.univ_admin,
        amount="80000",
        days=30,
        slot_start=later,
        slot_end=later + dt.timedelta(days=1),
    )
    services.place_order(order, actor=cast.buyer)
    assert ServiceOrder.objects.get(pk=order.pk).status == "ordered"


def test_the_host_declines_and_the_enterprise_withdraws(cast, offer):
    order = services.request_service(actor=cast.buyer, offer=offer, need="检测导热系数")
    with pytest.raises(ValidationError):
        services.decline(order, actor=cast.univ_admin, reason="")
    services.decline(order, actor=cast.univ_admin, reason="设备排期已满")
    with pytest.raises(TransitionError):
        services.withdraw(order, actor=cast.buyer)
    second = services.request_service(actor=cast.buyer, offer=offer, need="检测比热容")
    with pytest.raises(PermissionDenied):
        services.withdraw(second, actor=cast.stranger)
    services.withdraw(second, actor=cast.buyer)
    assert ServiceOrder.objects.get(pk=second.pk).status == "withdrawn"


def test_the_host_does_not_order_from_itself_and_closed_platforms_take_no_requests(cast, offer, platform):
    with pytest.raises(PermissionDenied, match="hosts"):
        services.request_service(actor=cast.researcher, offer=offer, need="x")
    services.set_platform_status(platform, "suspended", actor=cast.operator, reason="整改")
    with pytest.raises(PermissionDenied):
        services.request_service(actor=cast.buyer, offer=offer, need="x")


def test_a_service_without_resource_is_accepted_at_its_quote(cast, offer):
    order = services.request_service(actor=cast.buyer, offer=offer, need="检测导热系数")
    services.quote(order, actor=cast.univ_admin, amount="1200", days=7)
    services.place_order(order, actor=cast.buyer)
    with pytest.raises(ValidationError, match="Describe"):
        services.deliver(order, actor=cast.univ_admin, report="")
    services.deliver(order, actor=cast.univ_admin, report="检测报告已上传")
    services.accept_delivery(order, actor=cast.buyer)
    assert Invoice.objects.get(order=order).payable == Decimal("1200.00")


def test_operators_designate_and_close_platforms(cast):
    from techbridge.taxonomy.models import IndustryField

    data = {
        "name": "南京集成电路设计公共技术服务平台",
        "industry": IndustryField.objects.get(code="ic"),
        "host": cast.service,
        "description": "EDA 工具共享、流片服务与测试验证。",
        "designated_on": timezone.localdate() - dt.timedelta(days=10),
    }
    with pytest.raises(PermissionDenied):
        services.designate_platform(actor=cast.reviewer, data=data)
    platform = services.designate_platform(actor=cast.operator, data=data)
    with pytest.raises(ValidationError):
        services.set_platform_status(
            platform, "closed", actor=cast.operator, on=platform.designated_on - dt.timedelta(days=1)
        )
    services.set_platform_status(platform, "closed", actor=cast.operator)
    assert ServicePlatform.objects.get(pk=platform.pk).closed_on == timezone.localdate()


def test_the_platform_metric_counts_platforms_operating_at_the_period_end_by_place(cast):
    metric = registry.metric("instruments.service_platforms")
    assert metric.cumulative
    this_year = Period.year(timezone.localdate().year)
    assert metric.compute(this_year) is None  # no platform recorded at all: no data, not zero
    zone = Zone.objects.create(code="test-zone", name="测试园区")
    Organization.objects.filter(pk=cast.university.pk).update(zone=zone)
    make_platform(cast.university, name="平台甲", designated_on=dt.date(2021, 6, 1))
    make_platform(
        cast.service, name="平台乙", designated_on=dt.date(2023, 3, 1), closed_on=dt.date(2024, 5, 1)
    )
    make_platform(cast.enterprise, name="平台丙", designated_on=dt.date(2024, 1, 10))
    assert metric.compute(Period.year(2020)) == 0
    assert metric.compute(Period.year(2023)) == 2
    assert metric.compute(Period.year(2024)) == 2  # 乙 closed in May 2024
    assert metric.compute(Period.year(2024), district="gulou") == 1
    assert metric.compute(Period.year(2024), zone="test-zone") == 1
    assert metric.compute(Period.year(2024), zone=zone) == 1
    assert metric.compute(Period.year(2024), district="qixia") == 0
    # Grouped in one query each, as the governance dashboards read them; they add up to compute().
    places = metric.by_place(Period.year(2024))
    assert sum(places.values()) == 2 and places[("gulou", zone.pk)] == 1
    assert metric.by_organization(Period.year(2024)) == {cast.university.pk: 1, cast.enterprise.pk: 1}


def test_external_hours_metric_sums_outside_use_in_the_period(cast, instrument):
    metric = registry.metric("instruments.external_hours")
    period = Period.year(timezone.localdate().year)
    assert metric.compute(period) is None
    start, end = future_slot(days=1, hour=9, minutes=180)
    booking = booking_services.request_booking(
        actor=cast.buyer, instrument=instrument, starts_at=start, ends_at=end, purpose="检测"
    )
    booking_services.approve_booking(booking, actor=cast.researcher)
    usage_services.record_usage(booking, actor=cast.researcher, hours="2.5", now=end)
    usage_services.record_internal_use(
        instrument, actor=cast.researcher, started_at=timezone.now() - dt.timedelta(hours=5), hours="4"
    )
    in_period = Period(
        timezone.localdate() - dt.timedelta(days=40), timezone.localdate() + dt.timedelta(days=40)
    )
    assert metric.compute(in_period) == Decimal("2.50")
    assert metric.compute(in_period, district="gulou") == Decimal("2.50")
    assert metric.compute(in_period, district="xuanwu") == 0


def test_external_hours_from_monthly_figures_equal_the_records_for_any_period(cast, instrument):
    from django.db.models import Sum

    from techbridge.instruments.models import UsageRecord

    metric = registry.metric("instruments.external_hours")
    today = timezone.localdate()
    for n, days_ago in enumerate((3, 20, 45, 80, 130, 200)):
        start = timezone.now() - dt.timedelta(days=days_ago)
        UsageRecord.objects.create(
            instrument=instrument,
            organization=cast.enterprise,
            audience="external" if n % 3 else "internal",
            started_at=start,
            hours=Decimal(n + 1),
            method="entered",
            status="recorded",
        )
    usage_services.rebuild_months()
    periods = [
        Period(today - dt.timedelta(days=100), today),
        Period(today.replace(day=1) - dt.timedelta(days=150), today.replace(day=1) - dt.timedelta(days=1)),
        Period.year(today.year),
        Period(today - dt.timedelta(days=10), today - dt.timedelta(days=1)),
    ]
    for period in periods:
        expected = (
            UsageRecord.objects.filter(
                audience="external",
                started_at__date__gte=period.start,
                started_at__date__lte=period.end,
            ).aggregate(h=Sum("hours"))["h"]
            or 0
        )
        assert metric.compute(period) == expected, period
        assert sum(metric.by_place(period).values()) == expected, period
        assert sum(metric.by_organization(period).values()) == expected, period
    assert set(metric.by_organization(periods[2])) <= {instrument.owner_id}
