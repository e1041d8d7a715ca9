"""The institution scorecard: five categories scored 0–100 from stated rules, weighted by the versioned
weights in force (default: basic conditions 10, service performance 30, service capability 30,
governance 20, social credit 10 — the scorecard used for demonstration institutions, DOMAIN.md).

Every rule is here, in one place, and every input is kept with the score (``QuarterlyScore.inputs``)
so the page can show how each point was earned:

- **Basic conditions** — a complete profile (40), alliance membership at the quarter's end (20), a
  verified demonstration designation valid at the quarter's end: national 40, provincial 30,
  municipal 20.
- **Service performance** (the platform's own records in the quarter, ``records.activity``) — rooms
  brokered (target 10 → 20 points), contracts served, intermediated or brokered and signed (target 8
  → 25), certified technology amount registered (target 500万元 → 30), distinct clients (target 8 →
  15), median days from a brokered room's opening to the deal (≤ 60 days → 10, ≤ 120 → 5). Below a
  target, points are proportional.
- **Service capability** and **governance** — from the newest annual self-report staff accepted for
  the quarter's year or the year before: full-time staff (20 → 30), certified technology managers
  (5 → 30), share of staff with a degree (→ 20), kinds of service offered (4 → 20); governance: five
  documented practices, 20 each. No accepted report: 0, and the page says why.
- **Social credit** — 100 less 10 / 30 / 60 for each minor / major / severe credit event in force
  (not annulled) that occurred in the three years up to the quarter's end; with client ratings of the
  last twelve months it is 60 % events + 40 % ratings (mean of 1–5 scaled to 100); 0 while blacklisted.

Grades: A ≥ 85, B ≥ 70, C ≥ 55, else D.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    CreditEventStatus,
    DemonstrationLevel,
    DesignationStatus,
    ReportStatus,
    ScoreGrade,
    Severity,
)
from .records import Activity, activity, day_range

CENT = Decimal("0.01")

PERFORMANCE_TARGETS: dict[str, tuple[Decimal, int]] = {
    # input: (target in the quarter, points at the target)
    "rooms_brokered": (Decimal(10), 20),
    "contracts": (Decimal(8), 25),
    "registered_amount": (Decimal(5_000_000), 30),
    "clients": (Decimal(8), 15),
}
DEAL_DAYS_POINTS = ((60, 10), (120, 5))  # median days to deal ≤ n → points
CAPABILITY_TARGETS = {"full_time_staff": (Decimal(20), 30), "certified_managers": (Decimal(5), 30)}
DEGREE_POINTS = 20
SERVICES_TARGET = (Decimal(4), 20)
GOVERNANCE_POINTS = 20
DESIGNATION_POINTS: dict[str, int] = {
    DemonstrationLevel.NATIONAL: 40,
    DemonstrationLevel.PROVINCIAL: 30,
    DemonstrationLevel.MUNICIPAL: 20,
}
PROFILE_POINTS = 40
ALLIANCE_POINTS = 20
EVENT_PENALTY: dict[str, int] = {Severity.MINOR: 10, Severity.MAJOR: 30, Severity.SEVERE: 60}
EVENT_YEARS = 3
RATING_MONTHS = 12
RATING_SHARE = Decimal("0.4")
GRADE_FLOORS = ((Decimal(85), ScoreGrade.A), (Decimal(70), ScoreGrade.B), (Decimal(55), ScoreGrade.C))

# Words for every input key the page shows (the stored inputs keep only keys and numbers).
INPUT_LABELS: dict[str, Any] = {
    "profile_complete": _("Profile complete (summary, fields, services, staff, contact)"),
    "alliance_member": _("Member of the institution alliance at the quarter's end"),
    "designation": _("Best verified demonstration designation valid at the quarter's end"),
    "rooms_brokered": _("Negotiation rooms brokered"),
    "contracts": _("Contracts served, intermediated or brokered and signed"),
    "registered_amount": _("Certified technology amount registered (yuan)"),
    "clients": _("Distinct clients"),
    "median_days_to_deal": _("Median days from a brokered room's opening to the deal"),
    "report_year": _("Accepted self-report used"),
    "full_time_staff": _("Full-time staff"),
    "certified_managers": _("Certified technology managers"),
    "degree_share": _("Share of staff with a degree"),
    "services_offered": _("Kinds of service offered"),
    "has_articles": _("Articles of association and internal rules"),
    "has_financial_audit": _("Annual financial audit report"),
    "has_quality_system": _("Service quality management system"),
    "has_disclosure": _("Public disclosure of services and fees"),
    "has_complaint_handling": _("Complaint handling procedure"),
    "events_in_force": _("Credit events in force (minor / major / severe)"),
    "event_part": _("Credit events part (100 less penalties)"),
    "ratings": _("Client ratings in the last 12 months (count)"),
    "rating_mean": _("Mean client rating (1–5)"),
    "blacklisted": _("Blacklisted at the quarter's end"),
}


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4 or not 2000 <= self.year <= 2100:
            raise ValueError("quarter out of range")

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        nxt = dt.date(self.year + (self.quarter == 4), 1 if self.quarter == 4 else 3 * self.quarter + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)


def _q(value: Any) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _towards(value: Decimal, target: Decimal, points: int) -> Decimal:
    if target <= 0:
        return Decimal(points)
    return min(Decimal(1), value / target) * points


def grade_of(total: Decimal) -> str:
    for floor, grade in GRADE_FLOORS:
        if total >= floor:
            return grade
    return ScoreGrade.D


def _line(key: str, value: Any, points: Decimal | int, maximum: int) -> dict[str, Any]:
    if isinstance(value, Decimal):
        value = str(value)
    return {"key": key, "value": value, "points": str(_q(points)), "max": maximum}


# ---- the five categories (pure functions of their inputs) ------------------------------------


def score_basics(*, profile_complete: bool, alliance: bool, designation: str | None) -> tuple[Decimal, list]:
    points = [
        _line(
            "profile_complete", profile_complete, PROFILE_POINTS if profile_complete else 0, PROFILE_POINTS
        ),
        _line("alliance_member", alliance, ALLIANCE_POINTS if alliance else 0, ALLIANCE_POINTS),
        _line(
            "designation",
            designation or "",
            DESIGNATION_POINTS.get(designation, 0) if designation else 0,  # type: ignore[call-overload]
            max(DESIGNATION_POINTS.values()),
        ),
    ]
    return sum((Decimal(p["points"]) for p in points), Decimal(0)), points


def score_performance(a: Activity) -> tuple[Decimal, list]:
    values = {
        "rooms_brokered": Decimal(len(a.rooms)),
        "contracts": Decimal(len(a.contracts)),
        "registered_amount": a.registered_amount,
        "clients": Decimal(len(a.clients)),
    }
    lines = []
    for key, (target, points) in PERFORMANCE_TARGETS.items():
        value = values[key]
        shown: Any = int(value) if key != "registered_amount" else _q(value)
        lines.append(_line(key, shown, _towards(value, target, points), points))
    days = a.median_days_to_deal
    day_points = next((p for limit, p in DEAL_DAYS_POINTS if days is not None and days <= limit), 0)
    lines.append(_line("median_days_to_deal", days, day_points, DEAL_DAYS_POINTS[0][1]))
    return sum((Decimal(p["points"]) for p in lines), Decimal(0)), lines


def score_capability(report: Any, services_offered: int) -> tuple[Decimal, list]:
    if report is None:
        return Decimal(0), [_line("report_year", None, 0, 0)]
    staff = Decimal(report.full_time_staff)
    lines = [_line("report_year", report.year, 0, 0)]
    for key, (target, points) in CAPABILITY_TARGETS.items():
        value = Decimal(getattr(report, key))
        lines.append(_line(key, int(value), _towards(value, target, points), points))
    share = (Decimal(report.staff_with_degree) / staff) if staff else Decimal(0)
    lines.append(_line("degree_share", _q(share * 100), share * DEGREE_POINTS, DEGREE_POINTS))
    target, points = SERVICES_TARGET
    lines.append(
        _line(
            "services_offered", services_offered, _towards(Decimal(services_offered), target, points), points
        )
    )
    return sum((Decimal(p["points"]) for p in lines), Decimal(0)), lines


def score_governance(report: Any) -> tuple[Decimal, list]:
    from .models import SelfReport

    if report is None:
        return Decimal(0), [_line("report_year", None, 0, 0)]
    lines = [_line("report_year", report.year, 0, 0)]
    for item in SelfReport.GOVERNANCE_ITEMS:
        ok = bool(getattr(report, item))
        lines.append(_line(item, ok, GOVERNANCE_POINTS if ok else 0, GOVERNANCE_POINTS))
    return sum((Decimal(p["points"]) for p in lines), Decimal(0)), lines


def score_credit(
    *, events: dict[str, int], ratings: int, rating_mean: Decimal | None, blacklisted: bool
) -> tuple[Decimal, list]:
    penalty = sum(EVENT_PENALTY[s] * n for s, n in events.items())
    event_part = Decimal(max(0, 100 - penalty))
    counts = "/".join(str(events.get(s, 0)) for s in (Severity.MINOR, Severity.MAJOR, Severity.SEVERE))
    lines = [
        _line("events_in_force", counts, 0, 0),
        _line("event_part", int(event_part), 0, 0),
        _line("ratings", ratings, 0, 0),
        _line("rating_mean", _q(rating_mean) if rating_mean is not None else None, 0, 0),
        _line("blacklisted", blacklisted, 0, 0),
    ]
    if blacklisted:
        return Decimal(0), lines
    if ratings and rating_mean is not None:
        rating_part = rating_mean / 5 * 100
        return event_part * (1 - RATING_SHARE) + rating_part * RATING_SHARE, lines
    return event_part, lines


# ---- gathering the inputs of many institutions at once ----------------------------------------


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, 28))


def compute(institutions: list[Any], quarter: Quarter, weights: Any) -> dict[int, dict[str, Any]]:
    """The score of every institution of ``institutions`` for ``quarter``: ``{pk: {category: value,
    total, grade, inputs}}``. A fixed handful of queries, whatever the number of institutions."""
    from .models import Blacklisting, CreditEvent, Designation, InstitutionService, Rating, SelfReport

    if not institutions:
        return {}
    ids = [i.pk for i in institutions]
    end = quarter.end
    _lo, end_dt = day_range(None, end)
    acts = activity([i.organization_id for i in institutions], quarter.start, end)

    services: dict[int, int] = defaultdict(int)
    for inst_id in InstitutionService.objects.filter(institution_id__in=ids).values_list(
        "institution_id", flat=True
    ):
        services[inst_id] += 1
    field_ids = set(
        type(institutions[0])
        .fields.through.objects.filter(institution_id__in=ids)
        .values_list("institution_id", flat=True)
    )
    best: dict[int, str] = {}
    order: list[str] = list(DESIGNATION_POINTS)
    for inst_id, level in Designation.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=end),
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=end),
        institution_id__in=ids,
        status__in=[DesignationStatus.VERIFIED, DesignationStatus.REVOKED],
        designated_on__lte=end,
    ).values_list("institution_id", "level"):
        if inst_id not in best or order.index(level) < order.index(best[inst_id]):
            best[inst_id] = level
    reports: dict[int, Any] = {}
    for accepted in SelfReport.objects.filter(
        institution_id__in=ids, status=ReportStatus.ACCEPTED, year__in=[quarter.year, quarter.year - 1]
    ).order_by("year"):
        reports[accepted.institution_id] = accepted  # the newer year wins
    events: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    since = dt.date(end.year - EVENT_YEARS, end.month, min(end.day, 28))
    # Events as they stand now: one annulled on appeal never counts, one found later counts.
    for inst_id, severity in CreditEvent.objects.filter(
        institution_id__in=ids,
        status=CreditEventStatus.IN_FORCE,
        occurred_on__lte=end,
        occurred_on__gt=since,
    ).values_list("institution_id", "severity"):
        events[inst_id][severity] += 1
    blacklisted = set(
        Blacklisting.objects.filter(
            Q(lifted_at__isnull=True) | Q(lifted_at__gte=end_dt), institution_id__in=ids, listed_at__lt=end_dt
        ).values_list("institution_id", flat=True)
    )
    rating_lo, _hi = day_range(_months_before(end, RATING_MONTHS), None)
    ratings = {
        r["institution_id"]: r
        for r in Rating.objects.filter(
            institution_id__in=ids, created_at__gte=rating_lo, created_at__lt=end_dt
        )
        .values("institution_id")
        .annotate(n=Count("id"), mean=Avg("score"))
    }

    w = weights.as_dict()
    out: dict[int, dict[str, Any]] = {}
    for inst in institutions:
        profile_complete = bool(
            inst.summary.strip()
            and inst.pk in field_ids
            and services[inst.pk]
            and inst.staff_count
            and (inst.contact_name or inst.contact_phone)
        )
        alliance = bool(inst.alliance_role and inst.alliance_joined_on and inst.alliance_joined_on <= end)
        basics, b_lines = score_basics(
            profile_complete=profile_complete, alliance=alliance, designation=best.get(inst.pk)
        )
        performance, p_lines = score_performance(acts[inst.organization_id])
        report = reports.get(inst.pk)
        capability, c_lines = score_capability(report, services[inst.pk])
        governance, g_lines = score_governance(report)
        r = ratings.get(inst.pk)
        mean = Decimal(str(r["mean"])) if r and r["mean"] is not None else None
        credit, cr_lines = score_credit(
            events=dict(events.get(inst.pk, {})),
            ratings=r["n"] if r else 0,
            rating_mean=mean,
            blacklisted=inst.pk in blacklisted,
        )
        parts = {
            "basics": _q(basics),
            "performance": _q(performance),
            "capability": _q(capability),
            "governance": _q(governance),
            "credit": _q(credit),
        }
        total = _q(sum(parts[c] * w[c] for c in parts) / 100)
        out[inst.pk] = {
            **parts,
            "total": total,
            "grade": grade_of(total),
            "inputs": {
                "basics": b_lines,
                "performance": p_lines,
                "capability": c_lines,
                "governance": g_lines,
                "credit": cr_lines,
                "weights": w,
                "period": [quarter.start.isoformat(), end.isoformat()],
            },
        }
    return out
