"""Every list page and list endpoint of IP services runs a fixed number of queries, whatever the rows
(baselines in query_counts.json, per database: ``make query-counts``)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.ipservices.models import (
    AnalysisRequest,
    AssistanceRequest,
    Designation,
    EnterpriseIndicators,
    PatentAlert,
)
from techbridge.testing.factories.ipservices import PatentFactory, WatchedProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, provider, smart_grid):
    """Several rows of everything, so that an N+1 would show."""
    from techbridge.ipservices.services.navigation import refresh_membership

    patents = [
        PatentFactory(ipc_codes="H02J 3/00；B64U 20/80", legal_status="lapsed" if i % 3 == 0 else "granted")
        for i in range(6)
    ]
    refresh_membership(smart_grid.pk)
    products = [
        WatchedProductFactory(
            organization=cast.enterprise, name=f"产品{i}", description="配电终端。", ipc_codes="H02J"
        )
        for i in range(3)
    ]
    for i, patent in enumerate(patents):
        PatentAlert.objects.create(
            organization=cast.enterprise,
            product=products[i % 3],
            patent=patent,
            score=0.95,
            shared_terms=["配电网"],
        )
    for patent in patents[:3]:
        AnalysisRequest.objects.create(
            organization=cast.enterprise,
            patent=patent,
            provider=provider,
            question="？",
            requested_by=cast.buyer,
        )
    for i in range(4):
        AssistanceRequest.objects.create(
            applicant=cast.enterprise,
            kind="infringement",
            title=f"请求{i}",
            description="…",
            provider=provider,
            industry=smart_grid,
            status="submitted",
            created_by=cast.buyer,
        )
    for year in (2022, 2023, 2024):
        Designation.objects.create(organization=cast.enterprise, year=year, industry=smart_grid)
        EnterpriseIndicators.objects.create(organization=cast.enterprise, year=year, employees=50)
    return {"industry": smart_grid}


PAGES = [
    ("buyer", "ipservices:patents"),
    ("buyer", "ipservices:industries"),
    ("buyer", "ipservices:enterprises"),
    ("buyer", "ipservices:warning"),
    ("buyer", "ipservices:alerts"),
    ("buyer", "ipservices:opportunities"),
    ("buyer", "ipservices:requests"),
    ("broker", "ipservices:requests"),
    ("reviewer", "ipservices_console:industries"),
    ("reviewer", "ipservices_console:patents"),
    ("reviewer", "ipservices_console:assistance"),
    ("official", "ipservices_console:assistance_stats"),
    ("operator", "ipservices_console:providers"),
    ("operator", "ipservices_console:enterprises"),
]


@pytest.mark.parametrize(("who", "name"), PAGES)
def test_list_page_query_count(client, cast, world, pinned_queries, who, name):
    client.force_login(getattr(cast, who))
    with pinned_queries(f"{who}:{name}"):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_navigation_page_query_count(client, cast, world, pinned_queries):
    from django.core.cache import cache

    cache.clear()
    client.force_login(cast.buyer)
    with pinned_queries("cold"):
        assert client.get(reverse("ipservices:industry", args=[world["industry"].pk])).status_code == 200
    with pinned_queries("cached"):
        assert client.get(reverse("ipservices:industry", args=[world["industry"].pk])).status_code == 200


ENDPOINTS: list[tuple[str, str, dict]] = [
    ("buyer", "ip-patent-list", {}),
    ("buyer", "ip-industry-list", {}),
    ("buyer", "ip-provider-list", {}),
    ("buyer", "ip-designation-list", {}),
    ("reviewer", "ip-indicators-list", {}),
    ("buyer", "ip-product-list", {}),
    ("buyer", "ip-alert-list", {}),
    ("buyer", "ip-opportunities", {}),
    ("buyer", "ip-analysis-list", {}),
    ("broker", "ip-analysis-list", {}),
    ("buyer", "ip-assistance-list", {}),
    ("reviewer", "ip-assistance-list", {}),
]


@pytest.mark.parametrize(("who", "name", "params"), ENDPOINTS)
def test_list_endpoint_query_count(cast, world, pinned_queries, who, name, params):
    api = APIClient()
    api.force_authenticate(getattr(cast, who))
    with pinned_queries(f"{who}:{name}"):
        response = api.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 1


def test_industry_reports_endpoint_query_count(cast, world, pinned_queries):
    api = APIClient()
    with pinned_queries():
        assert api.get(reverse("api:ip-industry-reports", args=[world["industry"].pk])).status_code == 200
