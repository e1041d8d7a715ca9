"""List pages and endpoints of institutions: what they show, and their exact query counts."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techbridge.institutions import services
from techbridge.institutions.scoring import Quarter
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.testing.factories.institutions import make_institution


def _many(n: int = 6) -> list:
    out = []
    for i in range(n):
        org = Organization.objects.create(
            name=f"测试技术转移中心{i}", kind=OrgKind.SERVICE, status=OrgStatus.APPROVED
        )
        out.append(make_institution(org, services=("transfer", "valuation"), fields=("nev", "ic")))
    services.compute_quarter(Quarter.of(timezone.localdate()))
    return out


def test_directory_query_count(client, cast, pinned_queries):
    _many()
    with pinned_queries("directory"):
        html = client.get(reverse("institutions:directory")).content.decode()
    assert html.count('data-testid="institution-card"') == 6 and 'data-testid="score-tag"' in html


def test_directory_api_query_count(cast, pinned_queries):
    _many()
    api = APIClient()
    with pinned_queries("api"):
        rows = api.get("/api/v1/institutions/").json()["results"]
    assert len(rows) == 6 and rows[0]["services"] == ["transfer", "valuation"] and rows[0]["score"]["total"]


def test_console_lists_query_count(client, cast, pinned_queries):
    _many()
    client.force_login(cast.reviewer)
    with pinned_queries("list"):
        assert client.get(reverse("institutions_console:list")).status_code == 200
    with pinned_queries("queue"):
        assert client.get(reverse("institutions_console:queue")).status_code == 200
    with pinned_queries("scores"):
        html = client.get(reverse("institutions_console:scores")).content.decode()
    assert html.count("测试技术转移中心") == 6
    with pinned_queries("credit"):
        assert client.get(reverse("institutions_console:credit")).status_code == 200


def test_standards_list_query_count(client, cast, pinned_queries):
    for code in ("T/1", "T/2", "T/3"):
        services.publish_standard_version(actor=cast.operator, code=code, title="规范", body="正文")
    with pinned_queries("standards"):
        html = client.get(reverse("institutions:standards")).content.decode()
    assert html.count("规范") >= 3


def test_the_detail_page_shows_the_record_score_and_credit(client, cast, institution, brokered_deal):
    brokered_deal()
    services.compute_quarter(Quarter.of(timezone.localdate()))
    html = client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()
    assert 'data-testid="record-rooms">1<' in html and 'data-testid="record-registered">1<' in html
    assert 'data-testid="record-turnover">–<' in html  # one registered contract: amount not public
    assert 'data-testid="score-table"' in html and 'data-testid="credit"' in html
    client.force_login(cast.broker)
    own = client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()
    assert 'data-testid="record-turnover">–<' not in own


def test_org_search_suggests_organisations(client, cast):
    client.force_login(cast.broker)
    html = client.get(reverse("institutions:org_search") + "?q=示范").content.decode()
    assert "示范大学" in html and "<option" in html
