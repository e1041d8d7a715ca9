"""Validation of achievement fields, shared by forms, the API and imports (through ``full_clean``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from techbridge.lib import patents
from techbridge.lib.text import split_list


def validate_ipc_codes(value: str) -> None:
    bad = [c for c in split_list(value, slash=False) if not patents.is_ipc(c)]
    if bad:
        raise ValidationError(
            _("Not an IPC code: %(codes)s. Write codes like H04L or G06F 16/35.")
            % {"codes": "、".join(bad[:5])},
            code="ipc",
        )


def validate_patent_numbers(value: str) -> None:
    bad = [n for n in split_list(value) if not patents.is_patent_number(n)]
    if bad:
        raise ValidationError(
            _(
                "Not a Chinese patent number: %(numbers)s. "
                "Write numbers like CN202223220665.2 or CN218751475U."
            )
            % {"numbers": "、".join(bad[:5])},
            code="patent_number",
        )
