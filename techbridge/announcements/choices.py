"""Choices of deal announcements: where a deal came from, the notice's, the objection's and the
certificate's states."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Origin(models.TextChoices):
    AUCTION = "auction", pgettext_lazy("deal origin", "Auction")
    LISTING = "listing", pgettext_lazy("deal origin", "Listing and negotiation")


class AnnouncementStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("announcement status", "Under public notice")
    ENDED = "ended", pgettext_lazy("announcement status", "Notice period ended")
    SUSPENDED = "suspended", pgettext_lazy("announcement status", "Suspended")


ANNOUNCEMENT_TRANSITIONS: dict[str, set[str]] = {
    AnnouncementStatus.OPEN: {AnnouncementStatus.ENDED, AnnouncementStatus.SUSPENDED},
}


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("objection status", "Pending")
    DISMISSED = "dismissed", pgettext_lazy("objection status", "Dismissed")
    UPHELD = "upheld", pgettext_lazy("objection status", "Upheld")


OBJECTION_TRANSITIONS: dict[str, set[str]] = {
    ObjectionStatus.PENDING: {ObjectionStatus.DISMISSED, ObjectionStatus.UPHELD},
}


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")


CERTIFICATE_TRANSITIONS: dict[str, set[str]] = {
    CertificateStatus.VALID: {CertificateStatus.REVOKED},
}
