"""The rules the office works by, as pure functions (no database).

Docket deadlines are computed from the filing date and the office actions, never typed:

* priority for filing abroad or again at home: 12 months from filing for inventions and utility models,
  6 months for designs (专利法 art. 29);
* request for substantive examination of an invention: 3 years from filing (专利法 art. 35);
* answer to an office action: a notice is presumed received 15 days after it was sent (专利法实施细则
  art. 4); the first examination opinion on an invention is answered within 4 months of receipt, a further
  opinion or a notice to correct within 2 months (专利审查指南);
* annual fees: from the year after grant, each year's fee falls due on the anniversary of the filing date
  (专利法实施细则 art. 115 of the 2023 text); the term is 20 years for inventions, 10 for utility models
  and 15 for designs (专利法 art. 42).

Inventor rewards (促进科技成果转化法 art. 44–45): a unit rewards the people who made and transferred a
result under its own rules or an agreement with them; where neither sets the reward, at least 50 % of the
net income of a transfer or licence, at least 50 % of the equity taken for it, and at least 5 % of the
operating profit of self-implementation each year for 3 to 5 years after it succeeds.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import ActionKind, IncomeKind, PatentKind

PRESUMED_DELIVERY_DAYS = 15
PRIORITY_MONTHS = {PatentKind.INVENTION: 12, PatentKind.UTILITY: 12, PatentKind.DESIGN: 6}
EXAMINATION_REQUEST_YEARS = 3
RESPONSE_MONTHS = {ActionKind.FIRST: 4, ActionKind.FURTHER: 2, ActionKind.CORRECTION: 2}
TERM_YEARS = {PatentKind.INVENTION: 20, PatentKind.UTILITY: 10, PatentKind.DESIGN: 15}

#: Statutory minimum share of the inventors (促进科技成果转化法 art. 45), by kind of income.
STATUTORY_MINIMUM = {
    IncomeKind.TRANSFER: Decimal("50"),
    IncomeKind.EQUITY: Decimal("50"),
    IncomeKind.PROFIT: Decimal("5"),
}
ARTICLE = {
    IncomeKind.TRANSFER: _(
        "促进科技成果转化法 art. 45(1): at least half of the net income of a transfer or licence"
    ),
    IncomeKind.EQUITY: _("促进科技成果转化法 art. 45(2): at least half of the equity taken for the result"),
    IncomeKind.PROFIT: _(
        "促进科技成果转化法 art. 45(3): at least 5 per cent of the operating profit each year "
        "for 3 to 5 years"
    ),
}
PROFIT_YEARS = (3, 5)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month when that month is shorter)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def priority_deadline(kind: str, filed: dt.date) -> dt.date:
    return add_months(filed, PRIORITY_MONTHS[PatentKind(kind)])


def examination_deadline(filed: dt.date) -> dt.date:
    return add_months(filed, 12 * EXAMINATION_REQUEST_YEARS)


def response_deadline(kind: str, issued: dt.date) -> dt.date:
    received = issued + dt.timedelta(days=PRESUMED_DELIVERY_DAYS)
    return add_months(received, RESPONSE_MONTHS[ActionKind(kind)])


def term_end(kind: str, filed: dt.date) -> dt.date:
    return add_months(filed, 12 * TERM_YEARS[PatentKind(kind)]) - dt.timedelta(days=1)


def annuity_due(filed: dt.date, patent_year: int) -> dt.date:
    """When the fee of patent year ``patent_year`` (1 = the year from the filing date) falls due."""
    return add_months(filed, 12 * (patent_year - 1))


def next_annuity(kind: str, filed: dt.date, granted: dt.date, today: dt.date) -> tuple[int, dt.date] | None:
    """The next annual fee to decide: (patent year, due date), or ``None`` once the term has ended."""
    years = TERM_YEARS[PatentKind(kind)]
    start = max(today, granted + dt.timedelta(days=1))
    for year in range(2, years + 1):
        due = annuity_due(filed, year)
        if due >= start:
            return year, due
    return None


@dataclass(frozen=True)
class Deadline:
    label: str | Promise
    due: dt.date


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def split(amount: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """``amount`` split by ``shares`` (percentages summing to 100), to the fen; the last takes the rest."""
    parts = [money(amount * s / Decimal("100")) for s in shares[:-1]]
    return [*parts, amount - sum(parts, Decimal("0"))] if shares else []


def below_minimum(kind: str, percent: Decimal) -> bool:
    return percent < STATUTORY_MINIMUM[IncomeKind(kind)]
