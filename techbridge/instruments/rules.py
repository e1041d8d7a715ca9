"""The rule that flags publicly funded instruments with low external use (“全面开放” check).

Large research instruments bought with public money must be open to society (国发〔2014〕70号
《关于国家重大科研基础设施和大型科研仪器向社会开放的意见》, which defines a large instrument as one of
500,000 yuan or more; task 13 of the Nanjing plan). The thresholds below are this platform's rule,
not a national figure: an instrument is flagged when, over the last ``window_months`` calendar months
(the current one included), it served outside users fewer than ``min_external_hours`` machine hours,
or outside users took less than ``min_external_share`` of the hours it was used. Operators change
them with the settings ``INSTRUMENTS_LOW_USE_*`` (docs/instruments.md). Every flag is shown with its
inputs, so an owner can see exactly why.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

LARGE_INSTRUMENT_VALUE = Decimal("500000")


@dataclass(frozen=True)
class LowExternalUseRule:
    window_months: int = 12
    min_external_hours: Decimal = Decimal("100")
    min_external_share: Decimal = Decimal("0.20")
    min_value: Decimal = LARGE_INSTRUMENT_VALUE

    @classmethod
    def from_settings(cls) -> LowExternalUseRule:
        return cls(
            window_months=int(getattr(settings, "INSTRUMENTS_LOW_USE_WINDOW_MONTHS", 12)),
            min_external_hours=Decimal(
                str(getattr(settings, "INSTRUMENTS_LOW_USE_MIN_EXTERNAL_HOURS", "100"))
            ),
            min_external_share=Decimal(
                str(getattr(settings, "INSTRUMENTS_LOW_USE_MIN_EXTERNAL_SHARE", "0.20"))
            ),
            min_value=Decimal(
                str(getattr(settings, "INSTRUMENTS_LOW_USE_MIN_VALUE", LARGE_INSTRUMENT_VALUE))
            ),
        )

    def applies_to(self, *, publicly_funded: bool, purchase_value: Decimal | None) -> bool:
        """Only publicly funded instruments at or above the value threshold are checked."""
        return bool(publicly_funded) and purchase_value is not None and purchase_value >= self.min_value

    def check(self, *, total_hours: Decimal, external_hours: Decimal) -> dict[str, Any]:
        """The inputs and the verdict for one instrument's hours in the window."""
        total_hours = Decimal(total_hours or 0)
        external_hours = Decimal(external_hours or 0)
        share = (external_hours / total_hours) if total_hours else Decimal("0")
        too_few_hours = external_hours < self.min_external_hours
        too_small_share = share < self.min_external_share
        return {
            "flagged": too_few_hours or too_small_share,
            "total_hours": total_hours,
            "external_hours": external_hours,
            "external_share": share.quantize(Decimal("0.001")),
            "too_few_hours": too_few_hours,
            "too_small_share": too_small_share,
            "min_external_hours": self.min_external_hours,
            "min_external_share": self.min_external_share,
            "window_months": self.window_months,
        }
