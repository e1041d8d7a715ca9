"""Organisations: universities, institutes, enterprises, service institutions, investors, departments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin
from techbridge.lib import limits

from .choices import MEMBERSHIP_TRANSITIONS, ORG_TRANSITIONS, District, MembershipStatus, OrgKind, OrgStatus
from .validators import validate_credit_code


class Zone(models.Model):
    """A functional zone that overlaps the administrative districts: 江北新区, the 高新区 and its parks.

    Zones are rows (operators add parks as they are designated); ``parent`` puts a park under its zone,
    so a figure for the 高新区 includes its parks.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parks",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def with_parks(self) -> list[int]:
        """This zone's id and the ids of every park under it (one level, as zones are defined)."""
        return [self.pk, *self.parks.values_list("pk", flat=True)]


class Organization(StateMachineMixin):
    """A legal entity that publishes, buys or serves on the platform.

    New organisations start ``pending`` until a reviewer checks them; only members of an approved
    organisation can publish listings. The credit code, when present, is valid and unique.
    """

    TRANSITIONS = ORG_TRANSITIONS
    # Registered on the platform: awaiting review; imported from a trusted register or made as demo
    # data: approved.
    INITIAL_STATES = frozenset({OrgStatus.PENDING, OrgStatus.APPROVED})

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=OrgKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("introduction"), blank=True, max_length=limits.SUMMARY)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OrgStatus.choices, default=OrgStatus.PENDING, db_index=True
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True, max_length=limits.REASON)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="organization_unique_name_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == OrgStatus.APPROVED


class MembershipRequest(StateMachineMixin):
    """A signed-in user's request to join an existing organisation (申请加入).

    The organisation's admins accept or decline it; accepting makes the user a member. A user has at
    most one pending request at a time, and belongs to at most one organisation.
    """

    TRANSITIONS = MEMBERSHIP_TRANSITIONS

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    message = models.TextField(_("message to the organisation"), blank=True, max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    reason = models.TextField(_("reason"), blank=True, max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="membership_one_pending_request_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"
