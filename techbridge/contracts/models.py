"""Technology contracts (技术合同), their signatures, payment schedules, payments and registration.

A contract starts as a draft (from an accepted offer, an auction, or entered/imported from outside the
platform), is signed by both sides, submitted by the seller for 技术合同认定登记, and registered or
rejected by a registry officer. Once both sides have signed the text is frozen: a change is a new
version (``previous`` → amendment) and the old one is superseded.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techbridge.achievements.choices import PATENT_KINDS, AchievementType, LegalStatus
from techbridge.core.workflow import StateMachineMixin
from techbridge.lib import limits
from techbridge.organizations.choices import District

from .choices import (
    CONTRACT_TRANSITIONS,
    DURATION_LIMIT,
    SUB_TYPES,
    ContractStatus,
    ContractType,
    DisputeMethodChoices,
    Exclusivity,
    Origin,
    PaymentTerms,
    Side,
    SignMethod,
    SubType,
)
from .clauses import CLAUSE_HEADING_MAX, CLAUSE_TEXT_MAX, VENUE_MAX
from .parties import ID_NUMBER_MAX, SIDES, IdType, PartyKind, id_number_ok, mask_id

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}
# The registry decides within 30 days of submission (DOMAIN.md); later submissions show as overdue.
REGISTRATION_DAYS = 30


class Contract(StateMachineMixin):
    """One version of a technology contract between a seller (technology side) and a buyer.

    Amounts are Decimal yuan: ``total_amount`` is the contract price; ``equipment_amount``,
    ``materials_amount`` and ``other_non_tech_amount`` are the non-technical parts; the declared
    technology part is the total less those. ``technology_amount`` is the 技术交易额 the registry
    certifies, null until the contract is registered. Parties' names and credit codes are copied at
    creation so the contract reads the same if an organisation later changes.
    """

    TRANSITIONS = CONTRACT_TRANSITIONS
    # Not a field: the sides whose signature the last edit voided (``services.void_signatures``).
    voided_sides: list[str]
    # Made on the platform: a draft; entered after being signed outside it: signed.
    INITIAL_STATES = frozenset({ContractStatus.DRAFT, ContractStatus.SIGNED})

    number = models.CharField(_("contract number"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # Blank while undecided: the rules never default a type the deal mode does not give (issue 18).
    contract_type = models.CharField(
        _("contract type"), max_length=16, choices=ContractType.choices, blank=True, default=""
    )
    sub_type = models.CharField(_("sub-type"), max_length=24, choices=SubType.choices, blank=True)
    # The platform organisation acting for each side: it negotiates, signs on the platform and (the
    # seller side) applies for registration. The party itself may be a natural person or an organisation
    # abroad (``<side>_party_kind``, 认定规则 art. 4): an inventor whose university's transfer office
    # acts for him, a buyer's parent company abroad. Null for an outside contract whose party is not a
    # platform organisation (an individual inventor applying at the registry's counter).
    seller = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("seller (technology side)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_as_seller",
    )
    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_as_buyer",
    )
    seller_name = models.CharField(_("seller name"), max_length=200, blank=True)
    seller_credit_code = models.CharField(_("seller credit code"), max_length=18, blank=True)
    buyer_name = models.CharField(_("buyer name"), max_length=200, blank=True)
    buyer_credit_code = models.CharField(_("buyer credit code"), max_length=18, blank=True)
    seller_party_kind = models.CharField(
        _("seller is"), max_length=16, choices=PartyKind.choices, default=PartyKind.ORGANIZATION
    )
    seller_id_type = models.CharField(
        _("seller's identity document"), max_length=16, choices=IdType.choices, blank=True
    )
    seller_id_number = models.CharField(_("seller's document number"), max_length=ID_NUMBER_MAX, blank=True)
    seller_country = models.CharField(_("seller's country or region"), max_length=60, blank=True)
    # Where a natural person seller lives or works (the registry of the seller's location registers the
    # contract, 管理办法, 按地域一次登记; the statistics count sellers located in Nanjing). An organisation's
    # location is its own (``seller.district``).
    seller_district = models.CharField(
        _("seller's district (natural person)"), max_length=16, choices=District.choices, blank=True
    )
    buyer_party_kind = models.CharField(
        _("buyer is"), max_length=16, choices=PartyKind.choices, default=PartyKind.ORGANIZATION
    )
    buyer_id_type = models.CharField(
        _("buyer's identity document"), max_length=16, choices=IdType.choices, blank=True
    )
    buyer_id_number = models.CharField(_("buyer's document number"), max_length=ID_NUMBER_MAX, blank=True)
    buyer_country = models.CharField(_("buyer's country or region"), max_length=60, blank=True)
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    package = models.ForeignKey(
        "mining.AchievementPackage",
        verbose_name=_("achievement package"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    field = models.ForeignKey(
        "taxonomy.IndustryField",
        verbose_name=_("industry field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deal_mode = models.CharField(_("deal mode"), max_length=32, blank=True)
    # The subject as the registry classifies it: copied from the achievement (or the package's members
    # where they agree) when the draft is made, declared for an outside contract, confirmed by the officer.
    subject_kind = models.CharField(
        _("type of the subject"), max_length=24, choices=AchievementType.choices, blank=True
    )
    subject_legal_status = models.CharField(
        _("legal status of the subject"), max_length=16, choices=LegalStatus.choices, blank=True
    )
    total_amount = models.DecimalField(_("contract amount (yuan)"), **MONEY)
    equipment_amount = models.DecimalField(_("equipment (yuan)"), default=Decimal("0"), **MONEY)
    materials_amount = models.DecimalField(_("materials (yuan)"), default=Decimal("0"), **MONEY)
    other_non_tech_amount = models.DecimalField(
        _("other non-technical parts (yuan)"), default=Decimal("0"), **MONEY
    )
    # 认定规则: the direct cost of a reasonable quantity of items carrying the technology (samples,
    # prototypes) is not a non-technical part: declared here (within equipment and materials), then
    # accepted or corrected by the registry officer.
    carrier_amount = models.DecimalField(
        _("of which: items carrying the technology (yuan)"), default=Decimal("0"), **MONEY
    )
    carrier_amount_accepted = models.DecimalField(
        _("carrier cost accepted by the registry (yuan)"), null=True, blank=True, **MONEY
    )
    technology_amount = models.DecimalField(
        _("certified technology transaction amount (yuan)"), null=True, blank=True, **MONEY
    )
    payment_terms = models.CharField(
        _("payment terms"), max_length=24, choices=PaymentTerms.choices, default=PaymentTerms.LUMP_SUM
    )
    royalty_rate = models.DecimalField(
        _("royalty rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    duration_months = models.PositiveIntegerField(
        _("duration (months)"), null=True, blank=True, validators=[DURATION_LIMIT]
    )
    territory = models.CharField(_("territory"), max_length=100, blank=True)
    exclusivity = models.CharField(
        _("exclusivity"), max_length=16, choices=Exclusivity.choices, blank=True, default=""
    )
    terms = models.TextField(_("contract terms"), blank=True, max_length=limits.DESCRIPTION)
    # 争议解决: negotiation first, then the forum the parties chose (the ``disputes`` clause says so).
    dispute_method = models.CharField(
        _("dispute resolution"),
        max_length=16,
        choices=DisputeMethodChoices.choices,
        default=DisputeMethodChoices.ARBITRATION,
    )
    dispute_venue = models.CharField(
        _("arbitration commission or court"), max_length=VENUE_MAX, blank=True, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ContractStatus.choices,
        default=ContractStatus.DRAFT,
        db_index=True,
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, default=Origin.NEGOTIATION)
    origin_ref = models.CharField(_("origin reference"), max_length=100, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("amends"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendment",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted for registration"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True, db_index=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules_version = models.CharField(_("registration rules"), max_length=40, blank=True)
    # SM3 of the registration record, chained after the last signature (``seal.registration_hash``).
    registration_hash = models.CharField(max_length=64, blank=True)
    reject_reason = models.TextField(
        _("reason registration was refused"), blank=True, max_length=limits.REASON
    )
    performed_at = models.DateTimeField(_("performed"), null=True, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_amount__gte=0)
                & models.Q(equipment_amount__gte=0)
                & models.Q(materials_amount__gte=0)
                & models.Q(other_non_tech_amount__gte=0)
                & models.Q(carrier_amount__gte=0),
                name="contract_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(technology_amount__isnull=True)
                | models.Q(technology_amount__gte=0, technology_amount__lte=models.F("total_amount")),
                name="contract_technology_amount_within_total",
            ),
            models.CheckConstraint(
                condition=~models.Q(seller=models.F("buyer")), name="contract_two_parties"
            ),
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~models.Q(registration_number=""),
                name="contract_unique_registration_number",
            ),
        ]
        indexes = [models.Index(fields=["status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def non_tech_amount(self) -> Decimal:
        return self.equipment_amount + self.materials_amount + self.other_non_tech_amount

    @property
    def declared_technology_amount(self) -> Decimal:
        """The technology part the parties declare: total less the non-technical parts, the declared
        cost of items carrying the technology counted as technology (认定规则)."""
        return self.total_amount - self.non_tech_amount + self.carrier_amount

    @property
    def subject(self) -> Any:
        """The subject as the rules see it (:class:`rules.Subject`), or ``None`` when not stated."""
        from .rules import Subject

        return Subject(self.subject_kind, self.subject_legal_status) if self.subject_kind else None

    @property
    def buyer_id_masked(self) -> str:
        """The buyer's document number as every page and the API show it."""
        return mask_id(self.buyer_id_number)

    @property
    def seller_id_masked(self) -> str:
        return mask_id(self.seller_id_number)

    @property
    def technology_trade(self) -> str:
        """``"export"`` when the buyer is an organisation abroad, ``"import"`` when the seller is
        (技术进出口管理条例: recorded with the commerce department as well), else ``""``."""
        if self.buyer_party_kind == PartyKind.FOREIGN:
            return "export"
        if self.seller_party_kind == PartyKind.FOREIGN:
            return "import"
        return ""

    @property
    def is_cross_border(self) -> bool:
        """A technology import or export contract (one party is an organisation abroad)."""
        return bool(self.technology_trade)

    @property
    def is_registered(self) -> bool:
        """Registered, and still so (also once performed); not a superseded or never-registered one."""
        from .choices import REGISTERED_STATES

        return self.status in REGISTERED_STATES and self.registered_at is not None

    @property
    def is_frozen(self) -> bool:
        """Signed (or later): the text can only change by an amendment."""
        from .choices import FROZEN

        return self.status in FROZEN

    @property
    def registration_due(self):
        return self.submitted_at + timedelta(days=REGISTRATION_DAYS) if self.submitted_at else None

    @property
    def is_overdue(self) -> bool:
        """Submitted more than 30 days ago and still not decided."""
        due = self.registration_due
        return bool(self.status == ContractStatus.SUBMITTED and due and timezone.now() > due)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.total_amount is not None and self.total_amount < 0:
            errors["total_amount"] = _("The contract amount cannot be negative.")
        for name in ("equipment_amount", "materials_amount", "other_non_tech_amount", "carrier_amount"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Amounts cannot be negative.")
        if not errors and self.total_amount is not None and self.non_tech_amount > self.total_amount:
            errors["equipment_amount"] = _(
                "Equipment, materials and other non-technical parts exceed the contract amount."
            )
        if (
            not errors
            and self.carrier_amount is not None
            and self.carrier_amount > self.equipment_amount + self.materials_amount
        ):
            errors["carrier_amount"] = _(
                "The items carrying the technology are part of the equipment and materials: their cost "
                "cannot exceed them."
            )
        if self.subject_legal_status and self.subject_kind not in PATENT_KINDS:
            errors["subject_legal_status"] = _("Only a patent or a patent application has a legal status.")
        if self.sub_type and self.sub_type not in SUB_TYPES.get(self.contract_type, []):
            errors["sub_type"] = _("This sub-type does not belong to the contract type.")
        if self.seller_id and self.seller_id == self.buyer_id:
            errors["buyer"] = _("The buyer must be another organisation than the seller.")
        errors.update(self._party_errors())
        if errors:
            raise ValidationError(errors)

    def _party_errors(self) -> dict[str, Any]:
        """Each side: an organisation in China is a platform organisation; a natural person has an
        identity document; an organisation abroad has a name and a country or region (认定规则 art. 4).
        A contract made on the platform keeps the organisation that acts for each side."""
        errors: dict[str, Any] = {}
        for side in SIDES:
            errors.update(self._side_errors(side))
        if self.seller_party_kind == PartyKind.FOREIGN == self.buyer_party_kind:
            errors["buyer_party_kind"] = _(
                "Both parties are abroad: the contract is not registered in China. One party must be in "
                "mainland China."
            )
        return errors

    def _side_errors(self, side: str) -> dict[str, Any]:
        from .choices import Origin

        words = PARTY_MESSAGES[side]
        kind = getattr(self, f"{side}_party_kind")
        has_org = getattr(self, f"{side}_id") is not None
        if kind == PartyKind.ORGANIZATION or (self.origin != Origin.EXTERNAL and not has_org):
            return {} if has_org else {side: words["organisation"]}
        errors: dict[str, Any] = {}
        if has_org and self.origin == Origin.EXTERNAL:
            errors[side] = _("A natural person or an organisation abroad is not a platform organisation.")
        if not (getattr(self, f"{side}_name") or "").strip():
            errors[f"{side}_name"] = words["name"]
        if kind == PartyKind.PERSON:
            id_type = getattr(self, f"{side}_id_type")
            if not id_type:
                errors[f"{side}_id_type"] = words["document"]
            elif not id_number_ok(id_type, getattr(self, f"{side}_id_number")):
                errors[f"{side}_id_number"] = _("This is not a valid number for that identity document.")
            if side == "seller" and not self.seller_district:
                errors["seller_district"] = _(
                    "Give the district where the seller lives or works (“Outside Nanjing” if elsewhere)."
                )
        if kind == PartyKind.FOREIGN and not (getattr(self, f"{side}_country") or "").strip():
            errors[f"{side}_country"] = words["country"]
        return errors


PARTY_MESSAGES: dict[str, dict[str, Any]] = {
    "seller": {
        "organisation": _("Choose the seller organisation."),
        "name": _("Give the seller's name."),
        "document": _("Choose the seller's identity document."),
        "country": _("Give the seller's country or region."),
    },
    "buyer": {
        "organisation": _("Choose the buyer organisation."),
        "name": _("Give the buyer's name."),
        "document": _("Choose the buyer's identity document."),
        "country": _("Give the buyer's country or region."),
    },
}


class Signature(models.Model):
    """One side's signature of a contract version: who signed for the organisation, and when."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatures")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    # How the signer confirmed it was them (the password entered again), and from which address: the
    # evidence of the signature, sealed with it. Blank for signatures made before re-authentication.
    method = models.CharField(_("signed by"), max_length=16, choices=SignMethod.choices, blank=True)
    client_address = models.CharField(_("client address"), max_length=64, blank=True)
    # SM3 of the signed text, the signer and the time, chained to the previous signature (``seal``).
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "side"], name="contract_signed_once_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.side} {self.user_id}"


class Instalment(models.Model):
    """A planned payment or milestone (付款计划 / 里程碑); the amount is null for a pure milestone."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="instalments")
    description = models.CharField(_("milestone / payment"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **MONEY)
    done_at = models.DateTimeField(_("reached"), null=True, blank=True)

    class Meta:
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="instalment_amount_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.description


class Payment(models.Model):
    """A payment recorded against a contract (by either side)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


class Clause(models.Model):
    """One clause (条款) of a contract version's text, made from its type's model text (``clauses``).

    The parties edit a clause while the contract is a draft; ``version`` counts the texts it has had and
    every one of them is kept as a :class:`ClauseVersion`. ``edited_by`` is the last party who wrote it
    (null while it is the model text filled from the contract, which follows the contract's terms).
    """

    # Not a field: the versions a page or the API shows with the clause.
    versions: list[Any]

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clauses")
    key = models.CharField(pgettext_lazy("contract clause", "clause"), max_length=32)
    position = models.PositiveSmallIntegerField(pgettext_lazy("contract clause", "article"), default=0)
    heading = models.CharField(pgettext_lazy("contract clause", "heading"), max_length=CLAUSE_HEADING_MAX)
    text = models.TextField(pgettext_lazy("contract clause", "text"), max_length=CLAUSE_TEXT_MAX)
    version = models.PositiveIntegerField(pgettext_lazy("contract clause", "version"), default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(pgettext_lazy("contract clause", "changed"), default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("contract clause", "clause")
        verbose_name_plural = pgettext_lazy("contract clause", "clauses")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="contract_clause_once")]

    def __str__(self) -> str:
        return self.heading


class ClauseVersion(models.Model):
    """A text a clause had: the model text (no editor) or a party's edit, numbered per clause."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clause_versions")
    key = models.CharField(pgettext_lazy("contract clause", "clause"), max_length=32)
    version = models.PositiveIntegerField(pgettext_lazy("contract clause", "version"))
    heading = models.CharField(pgettext_lazy("contract clause", "heading"), max_length=CLAUSE_HEADING_MAX)
    text = models.TextField(pgettext_lazy("contract clause", "text"), max_length=CLAUSE_TEXT_MAX)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(pgettext_lazy("contract clause", "changed"), default=timezone.now)

    class Meta:
        verbose_name = _("clause version")
        verbose_name_plural = _("clause versions")
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key", "version"], name="clause_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
