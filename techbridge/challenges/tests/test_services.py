"""The challenge's life through the services: publication and review, sealed applications (one per
organisation, before the deadline), closing at the deadline, a conflict-free panel, scores and ranking,
the award into a draft contract, failure, and milestone acceptance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from techbridge.challenges import permissions, services
from techbridge.challenges.choices import ApplicationStatus, ChallengeStatus, MilestoneStatus
from techbridge.challenges.models import Challenge
from techbridge.contracts.choices import ContractStatus, Origin
from techbridge.contracts.models import Contract
from techbridge.core.models import AuditEntry, Notification
from techbridge.core.workflow import TransitionError
from techbridge.taxonomy.models import IndustryField
from techbridge.testing.factories.challenges import close_applications, make_application, make_challenge, seat
from techbridge.testing.factories.talent import ExpertFactory

pytestmark = pytest.mark.django_db

PLAN = {
    "summary": "双面散热方案",
    "approach": "仿真、样品、可靠性验证。",
    "team": [{"name": "李研究", "role": "负责人"}],
    "schedule": [{"title": "样品交付", "due": "2027-03-31"}, {"title": "小批量试产", "due": ""}],
    "price": Decimal("400000"),
}


def _data(**extra):
    data = {
        "title": "高精度视觉检测算法攻关",
        "problem": "现有检测漏检率高。",
        "indicators": ["检测精度 ≥ 99.5%", " ", "单件检测 ≤ 50 ms"],
        "budget": Decimal("800000"),
        "deadline": timezone.now() + dt.timedelta(days=30),
        "eligibility": "",
        "field": IndustryField.objects.get(code="ic"),
        "district": "jiangning",
    }
    data.update(extra)
    return data


def _codes(obj):
    entries = AuditEntry.objects.filter(object_id=obj.pk, action__startswith="challenges.challenge")
    return list(entries.order_by("pk").values_list("action", flat=True))


def test_an_enterprise_drafts_submits_and_a_reviewer_publishes(cast):
    c = services.create_challenge(actor=cast.buyer, data=_data())
    assert c.status == ChallengeStatus.DRAFT and c.organization == cast.enterprise
    assert c.indicators == ["检测精度 ≥ 99.5%", "单件检测 ≤ 50 ms"]  # blank lines dropped
    services.submit(c, actor=cast.buyer)
    with pytest.raises(PermissionDenied, match="只有平台审核人员"):
        services.approve(c, actor=cast.buyer)
    services.approve(c, actor=cast.reviewer)
    c.refresh_from_db()
    assert c.status == ChallengeStatus.PUBLISHED and c.published_at is not None and c.is_public
    assert _codes(c) == [
        "challenges.challenge.created",
        "challenges.challenge.submitted",
        "challenges.challenge.published",
    ]


def test_who_may_publish(cast):
    for user in (cast.researcher, cast.broker, cast.reviewer, cast.outsider):
        with pytest.raises(PermissionDenied, match="已审核企业的成员或政府部门人员"):
            services.create_challenge(actor=user, data=_data())
    assert services.create_challenge(actor=cast.official, data=_data()).organization == cast.department


def test_bad_input_is_refused_with_a_message(cast):
    with pytest.raises(ValidationError, match="至少填写一项可量化的指标"):
        services.create_challenge(actor=cast.buyer, data=_data(indicators=["", " "]))
    with pytest.raises(ValidationError, match="指标最多 10 项"):
        services.create_challenge(actor=cast.buyer, data=_data(indicators=[f"指标{i}" for i in range(11)]))
    with pytest.raises(ValidationError, match="必须晚于当前时间"):
        services.create_challenge(
            actor=cast.buyer, data=_data(deadline=timezone.now() - dt.timedelta(minutes=1))
        )
    with pytest.raises(ValidationError, match="100 亿元"):
        services.create_challenge(actor=cast.buyer, data=_data(budget=Decimal("20000000000")))
    assert not Challenge.objects.exists()


def test_a_returned_challenge_keeps_the_reason_and_can_be_resubmitted(cast):
    c = make_challenge(cast, status=ChallengeStatus.SUBMITTED, published_at=None)
    with pytest.raises(ValidationError, match="请填写退回榜单的理由"):
        services.reject(c, actor=cast.reviewer, reason="  ")
    services.reject(c, actor=cast.reviewer, reason="指标不可量化")
    c.refresh_from_db()
    assert c.status == ChallengeStatus.REJECTED and c.reject_reason == "指标不可量化"
    assert Notification.objects.filter(recipient=cast.buyer, title__contains="榜单被退回").exists()
    services.update_challenge(c, actor=cast.buyer, data={"indicators": ["良率 ≥ 98%"]})
    services.submit(c, actor=cast.buyer)
    assert c.status == ChallengeStatus.SUBMITTED


def test_the_publishers_own_organisation_and_departments_cannot_apply(cast, challenge):
    with pytest.raises(PermissionDenied, match="发榜单位本身不能揭自己的榜"):
        services.apply(challenge, actor=cast.buyer, data=PLAN)
    with pytest.raises(PermissionDenied, match="政府部门和平台运营方不参与揭榜"):
        services.apply(challenge, actor=cast.official, data=PLAN)


def test_one_application_per_organisation_until_it_is_withdrawn(cast, challenge):
    first = services.apply(challenge, actor=cast.researcher, data=PLAN)
    with pytest.raises(ValidationError, match="贵单位已揭过此榜"):
        services.apply(challenge, actor=cast.univ_admin, data=PLAN)
    services.withdraw_application(first, actor=cast.researcher)
    again = services.apply(challenge, actor=cast.univ_admin, data=PLAN)
    assert again.pk != first.pk and again.status == ApplicationStatus.SUBMITTED


def test_no_application_after_the_deadline_and_no_withdrawal_either(cast, challenge):
    app = services.apply(challenge, actor=cast.researcher, data=PLAN)
    Challenge.objects.filter(pk=challenge.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    challenge.refresh_from_db()
    with pytest.raises(ValidationError, match="该榜单目前不接受揭榜"):
        services.apply(challenge, actor=cast.stranger, data=PLAN)
    app.refresh_from_db()
    with pytest.raises(ValidationError, match="只能在截止时间前撤回"):
        services.withdraw_application(app, actor=cast.researcher)


def test_applications_are_sealed_until_the_deadline(cast, challenge):
    services.apply(challenge, actor=cast.researcher, data=PLAN)
    services.apply(challenge, actor=cast.stranger, data=PLAN)
    assert list(permissions.visible_applications(cast.buyer, challenge)) == []
    assert list(permissions.visible_applications(cast.operator, challenge)) == []
    assert [a.organization for a in permissions.visible_applications(cast.researcher, challenge)] == [
        cast.university
    ]
    assert services.close_due_challenges() == 0
    Challenge.objects.filter(pk=challenge.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    assert services.close_due_challenges() == 1
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.CLOSED
    assert permissions.visible_applications(cast.buyer, challenge).count() == 2
    assert permissions.visible_applications(cast.researcher, challenge).count() == 1  # still only its own
    note = Notification.objects.get(recipient=cast.buyer, title__contains="揭榜已截止")
    assert "共收到 2 份揭榜申请" in note.body
    assert services.close_due_challenges() == 0  # idempotent


def test_a_plan_must_be_a_small_inert_pdf(cast, challenge, media_root):
    fake = SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError, match="该文件不是 PDF"):
        services.apply(challenge, actor=cast.researcher, data=PLAN, plan=fake)
    word = SimpleUploadedFile("plan.docx", b"PK..")
    with pytest.raises(ValidationError, match="方案须为 PDF 文件"):
        services.apply(challenge, actor=cast.researcher, data=PLAN, plan=word)
    scripted = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj << /JavaScript (app.alert(1)) >> endobj")
    with pytest.raises(ValidationError, match="含有脚本或嵌入文件"):
        services.apply(challenge, actor=cast.researcher, data=PLAN, plan=scripted)
    ok = services.apply(
        challenge, actor=cast.researcher, data=PLAN, plan=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF")
    )
    assert ok.plan.name.endswith(".pdf")


def test_team_and_schedule_are_bounded(cast, challenge):
    with pytest.raises(ValidationError, match="团队成员最多 20 人"):
        services.apply(
            challenge, actor=cast.researcher, data={**PLAN, "team": [{"name": f"成员{i}"} for i in range(21)]}
        )
    with pytest.raises(ValidationError, match="不是日期"):
        services.apply(
            challenge, actor=cast.researcher, data={**PLAN, "schedule": [{"title": "样品", "due": "明年"}]}
        )


def test_the_panel_refuses_an_expert_with_a_conflict_naming_it(cast, challenge, expert):
    services.apply(challenge, actor=cast.researcher, data=PLAN)
    close_applications(challenge)
    of_publisher = ExpertFactory(
        user__organization=cast.enterprise, user__real_name="企业专家", fields=("ic",)
    )
    of_applicant = ExpertFactory(
        user__organization=cast.university, user__real_name="高校专家", fields=("ic",)
    )
    declared = ExpertFactory(user__real_name="声明专家", fields=("ic",))
    declared.declared_conflicts.create(organization=cast.university, reason="曾任职")
    with pytest.raises(ValidationError) as refused:
        services.set_panel(
            challenge, actor=cast.operator, experts=[expert, of_publisher, of_applicant, declared]
        )
    text = " ".join(refused.value.messages)
    assert "企业专家 是发榜单位 示范企业有限公司 的人员" in text
    assert "高校专家 是揭榜单位 示范大学 的人员" in text
    assert "声明专家 已声明与 示范大学 存在利益冲突" in text
    assert not challenge.seats.exists()
    with pytest.raises(PermissionDenied, match="只有平台运营人员"):
        services.set_panel(challenge, actor=cast.reviewer, experts=[expert])
    services.set_panel(challenge, actor=cast.operator, experts=[expert])
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.REVIEWING
    assert Notification.objects.filter(recipient=expert.user, title__contains="邀请您评审榜单").exists()


def test_scores_rank_by_the_mean_and_are_bounded(cast, challenge, expert, second_expert):
    a = make_application(challenge, cast.university, cast.researcher)
    b = make_application(challenge, cast.other_university, cast.stranger)
    close_applications(challenge, ChallengeStatus.REVIEWING)
    seat(challenge, expert)
    seat(challenge, second_expert)
    with pytest.raises(ValidationError, match="请为 2 项指标各给出一个分数"):
        services.score(a, actor=expert.user, values=[90])
    with pytest.raises(ValidationError, match="0 到 100 之间的整数"):
        services.score(a, actor=expert.user, values=[90, 101])
    with pytest.raises(PermissionDenied, match="只有本榜单评审专家组的专家"):
        services.score(a, actor=cast.operator, values=[90, 90])
    services.score(a, actor=expert.user, values=[80, 70], comment="方案可行")
    services.score(a, actor=second_expert.user, values=[90, 90])
    services.score(b, actor=expert.user, values=[95, 90])
    ranked = services.ranking(challenge)
    assert [(r.organization, r.mean, r.n_scores) for r in ranked] == [
        (cast.other_university, Decimal("92.50"), 1),
        (cast.university, Decimal("82.50"), 2),
    ]
    services.score(a, actor=expert.user, values=[100, 100])  # an expert may revise
    assert services.ranking(challenge)[0].organization == cast.university


def test_the_award_creates_the_draft_contract_and_the_milestones(cast, challenge, expert):
    won = services.apply(challenge, actor=cast.researcher, data=PLAN)
    lost = services.apply(challenge, actor=cast.stranger, data=PLAN)
    close_applications(challenge)
    services.set_panel(challenge, actor=cast.operator, experts=[expert])
    with pytest.raises(ValidationError, match="专家尚未对该揭榜申请评分"):
        services.award(challenge, actor=cast.buyer, application=won)
    services.score(won, actor=expert.user, values=[90, 85])
    with pytest.raises(PermissionDenied, match="只有发榜单位或平台运营人员"):
        services.award(challenge, actor=cast.researcher, application=won)
    services.award(challenge, actor=cast.buyer, application=won)
    challenge.refresh_from_db()
    contract = Contract.objects.get(pk=challenge.contract_id)
    assert challenge.status == ChallengeStatus.AWARDED and challenge.winner == won
    assert (contract.seller, contract.buyer, contract.total_amount) == (
        cast.university,
        cast.enterprise,
        Decimal("400000.00"),
    )
    assert contract.origin == Origin.CHALLENGE and contract.origin_ref == f"challenge:{challenge.pk}"
    assert contract.status == ContractStatus.DRAFT
    won.refresh_from_db()
    lost.refresh_from_db()
    assert (won.status, lost.status) == (ApplicationStatus.AWARDED, ApplicationStatus.NOT_AWARDED)
    assert Notification.objects.filter(recipient=cast.researcher, title__contains="贵团队揭榜成功").exists()
    assert Notification.objects.filter(recipient=cast.stranger, title__contains="已由其他团队揭榜").exists()
    milestones = list(challenge.milestones.all())
    assert [(m.title, m.due) for m in milestones] == [
        ("样品交付", dt.date(2027, 3, 31)),
        ("小批量试产", None),
    ]
    with pytest.raises(TransitionError):
        services.fail(challenge, actor=cast.buyer, reason="晚了")


def test_milestones_are_accepted_by_the_publisher_and_complete_the_challenge(cast, challenge, expert):
    won = services.apply(challenge, actor=cast.researcher, data=PLAN)
    close_applications(challenge)
    services.set_panel(challenge, actor=cast.operator, experts=[expert])
    services.score(won, actor=expert.user, values=[90, 85])
    services.award(challenge, actor=cast.operator, application=won)
    first, second = challenge.milestones.all()
    with pytest.raises(PermissionDenied, match="只有发榜单位"):
        services.decide_milestone(first, actor=cast.researcher, accepted=True)
    with pytest.raises(ValidationError, match="请说明里程碑验收未通过的原因"):
        services.decide_milestone(first, actor=cast.buyer, accepted=False)
    services.decide_milestone(first, actor=cast.buyer, accepted=False, note="样品结温未达标")
    first.refresh_from_db()
    assert (first.status, first.note) == (MilestoneStatus.REJECTED, "样品结温未达标")
    services.decide_milestone(first, actor=cast.buyer, accepted=True, note="复测达标")
    services.decide_milestone(second, actor=cast.buyer, accepted=True)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.COMPLETED


def test_no_winner_tells_the_applicants_why(cast, challenge):
    app = services.apply(challenge, actor=cast.researcher, data=PLAN)
    close_applications(challenge)
    with pytest.raises(ValidationError, match="请说明流榜原因"):
        services.fail(challenge, actor=cast.buyer, reason="")
    services.fail(challenge, actor=cast.buyer, reason="方案均未达到指标要求")
    challenge.refresh_from_db()
    app.refresh_from_db()
    assert challenge.status == ChallengeStatus.FAILED and challenge.fail_reason == "方案均未达到指标要求"
    assert app.status == ApplicationStatus.NOT_AWARDED
    note = Notification.objects.get(recipient=cast.researcher, title__contains="流榜")
    assert note.body == "方案均未达到指标要求"


def test_a_failed_application_keeps_no_plan_file(cast, challenge, media_root, monkeypatch):
    """The form and the API apply in one service call: when the save fails, the stored plan goes too."""
    from django.db import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("duplicate")

    monkeypatch.setattr(services, "record_created", clash)
    with pytest.raises(ValidationError, match="已揭过此榜"):
        services.apply(
            challenge, actor=cast.researcher, data=PLAN, plan=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF")
        )
    assert not challenge.applications.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))
