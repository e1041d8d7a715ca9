"""Who may import and who decides on duplicates: console pages, the API and the services ask these.

- **Bulk imports** (upload, check report, confirm, cancel, refused rows) are for platform operators:
  an import writes hundreds of records at once under the platform's name.
- **Excel templates** are for platform staff (reviewers and operators), who prepare files with the
  owners before an operator imports them.
- **Possible duplicates** are decided (merged or dismissed) and scanned for by reviewers and operators.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core.permissions import deny
from techbridge.core.roles import is_operator, is_staff_reviewer

IMPORT = _("Only platform operators may import files.")
TEMPLATES = _("Only platform staff may download import templates.")
DUPLICATES = _("Only platform reviewers decide on duplicates.")


def can_import(user: Any) -> bool:
    """Platform operators upload, confirm and cancel imports and read their reports."""
    return is_operator(user)


def check_import(user: Any) -> None:
    if not can_import(user):
        deny(IMPORT)


def can_download_templates(user: Any) -> bool:
    return is_staff_reviewer(user)


def can_decide_duplicates(user: Any) -> bool:
    """Reviewers and operators merge or dismiss possible duplicates and start a scan."""
    return is_staff_reviewer(user)


def check_decide_duplicates(user: Any) -> None:
    if not can_decide_duplicates(user):
        deny(DUPLICATES)
