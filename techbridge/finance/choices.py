"""Kinds, stages, instruments and the states of financing requests and introductions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InvestorKind(models.TextChoices):
    ANGEL = "angel", _("Angel investor")
    VENTURE = "venture", _("Venture capital / private equity")
    BANK = "bank", _("Bank")
    GUARANTEE = "guarantee", _("Guarantee company")
    INSURANCE = "insurance", _("Insurer")
    GUIDANCE = "guidance", _("Government guidance fund")
    CONVERSION = "conversion", _("Technology conversion fund")


class Stage(models.TextChoices):
    SEED = "seed", pgettext_lazy("funding stage", "Seed")
    STARTUP = "startup", pgettext_lazy("funding stage", "Start-up")
    GROWTH = "growth", pgettext_lazy("funding stage", "Growth")
    EXPANSION = "expansion", pgettext_lazy("funding stage", "Expansion")
    MATURE = "mature", pgettext_lazy("funding stage", "Mature")


class Instrument(models.TextChoices):
    EQUITY = "equity", _("Equity investment")
    LOAN = "loan", _("Loan")
    IP_LOAN = "ip_loan", _("IP-pledge loan")
    GUARANTEE = "guarantee", pgettext_lazy("financing instrument", "Guarantee")
    INSURANCE = "insurance", _("Technology insurance")


class InvestorStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("investor status", "Awaiting qualification")
    QUALIFIED = "qualified", pgettext_lazy("investor status", "Qualified")
    REJECTED = "rejected", pgettext_lazy("investor status", "Not qualified")
    SUSPENDED = "suspended", pgettext_lazy("investor status", "Suspended")


INVESTOR_TRANSITIONS: dict[str, set[str]] = {
    InvestorStatus.SUBMITTED: {InvestorStatus.QUALIFIED, InvestorStatus.REJECTED},
    InvestorStatus.REJECTED: {InvestorStatus.SUBMITTED},
    InvestorStatus.QUALIFIED: {InvestorStatus.SUSPENDED},
    InvestorStatus.SUSPENDED: {InvestorStatus.QUALIFIED},
}


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("financing request status", "Open")
    FUNDED = "funded", pgettext_lazy("financing request status", "Funded")
    WITHDRAWN = "withdrawn", pgettext_lazy("financing request status", "Withdrawn")


REQUEST_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.OPEN: {RequestStatus.FUNDED, RequestStatus.WITHDRAWN},
    RequestStatus.WITHDRAWN: {RequestStatus.OPEN},
    RequestStatus.FUNDED: set(),
}


class IntroStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("introduction status", "Awaiting consent")
    INTRODUCED = "introduced", pgettext_lazy("introduction status", "Introduced")
    MEETING = "meeting", pgettext_lazy("introduction status", "Meeting held")
    TERM_SHEET = "term_sheet", pgettext_lazy("introduction status", "Term sheet")
    INVESTED = "invested", pgettext_lazy("introduction status", "Invested")
    LENT = "lent", pgettext_lazy("introduction status", "Lent")
    DECLINED = "declined", pgettext_lazy("introduction status", "Declined")


CLOSED_WON = (IntroStatus.INVESTED, IntroStatus.LENT)
INTRO_TRANSITIONS: dict[str, set[str]] = {
    IntroStatus.PROPOSED: {IntroStatus.INTRODUCED, IntroStatus.DECLINED},
    IntroStatus.INTRODUCED: {IntroStatus.MEETING, IntroStatus.DECLINED},
    IntroStatus.MEETING: {IntroStatus.TERM_SHEET, IntroStatus.DECLINED},
    IntroStatus.TERM_SHEET: {IntroStatus.INVESTED, IntroStatus.LENT, IntroStatus.DECLINED},
    IntroStatus.INVESTED: set(),
    IntroStatus.LENT: set(),
    IntroStatus.DECLINED: set(),
}


class PipelineStep(models.TextChoices):
    """The pipeline moves a user can ask for (``advance``)."""

    MEETING = "meeting", pgettext_lazy("introduction status", "Meeting held")
    TERM_SHEET = "term_sheet", pgettext_lazy("introduction status", "Term sheet")
    INVESTED = "invested", pgettext_lazy("introduction status", "Invested")
    LENT = "lent", pgettext_lazy("introduction status", "Lent")
    DECLINED = "declined", pgettext_lazy("introduction status", "Declined")


# The pipeline moves a user can ask for, and the audit verb of each.
PIPELINE_VERBS: dict[str, str] = {
    IntroStatus.MEETING: "meeting_held",
    IntroStatus.TERM_SHEET: "term_sheet_signed",
    IntroStatus.INVESTED: "invested",
    IntroStatus.LENT: "lent",
    IntroStatus.DECLINED: "declined",
}


class Side(models.TextChoices):
    ENTERPRISE = "enterprise", pgettext_lazy("introduction side", "Enterprise")
    INVESTOR = "investor", pgettext_lazy("introduction side", "Investor")


class LoanStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("loan status", "Awaiting the bank")
    APPROVED = "approved", pgettext_lazy("loan status", "Approved")
    REFUSED = "refused", pgettext_lazy("loan status", "Refused")
    REGISTERED = "registered", pgettext_lazy("loan status", "Pledge registered, repaying")
    REPAID = "repaid", pgettext_lazy("loan status", "Repaid")


LOAN_TRANSITIONS: dict[str, set[str]] = {
    LoanStatus.SUBMITTED: {LoanStatus.APPROVED, LoanStatus.REFUSED},
    LoanStatus.APPROVED: {LoanStatus.REGISTERED},
    LoanStatus.REGISTERED: {LoanStatus.REPAID},
    LoanStatus.REFUSED: set(),
    LoanStatus.REPAID: set(),
}


class CallStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("fund call status", "Open")
    CLOSED = "closed", pgettext_lazy("fund call status", "Closed")


CALL_TRANSITIONS: dict[str, set[str]] = {CallStatus.OPEN: {CallStatus.CLOSED}, CallStatus.CLOSED: set()}


class ApplicationStatus(models.TextChoices):
    ELIGIBLE = "eligible", pgettext_lazy("fund application status", "Eligible, awaiting review")
    INELIGIBLE = "ineligible", pgettext_lazy("fund application status", "Not eligible")
    IN_REVIEW = "in_review", pgettext_lazy("fund application status", "Under expert review")
    AWARDED = "awarded", pgettext_lazy("fund application status", "Awarded")
    REJECTED = "rejected", pgettext_lazy("fund application status", "Not awarded")


APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.ELIGIBLE: {ApplicationStatus.IN_REVIEW},
    ApplicationStatus.IN_REVIEW: {ApplicationStatus.AWARDED, ApplicationStatus.REJECTED},
    ApplicationStatus.INELIGIBLE: set(),
    ApplicationStatus.AWARDED: set(),
    ApplicationStatus.REJECTED: set(),
}
