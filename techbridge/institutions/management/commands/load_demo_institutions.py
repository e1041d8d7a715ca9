"""List the demo service organisations as demo institutions (idempotent), and score the quarter.

    python manage.py load_demo_institutions

Runs after ``load_demo`` and ``demo_accounts`` (``make demo``). Every demo organisation of kind service
(``is_demo``) becomes a listed institution tagged as demo data; to show a directory of more than one,
four more demo service organisations are created with the same demo note. Their profiles are written
for demonstration. The demo broker's institution declares a municipal demonstration designation
(示例 certificate) that the demo reviewer verifies, and the demo enterprise rates its brokering on the
performed demo contract of ``load_demo_deals`` (run that first) — both through the services. No
self-report or credit event is invented; the scores are computed from the platform's (demo) records.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.imports.owners import unique_demo_credit_code
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.taxonomy.models import IndustryField

from ...choices import InstitutionStatus
from ...models import Institution, InstitutionService
from ...scoring import Quarter
from ...services import compute_quarter, recompute_credit_grade

DEMO_NOTE = "演示数据：为演示平台功能编写的服务机构简介，不是真实机构，其评分仅由平台上的演示记录计算。"

# Extra demo service organisations: (name, district, services, fields, staff, summary).
EXTRA = [
    (
        "示例·江北新区技术转移服务中心",
        District.JIANGBEI,
        ("transfer", "incubation", "finance"),
        ("ic", "life-health"),
        18,
        "面向江北新区集成电路和生命健康产业，提供技术经纪、成果孵化和科技金融对接服务。",
    ),
    (
        "示例·高新区知识产权运营中心",
        District.HIGHTECH,
        ("ip", "legal", "valuation"),
        ("software", "iot"),
        12,
        "提供专利导航、高价值专利培育、知识产权评估与维权援助服务。",
    ),
    (
        "示例·鼓楼高校技术转移中心",
        District.GULOU,
        ("transfer", "valuation"),
        ("materials", "environment"),
        9,
        "高校科技成果披露、评估和许可转让的一站式服务，协助科研人员办理赋权与作价投资。",
    ),
    (
        "示例·江宁检验检测与中试服务平台",
        District.JIANGNING,
        ("testing", "transfer"),
        ("manufacturing", "nev"),
        25,
        "为成果转化项目提供检验检测、中试熟化和工艺放大服务。",
    ),
]
DEFAULT_PROFILE = (("transfer", "ip"), ("ic", "nev"), 10, "技术转移与知识产权运营综合服务。")


class Command(BaseCommand):
    help = (
        "List the demo service organisations as demo institutions and score the current quarter (idempotent)."
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
        created = 0
        with transaction.atomic():
            for name, district, *_profile in EXTRA:
                Organization.objects.get_or_create(
                    name=name,
                    kind=OrgKind.SERVICE,
                    defaults={
                        "credit_code": unique_demo_credit_code(name, OrgKind.SERVICE, district),
                        "district": district,
                        "status": OrgStatus.APPROVED,
                        "is_demo": True,
                        "description": DEMO_NOTE,
                    },
                )
            profiles = {e[0]: e[2:] for e in EXTRA}
            for org in Organization.objects.filter(
                kind=OrgKind.SERVICE, is_demo=True, status=OrgStatus.APPROVED
            ):
                if Institution.objects.filter(organization=org).exists():
                    continue
                services, fields, staff, summary = profiles.get(org.name, DEFAULT_PROFILE)
                now = timezone.now()
                inst = Institution.objects.create(
                    organization=org,
                    summary=f"{summary}\n\n{DEMO_NOTE}",
                    staff_count=staff,
                    contact_name="演示联系人",
                    contact_phone="025-00000000",
                    status=InstitutionStatus.APPROVED,
                    submitted_at=now,
                    reviewed_at=now,
                    listed_at=now,
                    is_demo=True,
                )
                InstitutionService.objects.bulk_create(
                    InstitutionService(institution=inst, code=c) for c in services
                )
                inst.fields.set(IndustryField.objects.filter(code__in=fields))
                audit.record(
                    inst,
                    "institutions.institution.listed",
                    actor=None,
                    to_state=inst.status,
                    message=DEMO_NOTE,
                )
                recompute_credit_grade(inst, reason=_("Listed in the directory"))
                created += 1
            extras = demo_designation_and_rating()
        result = compute_quarter(Quarter.of(timezone.localdate()))
        self.stdout.write(
            self.style.SUCCESS(
                _("%(created)s demo institutions listed; %(scored)s scores computed for this quarter.")
                % {"created": created, "scored": result["created"]}
            )
        )
        if extras:
            self.stdout.write("、".join(extras))


def demo_designation_and_rating() -> list[str]:
    """The demo broker's institution: a verified demo designation and a rating on the performed demo
    contract (idempotent; skipped when the demo accounts or the demo deal are missing)."""
    from techbridge.accounts.models import User
    from techbridge.contracts.choices import ContractStatus
    from techbridge.contracts.models import Contract

    from ...choices import DemonstrationLevel
    from ...models import Designation, Rating
    from ...services.designations import declare_designation, verify_designation
    from ...services.ratings import rate_service

    users = {u.username: u for u in User.objects.filter(username__in=("broker", "reviewer", "enterprise"))}
    if len(users) != 3:
        return []
    broker_org = users["broker"].organization
    institution = Institution.objects.filter(organization=broker_org).first() if broker_org else None
    if institution is None:
        return []
    done = []
    if not Designation.objects.filter(institution=institution, certificate_number=DEMO_CERTIFICATE).exists():
        today = timezone.localdate()
        designation = declare_designation(
            institution,
            actor=users["broker"],
            level=DemonstrationLevel.MUNICIPAL,
            designated_on=today.replace(month=1, day=15),
            certificate_number=DEMO_CERTIFICATE,
            issued_by="南京市科学技术局（示例）",
        )
        verify_designation(designation, actor=users["reviewer"], accept=True, note=DEMO_NOTE[:200])
        done.append("示范机构认定（演示）")
    contract = Contract.objects.filter(
        status=ContractStatus.PERFORMED,
        buyer_id=users["enterprise"].organization_id,
        offers__room__origin_ref="demo:performed-service-contract",
    ).first()
    if (
        contract is not None
        and not Rating.objects.filter(contract=contract, institution=institution).exists()
    ):
        rate_service(
            contract,
            actor=users["enterprise"],
            institution=institution,
            score=5,
            comment="技术经理人帮助我们把测试需求梳理清楚，沟通及时。（演示评价）",
        )
        done.append("服务评价（演示）")
    return done


DEMO_CERTIFICATE = "示例-宁科示范-001"
