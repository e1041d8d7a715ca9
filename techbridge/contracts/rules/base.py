"""The interface every registration rule set implements."""

from __future__ import annotations

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
class Classification:
    contract_type: str
    sub_type: str


class RuleSet(Protocol):
    """What the registry needs from a rule set."""

    version: str

    def classify(
        self, *, deal_mode: str, achievement_kind: str = "", contract_type: str = "", sub_type: str = ""
    ) -> Classification:
        """The contract type and sub-type for a deal mode and (optionally) the achievement's kind."""
        ...

    def certify_amount(self, contract: Contract) -> Decimal:
        """The technology transaction amount (技术交易额) the registry certifies."""
        ...

    def checks(self, contract: Contract) -> list[Check]:
        """The checks an officer sees before registering; a failed blocking check refuses registration."""
        ...
