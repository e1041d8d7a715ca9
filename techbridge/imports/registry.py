"""The kinds of record the import console, ``load_listings`` and the Excel templates know.

Each kind names its importer (a ``BaseImporter`` subclass), its Chinese label, its template columns
(header, example, note; a star marks a required column) and, for listings, the kind of near-duplicate
check to run after an import. The built-in kinds (listings, patents, organisations) are registered
by this app; any app that imports its own records (instruments, patents, the talent register …)
registers its kind in ``ready()``::

    register_import_kind(ImportKind("instruments", _("Instruments"), InstrumentImporter, template=(...)))

and gets the upload → row-by-row report → confirm → progress flow, the refused-rows download and the
audit trail for free (the words of its ``<app>.<model>.imported``/``reimported`` codes are registered
with the kind).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from techbridge.core import registry as core_registry
from techbridge.core.roles import is_operator

from .importers.base import BaseImporter, import_audit_labels

Column = tuple[str, str, str]


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: str | Promise
    importer: type[BaseImporter]
    template_label: str = ""
    template: tuple[Column, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    duplicates: str | None = None
    order: int = 100
    may_import: Callable[[Any], bool] = is_operator


_kinds: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> ImportKind:
    if kind.importer.kind != kind.code:
        raise ValueError(f"{kind.importer.__name__}.kind is {kind.importer.kind!r}, not {kind.code!r}")
    _kinds[kind.code] = kind
    core_registry.register_audit_labels(import_audit_labels(kind.importer.model))
    return kind


def import_kind(code: str) -> ImportKind:
    """The registered kind ``code``; ``ValidationError`` (for the user) when there is none."""
    try:
        return _kinds[code]
    except KeyError:
        raise ValidationError(_("Unknown kind of record.")) from None


def import_kinds() -> list[ImportKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.code))
