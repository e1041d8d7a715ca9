"""Contested rows at the same moment (two workers, two tabs): an alert is raised once per product and
patent, an industry has one pending report, an enterprise is designated once a year."""

from __future__ import annotations

import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase

from techbridge.ipservices import warning
from techbridge.ipservices.models import Designation, Industry, NavigationReport, PatentAlert
from techbridge.testing.factories.ipservices import PatentFactory, WatchedProductFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """The database is flushed and restored around these tests: neither they nor the tests after them may
    reuse content type ids cached against another copy of the table."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def _race(n: int, work) -> list[str]:
    default = connections[DEFAULT_DB_ALIAS]
    if isinstance(default, SQLiteDatabase) and default.is_in_memory_db():
        # Shared-cache in-memory SQLite fails fast instead of waiting; PostgreSQL (and the file SQLite
        # database the platform runs on) wait for the lock.
        pytest.skip("needs a file SQLite database or PostgreSQL")
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            outcomes.append(work(i))
        except Exception as exc:  # the loser's refusal is an outcome too
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_an_alert_is_raised_once_per_product_and_patent(cast):
    from techbridge.ipservices.services.warning import _raise_alert

    product = WatchedProductFactory(organization=cast.enterprise)
    patent = PatentFactory()
    match = warning.Closeness(product.pk, 0.95, 0.94, ["配电网"], [])
    outcomes = _race(4, lambda i: "raised" if _raise_alert(product, patent, match) else "known")
    assert outcomes.count("raised") == 1 and outcomes.count("known") == 3, outcomes
    assert PatentAlert.objects.count() == 1


def test_an_industry_has_one_pending_report(cast, monkeypatch):
    from techbridge.ipservices.services import navigation

    monkeypatch.setattr(navigation, "enqueue", lambda *args: None)
    industry = Industry.objects.create(name="智能电网", code="smart-grid", ipc_prefixes="H02J")
    outcomes = _race(4, lambda i: str(navigation.request_report(industry, actor=cast.reviewer).pk))
    assert len(set(outcomes)) == 1, outcomes
    assert NavigationReport.objects.count() == 1


def test_an_enterprise_is_designated_once_a_year(cast):
    from techbridge.ipservices.services.enterprises import designate

    outcomes = _race(3, lambda i: str(designate(cast.enterprise, 2024, actor=cast.operator).pk))
    assert outcomes.count("ValidationError") == 2, outcomes
    assert Designation.objects.count() == 1
