"""The credit grade rule (信用等级), in one place.

Counted: credit events in force (not annulled) that occurred in the last three years, and whether the
institution is blacklisted now.

- **D** (seriously dishonest): blacklisted, or a severe event;
- **C** (credit risk): a major event, or three or more minor ones;
- **B** (basically trustworthy): one or two minor events;
- **A** (trustworthy): none.

A severe event blacklists the institution at once (``services.credit.record_event``); an upheld appeal
annuls the event and lifts the listing, and the grade is recomputed as a new version.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .choices import CreditGradeLevel, Severity

MINOR_FOR_C = 3


def grade_for(severities: list[str], *, blacklisted: bool) -> tuple[str, dict[str, Any]]:
    """The grade and its basis (counts by severity, blacklisted) for the events' ``severities``."""
    counts = Counter(severities)
    basis = {
        "minor": counts.get(Severity.MINOR, 0),
        "major": counts.get(Severity.MAJOR, 0),
        "severe": counts.get(Severity.SEVERE, 0),
        "blacklisted": blacklisted,
    }
    if blacklisted or basis["severe"]:
        return CreditGradeLevel.D, basis
    if basis["major"] or basis["minor"] >= MINOR_FOR_C:
        return CreditGradeLevel.C, basis
    if basis["minor"]:
        return CreditGradeLevel.B, basis
    return CreditGradeLevel.A, basis
