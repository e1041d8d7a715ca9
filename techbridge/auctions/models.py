"""Models of auctions: sessions, lots, bidder registrations with deposits, proxy bids and the bid chain.
(Roadshows are events now: ``techbridge.events``.)

Contested rows (a lot's price, a bidder's deposit) are only ever changed by conditional UPDATEs in
``services.py``; the constraints below make the database refuse what the services must never write.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.core.workflow import StateMachineMixin
from techbridge.lib import limits

from .choices import (
    CLOSED_LOT_STATUSES,
    DEPOSIT_TRANSITIONS,
    LINE_TRANSITIONS,
    LOT_TRANSITIONS,
    SEALED_FORMATS,
    SESSION_TRANSITIONS,
    BidKind,
    CloseOutcome,
    DepositStatus,
    LicenceType,
    LineStatus,
    LotFormat,
    LotStatus,
    RegistrationStatus,
    SaleKind,
    SessionStatus,
    UnmatchedReason,
)
from .references import MAX_LENGTH as REFERENCE_LENGTH
from .references import new_reference

MONEY: Any = {"max_digits": 16, "decimal_places": 2}


class AuctionSession(StateMachineMixin):
    """An auction session (拍卖专场) run by the platform: it holds lots and registers bidders.

    Bidders register once per session and pay one deposit (保证金) of ``deposit_amount`` yuan.
    """

    TRANSITIONS = SESSION_TRANSITIONS

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.DRAFT, db_index=True
    )
    starts_at = models.DateTimeField(_("starts at"))
    deposit_amount = models.DecimalField(_("deposit (yuan)"), default=Decimal("0"), **MONEY)
    bidder_terms = models.TextField(_("bidder terms"), blank=True, max_length=limits.DESCRIPTION)
    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("auction session")
        verbose_name_plural = _("auction sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(deposit_amount__gte=0), name="auction_session_deposit_gte_0")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_deposit(self) -> bool:
        return self.deposit_amount > 0


class Registration(StateMachineMixin):
    """A bidder's registration in one session: qualification, paddle number and deposit state.

    Other users only ever see the paddle ``number``, never the name. The deposit moves
    required → paid → refunded | forfeited (or is not required when the session asks none).
    """

    TRANSITIONS = DEPOSIT_TRANSITIONS
    STATUS_FIELD = "deposit_status"
    INITIAL_STATES = frozenset({DepositStatus.REQUIRED, DepositStatus.NOT_REQUIRED})

    session = models.ForeignKey(AuctionSession, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auction_registrations"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="auction_registrations"
    )
    number = models.PositiveIntegerField(_("bidder number"))
    status = models.CharField(
        _("qualification"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.QUALIFIED,
    )
    qualification_note = models.TextField(_("qualification note"), blank=True, max_length=limits.NOTE)
    deposit_status = models.CharField(
        _("deposit"), max_length=16, choices=DepositStatus.choices, default=DepositStatus.REQUIRED
    )
    deposit_amount = models.DecimalField(_("deposit (yuan)"), default=Decimal("0"), **MONEY)
    deposit_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    deposit_paid_at = models.DateTimeField(_("deposit paid"), null=True, blank=True)
    deposit_settled_at = models.DateTimeField(_("deposit refunded or forfeited"), null=True, blank=True)
    # What the bidder writes in the transfer's remark (references.py); matched by the statement import.
    payment_code = models.CharField(
        _("payment reference"),
        max_length=REFERENCE_LENGTH,
        unique=True,
        default=new_reference,
        editable=False,
    )
    # Where the deposit goes back (the refund payment file, deposits.py); asked on the registration page.
    refund_account_name = models.CharField(_("refund account name"), max_length=100, blank=True)
    refund_account_number = models.CharField(_("refund account number"), max_length=30, blank=True)
    refund_bank = models.CharField(_("refund bank"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bidder registration")
        verbose_name_plural = _("bidder registrations")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="auction_registration_once_per_user"),
            models.UniqueConstraint(fields=["session", "number"], name="auction_registration_unique_number"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _("Bidder %(number)s") % {"number": f"{self.number:03d}"}


class Lot(StateMachineMixin):
    """One lot: an achievement or an achievement package, sold as an assignment or a licence.

    Guarantees kept by the services and the constraints: a lot is exactly one of achievement or
    package; ``current_price`` only rises (English), every accepted bid bumps ``version`` and
    ``bid_count`` in one conditional UPDATE, ``head_hash`` is the SM3 hash of the last accepted bid,
    and a sold lot has a winner and a hammer price.
    """

    TRANSITIONS = LOT_TRANSITIONS

    session = models.ForeignKey(AuctionSession, on_delete=models.PROTECT, related_name="lots")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="auction_lots",
    )
    package = models.ForeignKey(
        "mining.AchievementPackage",
        verbose_name=_("achievement package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="auction_lots",
    )
    seller = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("seller"),
        on_delete=models.PROTECT,
        related_name="auction_lots_sold",
    )
    sale_kind = models.CharField(_("sold as"), max_length=16, choices=SaleKind.choices)
    licence_type = models.CharField(
        _("licence scope"),
        max_length=20,
        choices=LicenceType.choices,
        blank=True,
        help_text=_("For licences only."),
    )
    format = models.CharField(
        _("format"), max_length=16, choices=LotFormat.choices, default=LotFormat.ENGLISH
    )
    starting_price = models.DecimalField(_("starting price (yuan)"), **MONEY)
    reserve_price = models.DecimalField(_("reserve price (yuan)"), null=True, blank=True, **MONEY)
    increment = models.DecimalField(_("minimum increment (yuan)"), default=Decimal("1000"), **MONEY)
    # [[from_price, step], ...]: from ``from_price`` upwards the increment is ``step``.
    increment_ladder = models.JSONField(_("increment ladder"), default=list, blank=True)
    dutch_decrement = models.DecimalField(_("Dutch clock step (yuan)"), null=True, blank=True, **MONEY)
    dutch_interval_seconds = models.PositiveIntegerField(
        _("Dutch clock interval (seconds)"), default=60, validators=[MaxValueValidator(86400)]
    )
    starts_at = models.DateTimeField(_("bidding opens"))
    scheduled_end_at = models.DateTimeField(_("scheduled end"))
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    soft_close_minutes = models.PositiveIntegerField(
        _("soft close window (minutes)"), default=5, validators=[MaxValueValidator(1440)]
    )
    extension_minutes = models.PositiveIntegerField(
        _("extension per late bid (minutes)"), default=5, validators=[MaxValueValidator(1440)]
    )
    extension_cap_minutes = models.PositiveIntegerField(
        _("maximum total extension (minutes)"), default=60, validators=[MaxValueValidator(10080)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LotStatus.choices, default=LotStatus.DRAFT, db_index=True
    )
    # Legal-status screening (确权审查) by a reviewer before listing.
    rights_verified = models.BooleanField(_("ownership verified"), default=False)
    rights_in_force = models.BooleanField(_("rights valid and in force"), default=False)
    no_encumbrance = models.BooleanField(_("no pledge, licence conflict or dispute"), default=False)
    screening_note = models.TextField(_("screening note"), blank=True, max_length=limits.REASON)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    current_price = models.DecimalField(_("current price (yuan)"), null=True, blank=True, **MONEY)
    leader = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="leading_lots"
    )
    bid_count = models.PositiveIntegerField(_("bids"), default=0)
    extension_count = models.PositiveIntegerField(_("extensions"), default=0)
    version = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # SM3 of the closing record, chained after the last bid (``chain.hash_closing``): seals the outcome.
    closing_hash = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CloseOutcome.choices, blank=True)
    hammer_price = models.DecimalField(_("hammer price (yuan)"), null=True, blank=True, **MONEY)
    winner = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="won_lots"
    )
    # Hand-offs to the floors below: the winner's contract draft, or the post-auction negotiation.
    # Never deleted while a lot points at them (the hand-off would otherwise run again).
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract draft"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    room = models.ForeignKey(
        "deals.Room",
        verbose_name=_("negotiation room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handoff_error = models.TextField(blank=True, max_length=limits.SYSTEM_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["ends_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(achievement__isnull=False, package__isnull=True))
                | (Q(achievement__isnull=True, package__isnull=False)),
                name="auction_lot_achievement_xor_package",
            ),
            models.CheckConstraint(condition=Q(starting_price__gt=0), name="auction_lot_starting_price_gt_0"),
            models.CheckConstraint(condition=Q(increment__gt=0), name="auction_lot_increment_gt_0"),
            models.CheckConstraint(
                condition=Q(reserve_price__isnull=True) | Q(reserve_price__gte=0),
                name="auction_lot_reserve_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="auction_lot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status=LotStatus.SOLD) | Q(hammer_price__isnull=False, winner__isnull=False),
                name="auction_lot_sold_has_winner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sealed(self) -> bool:
        return self.format in SEALED_FORMATS

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_LOT_STATUSES

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == LotStatus.LISTED and self.starts_at <= now < self.ends_at

    @property
    def hard_end_at(self):
        from datetime import timedelta

        return self.scheduled_end_at + timedelta(minutes=self.extension_cap_minutes)

    @property
    def deal_mode_code(self) -> str:
        """The ``taxonomy.DealMode`` code handed to contracts."""
        if self.sale_kind == SaleKind.ASSIGNMENT:
            return "assignment"
        return self.licence_type or LicenceType.ORDINARY

    @property
    def subject(self):
        return self.achievement or self.package


class ProxyBid(models.Model):
    """A bidder's hidden maximum on an English lot: the platform bids for them up to it."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="proxy_bids")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="proxy_bids")
    max_amount = models.DecimalField(_("maximum (yuan)"), **MONEY)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proxy bid")
        verbose_name_plural = _("proxy bids")
        constraints = [
            models.UniqueConstraint(fields=["lot", "registration"], name="auction_proxy_once_per_bidder"),
            models.CheckConstraint(condition=Q(max_amount__gt=0), name="auction_proxy_max_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}:{self.registration_id} ≤ {self.max_amount}"


class Bid(models.Model):
    """An accepted bid, chained to the one before by an SM3 hash (``hash_algorithm``).

    ``seq`` numbers a lot's bids 1, 2, 3 … without gaps; ``nonce`` is the client's idempotency key
    (a replay returns the original bid); ``ends_after`` is the lot's end right after this bid, so
    every soft-close extension can be re-checked.
    """

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="bids")
    seq = models.PositiveIntegerField(_("sequence"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    kind = models.CharField(_("kind"), max_length=8, choices=BidKind.choices, default=BidKind.MANUAL)
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("time"))
    ends_after = models.DateTimeField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    hash_algorithm = models.CharField(max_length=16, default="SM3")

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["lot", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "seq"], name="auction_bid_unique_seq"),
            models.UniqueConstraint(fields=["lot", "nonce"], name="auction_bid_unique_nonce"),
            models.UniqueConstraint(
                fields=["lot", "registration"],
                condition=Q(kind=BidKind.SEALED),
                name="auction_bid_one_sealed_per_bidder",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="auction_bid_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.amount}"


class BidAttempt(models.Model):
    """Every bid a signed-in bidder sent, accepted or refused, kept for disputes and exact idempotency.

    One row per (lot, bidder, nonce): the same nonce with the same amount returns this outcome again;
    with another amount it is refused as a reused nonce. ``amount`` is what the bidder submitted (a Dutch
    acceptance is recorded at the clock price in ``bid``). Malformed requests (no valid amount or nonce)
    are answered 400 and not kept.
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bid_attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="auction_bid_attempts"
    )
    nonce = models.CharField(max_length=64)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    reason = models.CharField(_("reason code"), max_length=32, blank=True)
    message = models.CharField(_("reason"), max_length=300, blank=True)
    body_hash = models.CharField(_("request body hash"), max_length=64, blank=True)
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, null=True, blank=True, related_name="attempt")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("bid attempt")
        verbose_name_plural = _("bid attempts")
        ordering = ["lot", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "user", "nonce"], name="auction_attempt_unique_nonce"),
            models.CheckConstraint(
                condition=Q(outcome="accepted", bid__isnull=False) | Q(outcome="refused", bid__isnull=True),
                name="auction_attempt_bid_iff_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}:{self.user_id}:{self.nonce} {self.outcome}"


# ---- deposits paid by bank transfer (deposits.py) --------------------------------------------------


class BankStatement(models.Model):
    """One imported bank statement of the platform's receiving account (an operator's upload).

    Its lines are stored one by one; a line already stored (same 流水号) is skipped, so importing the
    same statement twice pays nothing twice. ``sha256`` identifies the file that was read.
    """

    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bank_statements"
    )
    uploaded_at = models.DateTimeField(pgettext_lazy("bank statement", "imported"), default=timezone.now)
    line_count = models.PositiveIntegerField(_("lines read"), default=0)
    new_count = models.PositiveIntegerField(_("new lines"), default=0)
    duplicate_count = models.PositiveIntegerField(_("lines already imported"), default=0)
    matched_count = models.PositiveIntegerField(_("deposits confirmed"), default=0)
    unmatched_count = models.PositiveIntegerField(_("unmatched lines"), default=0)
    # A sample statement of the demo (load_demo_auctions), shown with the 示例数据 tag; never a real bank's.
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class StatementLine(StateMachineMixin):
    """One line of a bank statement: income matched to a deposit, or waiting for an operator.

    ``serial`` (流水号) is unique across statements. A matched or assigned line names the registration
    whose deposit it paid; an unmatched line keeps its ``reason``; an operator assigns it (amount checked,
    or overridden with a reason) or dismisses it with a reason.
    """

    TRANSITIONS = LINE_TRANSITIONS
    INITIAL_STATES = frozenset({LineStatus.MATCHED, LineStatus.UNMATCHED})

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    row_number = models.PositiveIntegerField(pgettext_lazy("bank statement", "row"))
    serial = models.CharField(_("transaction serial number"), max_length=64, unique=True)
    booked_on = models.DateField(_("transaction date"))
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    payer_name = models.CharField(_("payer name"), max_length=200, blank=True)
    payer_account = models.CharField(_("payer account"), max_length=64, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=LineStatus.choices, default=LineStatus.UNMATCHED, db_index=True
    )
    reason = models.CharField(
        _("why unmatched"), max_length=20, choices=UnmatchedReason.choices, blank=True, default=""
    )
    reference = models.CharField(_("payment reference found"), max_length=REFERENCE_LENGTH, blank=True)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=pgettext_lazy("auction", "registration"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(
        pgettext_lazy("bank statement line", "resolved"), null=True, blank=True
    )
    resolution_note = models.CharField(_("operator's note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["statement", "row_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["matched", "assigned"], registration__isnull=False)
                | Q(status__in=["unmatched", "dismissed"], registration__isnull=True),
                name="auction_line_registration_iff_paid",
            ),
        ]

    def __str__(self) -> str:
        return self.serial


class RefundBatch(models.Model):
    """A payment file of refunded deposits handed to the bank (收款户名, 收款账号, 开户行, 金额, 用途).

    Each refund is in at most one batch (``RefundItem.registration`` is unique), so a deposit is never
    exported for payment twice; the file is kept with its SHA-256.
    """

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(pgettext_lazy("refund batch", "exported"), default=timezone.now)
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.XLSX)
    file = models.FileField(_("payment file"), upload_to="auctions/refunds/%Y/", max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    item_count = models.PositiveIntegerField(_("refunds"))
    total = models.DecimalField(_("total (yuan)"), **MONEY)
    # The demo's sample payment file (load_demo_auctions), shown with the 示例数据 tag.
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("refund batch")
        verbose_name_plural = _("refund batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pk}"


class RefundItem(models.Model):
    """One refunded deposit in a payment file, with the account it is paid to as exported."""

    batch = models.ForeignKey(RefundBatch, on_delete=models.PROTECT, related_name="items")
    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="refund_item",
        verbose_name=pgettext_lazy("auction", "registration"),
    )
    account_name = models.CharField(_("refund account name"), max_length=100)
    account_number = models.CharField(_("refund account number"), max_length=30)
    bank = models.CharField(_("refund bank"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        verbose_name = pgettext_lazy("deposit", "refund")
        verbose_name_plural = _("refunds")
        ordering = ["batch", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="auction_refund_amount_gt_0")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.registration_id}"
