"""Who may import and who decides on duplicates: console pages, the API and the services ask these.

- **Bulk imports** (upload, check report, confirm, cancel, refused rows) are for platform operators:
  an import writes hundreds of records at once under the platform's name. A kind of record another
  app registers may name who imports it (``ImportKind.may_import``); the console opens to whoever
  may import some kind.
- **Excel templates** are for platform staff (reviewers and operators), who prepare files with the
  owners before an operator imports them.
- **Possible duplicates** are decided (merged or dismissed) and scanned for by reviewers and operators.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core.permissions import deny
from techbridge.core.roles import is_staff_reviewer

from .registry import import_kind, import_kinds

IMPORT = _("Only platform operators may import files.")
TEMPLATES = _("Only platform staff may download import templates.")
DUPLICATES = _("Only platform reviewers decide on duplicates.")


def can_import(user: Any, kind: str | None = None) -> bool:
    """Whether ``user`` may import records of ``kind`` (``None``: of some kind), with its check report,
    confirmation and cancellation. The built-in kinds (achievements, patents, demands, organisations)
    are for platform operators."""
    if kind is not None:
        return import_kind(kind).may_import(user)
    return any(k.may_import(user) for k in import_kinds())


def check_import(user: Any, kind: str | None = None) -> None:
    if not can_import(user, kind):
        deny(IMPORT)


def can_download_templates(user: Any) -> bool:
    return is_staff_reviewer(user)


def can_decide_duplicates(user: Any) -> bool:
    """Reviewers and operators merge or dismiss possible duplicates and start a scan."""
    return is_staff_reviewer(user)


def check_decide_duplicates(user: Any) -> None:
    if not can_decide_duplicates(user):
        deny(DUPLICATES)
