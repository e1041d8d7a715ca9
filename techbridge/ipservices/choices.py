"""Choices of ipservices: patent types and legal status, alerts, analysis and assistance requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PatentKind(models.TextChoices):
    INVENTION = "invention", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design patent")


class LegalStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("patent legal status", "Pending")
    GRANTED = "granted", pgettext_lazy("patent legal status", "Granted")
    LAPSED = "lapsed", pgettext_lazy("patent legal status", "Lapsed")
    EXPIRED = "expired", pgettext_lazy("patent legal status", "Expired")
    INVALIDATED = "invalidated", pgettext_lazy("patent legal status", "Invalidated")


# Legal status moves (from the source data, a staff correction or the daily expiry sweep). A lapsed
# patent may be restored (恢复权利, Implementing Regulations art. 6); a court may overturn an invalidation.
LEGAL_TRANSITIONS: dict[str, set[str]] = {
    LegalStatus.PENDING: {LegalStatus.GRANTED, LegalStatus.LAPSED},
    LegalStatus.GRANTED: {LegalStatus.LAPSED, LegalStatus.EXPIRED, LegalStatus.INVALIDATED},
    LegalStatus.LAPSED: {LegalStatus.GRANTED, LegalStatus.PENDING},
    LegalStatus.INVALIDATED: {LegalStatus.GRANTED},
    LegalStatus.EXPIRED: set(),
}

# Statuses under which a patent may still be asserted (or become assertable): alerts are raised for them.
LIVE_STATUSES = (LegalStatus.PENDING, LegalStatus.GRANTED)
# Statuses of a patent whose protection has ended: freedom-to-operate opportunities.
ENDED_STATUSES = (LegalStatus.LAPSED, LegalStatus.EXPIRED, LegalStatus.INVALIDATED)


class ApplicantType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    INDIVIDUAL = "individual", _("Individual")
    GOVERNMENT = "government", _("Government or public body")
    OTHER = "other", pgettext_lazy("applicant type", "Other")


class AlertStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("alert status", "New")
    IRRELEVANT = "irrelevant", _("Not relevant")
    WATCHING = "watching", _("Watching")
    ANALYSIS = "analysis", _("Analysis requested")


ALERT_TRANSITIONS: dict[str, set[str]] = {
    AlertStatus.NEW: {AlertStatus.IRRELEVANT, AlertStatus.WATCHING, AlertStatus.ANALYSIS},
    AlertStatus.IRRELEVANT: {AlertStatus.WATCHING, AlertStatus.ANALYSIS},
    AlertStatus.WATCHING: {AlertStatus.IRRELEVANT, AlertStatus.ANALYSIS},
    AlertStatus.ANALYSIS: set(),
}


class AnalysisStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the provider")
    ACCEPTED = "accepted", _("Being analysed")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined by the provider")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ANALYSIS_TRANSITIONS: dict[str, set[str]] = {
    AnalysisStatus.SUBMITTED: {AnalysisStatus.ACCEPTED, AnalysisStatus.DECLINED, AnalysisStatus.WITHDRAWN},
    AnalysisStatus.ACCEPTED: {AnalysisStatus.ANSWERED, AnalysisStatus.WITHDRAWN},
    AnalysisStatus.ANSWERED: set(),
    AnalysisStatus.DECLINED: set(),
    AnalysisStatus.WITHDRAWN: set(),
}


class AssistanceKind(models.TextChoices):
    INFRINGEMENT = "infringement", _("Infringement found")
    ACCUSED = "accused", _("Accused of infringement")
    OWNERSHIP = "ownership", _("Ownership dispute")


class AssistanceStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assistance status", "Draft")
    SUBMITTED = "submitted", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, being handled")
    CLOSED = "closed", _("Closed with an outcome")
    DECLINED = "declined", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ASSISTANCE_TRANSITIONS: dict[str, set[str]] = {
    AssistanceStatus.DRAFT: {AssistanceStatus.SUBMITTED, AssistanceStatus.WITHDRAWN},
    AssistanceStatus.SUBMITTED: {
        AssistanceStatus.ACCEPTED,
        AssistanceStatus.DECLINED,
        AssistanceStatus.WITHDRAWN,
        # Re-routed to another provider: back to submitted with a new deadline.
        AssistanceStatus.SUBMITTED,
    },
    AssistanceStatus.ACCEPTED: {AssistanceStatus.CLOSED, AssistanceStatus.WITHDRAWN},
    AssistanceStatus.CLOSED: set(),
    AssistanceStatus.DECLINED: set(),
    AssistanceStatus.WITHDRAWN: set(),
}

OPEN_ASSISTANCE = (AssistanceStatus.SUBMITTED, AssistanceStatus.ACCEPTED)


class AssistanceOutcome(models.TextChoices):
    SETTLED = "settled", _("Settled by mediation")
    ENFORCEMENT = "enforcement", _("Referred to administrative enforcement")
    LITIGATION = "litigation", _("Litigation supported")
    ADVICE = "advice", _("Advice given, no further action")
    NO_INFRINGEMENT = "no_infringement", _("No infringement found")
    OWNERSHIP_CONFIRMED = "ownership_confirmed", _("Ownership confirmed")
    OTHER = "other", pgettext_lazy("assistance outcome", "Other")


class ProviderRole(models.TextChoices):
    INSTITUTION = "institution", _("IP service institution")
    CENTRE = "centre", _("IP protection assistance centre")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.QUEUED: {ReportStatus.RUNNING, ReportStatus.FAILED},
    ReportStatus.RUNNING: {ReportStatus.READY, ReportStatus.FAILED},
    ReportStatus.READY: set(),
    ReportStatus.FAILED: set(),
}
