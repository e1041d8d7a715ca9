"""Demo records of the talent app (idempotent): the demo broker's technology-manager profile, and a
demo training base with a course and an open session.

    python manage.py load_demo_talent

Runs after ``demo_accounts`` and ``load_demo_institutions`` (``make demo``). Everything is tagged as demo
data. The expert pool gets eight demo experts (accounts without a password, members of the demo
universities and institutes, their titles marked 示例专家), added by the demo operator through the
pool's service, so valuation panels can be drawn conflict-free from the first hour. No certificate,
register entry or secondment is invented: the plan's figures start at zero and move only with real
(or clearly demo) activity — e.g. when the demo broker completes the demo course.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.accounts.models import User
from techbridge.institutions.queries import institution_of_org
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from ...choices import ManagerStatus
from ...models import Course, TechnologyManager, TrainingBase, TrainingSession

BASE_NAME = "示例·南京技术转移人才培养基地"
DEMO_NOTE = "演示数据：为演示培训功能而设的基地和课程，不是真实的培训安排。"


class Command(BaseCommand):
    help = "Create the demo technology manager and a demo training session (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production", action="store_true", help="run even when TECHBRIDGE_ENV=production"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not opts["allow_production"]:
            raise CommandError(
                _("This is a production installation; add --allow-production to load demo data.")
            )
        done = []
        with transaction.atomic():
            broker = User.objects.filter(username="broker", organization__is_demo=True).first()
            if broker is not None and not TechnologyManager.objects.filter(user=broker).exists():
                m = TechnologyManager.objects.create(
                    user=broker,
                    level="intermediate",
                    institution=institution_of_org(broker.organization_id),
                    bio=DEMO_NOTE.replace("培训功能而设的基地和课程", "技术经理人功能而设的账号"),
                    status=ManagerStatus.APPROVED,
                    reviewed_at=timezone.now(),
                    is_demo=True,
                )
                m.fields.set(IndustryField.objects.filter(code__in=["ic", "nev"]))
                done.append(_("demo technology manager"))
            host = Organization.objects.filter(is_demo=True, kind="university").order_by("pk").first()
            if host is not None and not TrainingBase.objects.filter(name=BASE_NAME).exists():
                base = TrainingBase.objects.create(
                    name=BASE_NAME, host=host, description=DEMO_NOTE, is_demo=True
                )
                course = Course.objects.create(
                    base=base,
                    code="DEMO-TT-101",
                    title="技术经纪实务（示例课程）",
                    description=f"技术转移政策、成果评估、谈判与合同、技术合同认定登记。\n\n{DEMO_NOTE}",
                    hours=32,
                    has_exam=True,
                    pass_mark=60,
                    is_demo=True,
                )
                today = timezone.localdate()
                TrainingSession.objects.create(
                    course=course,
                    starts_on=today + dt.timedelta(days=14),
                    ends_on=today + dt.timedelta(days=17),
                    registration_closes=today + dt.timedelta(days=10),
                    location="南京市（示例）",
                    capacity=40,
                )
                done.append(_("demo training base, course and session"))
            experts = demo_experts()
            if experts:
                done.append(_("%(n)s demo experts for the expert pool") % {"n": experts})
        self.stdout.write(
            self.style.SUCCESS(_("Created: %(what)s.") % {"what": "、".join(map(str, done)) or "–"})
        )


# (name, title, field codes, experience)
EXPERTS = [
    ("演示专家·陈", "教授（示例专家）", ["ic"], "集成电路设计与验证，参与多项芯片设计成果的评估。"),
    ("演示专家·林", "研究员（示例专家）", ["materials"], "先进功能材料制备与产业化，熟悉中试放大。"),
    (
        "演示专家·王",
        "教授级高工（示例专家）",
        ["manufacturing"],
        "智能制造装备与工业软件，长期从事技术评估。",
    ),
    ("演示专家·赵", "副教授（示例专家）", ["software"], "软件工程与数据分析，熟悉软件著作权评估。"),
    ("演示专家·周", "研究员（示例专家）", ["life-health"], "生物医药研发与临床转化评价。"),
    ("演示专家·吴", "高级工程师（示例专家）", ["nev"], "新能源汽车动力电池与电驱系统。"),
    ("演示专家·郑", "教授（示例专家）", ["environment"], "环境工程与节能减排技术评估。"),
    ("演示专家·孙", "高级经济师（示例专家）", ["ic", "software"], "技术交易定价与无形资产评估。"),
]


def demo_experts() -> int:
    """The demo expert pool: accounts in the demo universities and institutes (no password: they do
    not sign in), added by the demo operator through ``save_expert``. Idempotent; returns how many
    experts were added."""
    from techbridge.core import audit
    from techbridge.core.roles import Role

    from ...models import Expert
    from ...services import save_expert

    operator = User.objects.filter(username="operator").first()
    hosts = list(
        Organization.objects.filter(
            is_demo=True, kind__in=("university", "institute"), status="approved"
        ).order_by("pk")[: len(EXPERTS)]
    )
    if operator is None or not hosts:
        return 0
    added = 0
    for i, (name, title, fields, bio) in enumerate(EXPERTS):
        username = f"demo_expert_{i + 1}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                real_name=name,
                email=f"{username}@demo.techbridge.local",
                role=Role.MEMBER,
                organization=hosts[i % len(hosts)],
            )
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
            audit.record(user, "accounts.user.demo_created", data={"role": Role.MEMBER, "expert": True})
        if Expert.objects.filter(user=user).exists():
            continue
        save_expert(
            actor=operator,
            user=user,
            fields=list(IndustryField.objects.filter(code__in=fields)),
            title=title,
            bio=f"{bio}\n\n{DEMO_NOTE_EXPERT}",
        )
        added += 1
    return added


DEMO_NOTE_EXPERT = "演示数据：为演示专家库与评估专家组功能而设的专家，不是真实人员。"
