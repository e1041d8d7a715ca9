"""Valuation (评估): complete assumptions for a request, and comparables without a database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal as D
from typing import Any

# Complete assumptions: cost 693,000 and profit share 97,694.40 (the worked examples of
# valuation/tests/test_formulas.py).
ASSUMPTIONS: dict[str, Any] = {
    "purpose": "transfer",
    "reproduction_cost": D(1_000_000),
    "developer_profit_pct": D(10),
    "technical_obsolescence_pct": D(30),
    "economic_obsolescence_pct": D(10),
    "income_method": "profit_share",
    "first_year_revenue": D(1_000_000),
    "growth_pct": D(5),
    "economic_life_years": 3,
    "tax_pct": D(25),
    "risk_free_pct": D(3),
    "technology_risk_pct": D(4),
    "market_risk_pct": D(2),
    "management_risk_pct": D(1),
    "profit_margin_pct": D(20),
    "technology_share_pct": D(25),
    "subject_deal_mode": "assignment",
    "price_index_pct": D(0),
}


def comparables_provider(n: int) -> Callable[[Any], list]:
    """A comparables provider with ``n`` registered-contract comparables (800,000 to 1,200,000) in
    集成电路 for assignment; monkeypatch it into ``valuation.comparables.PROVIDERS``."""
    from techbridge.valuation import comparables

    amounts = [D(800_000), D(1_000_000), D(1_200_000), D(900_000), D(1_100_000)]

    def provider(achievement: Any) -> list:
        return [
            comparables.Comparable(
                source="contract",
                ref=f"contract:{i}",
                title=f"集成电路低功耗时钟芯片技术转让{i}",
                amount=amounts[i],
                on=date(2026, 1, 1),
                field_codes=("ic",),
                deal_mode="assignment",
                contract_type="transfer",
                text="集成电路 低功耗 时钟 芯片 电路",
            )
            for i in range(n)
        ]

    return provider
