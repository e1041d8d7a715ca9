"""The challenges' pages: the public list and detail, publishing with the form (万元), applying with a plan
(team, schedule, PDF), sealed applications on the publisher's page, the panel's refusal by name, the
expert's scoring page, the award's contract link, and "my work"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from techbridge.challenges.choices import ChallengeStatus
from techbridge.challenges.models import Application, Challenge
from techbridge.testing.factories.challenges import close_applications, make_application, make_challenge, seat
from techbridge.testing.factories.talent import ExpertFactory
from techbridge.testing.pages import card

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_open_and_awarded_challenges_with_filters(client, cast):
    make_challenge(cast, title="开放的榜单")
    make_challenge(cast, title="已揭榜的榜单", status=ChallengeStatus.AWARDED)
    make_challenge(cast, title="草稿榜单", status=ChallengeStatus.DRAFT)
    page = client.get(reverse("challenges:list")).content.decode()
    assert "揭榜挂帅" in page and "草稿榜单" not in page
    assert "揭榜中" in card(page, "开放的榜单") and "已揭榜" in card(page, "已揭榜的榜单")
    assert "预算或奖金 50 万元" in card(page, "开放的榜单")
    awarded = client.get(reverse("challenges:list"), {"status": "awarded"}).content.decode()
    assert "已揭榜的榜单" in awarded and "开放的榜单" not in awarded


def test_an_enterprise_publishes_with_the_form_in_wan_yuan(client, cast):
    client.force_login(cast.buyer)
    deadline = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        reverse("challenges:create"),
        {
            "title": "氢燃料电池双极板寿命提升",
            "problem": "寿命不足 5000 小时。",
            "indicators_text": "寿命 ≥ 8000 小时\n\n成本下降 20%",
            "budget": "120",
            "deadline": deadline,
            "district": "jiangning",
        },
        follow=True,
    )
    c = Challenge.objects.get()
    assert (c.budget, c.indicators, c.status) == (
        Decimal("1200000.00"),
        ["寿命 ≥ 8000 小时", "成本下降 20%"],
        "draft",
    )
    assert "榜单已保存为草稿" in r.content.decode()
    r = client.post(reverse("challenges:submit", args=[c.pk]), follow=True)
    assert "榜单已提交平台审核" in r.content.decode()
    bad = client.post(reverse("challenges:create"), {"title": "x", "problem": "y", "indicators_text": "z",
                                                     "deadline": "2020-01-01T00:00"})  # fmt: skip
    assert "揭榜截止时间必须晚于当前时间" in bad.content.decode() and Challenge.objects.count() == 1


def test_a_team_applies_with_a_plan_and_the_application_stays_sealed(client, cast, challenge, media_root):
    client.force_login(cast.researcher)
    r = client.post(
        reverse("challenges:apply", args=[challenge.pk]),
        {
            "summary": "双面散热",
            "approach": "银烧结工艺",
            "team_text": "李研究, 项目负责人\n王工，工艺",
            "schedule_text": "样品交付, 2027-03-31\n小批量试产",
            "price": "45",
            "plan": SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf"),
        },
        follow=True,
    )
    app = Application.objects.get()
    assert app.team == [{"name": "李研究", "role": "项目负责人"}, {"name": "王工", "role": "工艺"}]
    assert app.schedule == [{"title": "样品交付", "due": "2027-03-31"}, {"title": "小批量试产", "due": ""}]
    assert app.price == Decimal("450000.00") and app.plan
    assert "贵单位已揭榜（已提交）" in r.content.decode()

    client.force_login(cast.buyer)
    sealed = client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    assert "揭榜申请在截止时间前密封" in sealed and "双面散热" not in sealed
    close_applications(challenge)
    opened = client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    assert "双面散热" in opened and "示范大学" in opened
    assert client.get(reverse("challenges:application-plan", args=[app.pk])).status_code == 200


def test_the_publishers_own_team_is_told_why_it_cannot_apply(client, cast, challenge):
    client.force_login(cast.buyer)
    r = client.get(reverse("challenges:apply", args=[challenge.pk]))
    assert r.status_code == 403 and "发榜单位本身不能揭自己的榜" in r.content.decode()


def test_the_panel_page_refuses_a_conflicted_expert_by_name(client, cast, challenge, expert):
    make_application(challenge, cast.university, cast.researcher)
    close_applications(challenge)
    conflicted = ExpertFactory(user__organization=cast.enterprise, user__real_name="企业专家", fields=("ic",))
    client.force_login(cast.operator)
    url = reverse("challenges_console:panel", args=[challenge.pk])
    r = client.post(url, {"experts": f"#{conflicted.pk} 企业专家"})
    assert "企业专家 是发榜单位 示范企业有限公司 的人员" in r.content.decode()
    r = client.post(url, {"experts": f"#{expert.pk} 钱评审"}, follow=True)
    assert "专家组已保存" in r.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.REVIEWING


def test_an_expert_scores_and_the_publisher_awards_then_opens_the_contract(client, cast, challenge, expert):
    app = make_application(challenge, cast.university, cast.researcher)
    close_applications(challenge, ChallengeStatus.REVIEWING)
    seat(challenge, expert)
    client.force_login(expert.user)
    review = client.get(reverse("challenges:review", args=[challenge.pk])).content.decode()
    assert "结温降低 ≥ 15℃" in review
    r = client.post(
        reverse("challenges:application-score", args=[app.pk]),
        {f"a{app.pk}-s0": "90", f"a{app.pk}-s1": "80", f"a{app.pk}-comment": "可行"},
        follow=True,
    )
    assert "您的评分已保存" in r.content.decode() and "您的平均分：85.00" in r.content.decode()

    client.force_login(cast.buyer)
    r = client.post(reverse("challenges:award", args=[challenge.pk]), {"application": app.pk}, follow=True)
    page = r.content.decode()
    assert "已确定中榜者" in page and 'id="contract-link"' in page
    challenge.refresh_from_db()
    contract_page = client.get(reverse("contracts:detail", args=[challenge.contract_id]))
    assert (
        contract_page.status_code == 200 and f"揭榜挂帅：{challenge.title}" in contract_page.content.decode()
    )


def test_my_work_lists_what_each_role_does(client, cast, challenge, expert):
    make_application(challenge, cast.university, cast.researcher)
    other = close_applications(make_challenge(cast, title="评审中的榜单"), ChallengeStatus.REVIEWING)
    seat(other, expert)
    client.force_login(cast.buyer)
    assert "本单位发布的榜单" in client.get(reverse("portal:mine")).content.decode()
    client.force_login(cast.researcher)
    assert "本单位的揭榜申请" in client.get(reverse("portal:mine")).content.decode()
    client.force_login(expert.user)
    assert "待我评审的榜单" in client.get(reverse("portal:mine")).content.decode()
