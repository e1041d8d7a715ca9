"""Two 揭榜挂帅 challenges built from the demo enterprise's sample demands (idempotent), so the challenge
pages of ``make demo`` are not empty: one open for applications, one awarded with its draft contract.

    python manage.py load_demo_challenges

Runs after ``load_demo``, ``demo_accounts`` and ``load_demo_talent``. The demo enterprise publishes each
challenge from one of its published demo demands (``data/demo/sample_demands.jsonl``, written by the
platform team): the title, problem, setting and indicators are the demand's own; the budget is the upper
bound of the demand's own budget range, or empty when the demand is 面议 — no figure is invented. The demo
university applies to both (the plans are written for the demo and titled 示例); the awarded one is
closed by its publisher, reviewed by two conflict-free experts of the demo expert pool and awarded, so
its draft contract (origin 平台揭榜挂帅) and milestones show. Every step goes through the services, and
every challenge is tagged as demo data (示例数据).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.workflow import ReviewStatus
from techbridge.demands.models import Demand
from techbridge.talent.panels import eligible_experts

from ... import services
from ...models import Challenge

USERS = ("enterprise", "reviewer", "operator", "researcher")
MAX_TEXT = 5000


def indicators_of(demand: Demand) -> list[str]:
    parts = [p.strip(" 。.") for p in re.split(r"[；;\n]", demand.indicators or "") if p.strip(" 。.")]
    return [p[:200] for p in parts[:10]] or [demand.title[:200]]


def challenge_data(demand: Demand) -> dict[str, Any]:
    problem = demand.problem
    if demand.setting:
        problem = f"{problem}\n\n应用场景：{demand.setting}"
    budget = None if demand.budget_negotiable else (demand.budget_max or demand.budget_min)
    deadline = timezone.now() + dt.timedelta(days=30)
    if demand.deadline and demand.deadline > timezone.localdate() + dt.timedelta(days=7):
        deadline = timezone.make_aware(dt.datetime.combine(demand.deadline, dt.time(17, 0)))
    return {
        "title": demand.title[:200],
        "problem": problem[:MAX_TEXT],
        "indicators": indicators_of(demand),
        "budget": budget,
        "deadline": deadline,
        "eligibility": "高校、科研院所或企业研发团队（示例数据）。",
        "field": demand.fields.order_by("order", "pk").first(),
        "district": demand.enterprise.district,
    }


def plan_of(demand: Demand) -> dict[str, Any]:
    """The demo university's plan (written for the demo); its price is the demand's own lower budget."""
    return {
        "summary": f"示例揭榜方案：针对“{demand.title}”，分阶段完成方案设计、样品验证和交付。",
        "approach": "示例数据。第一阶段调研现状并完成技术方案与仿真；第二阶段完成样品或原型并按榜单指标测试；"
        "第三阶段完成交付、文档和培训。",
        "team": [
            {"name": "演示研究员", "role": "项目负责人"},
            {"name": "演示技术转移办公室", "role": "项目管理"},
        ],
        "schedule": [
            {
                "title": "技术方案与仿真报告",
                "due": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
            },
            {
                "title": "样品测试达到榜单指标",
                "due": (timezone.localdate() + dt.timedelta(days=240)).isoformat(),
            },
        ],
        "price": demand.budget_min or demand.budget_max,
    }


class Command(BaseCommand):
    help = (
        "Publish two demo challenges from the demo enterprise's demands: one open, one awarded (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production", action="store_true", help="run even when TECHBRIDGE_ENV=production"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not opts["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
        missing = sorted(set(USERS) - set(users))
        if missing:
            raise CommandError(f"Run demo_accounts first (missing: {', '.join(missing)}).")
        enterprise = users["enterprise"]
        demands = list(
            Demand.objects.filter(
                enterprise=enterprise.organization,
                status=ReviewStatus.PUBLISHED,
                is_demo=True,
                budget_negotiable=False,
                budget_min__isnull=False,
            ).order_by("external_id", "pk")[:2]
        )
        if len(demands) < 2:
            raise CommandError("Run load_demo first: the demo enterprise has too few published demands.")
        made = 0
        for demand, awarded in zip(demands, (False, True), strict=True):
            if Challenge.objects.filter(source_demand=demand, is_demo=True).exists():
                continue
            with transaction.atomic():
                self._challenge(users, demand, awarded=awarded)
            made += 1
        self.stdout.write(f"演示揭榜挂帅榜单：新建 {made} 个，已有 {len(demands) - made} 个。")

    def _challenge(self, users: dict[str, Any], demand: Demand, *, awarded: bool) -> Challenge:
        enterprise, researcher = users["enterprise"], users["researcher"]
        challenge = services.create_challenge(actor=enterprise, data=challenge_data(demand), is_demo=True)
        Challenge.objects.filter(pk=challenge.pk).update(source_demand=demand)
        services.submit(challenge, actor=enterprise)
        services.approve(challenge, actor=users["reviewer"])
        application = services.apply(challenge, actor=researcher, data=plan_of(demand))
        if not awarded:
            return challenge
        services.close(challenge, actor=enterprise)
        experts = eligible_experts(
            fields=[challenge.field_id] if challenge.field_id else [],
            exclude_organizations={challenge.organization_id, application.organization_id},
        )[:2]
        if not experts:
            raise CommandError("Run load_demo_talent first: no conflict-free demo expert for the panel.")
        services.set_panel(challenge, actor=users["operator"], experts=experts)
        for expert, values in zip(experts, ([86] * 10, [82] * 10), strict=False):
            services.score(
                application,
                actor=expert.user,
                values=values[: len(challenge.indicators)],
                comment="示例评审意见：方案可行，进度安排合理。",
            )
        services.award(challenge, actor=enterprise, application=application)
        return challenge
