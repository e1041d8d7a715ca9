"""The public big screen (数据大屏): the market at a glance on a wall or a browser tab.

The figures are the public counters and the charts apps register (``registry.screen_charts``), each
computed under the app's own disclosure rules. The whole set is computed at most once a minute per
language and kept in the cache, so a thousand screens polling cost one cache read each.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from techbridge.core import registry

log = logging.getLogger(__name__)

SCREEN_SECONDS = 60


def _number(value: Any) -> Any:
    return float(value) if value is not None and not isinstance(value, int) else value


def compute() -> dict[str, Any]:
    """Every public counter and screen chart, now (an app whose figure fails is left out, logged)."""
    counters = []
    for counter in registry.counters:
        if not counter.public:
            continue
        try:
            value = counter.count()
        except Exception:  # one app's broken figure must not blank the wall
            log.exception("screen counter %s failed", counter.key)
            continue
        if value is not None:
            counters.append({"key": counter.key, "label": str(counter.label), "value": _number(value)})
    charts = []
    for chart in registry.screen_charts:
        try:
            data = chart.compute()
        except Exception:
            log.exception("screen chart %s failed", chart.key)
            continue
        if data:
            charts.append({"key": chart.key, "title": str(chart.title), "wide": chart.wide, **data})
    return {"generated_at": timezone.now().isoformat(), "counters": counters, "charts": charts}


def current() -> dict[str, Any]:
    """The screen's figures, computed at most once a minute per language."""
    key = f"portal.screen:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = compute()
        cache.set(key, data, SCREEN_SECONDS)
    return data
