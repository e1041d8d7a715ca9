"""Registration rules (技术合同认定登记规则), in one replaceable place.

The rules that classify a technology contract and certify its technology transaction amount are the
national 技术合同认定规则 (2001) and 技术合同认定登记管理办法 (2000), implemented in
:mod:`techbridge.contracts.rules.cn2001`. Everything that depends on them calls ``get_rules()``; the
implementation is chosen by the ``CONTRACT_RULES`` setting (a dotted path to a module exposing
``RULES``). A revision (e.g. MIIT's, once published) is a new module with the same interface (see
:class:`base.RuleSet`); nothing else changes, and each contract records the version it was registered
under.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from .base import Check, Classification, RuleSet, Subject

DEFAULT_RULES = "techbridge.contracts.rules.cn2001"

__all__ = ["Check", "Classification", "RuleSet", "Subject", "get_rules", "rule_set_name"]


def get_rules() -> RuleSet:
    """The rule set in force (``settings.CONTRACT_RULES`` or the national 2001 rules)."""
    path = getattr(settings, "CONTRACT_RULES", "") or DEFAULT_RULES
    return import_module(path).RULES


def rule_set_name(version: str) -> str:
    """What a recorded rule-set code implements (the code itself when unknown)."""
    from .cn2001 import VERSIONS

    return VERSIONS.get(version, version)
