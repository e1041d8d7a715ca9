"""Patent terms by rule (pure: dates in, dates out).

Patent Law of the PRC (2020 amendment, in force 2021-06-01), art. 42: an invention patent lasts 20
years, a utility model 10 years and a design 15 years, counted from the filing date. Designs filed
before 2021-06-01 keep the 10 years of the 2008 law. Art. 42(2) and (3) add patent-term adjustments
to inventions (unreasonable delay in grant; new-drug approval time); the register stores the days
granted as ``term_adjustment_days``.

The term runs from the filing date and ends the day before its anniversary: the Guidelines for Patent
Examination (专利审查指南, part V, chapter 9) give a patent filed on 7 September 1999 the term
"1999年9月7日至2019年9月6日". A patent filed on 29 February has its anniversary on 1 March of a common
year, so its last day is 28 February. The patent is in force up to and including its last day.
"""

from __future__ import annotations

import calendar
import datetime as dt

INVENTION = "invention"
UTILITY_MODEL = "utility_model"
DESIGN = "design"

DESIGN_15_YEARS_FROM = dt.date(2021, 6, 1)
YEARS = {INVENTION: 20, UTILITY_MODEL: 10}


def anniversary(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February falls on 1 March in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return dt.date(year, day.month, day.day)


def term_years(kind: str, filing_date: dt.date) -> int:
    """Years of protection for a patent of ``kind`` filed on ``filing_date``."""
    if kind == DESIGN:
        return 15 if filing_date >= DESIGN_15_YEARS_FROM else 10
    try:
        return YEARS[kind]
    except KeyError:
        raise ValueError(f"unknown patent kind {kind!r}") from None


def expiry_date(kind: str, filing_date: dt.date | None, adjustment_days: int = 0) -> dt.date | None:
    """The last day of protection, or None when the filing date is unknown.

    ``adjustment_days`` (patent-term adjustment) extends inventions only; it is ignored otherwise.
    """
    if filing_date is None:
        return None
    end = anniversary(filing_date, term_years(kind, filing_date)) - dt.timedelta(days=1)
    if kind == INVENTION and adjustment_days > 0:
        end += dt.timedelta(days=adjustment_days)
    return end


def remaining_days(expiry: dt.date | None, on: dt.date) -> int | None:
    """Days of protection left on ``on`` counting ``on`` itself (0 once expired; None if unknown)."""
    if expiry is None:
        return None
    return max((expiry - on).days + 1, 0)
