"""Choices of carriers and enterprises: kinds, levels, statuses and the allowed moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CarrierKind(models.TextChoices):
    """The kinds of innovation carrier the action plan names (tasks 6–8, 12)."""

    RD_INSTITUTION = "rd_institution", _("New R&D institution")
    SCIENCE_PARK = "science_park", _("University science park")
    MAKER_SPACE = "maker_space", _("Maker space")
    NURSERY = "nursery", _("Start-up nursery")
    INCUBATOR = "incubator", _("Technology business incubator")
    ACCELERATOR = "accelerator", _("Accelerator")
    STAR_SPACE = "star_space", _("Rural maker space (Star Innovation Space)")
    COLLAB_BASE = "collab_base", _("Collaborative innovation base")
    INNOVATION_CENTRE = "innovation_centre", _("Industry technology innovation centre")
    STARTUP_COMMUNITY = "startup_community", _("Special community for technology start-ups")
    INTERNATIONAL_PARK = "international_park", _("International enterprise R&D park")
    TRANSFER_AGENCY = "transfer_agency", _("Technology transfer agency")


# The 创业苗圃 → 孵化器 → 加速器 chain and the other carriers that host start-ups.
INCUBATION_KINDS = frozenset(
    {
        CarrierKind.SCIENCE_PARK,
        CarrierKind.MAKER_SPACE,
        CarrierKind.NURSERY,
        CarrierKind.INCUBATOR,
        CarrierKind.ACCELERATOR,
        CarrierKind.STAR_SPACE,
        CarrierKind.STARTUP_COMMUNITY,
    }
)
# Carriers that do research and development themselves.
RD_KINDS = frozenset(
    {
        CarrierKind.RD_INSTITUTION,
        CarrierKind.COLLAB_BASE,
        CarrierKind.INNOVATION_CENTRE,
        CarrierKind.INTERNATIONAL_PARK,
    }
)
# The plan's "专业化众创载体" counted toward the target of 100: maker spaces and their rural twin 星创天地.
MAKER_KINDS = frozenset({CarrierKind.MAKER_SPACE, CarrierKind.STAR_SPACE})


class Family(models.TextChoices):
    """Which annual indicators and which evaluation formula apply to a kind of carrier."""

    INCUBATION = "incubation", _("Incubation carriers")
    RD = "rd", _("R&D carriers")
    TRANSFER = "transfer", _("Technology transfer agencies")


def family_of(kind: str) -> str:
    if kind in INCUBATION_KINDS:
        return Family.INCUBATION
    if kind in RD_KINDS:
        return Family.RD
    return Family.TRANSFER


class Level(models.TextChoices):
    """The level at which a carrier is recognised (认定); ``none`` until it is."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", pgettext_lazy("recognition level", "District")
    NONE = "none", _("Not yet recognised")


PROVINCIAL_OR_ABOVE = frozenset({Level.NATIONAL, Level.PROVINCIAL})


class CarrierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", pgettext_lazy("carrier status", "Approved")
    REJECTED = "rejected", _("Returned for correction")
    REVOKED = "revoked", _("Revoked")


CARRIER_TRANSITIONS: dict[str, set[str]] = {
    CarrierStatus.DRAFT: {CarrierStatus.SUBMITTED},
    CarrierStatus.SUBMITTED: {CarrierStatus.APPROVED, CarrierStatus.REJECTED},
    CarrierStatus.REJECTED: {CarrierStatus.SUBMITTED},
    CarrierStatus.APPROVED: {CarrierStatus.REVOKED, CarrierStatus.SUBMITTED},
    CarrierStatus.REVOKED: {CarrierStatus.APPROVED},
}
# A carrier that was approved once keeps counting for the periods before its revocation.
EVER_APPROVED = (CarrierStatus.APPROVED, CarrierStatus.REVOKED)


class FirmStatus(models.TextChoices):
    INCUBATING = "incubating", _("Incubating")
    GRADUATED = "graduated", _("Graduated")
    LEFT = "left", _("Left without graduating")


FIRM_TRANSITIONS: dict[str, set[str]] = {
    FirmStatus.INCUBATING: {FirmStatus.GRADUATED, FirmStatus.LEFT},
    FirmStatus.GRADUATED: set(),
    FirmStatus.LEFT: set(),
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")
    RETURNED = "returned", _("Returned for correction")


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.ACCEPTED, ReportStatus.RETURNED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.ACCEPTED: set(),
}


class FormulaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Retired")


FORMULA_TRANSITIONS: dict[str, set[str]] = {
    FormulaStatus.DRAFT: {FormulaStatus.ACTIVE},
    FormulaStatus.ACTIVE: {FormulaStatus.RETIRED},
    FormulaStatus.RETIRED: set(),
}


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", pgettext_lazy("evaluation grade", "Pass")
    FAIL = "fail", pgettext_lazy("evaluation grade", "Fail")


class DesignationKind(models.TextChoices):
    """Designations of enterprises the plan counts (tasks 9–10)."""

    DEMONSTRATION = "demonstration", _("Industry-university-research demonstration enterprise")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    HIGH_TECH_RESERVE = "high_tech_reserve", _("High-tech enterprise (reserve list)")
    LEADING = "leading", _("Innovative leading enterprise")


class DesignationStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    REVOKED = "revoked", _("Revoked")


DESIGNATION_TRANSITIONS: dict[str, set[str]] = {
    DesignationStatus.ACTIVE: {DesignationStatus.REVOKED},
    DesignationStatus.REVOKED: set(),
}


class ProjectKind(models.TextChoices):
    COLLABORATION = "collaboration", _("Industry-university-research project")
    CONVERSION = "conversion", _("Achievement conversion project")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Under way")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


PROJECT_TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.PLANNED: {ProjectStatus.ONGOING, ProjectStatus.TERMINATED},
    ProjectStatus.ONGOING: {ProjectStatus.COMPLETED, ProjectStatus.TERMINATED},
    ProjectStatus.COMPLETED: set(),
    ProjectStatus.TERMINATED: set(),
}


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    UNIVERSITY = "university", _("University or institute partner")
    ENTERPRISE = "enterprise", _("Enterprise partner")
    OTHER = "other", _("Other partner")


class AllianceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


ALLIANCE_TRANSITIONS: dict[str, set[str]] = {
    AllianceStatus.ACTIVE: {AllianceStatus.DISSOLVED},
    AllianceStatus.DISSOLVED: {AllianceStatus.ACTIVE},
}


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    MEMBER = "member", _("Member")


class CaseCategory(models.TextChoices):
    TRANSFER = "transfer", _("Assignment or licence")
    AUCTION = "auction", _("Auction")
    JOINT_RD = "joint_rd", _("Joint R&D")
    INCUBATION = "incubation", _("Incubation and start-ups")
    ALLIANCE = "alliance", _("Alliance and platform")
    SERVICE = "service", _("Transfer service")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.DRAFT: {CaseStatus.PUBLISHED},
    CaseStatus.PUBLISHED: {CaseStatus.WITHDRAWN},
    CaseStatus.WITHDRAWN: {CaseStatus.PUBLISHED},
}
