"""Reading one row's cells: canonical column names, and parsers that refuse a bad value with a reason
the file's author can act on (``RowRefused``). Every importer, in this app or another, uses them."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from techbridge.achievements.choices import AchievementType
from techbridge.lib import patents
from techbridge.organizations.choices import District, OrgKind

from .columns import (
    DISTRICT_NAMES,
    KIND_NAMES,
    ORG_KIND_NAMES,
    header_key,
)

KEYWORDS_MAX = 300


class RowRefused(Exception):
    """A row that cannot be imported; ``reason`` says why in words the file's author can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ---- value parsing ---------------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"[,，;；、|\n]+")
_TRUE = {"1", "true", "yes", "y", "是", "√", "✓", "对"}
_FALSE = {"0", "false", "no", "n", "否", "×", "不", ""}
NEGOTIABLE_WORDS = {"面议", "协商", "议价", "negotiable"}


class Cells:
    """One row's values by canonical column name, with parsers that refuse bad values clearly."""

    def __init__(self, raw: dict[str, Any], aliases: dict[str, str], ignored: set[str]):
        self.values: dict[str, Any] = {}
        self.headers: dict[str, str] = {}
        for header, value in raw.items():
            canonical = aliases.get(header_key(header))
            if canonical is None:
                ignored.add(header)
                continue
            self.values[canonical] = value
            self.headers[canonical] = header
        # None: a bad value refuses the row at once. A list: bad values are collected here (the
        # parser returns its empty value) so a report can name every bad cell of a row, not the first.
        self.problems: list[str] | None = None
        self.refused_labels: set[str] = set()

    def refuse(self, name: str, message: str, default: Any = None) -> Any:
        """Refuse the row because of column ``name`` — or, while collecting, note it and go on."""
        if self.problems is None:
            raise RowRefused(message)
        self.problems.append(message)
        self.refused_labels.add(self.label(name))
        return default

    def label(self, name: str) -> str:
        return self.headers.get(name, name)

    def has(self, name: str) -> bool:
        return not blank(self.values.get(name))

    def text(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return "；".join(str(v).strip() for v in value if str(v).strip())
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def items(self, name: str, *, split_slash: bool = False) -> list[str]:
        value = self.values.get(name)
        if value is None:
            return []
        parts = value if isinstance(value, list | tuple) else _LIST_SPLIT.split(self.text(name))
        out = []
        for part in parts:
            for piece in str(part).split("/") if split_slash else [str(part)]:
                piece = piece.strip()
                if piece and piece not in out:
                    out.append(piece)
        return out

    def boolean(self, name: str) -> bool | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        word = self.text(name).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        return self.refuse(
            name,
            _("%(column)s: “%(value)s” is not yes or no (use 是 or 否).")
            % {"column": self.label(name), "value": word},
        )

    def amount(self, name: str) -> Decimal | str | None:
        """An amount in yuan; ``"negotiable"`` for 面议; None when empty. Accepts 1,200 and 50万."""
        value = self.values.get(name)
        if blank(value):
            return None
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        word = re.sub(r"[\s,，¥￥元]", "", str(value))
        if word.lower() in NEGOTIABLE_WORDS:
            return "negotiable"
        factor = Decimal(1)
        if word.endswith("万"):
            word, factor = word[:-1], Decimal(10000)
        try:
            amount = Decimal(word) * factor
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            return self.refuse(
                name,
                _("%(column)s: “%(value)s” is not an amount in yuan.")
                % {"column": self.label(name), "value": value},
            )
        return amount

    def date(self, name: str) -> dt.date | None:
        value = self.values.get(name)
        if blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        word = str(value).strip()
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", word) or re.fullmatch(
            r"(\d{4})(\d{2})(\d{2})", word
        )
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        return self.refuse(
            name,
            _("%(column)s: “%(value)s” is not a date (write 2027-06-30).")
            % {"column": self.label(name), "value": word},
        )


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def join_keywords(words: list[str]) -> str:
    """Keywords joined with 、, dropping the last ones that would not fit the field."""
    out: list[str] = []
    for word in words:
        if len("、".join([*out, word])) > KEYWORDS_MAX:
            break
        out.append(word)
    return "、".join(out)


def auto_external_id(owner: str, title: str) -> str:
    digest = hashlib.sha1(f"{owner}\n{title}".encode(), usedforsecurity=False).hexdigest()[:24]
    return f"auto-{digest}"


def format_validation_error(model: type[models.Model], exc: ValidationError) -> str:
    """A ValidationError as one line: “field: message; field: message”, with the fields' own names."""
    if not hasattr(exc, "error_dict"):
        return " ".join(str(m) for m in exc.messages)
    parts = []
    for name, errors in exc.message_dict.items():
        messages = " ".join(errors)
        if name == "__all__":
            parts.append(messages)
            continue
        try:
            label = str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # a key that is not a field: show it as it is
            label = name
        parts.append(_("%(field)s: %(message)s") % {"field": label, "message": messages})
    return "; ".join(parts)


# ---- single-value parsers ----------------------------------------------------------------------

# ``Choices.values`` builds a new list on every access; these are read once per row.
_ACHIEVEMENT_TYPES = frozenset(AchievementType.values)
_ORG_KINDS = frozenset(OrgKind.values)
_DISTRICTS = frozenset(District.values)


def achievement_kind(cells: Cells) -> str:
    word = cells.text("kind")
    if not word:
        return AchievementType.OTHER
    if word.lower() in _ACHIEVEMENT_TYPES:
        return word.lower()
    if word in KIND_NAMES:
        return KIND_NAMES[word]
    for value, label in AchievementType.choices:
        if word.lower() == str(label).lower():
            return value
    return cells.refuse(
        "kind",
        _("%(column)s: unknown type “%(value)s”. Use one of: %(allowed)s.")
        % {"column": cells.label("kind"), "value": word, "allowed": "、".join(KIND_NAMES)},
        AchievementType.OTHER,
    )


def org_kind(cells: Cells, name: str) -> str | None:
    word = cells.text(name)
    if not word:
        return None
    if word.lower() in _ORG_KINDS:
        return word.lower()
    if word in ORG_KIND_NAMES:
        return ORG_KIND_NAMES[word]
    return cells.refuse(
        name,
        _("%(column)s: unknown type of organisation “%(value)s”. Use one of: %(allowed)s.")
        % {"column": cells.label(name), "value": word, "allowed": "、".join(ORG_KIND_NAMES)},
    )


def district_of(cells: Cells, name: str) -> str:
    word = cells.text(name)
    if not word:
        return ""
    if word.lower() in _DISTRICTS:
        return word.lower()
    trimmed = word.removeprefix("南京市")
    for candidate in (word, trimmed, trimmed.removesuffix("区")):
        if candidate in DISTRICT_NAMES:
            return DISTRICT_NAMES[candidate]
    return cells.refuse(
        name,
        _("%(column)s: unknown district “%(value)s”. Use a Nanjing district such as 玄武区 or 江北新区.")
        % {"column": cells.label(name), "value": word},
        "",
    )


def trl_of(cells: Cells) -> int | None:
    value = cells.values.get("trl")
    if blank(value):
        return None
    word = cells.text("trl").upper()
    match = re.fullmatch(r"(?:TRL\s*)?(\d+)(?:\.0+)?\s*级?", word)
    level = int(match.group(1)) if match else None
    if level is None or not 1 <= level <= 9:
        return cells.refuse(
            "trl",
            _(
                "%(column)s: “%(value)s” is not a technology readiness level; "
                "use a whole number from 1 to 9, or leave it empty when not assessed."
            )
            % {"column": cells.label("trl"), "value": cells.text("trl")},
        )
    return level


def ipc_codes_of(cells: Cells) -> str:
    codes = []
    for item in cells.items("ipc_codes"):
        code = patents.normalise_ipc(item)
        if not patents.is_ipc(code):
            cells.refuse(
                "ipc_codes",
                _("%(column)s: “%(value)s” is not an IPC code. Write codes like H04L or G06F 16/35.")
                % {"column": cells.label("ipc_codes"), "value": item},
            )
            continue
        if code not in codes:
            codes.append(code)
    return "；".join(codes)
