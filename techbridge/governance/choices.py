"""Choices of governance: how targets compare and where their figures come from, statuses, policy terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Comparison(models.TextChoices):
    """Whether a target is met by one year's figure or by the running total since the plan began."""

    ANNUAL = "annual", _("Annual figure of the deadline year")
    CUMULATIVE = "cumulative", _("Running total since the plan began")


class Source(models.TextChoices):
    METRIC = "metric", _("Platform records (a named metric)")
    MANUAL = "manual", _("Figures entered with evidence")


class Standing(models.TextChoices):
    """Where a target or a task stands (computed, never stored)."""

    ON_TRACK = "on_track", _("On track")
    ATTENTION = "attention", _("Needs attention")
    WARNING = "warning", _("Warning")
    NO_DATA = "no_data", _("No data")
    NO_SOURCE = "no_source", _("No data source yet")
    MONITORED = "monitored", _("Monitored (no quantified target)")


class Granularity(models.TextChoices):
    YEAR = "year", pgettext_lazy("granularity", "Year")
    QUARTER = "quarter", pgettext_lazy("granularity", "Quarter")
    MONTH = "month", pgettext_lazy("granularity", "Month")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Awaiting review")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")
    RETURNED = "returned", pgettext_lazy("report status", "Returned for revision")


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.ACCEPTED, ReportStatus.RETURNED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.ACCEPTED: set(),
}
EDITABLE_REPORT = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class SelfAssessment(models.TextChoices):
    ON_TRACK = "on_track", _("On schedule")
    AT_RISK = "at_risk", _("At risk")
    BEHIND = "behind", _("Behind schedule")


class DecisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("decision status", "Open")
    DONE = "done", pgettext_lazy("decision status", "Carried out")
    DROPPED = "dropped", pgettext_lazy("decision status", "Dropped")


DECISION_TRANSITIONS: dict[str, set[str]] = {
    DecisionStatus.OPEN: {DecisionStatus.DONE, DecisionStatus.DROPPED},
    DecisionStatus.DONE: {DecisionStatus.OPEN},
    DecisionStatus.DROPPED: {DecisionStatus.OPEN},
}


class FigureStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("figure status", "Awaiting review")
    ACCEPTED = "accepted", pgettext_lazy("figure status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("figure status", "Rejected")


FIGURE_TRANSITIONS: dict[str, set[str]] = {
    FigureStatus.SUBMITTED: {FigureStatus.ACCEPTED, FigureStatus.REJECTED},
    FigureStatus.ACCEPTED: set(),
    FigureStatus.REJECTED: set(),
}


class MonthlyStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("document status", "Being generated")
    READY = "ready", pgettext_lazy("document status", "Ready")
    FAILED = "failed", pgettext_lazy("document status", "Failed")


MONTHLY_TRANSITIONS: dict[str, set[str]] = {
    MonthlyStatus.PENDING: {MonthlyStatus.READY, MonthlyStatus.FAILED},
    MonthlyStatus.READY: {MonthlyStatus.PENDING},
    MonthlyStatus.FAILED: {MonthlyStatus.PENDING},
}


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")
    UNIVERSITY = "university", _("University measure")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy status", "Draft")
    PUBLISHED = "published", pgettext_lazy("policy status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("policy status", "Withdrawn")


POLICY_TRANSITIONS: dict[str, set[str]] = {
    PolicyStatus.DRAFT: {PolicyStatus.PUBLISHED},
    PolicyStatus.PUBLISHED: {PolicyStatus.WITHDRAWN},
    PolicyStatus.WITHDRAWN: {PolicyStatus.PUBLISHED},
}


class ConditionKind(models.TextChoices):
    """What a policy's condition is about; each is checked against the organisation's record or profile."""

    ORG_KIND = "org_kind", _("Type of organisation")
    LOCATION = "location", _("Location (district)")
    ZONE = "zone", _("Zone or park")
    FIELD = "field", _("Industry field")
    DESIGNATION = "designation", _("Designation")
    SIZE = "size", _("Size")


class OrgSize(models.TextChoices):
    """Enterprise size classes (工信部联企业〔2011〕300号 划型标准), as the organisation declares them."""

    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Designation(models.TextChoices):
    """Recognitions an organisation may hold (declared in its policy profile)."""

    HIGH_TECH = "high_tech", _("High-tech enterprise (高新技术企业)")
    TECH_SME = "tech_sme", _("Technology-based SME (科技型中小企业)")
    INCUBATOR = "incubator", _("National or provincial technology business incubator")
    SCIENCE_PARK = "science_park", _("National or provincial university science park")
    MAKER_SPACE = "maker_space", _("Nationally registered maker space")
    TRANSFER_DEMONSTRATION = "transfer_demonstration", _("Technology transfer demonstration institution")
    NEW_RD_INSTITUTION = "new_rd_institution", _("New-type R&D institution")
    DEMONSTRATION_ENTERPRISE = (
        "demonstration_enterprise",
        _("Industry–university–research demonstration enterprise"),
    )


class Verdict(models.TextChoices):
    """How one condition of a policy stands for one organisation."""

    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Not known")
