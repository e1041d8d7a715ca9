"""The demo loader: demo investors (qualified, with products) and financing requests of demo
organisations, all tagged as demo data, created through the services, idempotent; the matching
quality on its requests is measured by ``evaluate``."""

from __future__ import annotations

import pytest

from techbridge.core.models import AuditEntry
from techbridge.finance import demo
from techbridge.finance.evaluation import evaluate
from techbridge.finance.models import FinancingRequest, Introduction, Investor

pytestmark = pytest.mark.django_db


def test_demo_loads_tagged_records_once_and_its_requests_find_their_investors(cast):
    made = demo.load(cast.operator)
    assert made == {
        "investors": len(demo.INVESTORS),
        "requests": len(demo.REQUESTS),
        "introductions": 1,
        "funds": 1,
    }
    assert demo.load(cast.operator) == {"investors": 0, "requests": 0, "introductions": 0, "funds": 0}
    assert not Investor.objects.filter(is_demo=False).exists()
    assert not FinancingRequest.objects.filter(is_demo=False).exists()
    assert all(i.organization.is_demo and i.status == "qualified" for i in Investor.objects.all())
    assert all(
        r.organization.is_demo and r.organization.name.startswith("示例")
        for r in FinancingRequest.objects.all()
    )
    assert Introduction.objects.get().is_demo
    assert AuditEntry.objects.filter(action="finance.investor.qualified").count() == len(demo.INVESTORS)
    result = evaluate()
    assert result["requests"] == len(demo.REQUESTS)
    assert result["methods"]["platform"]["recall3"] >= 0.9
