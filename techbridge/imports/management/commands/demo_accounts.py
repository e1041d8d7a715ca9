"""Create the demo accounts (idempotent) and print them with the shared demo password."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.accounts.models import User
from techbridge.core import audit
from techbridge.core.roles import Role
from techbridge.core.workflow import record_created, set_initial_state
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.taxonomy import vocab

from ...demo import DISCIPLINE_ORG_NOTE, NANJING_DISTRICTS, discipline_org_name
from ...owners import give_demo_credit_codes, unique_demo_credit_code
from ..table import format_table

# Printed on purpose: demo accounts only, and the command refuses to run in production.
DEMO_PASSWORD = "demo-2026!"

DEMO_NOTE = "演示数据：演示账号所属的虚拟单位，不是真实机构。"
RESEARCH_DISCIPLINE = "计算机科学与技术"
DEMO_ENTERPRISE = "示例·南京某集成电路设计企业"


@dataclass(frozen=True)
class OrgSpec:
    name: str
    kind: str
    district: str
    description: str = DEMO_NOTE


@dataclass(frozen=True)
class AccountSpec:
    username: str
    real_name: str
    role: str
    label: str
    org: OrgSpec
    superuser: bool = False


OPERATOR_ORG = OrgSpec("平台运营中心", OrgKind.OPERATOR, District.JIANYE)
GOVERNMENT_ORG = OrgSpec("市科技局（示例）", OrgKind.GOVERNMENT, District.JIANYE)
UNIVERSITY_ORG = OrgSpec(
    discipline_org_name(RESEARCH_DISCIPLINE),
    OrgKind.UNIVERSITY,
    NANJING_DISTRICTS[list(vocab.DISCIPLINES).index(RESEARCH_DISCIPLINE) % len(NANJING_DISTRICTS)],
    DISCIPLINE_ORG_NOTE,
)
ENTERPRISE_ORG = OrgSpec(DEMO_ENTERPRISE, OrgKind.ENTERPRISE, District.JIANGBEI)
SERVICE_ORG = OrgSpec("示例技术转移服务中心", OrgKind.SERVICE, District.XUANWU)

ACCOUNTS = [
    AccountSpec(
        "admin", "演示管理员", Role.OPERATOR, "超级管理员+平台运营 Superuser + operator", OPERATOR_ORG, True
    ),
    AccountSpec("operator", "演示运营", Role.OPERATOR, "平台运营 Operator", OPERATOR_ORG),
    AccountSpec("reviewer", "演示审核员", Role.REVIEWER, "平台审核员 Reviewer", OPERATOR_ORG),
    AccountSpec("official", "演示处长", Role.OFFICIAL, "部门官员 Department official", GOVERNMENT_ORG),
    AccountSpec("researcher", "演示研究员", Role.MEMBER, "科研人员 Researcher (member)", UNIVERSITY_ORG),
    AccountSpec(
        "tto_office",
        "演示技术转移办公室",
        Role.ORG_ADMIN,
        "技术转移办公室 TTO (org admin)",
        UNIVERSITY_ORG,
    ),
    AccountSpec(
        "enterprise", "演示企业管理员", Role.ORG_ADMIN, "企业管理员 Enterprise org admin", ENTERPRISE_ORG
    ),
    AccountSpec("broker", "演示技术经理人", Role.MEMBER, "技术经理人 Broker (member)", SERVICE_ORG),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts (admin, operator, reviewer, official, researcher, tto_office, enterprise, "
        "broker) and their demo organisations if missing, and print them with the shared demo password. "
        "Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="set the demo password again on existing demo accounts",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="create demo accounts even when TECHBRIDGE_ENV=production",
        )

    def handle(self, *args, **options) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                _("This is a production installation; demo accounts with a published password are refused.")
            )
        rows = []
        with transaction.atomic():
            orgs: dict[OrgSpec, Organization] = {}
            for spec in ACCOUNTS:
                if spec.org not in orgs:
                    orgs[spec.org] = ensure_org(spec.org)
                state = ensure_account(spec, orgs[spec.org], reset_password=options["reset_passwords"])
                password = DEMO_PASSWORD if state != "kept" else "（已改动 changed）"
                rows.append((spec.username, password, spec.label, orgs[spec.org].name, STATES[state]))
            # 认定登记 needs a credit code: demo organisations made before they were given one get theirs.
            coded = give_demo_credit_codes()
        if coded:
            self.stdout.write(f"示例单位补填统一社会信用代码 Demo organisations given a credit code: {coded}")
        self.stdout.write("演示账号 Demo accounts")
        self.stdout.write(
            format_table(
                ("用户名 Username", "密码 Password", "角色 Role", "单位 Organisation", "状态 Status"), rows
            )
        )
        self.stdout.write(self.style.SUCCESS(f"所有演示账号的密码 Shared demo password:  {DEMO_PASSWORD}"))
        if any(r[4] == STATES["kept"] for r in rows):
            self.stdout.write(
                self.style.WARNING(
                    "部分账号密码已被改动；用 --reset-passwords 恢复 (use --reset-passwords to reset)."
                )
            )


STATES = {
    "created": "新建 created",
    "exists": "已存在 exists",
    "updated": "已修正 updated",
    "reset": "已重置密码 password reset",
    "kept": "密码已改动 password changed",
}


def ensure_org(spec: OrgSpec) -> Organization:
    """The demo organisation of ``spec``: approved and marked demo; created (and audited) if missing."""
    org = Organization.objects.filter(name=spec.name, kind=spec.kind).first()
    if org is not None:
        return org
    org = Organization(
        name=spec.name,
        kind=spec.kind,
        credit_code=unique_demo_credit_code(spec.name, spec.kind, spec.district),
        district=spec.district,
        description=spec.description,
        is_demo=True,
    )
    set_initial_state(org, OrgStatus.APPROVED)
    org.full_clean()
    org.save()
    record_created(org, actor=None, action="organizations.organization.demo_created", data={"demo": True})
    return org


def ensure_account(spec: AccountSpec, org: Organization, *, reset_password: bool) -> str:
    """Create or repair one demo account.

    Returns created, exists, updated, reset, or kept (someone changed the password; left alone).
    """
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User(
            username=spec.username,
            real_name=spec.real_name,
            email=f"{spec.username}@demo.techbridge.local",
            role=spec.role,
            organization=org,
            is_superuser=spec.superuser,
            is_staff=spec.superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(user, "accounts.user.demo_created", data={"role": spec.role, "organization": org.pk})
        return "created"
    wanted = {"role": spec.role, "organization_id": org.pk, "is_active": True}
    if spec.superuser:
        wanted.update(is_superuser=True, is_staff=True)
    changed = [k for k, v in wanted.items() if getattr(user, k) != v]
    for key in changed:
        setattr(user, key, wanted[key])
    state = "updated" if changed else "exists"
    if reset_password:
        user.set_password(DEMO_PASSWORD)
        changed.append("password")
        state = "reset"
    elif not user.check_password(DEMO_PASSWORD):
        state = "kept"
    if changed:
        user.save()
        audit.record(
            user,
            "accounts.user.demo_updated",
            data={"fields": sorted(k.removesuffix("_id") for k in changed)},
        )
    return state
