"""Chinese formats, with the ISO date first among the input formats.

Django's zh_Hans formats start with ``%Y/%m/%d``, so a pre-filled ``<input type="date">`` read
``2026/12/06`` — a value browsers reject (they take only ``2026-12-06``), leaving the field empty.
Dates are still accepted as ``2026/12/06`` or ``2026年12月6日``; only the value written into a field
changes. Everything else is Django's.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import (
    DATE_INPUT_FORMATS as _DATE,
)
from django.conf.locale.zh_Hans.formats import (
    DATETIME_INPUT_FORMATS as _DATETIME,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", *[f for f in _DATE if f != "%Y-%m-%d"]]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M", *[f for f in _DATETIME if f != "%Y-%m-%d %H:%M"]]
