"""Portal and console pages of valuation, per role."""

from __future__ import annotations

import hashlib
from decimal import Decimal as D
from unittest.mock import patch

import pytest
from django.urls import reverse

from techbridge.achievements.services import accept_nda
from techbridge.core.documents import generate_document
from techbridge.core.models import GeneratedDocument
from techbridge.talent.models import Expert
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.deals import RoomFactory
from techbridge.testing.factories.valuation import ASSUMPTIONS
from techbridge.valuation import services
from techbridge.valuation.models import ScorecardWeights, Valuation, ValuationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    """These pages are read in English."""


def _form(data):
    """What the browser posts: the form's defaults for the reconciliation weights, then ``data``."""
    data = {"weight_cost": 20, "weight_market": 30, "weight_income": 50, **data}
    return {k: ("" if v is None else str(v)) for k, v in data.items()}


def _issue(cast, achievement, *, generate=True):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    for m in req.panel.select_related("expert__user"):
        services.submit_score(m, actor=m.expert.user, score=75, comment="良好")
    v = services.issue_valuation(
        req, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
    )
    if generate:
        run_queued_documents()
        v.refresh_from_db()
    return v


def run_queued_documents():
    """What the background task does once the issue commits."""
    for pk in GeneratedDocument.objects.filter(status="queued").values_list("pk", flat=True):
        generate_document(pk)


def test_issuing_answers_at_once_and_the_report_page_shows_progress_then_the_file(
    client, cast, achievement, experts, three_comparables
):
    with patch("techbridge.lib.pdf.html_to_pdf", side_effect=AssertionError("typeset in the request")):
        v = _issue(cast, achievement, generate=False)
    assert not v.report
    client.force_login(cast.researcher)
    client.cookies["django_language"] = "zh-hans"
    url = reverse("valuation:report", args=[v.pk])
    waiting = client.get(url)
    assert waiting.status_code == 202 and "正在生成" in waiting.content.decode()
    poll = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in poll.content.decode() and "排队中" in poll.content.decode()
    run_queued_documents()
    ready = client.get(url, headers={"HX-Request": "true"})
    assert ready["HX-Redirect"] == url
    response = client.get(url)
    content = b"".join(response.streaming_content)
    v.refresh_from_db()
    assert response.status_code == 200 and v.report_sha256 == hashlib.sha256(content).hexdigest()


def test_a_failed_report_says_so_in_chinese_and_the_retry_makes_it(
    client, cast, achievement, experts, three_comparables, monkeypatch
):
    from techbridge.valuation import reports

    v = _issue(cast, achievement, generate=False)
    with monkeypatch.context() as m:
        m.setattr(reports, "render_report", lambda valuation: (_ for _ in ()).throw(RuntimeError("boom")))
        run_queued_documents()
    client.force_login(cast.researcher)
    client.cookies["django_language"] = "zh-hans"
    url = reverse("valuation:report", args=[v.pk])
    page = client.get(url).content.decode()
    assert "文档暂时无法生成" in page and "重试" in page and "boom" not in page
    client.post(url)
    run_queued_documents()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_owner_requests_in_the_browser_form(client, cast, achievement, no_comparables):
    client.force_login(cast.researcher)
    url = reverse("valuation:request_create", args=[achievement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(ASSUMPTIONS))
    req = ValuationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("valuation:request", args=[req.pk])
    page = client.get(response["Location"]).content.decode()
    assert "693,000.00" in page  # cost approach from the assumptions
    assert "Too few comparables: 0 found, at least 3 needed" in page


def test_negative_revenue_in_the_form_saves_nothing(client, cast, achievement):
    client.force_login(cast.researcher)
    url = reverse("valuation:request_create", args=[achievement.pk])
    response = client.post(url, _form({**ASSUMPTIONS, "first_year_revenue": -1}))
    assert response.status_code == 200
    assert "The revenue forecast cannot be negative." in response.content.decode()
    assert not ValuationRequest.objects.exists()


@pytest.mark.parametrize("who", ["buyer", "outsider", "broker"])
def test_strangers_cannot_open_the_request_form(client, cast, achievement, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("valuation:request_create", args=[achievement.pk])).status_code == 403


def test_request_page_is_private(client, cast, achievement, no_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    url = reverse("valuation:request", args=[req.pk])
    for who, code in (("buyer", 404), ("outsider", 404), ("univ_admin", 200), ("reviewer", 200)):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == code, who


def test_operator_draws_panel_and_issues_in_the_console(
    client, cast, achievement, experts, three_comparables
):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    client.force_login(cast.operator)
    url = reverse("valuation_console:request", args=[req.pk])
    page = client.get(url).content.decode()
    assert "专家e1" in page and "专家e_owner" not in page
    client.post(url, {"action": "panel", "size": "3"})
    req.refresh_from_db()
    assert req.status == "panel"
    # the expert scores in the portal
    member = req.panel.first()
    client.force_login(member.expert.user)
    seat = reverse("valuation:assignment", args=[req.pk])
    assert client.get(seat).status_code == 200
    bad = client.post(seat, {"score": "150", "comment": ""})
    assert bad.status_code == 200 and not req.panel.filter(scored_at__isnull=False).exists()
    for m in req.panel.select_related("expert__user"):
        client.force_login(m.expert.user)
        client.post(reverse("valuation:assignment", args=[req.pk]), {"score": "80", "comment": "可行"})
    client.force_login(cast.operator)
    # The appraiser concludes: without a reason nothing is issued, and the message says why.
    page = client.post(url, {"action": "issue", "conclusion": "income"}, follow=True).content.decode()
    assert not Valuation.objects.exists() and "Explain why this approach is the conclusion." in page
    response = client.post(
        url,
        {"action": "issue", "conclusion": "income", "conclusion_reason": "收益预测有合同支撑，采用收益法"},
    )
    v = Valuation.objects.get()
    assert response["Location"] == reverse("valuation:valuation", args=[v.pk])
    assert (v.point, v.snapshot["conclusion"]["choice"]) == (D(v.snapshot["income"]["point"]), "income")


def test_expert_cannot_open_someone_elses_seat(client, cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    client.force_login(experts["e_owner"].user)
    assert client.get(reverse("valuation:assignment", args=[req.pk])).status_code == 404


def test_report_follows_the_nda_rule(client, cast, achievement, experts, three_comparables):
    v = _issue(cast, achievement)
    report = reverse("valuation:report", args=[v.pk])
    client.force_login(cast.buyer)
    assert client.get(report).status_code == 403
    assert client.get(reverse("valuation:valuation", args=[v.pk])).status_code == 403
    accept_nda(achievement, actor=cast.buyer)
    response = client.get(report)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.logout()
    assert client.get(report).status_code == 302  # to sign in


def test_achievement_page_shows_grade_range_and_request_button(
    client, cast, achievement, experts, three_comparables
):
    v = _issue(cast, achievement)
    detail = reverse("achievements:detail", args=[achievement.pk])
    client.force_login(cast.researcher)
    page = client.get(detail).content.decode()
    assert reverse("valuation:report", args=[v.pk]) in page
    assert reverse("valuation:request_create", args=[achievement.pk]) in page
    client.force_login(cast.buyer)
    page = client.get(detail).content.decode()
    assert reverse("valuation:report", args=[v.pk]) not in page
    assert "An issued valuation exists" in page
    assert reverse("valuation:request_create", args=[achievement.pk]) not in page
    client.logout()
    assert client.get(detail).status_code == 200


def test_lot_suggestion_partial_derives_start_and_reserve(cast, achievement, experts, three_comparables, rf):
    from django.template.loader import render_to_string

    v = _issue(cast, achievement)
    services.save_scorecard(
        achievement,
        actor=cast.researcher,
        data={
            "legal_status": "granted",
            "remaining_term_years": D(5),
            "claims": 8,
            "family_size": 2,
            "market_size": D(100_000_000),
        },
    )
    html = render_to_string(
        "valuation/partials/lot_suggestion.html",
        {"achievement": achievement, "package": None, "user": cast.researcher},
    )
    from techbridge.valuation.formulas import auction_prices

    start, reserve = auction_prices(v.low, "B")
    assert f"{reserve:,.2f}" in html and f"{start:,.2f}" in html
    other = make_achievement(cast, chip=True, title="没有评估的成果")
    html = render_to_string(
        "valuation/partials/lot_suggestion.html",
        {"achievement": other, "package": None, "user": cast.researcher},
    )
    assert "No suggestion" in html


def test_screening_filters_and_sorts_by_grade_with_pinned_queries(client, cast, pinned_queries):
    full = {
        "legal_status": "granted",
        "remaining_term_years": D(10),
        "claims": 10,
        "family_size": 5,
        "citations": 10,
        "market_size": D(10_000_000_000),
    }
    weak = {"legal_status": "lapsed", "claims": 1, "family_size": 1, "citations": 0}
    a = make_achievement(
        cast, chip=True, title="甲成果", trl=9, team="a;b;c;d;e", ipc_codes="H03K, G06F, H04L, B64U"
    )
    b = make_achievement(cast, chip=True, title="乙成果", trl=2)
    make_achievement(cast, chip=True, title="丙成果")
    services.save_scorecard(a, actor=cast.researcher, data=full)
    services.save_scorecard(b, actor=cast.researcher, data=weak)
    for i in range(12):
        make_achievement(cast, chip=True, title=f"其他成果{i}")
    url = reverse("valuation:screening")
    with pinned_queries("screening"):
        page = client.get(url).content.decode()
    assert page.index("甲成果") < page.index("乙成果") < page.index("丙成果")
    page = client.get(url, {"grade": ["A"]}).content.decode()
    assert "甲成果" in page and "乙成果" not in page
    page = client.get(url, {"grade": ["D"], "sort": "-grade"}).content.decode()
    assert "乙成果" in page and "甲成果" not in page


def test_console_pages_are_for_operators(client, cast):
    for name in ("valuation_console:queue", "talent_console:experts", "valuation_console:weights"):
        client.force_login(cast.reviewer)
        assert client.get(reverse(name)).status_code == 403
        client.force_login(cast.operator)
        assert client.get(reverse(name)).status_code == 200


def test_operator_manages_pool_and_weights_in_the_console(client, cast):
    client.force_login(cast.operator)
    # The expert pool moved to talent's console; the old address redirects there.
    assert client.get(reverse("valuation_console:experts"))["Location"] == reverse("talent_console:experts")
    response = client.post(
        reverse("talent_console:experts"),
        {"username": "broker", "expertise": ["ic"], "title": "高级工程师", "active": "on"},
    )
    assert response.status_code == 302
    expert = Expert.objects.get(user=cast.broker)
    assert [f.code for f in expert.fields.all()] == ["ic"]
    bad = client.post(reverse("talent_console:experts"), {"username": "nobody", "expertise": ["ic"]})
    assert bad.status_code == 200 and Expert.objects.count() == 1
    data = {code: "10" for code in services.F.INDICATORS}
    client.post(reverse("valuation_console:weights"), {**data, "note": "均等"})
    assert ScorecardWeights.objects.get().version == 1
    client.post(reverse("valuation_console:weights"), {**data, "trl": "-1"})
    assert ScorecardWeights.objects.count() == 1


def test_home_lists_my_requests_and_seats(client, cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    client.force_login(experts["e1"].user)
    page = client.get(reverse("valuation:home")).content.decode()
    assert reverse("valuation:assignment", args=[req.pk]) in page
    client.force_login(cast.researcher)
    assert (
        reverse("valuation:request", args=[req.pk]) in client.get(reverse("valuation:home")).content.decode()
    )


def test_scorecard_page_shows_missing_inputs_and_only_owner_edits(client, cast, achievement):
    url = reverse("valuation:scorecard", args=[achievement.pk])
    client.force_login(cast.buyer)
    page = client.get(url).content.decode()
    assert "missing" in page and 'name="claims"' not in page
    assert client.post(url, {"claims": "5"}).status_code == 403
    client.force_login(cast.researcher)
    response = client.post(
        url,
        {
            "legal_status": "granted",
            "claims": "12",
            "remaining_term_years": "8",
            "family_size": "3",
            "citations": "4",
            "market_size": "500000000",
        },
    )
    assert response.status_code == 302
    achievement.valuation_scorecard.refresh_from_db()
    assert achievement.valuation_scorecard.grade in {"A", "B", "C", "D"}


def test_request_lists_pin_their_query_counts(client, as_user, cast, experts, pinned_queries):
    titles = [f"成果{i}" for i in range(6)]
    for i, title in enumerate(titles):
        a = make_achievement(cast, chip=True, title=title)
        req = services.create_request(a, actor=cast.researcher, data=ASSUMPTIONS)
        if i % 2:
            services.assign_panel(req, actor=cast.operator, size=2)
    client.force_login(cast.researcher)
    with pinned_queries("requester's home"):
        page = client.get(reverse("valuation:home")).content.decode()
    assert all(title in page for title in titles)
    client.force_login(cast.operator)
    with pinned_queries("panel queue"):
        page = client.get(reverse("valuation_console:queue"), {"tab": "panel"}).content.decode()
    assert all(title in page for title in titles[1::2])
    api = as_user(cast.researcher)
    with pinned_queries("api"):
        body = api.get("/api/v1/valuation/requests/").json()
    assert body["count"] == 6
    client.force_login(experts["e1"].user)
    with pinned_queries("expert's home"):
        page = client.get(reverse("valuation:home")).content.decode()
    assert "成果1" in page or "成果3" in page or "成果5" in page


def test_room_panel_links_a_party_to_a_room_request(cast, achievement):
    from django.template.loader import render_to_string

    room = RoomFactory(achievement=achievement, buyer=cast.enterprise)
    html = render_to_string("valuation/partials/room_panel.html", {"room": room, "user": cast.buyer})
    assert f"/valuation/achievements/{achievement.pk}/request/?room={room.pk}" in html


def test_operator_replaces_an_expert_in_the_console(client, cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    first = services.assign_panel(req, actor=cast.operator, size=3)[0]
    client.force_login(cast.operator)
    url = reverse("valuation_console:request", args=[req.pk])
    response = client.post(url, {"action": "replace", "member": first.pk, "reason": "回避"})
    assert response.status_code == 302
    assert set(req.panel.values_list("expert__user__username", flat=True)) == {
        "expert_e2",
        "expert_e3",
        "expert_e_buyer",
    }


def test_owner_edits_assumptions_and_cancels_in_the_browser(client, cast, achievement, no_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    client.force_login(cast.univ_admin)
    edit = reverse("valuation:request_edit", args=[req.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _form({**ASSUMPTIONS, "growth_pct": 12, "income_perpetuity": "on"}))
    assert response.status_code == 302
    page = client.get(reverse("valuation:request", args=[req.pk])).content.decode()
    assert "must be above the growth rate" in page
    client.force_login(cast.buyer)
    assert client.get(edit).status_code == 404
    client.force_login(cast.researcher)
    client.post(reverse("valuation:request_cancel", args=[req.pk]), {"reason": "不再需要"})
    req.refresh_from_db()
    assert req.status == "cancelled"
    assert client.get(edit).status_code == 403


def test_operator_deactivates_an_expert_who_then_is_not_drawn(client, cast, achievement, experts):
    client.force_login(cast.operator)
    url = reverse("talent_console:expert", args=[experts["e1"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"expertise": ["ic"], "title": "研究员"})  # "active" unticked
    assert response.status_code == 302
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    assert "expert_e1" not in [e.user.username for e in services.eligible_experts(req)]
