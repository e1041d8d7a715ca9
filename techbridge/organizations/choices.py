"""Choices of the organisations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    SERVICE = "service", _("Service institution")
    INVESTOR = "investor", _("Investor")
    GOVERNMENT = "government", _("Government department")
    OPERATOR = "operator", _("Platform operator")


class District(models.TextChoices):
    XUANWU = "xuanwu", _("Xuanwu")
    QINHUAI = "qinhuai", _("Qinhuai")
    JIANYE = "jianye", _("Jianye")
    GULOU = "gulou", _("Gulou")
    PUKOU = "pukou", _("Pukou")
    QIXIA = "qixia", _("Qixia")
    YUHUATAI = "yuhuatai", _("Yuhuatai")
    JIANGNING = "jiangning", _("Jiangning")
    LUHE = "luhe", _("Luhe")
    LISHUI = "lishui", _("Lishui")
    GAOCHUN = "gaochun", _("Gaochun")
    JIANGBEI = "jiangbei", _("Jiangbei New Area")
    HIGHTECH = "hightech", _("Nanjing High-tech Zone")
    OUTSIDE = "outside", _("Outside Nanjing")


class OrgStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


ORG_TRANSITIONS: dict[str, set[str]] = {
    OrgStatus.PENDING: {OrgStatus.APPROVED, OrgStatus.REJECTED},
    OrgStatus.REJECTED: {OrgStatus.PENDING},
    OrgStatus.APPROVED: {OrgStatus.SUSPENDED},
    OrgStatus.SUSPENDED: {OrgStatus.APPROVED},
}


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the organisation's decision")
    APPROVED = "approved", _("Accepted")
    REJECTED = "rejected", _("Declined")
    CANCELLED = "cancelled", _("Withdrawn by the applicant")


MEMBERSHIP_TRANSITIONS: dict[str, set[str]] = {
    MembershipStatus.PENDING: {
        MembershipStatus.APPROVED,
        MembershipStatus.REJECTED,
        MembershipStatus.CANCELLED,
    },
}
