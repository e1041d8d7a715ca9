"""Models of 揭榜挂帅 challenges.

- ``Challenge`` (榜单): a key technical problem an enterprise or a department publishes, with measurable
  indicators, an optional budget, an application deadline and what happened to it (reviewed by the
  platform, open, closed, under expert review, awarded or without a winner, completed).
- ``Application`` (揭榜): a team's plan from another organisation; one live application per organisation
  and challenge (a database constraint); sealed until the deadline (``permissions``).
- ``PanelSeat``: an expert of the platform's pool on the challenge's review panel (conflict-free:
  ``services.set_panel``).
- ``Score``: one expert's scores of one application, 0–100 per indicator, with a comment.
- ``Milestone``: a step of the winner's schedule, accepted (验收) or not by the publisher.
"""

from __future__ import annotations

import os
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.lib.numbers import validate_price
from techbridge.organizations.choices import District

from .choices import (
    APPLICATION_TRANSITIONS,
    CHALLENGE_TRANSITIONS,
    MILESTONE_TRANSITIONS,
    PUBLIC_STATES,
    ApplicationStatus,
    ChallengeStatus,
    MilestoneStatus,
)

TITLE_MAX = 200
PROBLEM_MAX = 5000
ELIGIBILITY_MAX = 2000
INDICATOR_MAX = 200
MAX_INDICATORS = 10
SUMMARY_MAX = 1000
APPROACH_MAX = 5000
MEMBER_NAME_MAX = 50
MEMBER_ROLE_MAX = 100
MAX_MEMBERS = 20
STEP_MAX = 200
MAX_STEPS = 12
NOTE_MAX = 1000
COMMENT_MAX = 1000
REASON_MAX = 2000
PLAN_MAX_BYTES = 10 * 1024 * 1024

MONEY: dict[str, Any] = {
    "max_digits": 16,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), validate_price],
}


def plan_path(instance: Application, filename: str) -> str:
    return (
        f"challenges/plans/{instance.challenge_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"
    )


class Challenge(StateMachineMixin):
    """A challenge (榜单). Public once a platform reviewer approved it; applications are sealed until its
    deadline; its winner's contract is an ordinary draft contract (origin ``challenge``)."""

    TRANSITIONS = CHALLENGE_TRANSITIONS

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem = models.TextField(_("key technical problem"), max_length=PROBLEM_MAX)
    indicators = models.JSONField(
        _("goals and indicators"),
        default=list,
        help_text=_("Measurable indicators the solution must reach; experts score each one."),
    )
    budget = models.DecimalField(
        _("budget or prize (yuan)"), null=True, blank=True, help_text=_("Empty: to be agreed."), **MONEY
    )
    deadline = models.DateTimeField(_("application deadline"))
    eligibility = models.TextField(_("eligibility"), max_length=ELIGIBILITY_MAX, blank=True)
    field = models.ForeignKey(
        "taxonomy.IndustryField",
        verbose_name=_("industry field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ChallengeStatus.choices,
        default=ChallengeStatus.DRAFT,
        db_index=True,
    )
    reject_reason = models.TextField(_("reason for returning"), max_length=REASON_MAX, blank=True)
    fail_reason = models.TextField(_("reason there is no winner"), max_length=REASON_MAX, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("applications closed"), null=True, blank=True)
    winner = models.ForeignKey(
        "Application",
        verbose_name=_("winning application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_demand = models.ForeignKey(
        "demands.Demand",
        verbose_name=_("from the demand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="challenge_status_deadline")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATES

    @property
    def is_open(self) -> bool:
        return self.status == ChallengeStatus.PUBLISHED and self.deadline > timezone.now()

    @property
    def is_sealed(self) -> bool:
        """Applications stay sealed until the deadline (or an earlier close by the publisher)."""
        if self.status == ChallengeStatus.PUBLISHED:
            return self.deadline > timezone.now()
        return self.status in (
            ChallengeStatus.DRAFT,
            ChallengeStatus.SUBMITTED,
            ChallengeStatus.REJECTED,
            ChallengeStatus.WITHDRAWN,
        )


class Application(StateMachineMixin):
    """A team's application (揭榜) with its plan; one live application per organisation and challenge."""

    TRANSITIONS = APPLICATION_TRANSITIONS

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="applications")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("applying organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("plan summary"), max_length=SUMMARY_MAX)
    approach = models.TextField(_("technical approach"), max_length=APPROACH_MAX)
    team = models.JSONField(_("team members"), default=list)
    schedule = models.JSONField(_("schedule"), default=list)
    price = models.DecimalField(_("quoted price (yuan)"), **MONEY)
    plan = models.FileField(_("plan (PDF)"), upload_to=plan_path, max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("challenge application")
        verbose_name_plural = _("challenge applications")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "organization"],
                condition=~Q(status="withdrawn"),
                name="challenge_one_application_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id} · {self.organization_id}"


class PanelSeat(models.Model):
    """An expert of the pool seated on a challenge's review panel."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(
        "talent.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    seated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("challenge panel seat")
        verbose_name_plural = _("challenge panel seats")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["challenge", "expert"], name="challenge_seat_once")]

    def __str__(self) -> str:
        return f"{self.challenge_id} · {self.expert_id}"


class Score(models.Model):
    """One expert's scores of one application: ``values[i]`` (0–100) for the challenge's indicator ``i``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey("talent.Expert", on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(_("scores"), default=list)
    total = models.DecimalField(
        _("mean score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("challenge score")
        verbose_name_plural = _("challenge scores")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="challenge_score_once")]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.expert_id}: {self.total}"


class Milestone(StateMachineMixin):
    """A step of the winner's schedule; the publisher accepts it (验收) or not, with a note."""

    TRANSITIONS = MILESTONE_TRANSITIONS

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("milestone"), max_length=STEP_MAX)
    due = models.DateField(_("milestone due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PENDING,
        db_index=True,
    )
    note = models.TextField(_("acceptance note"), max_length=NOTE_MAX, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("challenge milestone")
        verbose_name_plural = _("challenge milestones")
        ordering = ["challenge", "order", "pk"]

    def __str__(self) -> str:
        return self.title
