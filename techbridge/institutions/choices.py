"""Vocabularies and state machines of the institutions app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServiceKind(models.TextChoices):
    """What an institution offers (the plan's task 12 lists these kinds of service)."""

    TRANSFER = "transfer", pgettext_lazy("service kind", "Technology transfer")
    IP = "ip", _("Intellectual property")
    VALUATION = "valuation", _("Valuation")
    INCUBATION = "incubation", _("Incubation")
    TESTING = "testing", _("Testing and inspection")
    FINANCE = "finance", _("Technology finance")
    LEGAL = "legal", _("Legal services")


class InstitutionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft application")
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", pgettext_lazy("institution status", "Listed")
    REJECTED = "rejected", _("Returned for changes")
    WITHDRAWN = "withdrawn", pgettext_lazy("institution status", "Withdrawn")


INSTITUTION_TRANSITIONS: dict[str, set[str]] = {
    InstitutionStatus.DRAFT: {InstitutionStatus.SUBMITTED},
    InstitutionStatus.SUBMITTED: {InstitutionStatus.APPROVED, InstitutionStatus.REJECTED},
    InstitutionStatus.REJECTED: {InstitutionStatus.SUBMITTED},
    InstitutionStatus.APPROVED: {InstitutionStatus.WITHDRAWN},
    InstitutionStatus.WITHDRAWN: {InstitutionStatus.SUBMITTED},
}


class DemonstrationLevel(models.TextChoices):
    """Technology-transfer demonstration institution (技术转移示范机构) levels."""

    NATIONAL = "national", _("National demonstration institution")
    PROVINCIAL = "provincial", _("Provincial demonstration institution")
    MUNICIPAL = "municipal", _("Municipal demonstration institution")


# The plan's target counts institutions designated at provincial level or above.
PROVINCIAL_OR_ABOVE = (DemonstrationLevel.NATIONAL, DemonstrationLevel.PROVINCIAL)


class DesignationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", pgettext_lazy("designation status", "Not verified")
    REVOKED = "revoked", _("Revoked")


DESIGNATION_TRANSITIONS: dict[str, set[str]] = {
    DesignationStatus.PENDING: {DesignationStatus.VERIFIED, DesignationStatus.REJECTED},
    DesignationStatus.VERIFIED: {DesignationStatus.REVOKED},
    DesignationStatus.REJECTED: set(),
    DesignationStatus.REVOKED: set(),
}


class AllianceRole(models.TextChoices):
    """Role in the technology-transfer institution alliance (技术转移机构联盟)."""

    NONE = "", _("Not a member")
    MEMBER = "member", pgettext_lazy("alliance role", "Member")
    COUNCIL = "council", _("Council member")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    CHAIR = "chair", _("Chair")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")
    RETURNED = "returned", _("Returned for changes")


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.ACCEPTED, ReportStatus.RETURNED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.ACCEPTED: set(),
}


class CreditEventKind(models.TextChoices):
    COMPLAINT_UPHELD = "complaint_upheld", _("Complaint upheld")
    FALSE_REGISTRATION = "false_registration", _("Registration refused for false information")
    JUDGMENT = "judgment", _("Court judgment or administrative penalty")
    BREACH = "breach", _("Breach of a service agreement")
    OTHER = "other", _("Other dishonest conduct")


class Severity(models.TextChoices):
    MINOR = "minor", pgettext_lazy("severity", "Minor")
    MAJOR = "major", pgettext_lazy("severity", "Major")
    SEVERE = "severe", pgettext_lazy("severity", "Severe")


class CreditEventStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    ANNULLED = "annulled", pgettext_lazy("credit event status", "Annulled")


CREDIT_EVENT_TRANSITIONS: dict[str, set[str]] = {
    CreditEventStatus.IN_FORCE: {CreditEventStatus.ANNULLED},
    CreditEventStatus.ANNULLED: set(),
}


class CreditGradeLevel(models.TextChoices):
    A = "A", _("A · Trustworthy")
    B = "B", _("B · Basically trustworthy")
    C = "C", _("C · Credit risk")
    D = "D", _("D · Seriously dishonest")


class BlacklistStatus(models.TextChoices):
    LISTED = "listed", pgettext_lazy("blacklist status", "Blacklisted")
    LIFTED = "lifted", _("Lifted")


BLACKLIST_TRANSITIONS: dict[str, set[str]] = {
    BlacklistStatus.LISTED: {BlacklistStatus.LIFTED},
    BlacklistStatus.LIFTED: set(),
}


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting decision")
    UPHELD = "upheld", pgettext_lazy("appeal status", "Upheld")
    DISMISSED = "dismissed", pgettext_lazy("appeal status", "Dismissed")


APPEAL_TRANSITIONS: dict[str, set[str]] = {
    AppealStatus.SUBMITTED: {AppealStatus.UPHELD, AppealStatus.DISMISSED},
    AppealStatus.UPHELD: set(),
    AppealStatus.DISMISSED: set(),
}


class ScoreGrade(models.TextChoices):
    A = "A", pgettext_lazy("score grade", "A · Excellent")
    B = "B", pgettext_lazy("score grade", "B · Good")
    C = "C", pgettext_lazy("score grade", "C · Qualified")
    D = "D", pgettext_lazy("score grade", "D · Needs improvement")


class RatingRelation(models.TextChoices):
    """How the rated institution took part in the contract."""

    SERVED = "served", _("Provided the service under the contract")
    BROKERED = "brokered", _("Brokered the deal")


# Decisions a reviewer sends through the API (named enums in the OpenAPI schema).
APPLICATION_DECISIONS = [("approve", _("List the institution")), ("return", _("Return for changes"))]
VERIFICATION_DECISIONS = [
    ("verify", _("Verified")),
    ("reject", pgettext_lazy("verification", "Not verified")),
]
REPORT_DECISIONS = [
    ("accept", pgettext_lazy("report decision", "Accept")),
    ("return", _("Return for changes")),
]
APPEAL_OUTCOMES = [("uphold", _("Uphold and lift")), ("dismiss", pgettext_lazy("appeal", "Dismiss"))]
