"""The interface every registration rule set implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from techbridge.contracts.models import Contract


@dataclass(frozen=True)
class Check:
    """One check of a submitted contract: a short code, whether it passed, and what it means."""

    code: str
    passed: bool
    message: str
    blocking: bool = True


@dataclass(frozen=True)
class Subject:
    """What a contract is about, as the rules see it: the achievement type and, for a patent, its legal
    status (``achievements.choices.LegalStatus``; blank when not stated)."""

    kind: str
    legal_status: str = ""


@dataclass(frozen=True)
class Classification:
    """The contract type and sub-type; a blank one is undecided and ``question`` says what to choose.

    The rules never guess: an unknown deal mode, a subject without a stated legal status, or a package
    whose members differ leave the choice to the parties (and, in the end, to the registry officer).
    """

    contract_type: str
    sub_type: str
    question: str = ""

    @property
    def decided(self) -> bool:
        return bool(self.contract_type and self.sub_type)


class RuleSet(Protocol):
    """What the registry needs from a rule set."""

    version: str
    name: str

    def classify(
        self,
        *,
        deal_mode: str,
        subjects: Sequence[Subject] = (),
        contract_type: str = "",
        sub_type: str = "",
    ) -> Classification:
        """The contract type and sub-type for a deal mode and the subject(s) of the contract."""
        ...

    def certify_amount(self, contract: Contract, *, carrier_amount: Decimal | None = None) -> Decimal:
        """The technology transaction amount (技术交易额) the registry certifies."""
        ...

    def checks(self, contract: Contract) -> list[Check]:
        """The checks an officer sees before registering; a failed blocking check refuses registration."""
        ...
