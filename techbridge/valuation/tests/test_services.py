"""The valuation path through the services: request, panel, scores, issue, versions; per role."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.core.models import AuditEntry, GeneratedDocument, Notification
from techbridge.core.workflow import TransitionError
from techbridge.lib.pdf import pdf_fonts, pdf_text
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.valuation import ASSUMPTIONS
from techbridge.valuation import services
from techbridge.valuation.models import PanelMember, Valuation, ValuationRequest
from techbridge.valuation.tests.test_views import run_queued_documents

pytestmark = pytest.mark.django_db


def _score_all(req, scores=(70, 80, 90)):
    for member, s in zip(req.panel.select_related("expert__user"), scores, strict=False):
        services.submit_score(
            member,
            actor=member.expert.user,
            score=s,
            comment="技术先进，市场前景较好",
            value_low=D(600_000),
            value_high=D(900_000),
        )


def test_owner_requests_and_operator_is_notified(cast, achievement):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    assert req.requester_kind == "owner" and req.status == "submitted"
    assert Notification.objects.filter(recipient=cast.operator, kind="valuation_requested").exists()
    assert AuditEntry.objects.filter(action="valuation.request.created", object_id=str(req.pk)).exists()


@pytest.mark.parametrize("who", ["buyer", "broker", "outsider", "reviewer"])
def test_others_cannot_request_without_a_room(cast, achievement, who):
    with pytest.raises(PermissionDenied):
        services.create_request(achievement, actor=getattr(cast, who), data=ASSUMPTIONS)


def test_operator_may_request_for_a_published_achievement(cast, achievement):
    req = services.create_request(achievement, actor=cast.operator, data={"purpose": "management"})
    assert req.requester_kind == "operator"


def test_second_open_request_by_the_same_side_is_refused(cast, achievement):
    services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    with pytest.raises(ValidationError):
        services.create_request(achievement, actor=cast.univ_admin, data=ASSUMPTIONS)


def test_negative_revenue_is_refused_and_nothing_saved(cast, achievement):
    with pytest.raises(ValidationError):
        services.create_request(
            achievement, actor=cast.researcher, data={**ASSUMPTIONS, "first_year_revenue": D(-5)}
        )
    assert not ValuationRequest.objects.exists()


def test_panel_excludes_owner_and_requester_organisations_and_is_deterministic(cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    eligible = services.eligible_experts(req)
    names = [e.user.username for e in eligible]
    # the owner's expert and the other-field expert are out; the buyer's expert is fine here
    assert "expert_e_owner" not in names and "expert_e_env" not in names
    assert names == ["expert_e1", "expert_e2", "expert_e3", "expert_e_buyer"]
    members = services.assign_panel(req, actor=cast.operator, size=3)
    assert [m.expert.user.username for m in members] == names[:3]
    assert req.status == "panel"
    assert Notification.objects.filter(recipient=experts["e1"].user, kind="valuation_panel").exists()


def test_busy_experts_come_after_free_ones(cast, achievement, experts):
    other = make_achievement(cast, chip=True, title="另一项集成电路成果")
    first = services.create_request(other, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(first, actor=cast.operator, size=1)  # e1 now has an open seat
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    assert [e.user.username for e in services.eligible_experts(req)][:2] == ["expert_e2", "expert_e3"]


def test_too_few_eligible_experts_is_a_clear_error(cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    with pytest.raises(ValidationError) as exc:
        services.assign_panel(req, actor=cast.operator, size=5)
    assert "4" in exc.value.messages[0] and "5" in exc.value.messages[0]
    req.refresh_from_db()
    assert req.status == "submitted" and not PanelMember.objects.exists()


def test_only_operators_assign_panels(cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    for who in (cast.researcher, cast.reviewer):
        with pytest.raises(PermissionDenied):
            services.assign_panel(req, actor=who, size=3)


def test_only_the_assigned_expert_scores_and_bad_scores_are_refused(cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    member = services.assign_panel(req, actor=cast.operator, size=3)[0]
    with pytest.raises(PermissionDenied):
        services.submit_score(member, actor=experts["e2"].user, score=50, comment="x")
    with pytest.raises(ValidationError) as exc:
        services.submit_score(
            member, actor=member.expert.user, score=101, comment="", value_low=D(10), value_high=D(5)
        )
    assert set(exc.value.message_dict) == {"score", "comment", "value_high"}
    member.refresh_from_db()
    assert member.scored_at is None


def test_issue_needs_every_score(cast, achievement, experts, three_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req, scores=(70, 80))
    with pytest.raises(ValidationError):
        services.issue_valuation(
            req, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
        )
    assert not Valuation.objects.exists()


def test_full_path_issues_a_frozen_version_with_a_chinese_pdf(cast, achievement, experts, three_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req)
    v = services.issue_valuation(
        req, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
    )
    run_queued_documents()  # the background task, once the issue has committed
    v.refresh_from_db()
    req.refresh_from_db()
    assert req.status == "issued" and v.version == 1
    rec = v.snapshot
    assert rec["cost"]["point"] == "693000.00"
    assert rec["income"]["point"] == "97694.40"
    # Market: three comparables at 800k, 1.0M, 1.2M with equal similarity, same mode, same year
    assert rec["market"]["ok"] and rec["market"]["point"] == "1000000.00"
    # Final: (20 × 693,000 + 30 × 1,000,000 + 50 × 97,694.40) / 100 = 138,600 + 300,000 + 48,847.20
    assert rec["final"]["point"] == "487447.20"
    assert v.point == D("487447.20") and v.low <= v.point <= v.high
    assert rec["panel"]["score_spread"]["median"] == "80.00"
    pdf = v.report.read()
    text = pdf_text(pdf)
    assert "科技成果价值评估报告" in text and "693,000.00" in text and "487,447.20" in text
    assert any("CJK" in f for f in pdf_fonts(pdf))
    assert Notification.objects.filter(recipient=cast.researcher, kind="valuation_issued").exists()


def test_issued_valuation_never_changes_and_a_new_request_makes_version_two(
    cast, achievement, experts, three_comparables
):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req)
    v1 = services.issue_valuation(
        req, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
    )
    with pytest.raises(ValueError):
        v1.point = D(1)
        v1.save()
    with pytest.raises((TransitionError, PermissionDenied)):
        services.update_assumptions(req, actor=cast.researcher, data={"growth_pct": D(6)})
    # The new request starts from v1's assumptions
    req2 = services.create_request(achievement, actor=cast.researcher, data={"purpose": "auction"})
    assert req2.reproduction_cost == D(1_000_000)
    services.update_assumptions(req2, actor=cast.researcher, data={"reproduction_cost": D(2_000_000)})
    services.assign_panel(req2, actor=cast.operator, size=3)
    _score_all(req2)
    v2 = services.issue_valuation(
        req2, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
    )
    assert v2.version == 2
    v1.refresh_from_db()
    assert v1.snapshot["cost"]["point"] == "693000.00"
    assert v2.snapshot["cost"]["point"] == "1386000.00"


def test_too_few_comparables_shows_no_market_number_but_still_issues(
    cast, achievement, experts, no_comparables
):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    rec = services.preview(req)
    assert rec["market"]["ok"] is False and "point" not in rec["market"]
    assert rec["market"]["error"] == {"code": "too_few_comparables", "params": {"found": "0", "minimum": "3"}}
    # cost and income still reconcile: weights 20 : 50
    assert rec["final"]["shares"] == {"cost": "28.57", "income": "71.43"}


def test_bad_income_input_gives_a_message_not_a_number(cast, achievement, no_comparables):
    # A technical secret valued in perpetuity with growth above the discount rate: no finite value.
    req = services.create_request(
        achievement,
        actor=cast.researcher,
        data={**ASSUMPTIONS, "growth_pct": D(12), "income_perpetuity": True},
    )
    rec = services.preview(req)
    assert rec["income"]["ok"] is False and rec["income"]["error"]["code"] == "discount_not_above_growth"
    # Over a finite period the same growth is fine; a life beyond the term is capped, not refused.
    services.update_assumptions(
        req,
        actor=cast.researcher,
        data={"income_perpetuity": False, "remaining_term_years": D(2)},
    )
    rec = services.preview(req)
    assert rec["income"]["ok"] and rec["income"]["capped"] and rec["income"]["income_years"] == 2
    # A perpetuity for a patent with a term is refused at the form, service and API alike.
    with pytest.raises(ValidationError) as exc:
        services.update_assumptions(req, actor=cast.researcher, data={"income_perpetuity": True})
    assert "income_perpetuity" in exc.value.message_dict


def test_nothing_to_issue_when_no_approach_has_a_value(cast, achievement, experts, no_comparables):
    req = services.create_request(achievement, actor=cast.researcher, data={"purpose": "transfer"})
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req)
    with pytest.raises(ValidationError):
        services.issue_valuation(
            req, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
        )
    assert not Valuation.objects.exists()
    req.refresh_from_db()
    assert req.status == "panel"


def test_cancel_by_requester_or_operator_only(cast, achievement):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    with pytest.raises(PermissionDenied):
        services.cancel_request(req, actor=cast.buyer)
    services.cancel_request(req, actor=cast.operator, reason="重复")
    assert req.status == "cancelled"
    with pytest.raises(TransitionError):
        services.cancel_request(req, actor=cast.operator)


def test_scorecard_inputs_regrade_and_missing_stays_missing(cast, achievement):
    card = services.regrade(achievement)
    # TRL 7, IPC 2 subclasses, team of 3: 35 % of the weight → not graded
    assert card.grade == "" and card.coverage == D("0.3500")
    card = services.save_scorecard(
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
    # The worked example of test_formulas: 70.56 → B
    assert (card.score, card.grade) == (D("70.56"), "B")
    assert card.parts["citations"] is None
    with pytest.raises(PermissionDenied):
        services.save_scorecard(achievement, actor=cast.buyer, data={"claims": 3})


def test_new_weights_version_regrades_everything(cast, achievement, run_on_commit):
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
    weights = {**{k: 0 for k in services.F.INDICATORS}, "legal_status": 1}
    with pytest.raises(PermissionDenied):
        services.set_weights(actor=cast.reviewer, weights=weights)
    with run_on_commit(execute=True):
        row = services.set_weights(actor=cast.operator, weights=weights, note="只看法律状态")
    assert row.version == 1
    card = achievement.valuation_scorecard
    card.refresh_from_db()
    assert (card.score, card.grade, card.weights_version) == (D("100.00"), "A", 1)
    with pytest.raises(ValidationError):
        services.set_weights(actor=cast.operator, weights={k: 0 for k in services.F.INDICATORS})


def test_assumptions_freeze_for_the_owner_once_the_panel_sits(cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.update_assumptions(req, actor=cast.univ_admin, data={"growth_pct": D(4)})
    with pytest.raises(PermissionDenied):
        services.update_assumptions(req, actor=cast.buyer, data={"growth_pct": D(3)})
    services.assign_panel(req, actor=cast.operator, size=3)
    with pytest.raises(PermissionDenied):
        services.update_assumptions(req, actor=cast.researcher, data={"growth_pct": D(3)})
    services.update_assumptions(req, actor=cast.operator, data={"growth_pct": D(3)})
    req.refresh_from_db()
    assert req.growth_pct == D(3)


def test_operator_replaces_an_expert_who_has_not_scored(cast, achievement, experts):
    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    first, second, _third = services.assign_panel(req, actor=cast.operator, size=3)
    services.submit_score(second, actor=second.expert.user, score=70, comment="可行")
    new = services.replace_panel_member(first, actor=cast.operator, reason="出差")
    # the next eligible expert not on the panel: the buyer-side expert (owner's is excluded)
    assert new.expert == experts["e_buyer"] and new.order == first.order
    assert AuditEntry.objects.filter(action="valuation.request.expert_replaced", message="出差").exists()
    assert list(req.replaced_experts.all()) == [first.expert]
    with pytest.raises(ValidationError):
        services.replace_panel_member(second, actor=cast.operator)  # already scored
    # The replaced expert is remembered on the request, not looked up in the audit log.
    AuditEntry.objects.all().delete()
    with pytest.raises(ValidationError):
        services.replace_panel_member(new, actor=cast.operator)  # nobody left: the replaced is not redrawn
    with pytest.raises(PermissionDenied):
        services.replace_panel_member(new, actor=cast.researcher)


def test_a_failing_report_still_issues_and_leaves_a_failed_document_to_retry(
    cast, achievement, experts, three_comparables, monkeypatch
):
    from techbridge.valuation import reports

    req = services.create_request(achievement, actor=cast.researcher, data=ASSUMPTIONS)
    services.assign_panel(req, actor=cast.operator, size=3)
    _score_all(req)

    def broken(valuation):
        raise RuntimeError("typesetting failed")

    monkeypatch.setattr(reports, "render_report", broken)
    v = services.issue_valuation(
        req, actor=cast.operator, conclusion="weighted", reason="三种方法结果相互印证，采用加权值"
    )
    run_queued_documents()
    req.refresh_from_db()
    v.refresh_from_db()
    doc = GeneratedDocument.objects.get(kind="valuation.report", object_id=v.pk)
    assert req.status == "issued" and doc.status == "failed" and not v.report
