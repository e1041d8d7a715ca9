"""Statuses, kinds and state machines of the technology-transfer office's cases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("disclosure status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("disclosure status", "Disclosed, awaiting decision")
    PROTECT = "protect", pgettext_lazy("disclosure status", "To be protected")
    PUBLISH = "publish", pgettext_lazy("disclosure status", "To be published")
    RELEASE = "release", pgettext_lazy("disclosure status", "Released to the inventors")
    EMPOWER = "empower", pgettext_lazy("disclosure status", "Rights granted to the inventors (赋权)")
    WITHDRAWN = "withdrawn", pgettext_lazy("disclosure status", "Withdrawn")


#: The office's four decisions on a disclosure (each a state of the case).
DECISIONS = (
    DisclosureStatus.PROTECT,
    DisclosureStatus.PUBLISH,
    DisclosureStatus.RELEASE,
    DisclosureStatus.EMPOWER,
)

DISCLOSURE_TRANSITIONS: dict[str, set[str]] = {
    DisclosureStatus.DRAFT: {DisclosureStatus.SUBMITTED, DisclosureStatus.WITHDRAWN},
    DisclosureStatus.SUBMITTED: {*DECISIONS, DisclosureStatus.DRAFT},
    DisclosureStatus.PROTECT: {DisclosureStatus.RELEASE, DisclosureStatus.EMPOWER},
    DisclosureStatus.PUBLISH: set(),
    DisclosureStatus.RELEASE: set(),
    DisclosureStatus.EMPOWER: set(),
    DisclosureStatus.WITHDRAWN: set(),
}


class PatentKind(models.TextChoices):
    INVENTION = "invention", _("Invention patent")
    UTILITY = "utility", _("Utility model")
    DESIGN = "design", _("Design patent")


class ApplicationStatus(models.TextChoices):
    FILED = "filed", pgettext_lazy("patent application", "Filed")
    EXAMINING = "examining", pgettext_lazy("patent application", "In substantive examination")
    GRANTED = "granted", pgettext_lazy("patent application", "Granted")
    REFUSED = "refused", pgettext_lazy("patent application", "Refused")
    ABANDONED = "abandoned", pgettext_lazy("patent application", "Abandoned")


APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.FILED: {
        ApplicationStatus.EXAMINING,
        ApplicationStatus.GRANTED,
        ApplicationStatus.ABANDONED,
        ApplicationStatus.REFUSED,
    },
    ApplicationStatus.EXAMINING: {
        ApplicationStatus.GRANTED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.ABANDONED,
    },
    ApplicationStatus.GRANTED: {ApplicationStatus.ABANDONED},
    ApplicationStatus.REFUSED: set(),
    ApplicationStatus.ABANDONED: set(),
}


class ActionKind(models.TextChoices):
    FIRST = "first", _("First examination opinion (第一次审查意见通知书)")
    FURTHER = "further", _("Further examination opinion (再次审查意见通知书)")
    CORRECTION = "correction", _("Notice to correct (补正通知书)")


class AnnuityChoice(models.TextChoices):
    KEEP = "keep", pgettext_lazy("annuity", "Keep (pay)")
    ABANDON = "abandon", pgettext_lazy("annuity", "Abandon")


class LicenceStatus(models.TextChoices):
    DECLARED = "declared", pgettext_lazy("open licence", "Open for licence")
    WITHDRAWN = "withdrawn", pgettext_lazy("open licence", "Withdrawn")


LICENCE_TRANSITIONS: dict[str, set[str]] = {
    LicenceStatus.DECLARED: {LicenceStatus.WITHDRAWN},
    LicenceStatus.WITHDRAWN: set(),
}


class IncomeKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer or licence income")
    EQUITY = "equity", _("Equity")
    PROFIT = "profit", _("Operating profit from self-implementation")


class DistributionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("distribution", "Draft")
    ISSUED = "issued", pgettext_lazy("distribution", "Issued")


DISTRIBUTION_TRANSITIONS: dict[str, set[str]] = {
    DistributionStatus.DRAFT: {DistributionStatus.ISSUED},
    DistributionStatus.ISSUED: set(),
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("annual report", "Draft")
    FINAL = "final", pgettext_lazy("annual report", "Final")


REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DRAFT: {ReportStatus.FINAL},
    ReportStatus.FINAL: {ReportStatus.DRAFT},
}
