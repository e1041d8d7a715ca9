"""Demo innovation carriers, an enterprise designation, an alliance and a typical case (idempotent), so
the carriers pages of ``make demo`` are not empty.

    python manage.py load_demo_carriers

Runs after ``load_demo`` and ``demo_accounts`` (``make demo``). Everything is written for demonstration,
named 示例·…, tagged as demo data (``is_demo``, shown as 示例数据) and created through the services: the
demo operator registers and approves the carriers, records the designation, registers the alliance and
publishes the case; the demo carriers' admissions are recorded as their operators would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.imports.owners import unique_demo_credit_code
from techbridge.organizations.choices import District, OrgKind
from techbridge.taxonomy.models import IndustryField

from ...choices import CarrierKind, CaseCategory, DesignationKind, Level, MemberRole
from ...models import Alliance, Carrier, Designation, TypicalCase
from ...services import (
    add_member,
    admit_firm,
    approve_carrier,
    create_case,
    publish_case,
    record_designation,
    register_alliance,
    register_carrier,
    submit_carrier,
)

DEMO_NOTE = "演示数据：为演示创新载体功能编写，不是真实的载体、认定或案例。"

# (name, kind, level, district, space m², services, fields, operator: "service" | "university")
CARRIERS = [
    (
        "示例·江北新区集成电路科技企业孵化器",
        CarrierKind.INCUBATOR,
        Level.MUNICIPAL,
        District.JIANGBEI,
        "12000",
        "EDA 工具与流片补贴对接、封测中试、投融资路演、知识产权托管。",
        ("ic",),
        "service",
    ),
    (
        "示例·鼓楼高校大学科技园",
        CarrierKind.SCIENCE_PARK,
        Level.PROVINCIAL,
        District.GULOU,
        "30000",
        "高校成果披露与概念验证、师生创业辅导、专利许可与作价投资服务。",
        ("software", "materials"),
        "university",
    ),
    (
        "示例·江宁新型研发机构（智能制造）",
        CarrierKind.RD_INSTITUTION,
        Level.NONE,
        District.JIANGNING,
        "8000",
        "面向装备制造企业的共性技术研发、中试熟化与工程化服务。",
        ("manufacturing",),
        "university",
    ),
]
FIRMS = [("示例·南京芯测科技有限公司", "ic", 400), ("示例·南京微纳传感技术有限公司", "ic", 200)]
ALLIANCE = "示例·南京集成电路产学研协同创新联盟"
CASE = "示例·高校课题组与集成电路设计企业的委托开发合作"
CASE_SUMMARY = (
    "企业在平台上发现高校的研究成果，经保密协议、两轮报价后签订委托开发合同，并完成技术合同认定登记。"
)
CASE_BODY = (
    "企业研发负责人在成果库检索到课题组的研究成果后发起洽谈；双方在洽谈室签署保密协议，"
    "查看了成果详情与附件。企业先报价 30 万元，课题组提出含一轮中试验证的 38 万元方案，"
    "企业接受后平台自动生成合同草稿，双方在线签署，高校提交认定登记，登记机构核定技术交易额。"
)
USERS = ("operator", "researcher", "enterprise", "broker")


class Command(BaseCommand):
    help = "Create demo carriers, a designation, an alliance and a typical case (idempotent)."

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
        if len(users) != len(USERS):
            raise CommandError("Run demo_accounts first.")
        operator = users["operator"]
        university = users["researcher"].organization
        enterprise = users["enterprise"].organization
        service = users["broker"].organization
        if university is None or enterprise is None or service is None:
            raise CommandError("Run demo_accounts first: the demo accounts have no organisation.")
        today = timezone.localdate()
        made = []
        with transaction.atomic():
            for name, kind, level, district, space, services, fields, runner in CARRIERS:
                if Carrier.objects.filter(name=name).exists():
                    continue
                carrier = register_carrier(
                    actor=operator,
                    data={
                        "name": name,
                        "kind": kind,
                        "level": level,
                        "recognised_on": dt.date(today.year - 2, 6, 30) if level != Level.NONE else None,
                        "recognised_by": "南京市科学技术局（示例）" if level != Level.NONE else "",
                        "district": district,
                        "space_m2": space,
                        "services": services,
                        "description": f"{services}\n\n{DEMO_NOTE}",
                        "contact_name": "演示联系人",
                        "contact_phone": "025-00000000",
                    },
                    fields=IndustryField.objects.filter(code__in=fields),
                    operator=service if runner == "service" else university,
                    is_demo=True,
                )
                submit_carrier(carrier, actor=operator)
                approve_carrier(carrier, actor=operator)
                if kind == CarrierKind.INCUBATOR:
                    for firm, field, days in FIRMS:
                        admit_firm(
                            carrier,
                            actor=operator,
                            data={
                                "name": firm,
                                "credit_code": unique_demo_credit_code(firm, OrgKind.ENTERPRISE, district)
                                or "",
                                "field": IndustryField.objects.filter(code=field).first(),
                                "entered_on": today - dt.timedelta(days=days),
                                "note": DEMO_NOTE,
                            },
                        )
                    admit_firm(
                        carrier,
                        actor=operator,
                        data={"organization": enterprise, "entered_on": today - dt.timedelta(days=600)},
                    )
                made.append(name)
            if not Designation.objects.filter(organization=enterprise, is_demo=True).exists():
                record_designation(
                    enterprise,
                    actor=operator,
                    data={
                        "kind": DesignationKind.HIGH_TECH,
                        "year": today.year - 1,
                        "granted_on": dt.date(today.year - 1, 11, 20),
                        "issuer": "江苏省高新技术企业认定管理工作协调小组（示例）",
                        "certificate_no": "GR-DEMO-0001",
                        "evidence": DEMO_NOTE,
                    },
                    is_demo=True,
                )
                made.append(_("designation"))
            if not Alliance.objects.filter(name=ALLIANCE).exists():
                alliance = register_alliance(
                    actor=operator,
                    lead=university,
                    data={
                        "name": ALLIANCE,
                        "founded_on": dt.date(today.year - 1, 3, 15),
                        "description": "高校、集成电路设计企业与技术转移机构共建的产学研协同创新联盟，"
                        f"定期发布共性技术需求并组织联合攻关。\n\n{DEMO_NOTE}",
                        "district": District.JIANGBEI,
                    },
                    fields=IndustryField.objects.filter(code="ic"),
                    is_demo=True,
                )
                joined = dt.date(today.year - 1, 3, 15)
                add_member(
                    alliance,
                    actor=operator,
                    organization=enterprise,
                    role=MemberRole.VICE_CHAIR,
                    joined_on=joined,
                )
                add_member(
                    alliance, actor=operator, organization=service, role=MemberRole.MEMBER, joined_on=joined
                )
                made.append(ALLIANCE)
            if not TypicalCase.objects.filter(title=CASE).exists():
                case = create_case(
                    actor=operator,
                    data={
                        "title": CASE,
                        "category": CaseCategory.JOINT_RD,
                        "summary": CASE_SUMMARY,
                        "body": f"{CASE_BODY}\n\n{DEMO_NOTE}",
                        "year": today.year,
                        "district": District.JIANGBEI,
                    },
                    organizations=[university, enterprise],
                    fields=IndustryField.objects.filter(code="ic"),
                    is_demo=True,
                )
                publish_case(case, actor=operator)
                made.append(CASE)
        self.stdout.write(f"演示创新载体、认定、联盟与案例：新建 {len(made)} 项。")
