"""A stand-in rule set proving the registration rules are replaceable by setting (used by tests)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from techbridge.contracts.rules.base import Check, Classification
from techbridge.contracts.rules.cn2001 import Cn2001Rules


class HalfRules(Cn2001Rules):
    """Certifies half of the contract amount and adds one blocking check on the title."""

    version = "TEST-HALF"

    def certify_amount(self, contract: Any, *, carrier_amount: Any = None) -> Decimal:
        return (contract.total_amount / 2).quantize(Decimal("0.01"))

    def classify(self, **kwargs: Any) -> Classification:
        return super().classify(**kwargs)

    def checks(self, contract: Any) -> list[Check]:
        return [*super().checks(contract), Check("title", "禁止" not in contract.title, "no forbidden title")]


RULES = HalfRules()
