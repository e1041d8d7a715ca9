"""Platform users. Every user belongs to at most one organisation and has one role."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core.roles import Role
from techbridge.core.workflow import StateMachineMixin


class User(AbstractUser):
    """A person using the platform.

    ``role`` decides what the user may do across the platform (see ``techbridge.core.roles``);
    ``organization`` decides whose listings the user owns.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    title = models.CharField(_("position"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class ApiToken(models.Model):
    """A named API token of a user: it expires, it can be revoked, a password change revokes them all.

    Only the SHA-256 digest of the key is stored (the key is shown once, when it is issued); signing
    in with ``Authorization: Token <key>`` is one indexed lookup on ``digest``.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so a user can tell their tokens apart.
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the cooling-off period to end")
    CANCELLED = "cancelled", pgettext_lazy("erasure status", "Cancelled by the user")
    DONE = "done", _("Account erased")
    REFUSED = "refused", _("Not erased: something must be settled first")


ERASURE_TRANSITIONS: dict[str, set[str]] = {
    ErasureStatus.PENDING: {ErasureStatus.CANCELLED, ErasureStatus.DONE, ErasureStatus.REFUSED},
    ErasureStatus.CANCELLED: set(),
    ErasureStatus.DONE: set(),
    ErasureStatus.REFUSED: set(),
}


class ErasureRequest(StateMachineMixin):
    """A user's request to erase their account (个人信息保护法 art. 47), carried out by
    ``accounts.erasure`` once the cooling-off period has passed (``due_at``), unless the user cancels it.

    At most one pending request per user (a database constraint). ``reason`` says why it was not carried
    out; ``pseudonym`` is the name the kept records show afterwards.
    """

    TRANSITIONS = ERASURE_TRANSITIONS

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="erasure_requests", verbose_name=_("user")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_at = models.DateTimeField(_("carried out after"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    pseudonym = models.CharField(_("pseudonym"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("account erasure request")
        verbose_name_plural = _("account erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="accounts_one_pending_erasure_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"
