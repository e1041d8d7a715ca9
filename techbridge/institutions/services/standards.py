"""The alliance's service standards: published as versions, never edited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError

from ..models import ServiceStandard, StandardVersion
from ..permissions import require_operator
from ._common import check_upload, text


def publish_standard_version(
    *,
    actor: Any,
    code: str,
    title: str,
    body: str,
    published_on: dt.date | None = None,
    scope: str = "",
    change_note: str = "",
    document: Any = None,
) -> StandardVersion:
    """Publish the next version of the standard ``code`` (a new standard starts at version 1).

    Operators publish on behalf of the alliance's secretariat. Earlier versions stay readable.
    """
    require_operator(actor)
    code = text(code, "code", 40, required=True)
    title = text(title, "title", 200, required=True)
    body = text(body, "body", 50_000, required=True, message=_("Write the text of the standard."))
    scope = text(scope, "scope", 2000)
    change_note = text(change_note, "change_note", 300)
    published_on = published_on or timezone.localdate()
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("The publication date cannot be in the future.")})
    if document is not None and not str(document.name).lower().endswith(".pdf"):
        raise ValidationError({"document": _("Attach the standard as a PDF file.")})
    check_upload(document, "document")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                standard, created = ServiceStandard.objects.get_or_create(
                    code=code, defaults={"title": title, "scope": scope}
                )
                if not created and (standard.title != title or (scope and standard.scope != scope)):
                    standard.title, standard.scope = title, scope or standard.scope
                    standard.save(update_fields=["title", "scope"])
                last = standard.versions.aggregate(v=Max("version"))["v"] or 0
                version = StandardVersion(
                    standard=standard,
                    version=last + 1,
                    published_on=published_on,
                    body=body,
                    change_note=change_note,
                    published_by=actor,
                )
                if document is not None:
                    version.document.save(document.name, document, save=False)
                version.save()
                audit.record(
                    version,
                    "institutions.standard_version.published",
                    actor=actor,
                    message=change_note,
                    data={"code": code, "version": version.version},
                )
            return version
        except IntegrityError:
            continue
    raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
