"""Choices of contracts: the 四技 contract types and sub-types, statuses, sides and origins."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContractType(models.TextChoices):
    """The four technology contract types (四技合同) plus licences, which the 2021 Civil Code lists apart."""

    DEVELOPMENT = "development", _("Technology development")
    TRANSFER = "transfer", _("Technology transfer")
    LICENSE = "license", _("Technology licence")
    CONSULTING = "consulting", _("Technical consulting")
    SERVICE = "service", _("Technical service")


class SubType(models.TextChoices):
    """Sub-types of each contract type (技术合同认定规则); ``SUB_TYPES`` says which belong to which."""

    COMMISSIONED = "commissioned", _("Commissioned development")
    COOPERATIVE = "cooperative", _("Cooperative development")
    PATENT_RIGHT = "patent_right", _("Patent right assignment")
    PATENT_APPLICATION = "patent_application", _("Patent application right assignment")
    TECHNICAL_SECRET = "technical_secret", _("Technical secret assignment")
    SOFTWARE_COPYRIGHT = "software_copyright", _("Software copyright assignment")
    OTHER_TRANSFER = "other_transfer", _("Other technology assignment")
    PATENT_LICENSE = "patent_license", _("Patent licence")
    APPLICATION_LICENSE = "application_license", _("Licence of a patent application")
    SECRET_LICENSE = "secret_license", _("Technical secret licence")
    OTHER_LICENSE = "other_license", _("Other technology licence")
    CONSULTING = "consulting", _("Technical consulting")
    SERVICE = "service", _("Technical service")
    TRAINING = "training", _("Technical training")
    INTERMEDIATION = "intermediation", _("Technical intermediation")


SUB_TYPES: dict[str, list[str]] = {
    ContractType.DEVELOPMENT: [SubType.COMMISSIONED, SubType.COOPERATIVE],
    ContractType.TRANSFER: [
        SubType.PATENT_RIGHT,
        SubType.PATENT_APPLICATION,
        SubType.TECHNICAL_SECRET,
        SubType.SOFTWARE_COPYRIGHT,
        SubType.OTHER_TRANSFER,
    ],
    ContractType.LICENSE: [
        SubType.PATENT_LICENSE,
        SubType.APPLICATION_LICENSE,
        SubType.SECRET_LICENSE,
        SubType.OTHER_LICENSE,
    ],
    ContractType.CONSULTING: [SubType.CONSULTING],
    ContractType.SERVICE: [SubType.SERVICE, SubType.TRAINING, SubType.INTERMEDIATION],
}


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    SUBMITTED = "submitted", _("Submitted for registration")
    REGISTERED = "registered", pgettext_lazy("contract status", "Registered")
    REJECTED = "rejected", _("Not registered")
    PERFORMED = "performed", _("Performed (closed)")
    SUPERSEDED = "superseded", _("Superseded by an amendment")
    CANCELLED = "cancelled", _("Cancelled")


CONTRACT_TRANSITIONS: dict[str, set[str]] = {
    ContractStatus.DRAFT: {ContractStatus.SIGNED, ContractStatus.CANCELLED, ContractStatus.SUPERSEDED},
    ContractStatus.SIGNED: {ContractStatus.SUBMITTED, ContractStatus.SUPERSEDED, ContractStatus.PERFORMED},
    ContractStatus.SUBMITTED: {ContractStatus.REGISTERED, ContractStatus.REJECTED},
    # A rejected contract may be resubmitted with better papers, or amended by a new version.
    ContractStatus.REJECTED: {ContractStatus.SUBMITTED, ContractStatus.SUPERSEDED, ContractStatus.PERFORMED},
    ContractStatus.REGISTERED: {ContractStatus.SUPERSEDED, ContractStatus.PERFORMED},
    # 履行完毕: the parties declare the contract performed; it is closed (no amendment, no registration).
    ContractStatus.PERFORMED: set(),
    ContractStatus.SUPERSEDED: set(),
    ContractStatus.CANCELLED: set(),
}

# Statuses after both signatures: the contract text is frozen.
FROZEN = {
    ContractStatus.SIGNED,
    ContractStatus.SUBMITTED,
    ContractStatus.REGISTERED,
    ContractStatus.REJECTED,
    ContractStatus.PERFORMED,
    ContractStatus.SUPERSEDED,
}

# Statuses in which a registration stands: a registered contract stays registered once performed
# (``registered_at`` tells a performed contract that was registered from one that never was).
REGISTERED_STATES = (ContractStatus.REGISTERED, ContractStatus.PERFORMED)


class Side(models.TextChoices):
    SELLER = "seller", _("Seller")
    BUYER = "buyer", _("Buyer")


class SignMethod(models.TextChoices):
    """How a signer proved it was them when signing."""

    PASSWORD = "password", _("Password entered again")


class DisputeMethodChoices(models.TextChoices):
    """争议解决 after negotiation fails: arbitration or a court, one of the two (the parties' choice)."""

    ARBITRATION = "arbitration", _("Arbitration")
    COURT = "court", _("Lawsuit in a people's court")


class Origin(models.TextChoices):
    NEGOTIATION = "negotiation", _("Negotiation on the platform")
    AUCTION = "auction", _("Auction")
    EXTERNAL = "external", _("Made outside the platform")
    CHALLENGE = "challenge", _("Challenge awarded on the platform (揭榜挂帅)")


class PaymentTerms(models.TextChoices):
    """How the price is paid (used by offers and contracts)."""

    LUMP_SUM = "lump_sum", _("Lump sum")
    INSTALMENTS = "instalments", _("Instalments")
    ROYALTY = "royalty", _("Royalty")
    ENTRY_FEE_ROYALTY = "entry_fee_royalty", _("Entry fee plus royalty (入门费 + 提成)")
    EQUITY = "equity", _("Equity")


class Exclusivity(models.TextChoices):
    EXCLUSIVE = "exclusive", _("Exclusive")
    SOLE = "sole", _("Sole")
    NON_EXCLUSIVE = "non_exclusive", _("Non-exclusive")
    NOT_APPLICABLE = "", _("Not applicable")


# ---- bounds every input shares (issue 20 point 3): the model, the forms, the API and the services ----

# A payment schedule (and an offer's number of instalments) has at most this many items; a contract or an
# offer runs at most this many months (100 years: beyond any patent or licence term).
MAX_SCHEDULE_ITEMS = 120
MAX_DURATION_MONTHS = 1200
INSTALMENTS_LIMIT = MaxValueValidator(
    MAX_SCHEDULE_ITEMS, _("An offer has at most %(limit_value)s instalments.")
)
DURATION_LIMIT = MaxValueValidator(
    MAX_DURATION_MONTHS, _("The duration cannot exceed %(limit_value)s months.")
)
