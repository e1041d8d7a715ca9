"""How much text a user may write into a field, by what the field means (issue 20 point 8).

One table, read by the models (``TextField(max_length=limits.SUMMARY)``): Django forms render
``maxlength`` and refuse longer text, DRF model serializers validate it and ``docs/openapi.json``
documents it as ``maxLength``. A new field picks the row that says what it is; it does not invent a
number. The values hold the longest real texts the platform carries (``data/demo``, the shared sample
data) with room to spare, and bound what one record can cost: a 9 MB summary used to be accepted and
made every anonymous list response 9.4 MB.

Lists never carry the full text of long fields: ``excerpt`` cuts a value to ``LIST_EXCERPT`` characters
(list serializers use it; a record's detail carries the whole text).
"""

from __future__ import annotations

# A short line: a name, a title, a place.
TITLE = 200
# A remark attached to a request (a message to an organisation when asking to join).
SHORT_NOTE = 500
# A reviewer's comment, a note on an offer or a booking, evidence given for a figure.
NOTE = 1_000
# Why a decision was taken (rejected, refused, cancelled, revoked) or what a request is for.
REASON = 2_000
# A public summary of a record (an achievement's 简介, a fund's direction, a report's summary).
SUMMARY = 5_000
# A message in a negotiation room; a narrative; the outcome of an event or a dispute.
MESSAGE = 5_000
# A description, an abstract, a problem statement, indicators, a team, contract terms.
DESCRIPTION = 20_000
# A whole document kept as text (a service standard's version, a typical case's body).
DOCUMENT = 50_000
# System text the platform writes itself (an error, an import's message): bounded, never typed by a user.
SYSTEM_TEXT = 20_000

# How much of a long field a list response carries.
LIST_EXCERPT = 300


def excerpt(text: str | None, limit: int = LIST_EXCERPT) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when something was cut."""
    text = text or ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
