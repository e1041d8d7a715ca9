"""Parties other than an organisation registered in China: natural persons and organisations abroad.

技术合同认定规则 covers contracts with natural persons, and foreign parties make technology import and
export contracts (技术进出口管理条例). A person is identified by an identity document, shown masked
everywhere; an organisation abroad by its name and country or region.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organisation registered in China (credit code)")
    PERSON = "person", _("Natural person")
    FOREIGN = "foreign", _("Organisation outside mainland China")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card (居民身份证)")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Travel permit for Hong Kong and Macao residents")
    TAIWAN = "taiwan", _("Travel permit for Taiwan residents")
    FOREIGN_PR = "foreign_pr", _("Foreign permanent resident ID card")


ID_NUMBER_MAX = 32
# GB 11643-1999: the 18th character of a resident identity number checks the first 17.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_OTHER = re.compile(r"^[A-Z0-9]{5,32}$")


def normalise_id(number: str) -> str:
    return re.sub(r"[\s-]", "", number or "").upper()


def id_number_ok(id_type: str, number: str) -> bool:
    """A resident identity number has 17 digits and its GB 11643 check character; other documents 5–32
    letters or digits."""
    number = normalise_id(number)
    if id_type == IdType.RESIDENT_ID:
        if not re.fullmatch(r"\d{17}[\dX]", number):
            return False
        total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
        return _CHECK[total % 11] == number[17]
    return id_type in IdType.values and bool(_OTHER.fullmatch(number))


def mask_id(number: str) -> str:
    """Only the first four and last four characters show: 3201**********1234."""
    number = normalise_id(number)
    if not number:
        return ""
    if len(number) <= 8:
        return number[:2] + "*" * (len(number) - 2)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


SIDES = ("seller", "buyer")


def party_fields(side: str) -> tuple[str, ...]:
    """The fields that declare one side's party when it is not a platform organisation."""
    fields = (f"{side}_party_kind", f"{side}_name", f"{side}_id_type", f"{side}_id_number", f"{side}_country")
    return (*fields, "seller_district") if side == "seller" else fields


def party_identified(contract: object, side: str) -> bool:
    """认定规则 art. 4: organisations, natural persons and other parties make technology contracts. An
    organisation in China is identified by its credit code, a natural person by an identity document,
    an organisation abroad by its name and country or region."""
    kind = getattr(contract, f"{side}_party_kind")
    name = getattr(contract, f"{side}_name")
    if kind == PartyKind.PERSON:
        id_type = getattr(contract, f"{side}_id_type")
        return bool(name and id_type) and id_number_ok(id_type, getattr(contract, f"{side}_id_number"))
    if kind == PartyKind.FOREIGN:
        return bool(name and getattr(contract, f"{side}_country"))
    return bool(getattr(contract, f"{side}_credit_code"))
