"""Writes of follows: follow a record the user may see (once), stop following. Audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.permissions import deny, signed_in

from .models import MAX_FOLLOWS, Follow
from .targets import target


def _check(user: Any, kind: str, pk: int) -> None:
    if not signed_in(user):
        deny(_("Sign in to follow."))
    found = target(kind)
    if found is None:
        raise ValidationError({"kind": _("One cannot follow records of this kind.")})
    if not found.visible(user).filter(pk=pk).exists():
        raise Http404


def follow(user: Any, *, kind: str, pk: int) -> tuple[Follow, bool]:
    """Follow the record (``(follow, True)``), or return the existing follow (``(follow, False)``)."""
    _check(user, kind, pk)
    existing = Follow.objects.filter(user=user, kind=kind, object_id=pk).first()
    if existing is not None:
        return existing, False
    if Follow.objects.filter(user=user).count() >= MAX_FOLLOWS:
        raise ValidationError(
            _("You follow %(n)s records, the most one can; stop following some first.") % {"n": MAX_FOLLOWS}
        )
    try:
        with transaction.atomic():
            item = Follow.objects.create(user=user, kind=kind, object_id=pk)
            audit.record(item, "subscriptions.follow.created", actor=user, data={"kind": kind, "id": pk})
    except IntegrityError:  # the same click twice at once: the first one won
        return Follow.objects.get(user=user, kind=kind, object_id=pk), False
    return item, True


def unfollow(user: Any, *, kind: str, pk: int) -> bool:
    """Stop following; False when the user did not follow it."""
    if not signed_in(user):
        deny(_("Sign in to follow."))
    item = Follow.objects.filter(user=user, kind=kind, object_id=pk).first()
    if item is None:
        return False
    with transaction.atomic():
        audit.record(item, "subscriptions.follow.removed", actor=user, data={"kind": kind, "id": pk})
        item.delete()
    return True
