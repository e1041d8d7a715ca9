"""Vocabularies and state machines of the talent app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ManagerLevel(models.TextChoices):
    """Technology manager (技术经理人) levels."""

    JUNIOR = "junior", _("Junior technology manager")
    INTERMEDIATE = "intermediate", _("Intermediate technology manager")
    SENIOR = "senior", _("Senior technology manager")


LEVEL_RANK: dict[str, int] = {ManagerLevel.JUNIOR: 1, ManagerLevel.INTERMEDIATE: 2, ManagerLevel.SENIOR: 3}


class ManagerStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", pgettext_lazy("manager status", "Listed")
    REJECTED = "rejected", _("Returned for changes")
    SUSPENDED = "suspended", pgettext_lazy("manager status", "Suspended")


MANAGER_TRANSITIONS: dict[str, set[str]] = {
    ManagerStatus.SUBMITTED: {ManagerStatus.APPROVED, ManagerStatus.REJECTED},
    ManagerStatus.REJECTED: {ManagerStatus.SUBMITTED},
    # A listed manager whose level or fields change goes back to review.
    ManagerStatus.APPROVED: {ManagerStatus.SUSPENDED, ManagerStatus.SUBMITTED},
    ManagerStatus.SUSPENDED: {ManagerStatus.APPROVED},
}


class CertificateKind(models.TextChoices):
    MANAGER = "manager", _("Technology manager certificate")
    TRAINING = "training", _("Technology-transfer training certificate")
    OTHER = "other", _("Other professional certificate")


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", pgettext_lazy("certificate status", "Not verified")
    REVOKED = "revoked", _("Revoked")


CERTIFICATE_TRANSITIONS: dict[str, set[str]] = {
    CertificateStatus.PENDING: {CertificateStatus.VERIFIED, CertificateStatus.REJECTED},
    CertificateStatus.VERIFIED: {CertificateStatus.REVOKED},
    CertificateStatus.REJECTED: set(),
    CertificateStatus.REVOKED: set(),
}


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    COMPLETED = "completed", pgettext_lazy("session status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")


SESSION_TRANSITIONS: dict[str, set[str]] = {
    SessionStatus.OPEN: {SessionStatus.CLOSED, SessionStatus.CANCELLED, SessionStatus.COMPLETED},
    SessionStatus.CLOSED: {SessionStatus.OPEN, SessionStatus.COMPLETED, SessionStatus.CANCELLED},
    SessionStatus.COMPLETED: set(),
    SessionStatus.CANCELLED: set(),
}


class EnrolmentStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("enrolment status", "Registered")
    CANCELLED = "cancelled", pgettext_lazy("enrolment status", "Cancelled")
    PASSED = "passed", pgettext_lazy("enrolment status", "Passed")
    FAILED = "failed", pgettext_lazy("enrolment status", "Not passed")


ENROLMENT_TRANSITIONS: dict[str, set[str]] = {
    EnrolmentStatus.REGISTERED: {EnrolmentStatus.CANCELLED, EnrolmentStatus.PASSED, EnrolmentStatus.FAILED},
    EnrolmentStatus.CANCELLED: set(),
    EnrolmentStatus.PASSED: set(),
    EnrolmentStatus.FAILED: set(),
}


class SecondmentProgramme(models.TextChoices):
    TOWN_MAYOR = "town_mayor", _("Science and technology deputy mayor group (科技镇长团)")
    TECH_VP = "tech_vp", _("Technology vice-president (技术副总)")
    INDUSTRY_PROFESSOR = "industry_professor", _("Industry professor (产业教授)")
    CADRE = "cadre", _("Cadre exchange (干部双向挂职)")


class TalentCategory(models.TextChoices):
    """The talent figures of the plan's task 15."""

    TOP_EXPERT = "top_expert", _("Top science and technology expert")
    INNOVATIVE_ENTREPRENEUR = "innovative_entrepreneur", _("Innovative entrepreneur")
    HIGH_LEVEL_FOUNDER = "high_level_founder", _("High-level start-up founder")
    STUDENT_FOUNDER = "student_founder", _("Student start-up founder")


class RoutingStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned to a technology manager")
    ACCEPTED = "accepted", pgettext_lazy("routing status", "Accepted")
    DECLINED = "declined", pgettext_lazy("routing status", "Declined")
    CLOSED = "closed", pgettext_lazy("routing status", "Closed")


ROUTING_TRANSITIONS: dict[str, set[str]] = {
    RoutingStatus.ASSIGNED: {RoutingStatus.ACCEPTED, RoutingStatus.DECLINED, RoutingStatus.CLOSED},
    RoutingStatus.ACCEPTED: {RoutingStatus.CLOSED},
    RoutingStatus.DECLINED: set(),
    RoutingStatus.CLOSED: set(),
}
OPEN_ROUTING = (RoutingStatus.ASSIGNED, RoutingStatus.ACCEPTED)
