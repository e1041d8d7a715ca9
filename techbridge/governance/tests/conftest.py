"""Fixtures of the governance tests: the seed plan and policies loaded, officials of its departments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from techbridge.core import registry
from techbridge.core.roles import Role
from techbridge.testing.factories.governance import department, make_department_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(db):
    from techbridge.governance.services.plans import load_plan_file

    return load_plan_file().plan


@pytest.fixture
def kw_official(plan):
    """An official of 南京市科学技术委员会 (市科委), lead department of most tasks."""
    return make_department_user("kw_official", department("南京市科学技术委员会"), Role.OFFICIAL)


@pytest.fixture
def fgw_official(plan):
    """An official of 南京市发展和改革委员会 (发改委), co-responsible for task 2, lead of none."""
    return make_department_user("fgw_official", department("南京市发展和改革委员会"), Role.OFFICIAL)


@pytest.fixture
def policies(db, django_capture_on_commit_callbacks):
    """The seed policy library, published and indexed for search."""
    from techbridge.governance.services.policies import load_policies

    with django_capture_on_commit_callbacks(execute=True):
        load_policies()


class MetricStandIns:
    """Stand-ins for the metrics of other apps, for one test (see the ``metrics`` fixture)."""

    def stand_in(self, metric: registry.Metric) -> registry.Metric:
        """Register ``metric``, replacing any metric registered under its code."""
        return registry.register_metric(metric)

    def withdraw(self, code: str) -> None:
        """Remove the metric registered under ``code``, if any (as if no app provided it)."""
        found = registry.find_metric(code)
        if found is not None:
            registry.metrics.unregister(found)


@pytest.fixture
def metrics() -> Iterator[Any]:
    """Replace or withdraw registered metrics for one test; the registry is restored afterwards, so the
    metrics other apps register (carriers, talent, instruments, ipservices ...) stay in place for the
    tests that follow."""
    saved = list(registry.metrics)
    yield MetricStandIns()
    for metric in list(registry.metrics):
        registry.metrics.unregister(metric)
    for metric in saved:
        registry.register_metric(metric)
