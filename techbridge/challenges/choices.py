"""States of a challenge (榜单), of an application (揭榜) and of a milestone's acceptance (验收)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("challenge status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("challenge status", "Awaiting review")
    REJECTED = "rejected", pgettext_lazy("challenge status", "Returned")
    PUBLISHED = "published", pgettext_lazy("challenge status", "Open for applications")
    CLOSED = "closed", pgettext_lazy("challenge status", "Applications closed")
    REVIEWING = "reviewing", pgettext_lazy("challenge status", "Under expert review")
    AWARDED = "awarded", pgettext_lazy("challenge status", "Awarded")
    FAILED = "failed", pgettext_lazy("challenge status", "No winner")
    COMPLETED = "completed", pgettext_lazy("challenge status", "Completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("challenge status", "Withdrawn")


CHALLENGE_TRANSITIONS: dict[str, set[str]] = {
    ChallengeStatus.DRAFT: {ChallengeStatus.SUBMITTED, ChallengeStatus.WITHDRAWN},
    ChallengeStatus.SUBMITTED: {
        ChallengeStatus.PUBLISHED,
        ChallengeStatus.REJECTED,
        ChallengeStatus.WITHDRAWN,
    },
    ChallengeStatus.REJECTED: {ChallengeStatus.SUBMITTED, ChallengeStatus.WITHDRAWN},
    ChallengeStatus.PUBLISHED: {ChallengeStatus.CLOSED, ChallengeStatus.WITHDRAWN},
    ChallengeStatus.CLOSED: {ChallengeStatus.REVIEWING, ChallengeStatus.FAILED},
    ChallengeStatus.REVIEWING: {ChallengeStatus.AWARDED, ChallengeStatus.FAILED},
    ChallengeStatus.AWARDED: {ChallengeStatus.COMPLETED},
    ChallengeStatus.FAILED: set(),
    ChallengeStatus.COMPLETED: set(),
    ChallengeStatus.WITHDRAWN: set(),
}

#: States the public sees (list and detail): open, and what came of it.
PUBLIC_STATES = (
    ChallengeStatus.PUBLISHED,
    ChallengeStatus.CLOSED,
    ChallengeStatus.REVIEWING,
    ChallengeStatus.AWARDED,
    ChallengeStatus.FAILED,
    ChallengeStatus.COMPLETED,
)
#: States in which the publisher may still change the text.
EDITABLE_STATES = (ChallengeStatus.DRAFT, ChallengeStatus.REJECTED)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("challenge application status", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("challenge application status", "Withdrawn")
    AWARDED = "awarded", pgettext_lazy("challenge application status", "Winner")
    NOT_AWARDED = "not_awarded", pgettext_lazy("challenge application status", "Not selected")


APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.AWARDED,
        ApplicationStatus.NOT_AWARDED,
    },
    ApplicationStatus.WITHDRAWN: set(),
    ApplicationStatus.AWARDED: set(),
    ApplicationStatus.NOT_AWARDED: set(),
}


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("milestone status", "Awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("milestone status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("milestone status", "Not accepted")


MILESTONE_TRANSITIONS: dict[str, set[str]] = {
    MilestoneStatus.PENDING: {MilestoneStatus.ACCEPTED, MilestoneStatus.REJECTED},
    MilestoneStatus.REJECTED: {MilestoneStatus.ACCEPTED},
    MilestoneStatus.ACCEPTED: set(),
}
