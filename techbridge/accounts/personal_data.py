"""A person's copy of their personal information (个人信息保护法 art. 45): what the platform holds about them.

Built from the schema, not from a list that goes stale: every record of the platform's apps that points at
the user through a field naming them as its subject (``user``, ``created_by``, ``author``, ``requester``,
``actor`` of an audit entry …) is theirs, whatever app later adds it. Records in which the user only acted
for the platform (``reviewed_by``, ``decided_by``, ``verified_by`` …) hold other people's information and
are not part of the copy. Secrets (password hashes, token digests, keys, nonces) are never written out.

One section per kind of record (a sheet of the workbook, or an entry of the JSON answer), at most
``ROW_CAP`` rows each. The data of one person is small, so the copy is made in the request.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import ForeignObjectRel, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from techbridge.core import audit
from techbridge.lib.xlsx import Sheet

from .models import User

# Fields that name the person a record is about (or by whom it was written for themselves).
SUBJECT_FIELDS = frozenset(
    {
        "user",
        "created_by",
        "author",
        "actor",
        "requester",
        "requested_by",
        "applied_by",
        "holder",
        "person",
        "rater",
        "raised_by",
        "made_by",
        "opened_by",
        "uploaded_by",
        "recipient",
        "claimed_by",
        "submitted_by",
    }
)
# Field names that hold secrets: never in a copy.
SECRET_PARTS = ("password", "digest", "secret", "nonce", "key_hash", "api_key")
ROW_CAP = 5_000


@dataclass
class Section:
    """One kind of record: its name, column headers and rows (Python values)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False


def _is_secret(f: models.Field) -> bool:
    return any(part in f.name for part in SECRET_PARTS) or isinstance(f, models.BinaryField)


def _subject_relations() -> dict[type[models.Model], list[str]]:
    """Each model of the platform that names a user as its subject, with the naming fields."""
    found: dict[type[models.Model], list[str]] = defaultdict(list)
    for rel in User._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue
        model = rel.related_model
        if not model.__module__.startswith("techbridge.") or model._meta.auto_created:
            continue
        if rel.field.name in SUBJECT_FIELDS:
            found[model].append(rel.field.name)
    return dict(found)


def _account(user: User) -> Section:
    rows: list[list[Any]] = [
        [pgettext("personal data copy", "User name"), user.username],
        [pgettext("personal data copy", "Real name"), user.real_name],
        [pgettext("personal data copy", "E-mail"), user.email],
        [pgettext("personal data copy", "Phone"), user.phone],
        [pgettext("personal data copy", "Position"), user.title],
        [
            pgettext("personal data copy", "Organisation"),
            user.organization.name if user.organization else "",
        ],
        [_("Role in the organisation"), user.get_role_display()],
        [pgettext("personal data copy", "Signed up"), user.date_joined],
        [_("Last signed in"), user.last_login],
    ]
    return Section(
        "accounts.User",
        pgettext("personal data copy", "Account"),
        [pgettext("personal data copy", "Item"), pgettext("personal data copy", "Value")],
        rows,
    )


def collect(user: User) -> list[Section]:
    """The person's data, section by section (one query per kind of record)."""
    sections = [_account(user)]
    relations = _subject_relations()
    for model in sorted(relations, key=lambda m: m._meta.label):
        names = relations[model]
        fields = [f for f in model._meta.concrete_fields if not _is_secret(f)]
        query = Q()
        for name in names:
            query |= Q(**{name: user})
        qs = model._default_manager.filter(query).order_by("pk").values_list(*[f.attname for f in fields])
        rows = [list(row) for row in qs[: ROW_CAP + 1]]
        if not rows:
            continue
        section = Section(
            model._meta.label,
            str(model._meta.verbose_name_plural),
            [str(f.verbose_name) for f in fields],
            rows[:ROW_CAP],
            truncated=len(rows) > ROW_CAP,
        )
        sections.append(section)
    return sections


def sheets(sections: list[Section]) -> list[Sheet]:
    """The sections as worksheets (titles made unique within 31 characters)."""
    used: set[str] = set()
    out = []
    for n, section in enumerate(sections, start=1):
        title = section.title[:28]
        if title in used:
            title = f"{title[:25]}-{n}"
        used.add(title)
        rows = [[_plain(v) for v in row] for row in section.rows]
        # The person's own copy: their phone and e-mail are written whole.
        out.append(Sheet(title, section.headers, rows, mask_contacts=False))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def as_json(value: Any) -> Any:
    """A cell as JSON: times as ISO 8601, decimals as text."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str, dict, list)):
        return value
    return str(value)


def export(user: User, *, actor: User, fmt: str) -> list[Section]:
    """The person's data for ``actor`` (the person themselves), with the copy recorded in the audit log."""
    if actor.pk != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the person themselves may take a copy of their data."))
    sections = collect(user)
    with transaction.atomic():
        audit.record(
            user,
            "accounts.user.data_exported",
            actor=actor,
            data={"format": fmt, "sections": len(sections), "rows": sum(len(s.rows) for s in sections)},
        )
    return sections
