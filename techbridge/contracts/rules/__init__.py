"""Registration rules (技术合同认定登记规则), in one replaceable place.

The rules that classify a technology contract and certify its technology transaction amount moved to
MIIT in January 2026 (new 认定登记管理办法 and 规则, DOMAIN.md). Everything that depends on them calls
``get_rules()``; the implementation is chosen by the ``CONTRACT_RULES`` setting (a dotted path to a
module exposing ``RULES``), defaulting to :mod:`techbridge.contracts.rules.miit2026`. A new rule set is
a new module with the same interface (see :class:`base.RuleSet`); nothing else changes.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from .base import Check, Classification, RuleSet

DEFAULT_RULES = "techbridge.contracts.rules.miit2026"

__all__ = ["Check", "Classification", "RuleSet", "get_rules"]


def get_rules() -> RuleSet:
    """The rule set in force (``settings.CONTRACT_RULES`` or the MIIT 2026 default)."""
    path = getattr(settings, "CONTRACT_RULES", "") or DEFAULT_RULES
    return import_module(path).RULES
