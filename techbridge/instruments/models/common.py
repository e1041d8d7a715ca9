"""Bounds shared by the models, forms and API of instruments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator

MAX_AMOUNT = Decimal("9999999999.99")  # just under 100亿元: more than any instrument, order or budget
MAX_RATE = Decimal("1000000.00")  # a fee rate (yuan per hour or per sample)
MAX_HOURS = Decimal("2880.00")  # machine hours in one usage record (120 day units)
MAX_SAMPLES = 10000

MONEY: dict[str, Any] = {
    "max_digits": 16,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
}
RATE: dict[str, Any] = {
    "max_digits": 12,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_RATE)],
}
HOURS: dict[str, Any] = {
    "max_digits": 8,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS)],
}
SHARE: dict[str, Any] = {
    "max_digits": 4,
    "decimal_places": 3,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
}

TEXT_SHORT = 200
TEXT_MEDIUM = 2000
TEXT_LONG = 5000
