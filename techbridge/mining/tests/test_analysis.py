"""Supply–demand analysis (供需分析): counts per field and district, rising topics, unmatched demands."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from techbridge.core.workflow import ReviewStatus
from techbridge.mining import analysis
from techbridge.mining.models import AnalysisSnapshot
from techbridge.taxonomy.models import IndustryField
from techbridge.testing.factories import AchievementFactory, DemandFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(cast):
    materials = IndustryField.objects.get(code="materials")
    environment = IndustryField.objects.get(code="environment")
    a1 = AchievementFactory(owner=cast.university, title="高通量陶瓷膜油水分离", keywords="陶瓷膜、油水分离")
    a2 = AchievementFactory(owner=cast.university, title="耐高温锂电池隔膜", keywords="隔膜、锂电池")
    draft = AchievementFactory(owner=cast.university, title="草稿成果")
    for a in (a1, a2):
        publish(a)
    a1.fields.add(materials, environment)
    a2.fields.add(materials)
    draft.fields.add(materials)
    d1 = DemandFactory(
        enterprise=cast.enterprise,
        title="含油废水陶瓷膜处理",
        keywords="陶瓷膜、含油废水",
        problem="车间含油废水需要陶瓷膜油水分离处理。",
    )
    d2 = DemandFactory(
        enterprise=cast.enterprise, title="过期需求", deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    d3 = DemandFactory(
        enterprise=cast.enterprise,
        title="量子通信芯片封装",
        keywords="量子通信",
        problem="寻找量子通信芯片的低温封装工艺。",
    )
    for d in (d1, d2, d3):
        publish(d)
    d1.fields.add(environment)
    d2.fields.add(environment)
    return {"a1": a1, "a2": a2, "d1": d1, "d2": d2, "d3": d3}


def test_counts_per_field_compare_published_achievements_with_open_demands(listings):
    rows = {r.key: r for r in analysis.by_field()}
    assert (rows["materials"].achievements, rows["materials"].demands) == (2, 0)
    # The expired demand does not count; the draft achievement does not either.
    assert (rows["environment"].achievements, rows["environment"].demands) == (1, 1)
    assert rows["ic"].achievements == 0 and rows["environment"].ratio == 1.0


def test_counts_per_district_follow_the_owners_district(cast, listings):
    rows = {r.key: r for r in analysis.by_district()}
    assert rows[cast.university.district].achievements == 2
    assert rows[cast.enterprise.district].demands == 2


def test_rising_topics_compare_two_windows(cast, listings):
    old = timezone.now() - dt.timedelta(days=250)
    for i in range(2):
        a = AchievementFactory(owner=cast.university, title=f"旧的陶瓷膜成果{i}", keywords="陶瓷膜")
        publish(a)
        type(a).objects.filter(pk=a.pk).update(published_at=old)
    topics = {t.term: t for t in analysis.rising_topics(6, limit=50)}
    assert topics["陶瓷膜"].current == 2 and topics["陶瓷膜"].previous == 2
    assert "一种" not in topics and all(t.current >= 2 for t in topics.values())


def test_unmatched_demands_are_computed_into_a_snapshot(listings):
    from techbridge.core.fulltext import get_backend
    from techbridge.matching.indexes import reset_indexes

    for a in (listings["a1"], listings["a2"]):
        get_backend().index("achievement", a.pk, a.search_document())
    reset_indexes()
    snapshot = analysis.compute_unmatched(min_terms=2)
    ids = {u["id"] for u in snapshot.data["unmatched"]}
    assert snapshot.demands_checked == 2  # the expired demand is not checked
    assert listings["d3"].pk in ids and listings["d1"].pk not in ids
    reset_indexes()


def test_analysis_page_shows_counts_chart_and_snapshot_time(cast, client, listings):
    AnalysisSnapshot.objects.create(
        threshold=0.88,
        demands_checked=2,
        data={
            "unmatched": [
                {
                    "id": listings["d3"].pk,
                    "title": "量子通信芯片封装",
                    "enterprise": "示范企业有限公司",
                    "district": "",
                    "fields": [],
                    "best_id": None,
                    "best_title": "",
                    "similarity": None,
                    "shared_terms": [],
                }
            ]
        },
    )
    client.force_login(cast.official)
    response = client.get(reverse("mining_console:analysis"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "vendor/chartjs/chart.umd.min.js" in html and 'id="analysis-data"' in html
    assert "量子通信芯片封装" in html and 'data-total="demands">2<' in html


@pytest.mark.parametrize("who", ["buyer", "researcher", "outsider"])
def test_analysis_is_for_console_users_only(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("mining_console:analysis")).status_code == 403
    assert client.get(reverse("mining_console:analysis_export")).status_code == 403


def test_only_reviewers_and_operators_recompute(cast, client, listings, monkeypatch):
    from techbridge.mining import analysis_views

    monkeypatch.setattr(analysis_views, "enqueue", lambda task, *args: task(*args))
    client.force_login(cast.official)
    assert client.post(reverse("mining_console:analysis_recompute")).status_code == 403
    assert not AnalysisSnapshot.objects.exists()
    client.force_login(cast.operator)
    client.post(reverse("mining_console:analysis_recompute"))
    assert AnalysisSnapshot.objects.get().created_by == cast.operator


def test_excel_export_has_a_sheet_per_view(cast, client, listings):
    AnalysisSnapshot.objects.create(threshold=0.88, demands_checked=0, data={"unmatched": []})
    client.force_login(cast.reviewer)
    response = client.get(reverse("mining_console:analysis_export"))
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames == ["按领域", "按区域", "上升热词", "缺少匹配的需求", "说明"]
    rows = list(wb["按领域"].iter_rows(values_only=True))
    assert ("膜材料/化工新材料", 2, 0) == rows[[r[0] for r in rows].index("膜材料/化工新材料")][:3]


def test_analysis_page_query_count_is_bounded(cast, client, listings, pinned_queries):
    client.force_login(cast.reviewer)
    with pinned_queries("analysis"):
        response = client.get(reverse("mining_console:analysis"))
    assert "膜材料/化工新材料" in response.content.decode()


def test_command_stores_a_snapshot(listings):
    out = io.StringIO()
    call_command("analyse_supply_demand", "--no-progress", stdout=out)
    assert AnalysisSnapshot.objects.count() == 1 and "2" in out.getvalue()
    assert ReviewStatus.PUBLISHED


def test_api_returns_the_same_numbers_to_console_users_only(cast, client, listings):
    client.force_login(cast.official)
    body = client.get(reverse("api:mining-supply-demand"), {"months": 12}).json()
    fields = {r["key"]: r for r in body["by_field"]}
    assert body["months"] == 12 and fields["materials"]["achievements"] == 2 and body["snapshot"] is None
    client.force_login(cast.buyer)
    assert client.get(reverse("api:mining-supply-demand")).status_code == 403


def test_api_recompute_is_for_reviewers_and_operators(cast, client, listings):
    client.force_login(cast.official)
    assert client.post(reverse("api:mining-supply-demand-recompute")).status_code == 403
    client.force_login(cast.reviewer)
    response = client.post(reverse("api:mining-supply-demand-recompute"))
    assert response.status_code == 200 and response.json()["demands_checked"] == 2
    assert AnalysisSnapshot.objects.get().created_by == cast.reviewer
