"""The fixed cast every test can use. Who may see what:

- ``researcher``: member of 示范大学 (university, approved); authors its achievements, sees its drafts.
- ``univ_admin``: organisation admin of the same university; may edit any of its listings.
- ``buyer``: member of 示范企业 (enterprise, approved); publishes demands; sees NDA detail
  only after accepting.
- ``broker``: member of a service institution (technology manager); sees only what is public.
- ``reviewer``: platform reviewer; reviews and sees every listing and its detail, edits no content.
- ``operator``: platform operator; reviews, approves organisations, may withdraw any listing.
- ``official``: department official; reads the console, does not review.
- ``outsider``: signed-in user without an organisation; sees only what is public.
- ``stranger``: member of another approved university (另一大学); a peer of the researcher who must not
  see or change 示范大学's drafts, rooms or contracts.

``ROLES`` names them in the order the permission matrix (``techbridge.testing.access``) checks them,
with ``anonymous`` (no user) first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from techbridge.accounts.models import User
from techbridge.core.roles import Role
from techbridge.organizations.choices import District, OrgKind, OrgStatus
from techbridge.organizations.models import Organization

PASSWORD = "Test-pass-2026"


@dataclass
class Cast:
    university: Organization
    enterprise: Organization
    service: Organization
    platform: Organization
    department: Organization
    other_university: Organization
    researcher: User
    univ_admin: User
    buyer: User
    broker: User
    reviewer: User
    operator: User
    official: User
    outsider: User
    stranger: User

    def user(self, role: str) -> User | None:
        """The user who plays ``role`` (one of ``ROLES``); ``None`` for ``anonymous``."""
        return None if role == "anonymous" else getattr(self, role)


ROLES = (
    "anonymous",
    "researcher",
    "univ_admin",
    "buyer",
    "broker",
    "reviewer",
    "operator",
    "official",
    "outsider",
    "stranger",
)


def _org(name: str, kind: str, code: str, district: str) -> Organization:
    return Organization.objects.create(
        name=name, kind=kind, credit_code=code, district=district, status=OrgStatus.APPROVED
    )


def _user(username: str, org: Organization | None, role: str, **extra: Any) -> User:
    user = User(username=username, organization=org, role=role, email=f"{username}@example.cn", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_cast() -> Cast:
    """Create the cast in the current test database."""
    from techbridge.lib.credit_code import check_character

    def code(body: str) -> str:
        return body + check_character(body)

    university = _org("示范大学", OrgKind.UNIVERSITY, code("12320000466007212"), District.GULOU)
    enterprise = _org("示范企业有限公司", OrgKind.ENTERPRISE, code("91320115MA1MXXXX0"), District.JIANGNING)
    service = _org("示范技术转移中心", OrgKind.SERVICE, code("91320102MA1N00001"), District.XUANWU)
    platform = _org("平台运营中心", OrgKind.OPERATOR, code("91320105MA1P00002"), District.JIANYE)
    department = _org("市科技局", OrgKind.GOVERNMENT, code("11320100014100003"), District.JIANYE)
    other_university = _org("另一大学", OrgKind.UNIVERSITY, code("12320000466007999"), District.QIXIA)
    return Cast(
        university=university,
        enterprise=enterprise,
        service=service,
        platform=platform,
        department=department,
        other_university=other_university,
        researcher=_user("researcher", university, Role.MEMBER, real_name="李研究"),
        univ_admin=_user("univ_admin", university, Role.ORG_ADMIN, real_name="王管理"),
        buyer=_user("buyer", enterprise, Role.MEMBER, real_name="张采购"),
        broker=_user("broker", service, Role.MEMBER, real_name="赵经理"),
        reviewer=_user("reviewer", platform, Role.REVIEWER, real_name="陈审核"),
        operator=_user("operator", platform, Role.OPERATOR, real_name="刘运营"),
        official=_user("official", department, Role.OFFICIAL, real_name="周处长"),
        outsider=_user("outsider", None, Role.MEMBER),
        stranger=_user("stranger", other_university, Role.MEMBER, real_name="孙同行"),
    )
