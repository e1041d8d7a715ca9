"""Where each target stands: actual value, trend, forecast to the deadline and status.

**Actual value.** A target names a metric (``core.registry.metrics``, computed by the app that owns
the records) or carries manual figures with evidence. The value compared is

* for an *annual* target, the figure of one calendar year (the deadline year for the status; each year
  for the trend), e.g. the turnover registered in 2020 against 300 亿元;
* for a *cumulative* target, the running total since ``Target.start`` (the plan's start unless set);
* for a metric that counts what exists (``Metric.cumulative``), what exists at the end of the period.

A metric that is not registered says "no data source yet"; one that returns ``None`` (its records do
not reach back into the period) says "no data" — never zero.

**Forecast** (stated on every page): the compared quantity — the running total for cumulative targets,
the rolling twelve-month figure for annual ones — is sampled at the ends of the last N complete quarters
(``Plan.forecast_periods``) and extended to the deadline by a least-squares line. Manual targets fit the
line through their last N figures. Fewer than two points: no forecast.

**Status** compares ``ratio`` with the plan's thresholds (data, shown on the page): on track when
``ratio ≥ on_track_ratio``, attention when ``≥ attention_ratio``, else warning. ``ratio`` is the final
value ÷ target once the deadline has passed; otherwise forecast ÷ target; without a forecast, the actual
value ÷ the value due by now on a straight schedule (target × share of the period elapsed).

**Disclosure.** A metric with a ``count_metric`` (contract amounts) shows only the count when fewer than
``min_count`` records stand behind a figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.registry import Metric, Period, find_metric

from . import periods
from .choices import Comparison, Granularity, Source, Standing
from .models import ManualFigure, Plan, Target

_NONE = "∅"


def cache_seconds() -> int:
    return int(getattr(settings, "GOVERNANCE_FIGURE_SECONDS", 600))


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def metric_value(
    metric: Metric, period: Period, district: str | None = None, zone: Any = None
) -> Decimal | None:
    """``metric.compute`` for one period and place, cached for ``GOVERNANCE_FIGURE_SECONDS``."""
    zone_key = getattr(zone, "pk", zone) if zone is not None else ""
    key = f"gov:metric:{metric.code}:{period.start}:{period.end}:{district or ''}:{zone_key}"
    hit = cache.get(key)
    if hit is not None:
        return None if hit == _NONE else Decimal(hit)
    value = _decimal(metric.compute(period, district=district, zone=zone))
    cache.set(key, _NONE if value is None else str(value), cache_seconds())
    return value


@dataclass
class Cell:
    """One figure as shown: the value, or only the count behind it when the group is too small."""

    value: Decimal | None
    withheld: bool = False
    count: int | None = None

    @property
    def shown(self) -> Decimal | None:
        return None if self.withheld else self.value


def disclosed(metric: Metric, period: Period, value: Decimal | None, **place: Any) -> Cell:
    """Apply the metric's disclosure rule to ``value`` (see ``Metric.count_metric``)."""
    if value is None or not metric.count_metric or not metric.min_count:
        return Cell(value)
    counter = find_metric(metric.count_metric)
    if counter is None:
        return Cell(value)
    count = metric_value(counter, period, **place)
    if count is not None and 0 < count < metric.min_count:
        return Cell(value, withheld=True, count=int(count))
    return Cell(value, count=None if count is None else int(count))


def figure_cell(metric: Metric, period: Period, **place: Any) -> Cell:
    return disclosed(metric, period, metric_value(metric, period, **place), **place)


# ---- the quantity a target compares --------------------------------------------------------------


def source_state(target: Target) -> tuple[Metric | None, str]:
    """The target's metric and ``""``, or ``None`` and why there is no value."""
    if target.source == Source.MANUAL:
        return None, ""
    metric = find_metric(target.metric_code)
    return metric, "" if metric else Standing.NO_SOURCE


def compared_period(target: Target, metric: Metric | None, day: dt.date) -> Period:
    """The period whose figure the target compares, as of ``day``."""
    if target.comparison == Comparison.CUMULATIVE or (metric is not None and metric.cumulative):
        return Period(target.start, day)
    return Period(max(dt.date(day.year, 1, 1), target.start), day)


class Figures:
    """Reads a target's quantity, holding its manual figures once (for trends and forecasts)."""

    def __init__(self, target: Target):
        self.target = target
        self.metric, self.missing = source_state(target)
        self._manual: list[ManualFigure] | None = None

    @property
    def manual(self) -> list[ManualFigure]:
        if self._manual is None:
            prefetched = getattr(self.target, "_prefetched_objects_cache", {}).get("figures")
            rows = list(prefetched) if prefetched is not None else list(self.target.figures.all())
            self._manual = sorted(rows, key=lambda f: f.as_of)
        return self._manual

    def _scaled(self, value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        return value / self.target.scale if self.target.scale != 1 else value

    def manual_at(self, day: dt.date) -> Decimal | None:
        annual = self.target.comparison == Comparison.ANNUAL
        found = None
        for f in self.manual:
            if f.as_of <= day and (not annual or f.as_of.year == day.year):
                found = f.value
        return found

    def cell(self, period: Period, **place: Any) -> Cell:
        """The figure for ``period`` in the target's unit, with the disclosure rule applied."""
        if self.missing:
            return Cell(None)
        if self.metric is None:
            return Cell(None if place else self.manual_at(period.end))
        c = figure_cell(self.metric, period, **place)
        return Cell(self._scaled(c.value), c.withheld, c.count)

    def quantity(self, day: dt.date, **place: Any) -> Cell:
        return self.cell(compared_period(self.target, self.metric, day), **place)

    def trend_cell(self, bucket: Period) -> Cell:
        """A trend point: the running total (cumulative) or the bucket's own figure (annual)."""
        cumulative = self.target.comparison == Comparison.CUMULATIVE or (
            self.metric and self.metric.cumulative
        )
        if cumulative:
            return self.cell(Period(self.target.start, bucket.end))
        if self.metric is None:
            return Cell(self.manual_at(bucket.end))
        return self.cell(bucket)

    def forecast_points(self, day: dt.date, n: int) -> list[tuple[dt.date, Decimal]]:
        if self.missing:
            return []
        if self.metric is None:
            annual = self.target.comparison == Comparison.ANNUAL
            rows = [
                (f.as_of, f.value)
                for f in self.manual
                if f.as_of <= day and (not annual or f.as_of.year == self.target.deadline.year)
            ]
            return rows[-n:]
        cumulative = self.target.comparison == Comparison.CUMULATIVE or self.metric.cumulative
        points = []
        for q in periods.complete_quarters(day, n):
            if q.end < self.target.start:
                continue
            if cumulative:
                value = self.cell(Period(self.target.start, q.end)).value
            else:
                year_before = dt.date(q.end.year - 1, q.end.month, q.end.day) + dt.timedelta(days=1)
                value = self.cell(Period(year_before, q.end)).value
            if value is not None:
                points.append((q.end, value))
        return points


def linear_forecast(points: list[tuple[dt.date, Decimal]], at: dt.date) -> Decimal | None:
    """Least-squares line through ``points`` (x = day), read at ``at``; never below zero."""
    if len(points) < 2:
        return None
    xs = [float(d.toordinal()) for d, _ in points]
    ys = [float(v) for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    value = my + slope * (at.toordinal() - mx)
    return Decimal(str(round(max(value, 0.0), 4)))


# ---- a target's reading --------------------------------------------------------------------------


@dataclass
class Point:
    label: str
    period: Period
    cell: Cell


@dataclass
class Reading:
    """Everything a page or the API shows about one target."""

    target: Target
    standing: str
    as_of: dt.date
    period: Period | None
    actual: Cell
    trend: list[Point] = field(default_factory=list)
    forecast: Decimal | None = None
    forecast_method: str = ""
    ratio: Decimal | None = None
    basis: str = ""
    metric: Metric | None = None

    @property
    def pct(self) -> Decimal | None:
        value = self.target.value
        shown = self.actual.shown
        if shown is None or not value:
            return None
        return (Decimal("100") * shown / value).quantize(Decimal("0.1"))

    @property
    def ended(self) -> bool:
        return self.as_of >= self.target.deadline

    def chart(self) -> dict[str, Any]:
        return {
            "labels": [p.label for p in self.trend],
            "values": [None if p.cell.shown is None else float(p.cell.shown) for p in self.trend],
            "target": float(self.target.value) if self.target.value is not None else None,
            "comparison": self.target.comparison,
        }


def standing_for(ratio: Decimal | None, plan: Plan) -> str:
    if ratio is None:
        return Standing.NO_DATA
    if ratio >= plan.on_track_ratio:
        return Standing.ON_TRACK
    if ratio >= plan.attention_ratio:
        return Standing.ATTENTION
    return Standing.WARNING


def forecast_method(target: Target, plan: Plan) -> str:
    if target.source == Source.MANUAL:
        return _("Least-squares line through the last %(n)s figures, read at the deadline.") % {
            "n": plan.forecast_periods
        }
    quantity = (
        _("running total") if target.comparison == Comparison.CUMULATIVE else _("rolling twelve-month figure")
    )
    return _(
        "Least-squares line through the %(quantity)s at the ends of the last %(n)s complete quarters, "
        "read at the deadline."
    ) % {"quantity": quantity, "n": plan.forecast_periods}


def forecast_rule(plan: Plan) -> str:
    return _(
        "The compared quantity (running total for cumulative targets, rolling twelve-month figure for annual "
        "ones) at the ends of the last %(n)s complete quarters, extended to the deadline by a least-squares "
        "line; manual targets fit the line through their last %(n)s figures."
    ) % {"n": plan.forecast_periods}


def read(target: Target, *, today: dt.date | None = None, granularity: str = Granularity.YEAR) -> Reading:
    """The reading of ``target`` as of ``today`` (default: the local date)."""
    plan = target.plan
    today = today or timezone.localdate()
    as_of = min(today, target.deadline)
    figures = Figures(target)
    standing: str = Standing.MONITORED if target.value is None else figures.missing or ""
    if figures.missing:
        return Reading(target, Standing.NO_SOURCE, as_of, None, Cell(None), metric=None)
    period = compared_period(target, figures.metric, as_of)
    actual = figures.quantity(as_of)
    reading = Reading(
        target,
        standing,
        as_of,
        period,
        actual,
        metric=figures.metric,
        forecast_method=forecast_method(target, plan),
    )
    reading.trend = [
        Point(label, bucket, figures.trend_cell(bucket))
        for label, bucket in periods.buckets(target.start, as_of, granularity)
    ]
    if actual.value is None:
        reading.standing = standing or Standing.NO_DATA
        return reading
    if not reading.ended:
        reading.forecast = linear_forecast(
            figures.forecast_points(as_of, plan.forecast_periods), target.deadline
        )
    if target.value is None:
        return reading
    value = target.value
    if reading.ended:
        reading.ratio = actual.value / value if value else None
        reading.basis = _("Final figure ÷ target")
    elif reading.forecast is not None:
        reading.ratio = reading.forecast / value if value else None
        reading.basis = _("Forecast at the deadline ÷ target")
    else:
        if target.comparison == Comparison.CUMULATIVE:
            share = periods.fraction_elapsed(target.start, target.deadline, as_of)
        else:
            share = periods.fraction_elapsed(dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31), as_of)
        due = value * Decimal(str(share))
        reading.ratio = actual.value / due if due else None
        reading.basis = _("Actual ÷ the value due by now on a straight schedule")
    if reading.ratio is not None:
        reading.ratio = reading.ratio.quantize(Decimal("0.001"))
    reading.standing = standing_for(reading.ratio, plan)
    if actual.withheld:
        reading.forecast = None
    return reading


def plan_readings(plan: Plan, *, today: dt.date | None = None) -> list[Reading]:
    targets = plan.targets.select_related("plan").prefetch_related("figures", "departments", "tasks")
    return [read(t, today=today) for t in targets]


def thresholds_text(plan: Plan) -> str:
    return _(
        "On track: ratio ≥ %(on)s; needs attention: %(att)s ≤ ratio < %(on)s; warning: ratio < %(att)s."
    ) % {"on": plan.on_track_ratio, "att": plan.attention_ratio}


def current_plan() -> Plan | None:
    return Plan.objects.filter(is_current=True).first() or Plan.objects.order_by("-start", "-id").first()
