"""Writes of follows, saved searches and notification preferences: follow a record the user may see
(once), stop following; save, rename, re-time and delete a search; choose channels and quiet hours.
Audited."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core import audit, channels
from techbridge.core.models import NotificationPreference
from techbridge.core.permissions import deny, signed_in

from .choices import Frequency
from .models import MAX_FOLLOWS, MAX_SAVED_SEARCHES, Follow, SavedSearch
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


# ---- saved searches ---------------------------------------------------------------------------


def _check_signed_in(user: Any) -> None:
    if not signed_in(user):
        deny(_("Sign in to save searches."))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").replace("\x00", "").split())
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    if len(name) > 60:
        raise ValidationError({"name": _("A name has at most 60 characters.")})
    return name


def _check_frequency(frequency: str) -> str:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose daily, weekly or off.")})
    return frequency


def _name_taken(user: Any, name: str, exclude: int | None = None) -> bool:
    taken = SavedSearch.objects.filter(user=user, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return taken.exists()


def save_search(
    user: Any, *, kind: str, query: str, name: str, frequency: str = Frequency.DAILY
) -> SavedSearch:
    """Save the list page's current search (its query string) under a name."""
    from .digests import normalise

    _check_signed_in(user)
    name = _clean_name(name)
    frequency = _check_frequency(frequency)
    normalised = normalise(kind, query)
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You have saved %(n)s searches, the most one can; delete some first.")
            % {"n": MAX_SAVED_SEARCHES}
        )
    if _name_taken(user, name):
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    try:
        with transaction.atomic():
            search = SavedSearch.objects.create(
                user=user, kind=kind, query=normalised, name=name, frequency=frequency
            )
            audit.record(
                search,
                "subscriptions.savedsearch.created",
                actor=user,
                data={"kind": kind, "query": normalised, "frequency": frequency},
            )
    except IntegrityError as exc:  # the same name saved twice at once
        raise ValidationError({"name": _("You already have a saved search with this name.")}) from exc
    return search


def search_for(user: Any, pk: int) -> SavedSearch:
    """The user's own saved search, or 404 (someone else's is not confirmed to exist)."""
    _check_signed_in(user)
    search = SavedSearch.objects.filter(user=user, pk=pk).first()
    if search is None:
        raise Http404
    return search


def update_search(
    search: SavedSearch, *, actor: Any, name: str | None = None, frequency: str | None = None
) -> SavedSearch:
    """Rename a saved search or change how often its digest comes."""
    if search.user_id != getattr(actor, "pk", None):
        raise Http404
    changes: dict[str, Any] = {}
    if name is not None:
        name = _clean_name(name)
        if name != search.name:
            if _name_taken(actor, name, exclude=search.pk):
                raise ValidationError({"name": _("You already have a saved search with this name.")})
            changes["name"] = name
    if frequency is not None:
        frequency = _check_frequency(frequency)
        if frequency != search.frequency:
            changes["frequency"] = frequency
    if not changes:
        return search
    try:
        with transaction.atomic():
            SavedSearch.objects.filter(pk=search.pk).update(**changes)
            audit.record(search, "subscriptions.savedsearch.updated", actor=actor, data=changes)
    except IntegrityError as exc:
        raise ValidationError({"name": _("You already have a saved search with this name.")}) from exc
    for key, value in changes.items():
        setattr(search, key, value)
    return search


def delete_search(search: SavedSearch, *, actor: Any) -> None:
    if search.user_id != getattr(actor, "pk", None):
        raise Http404
    with transaction.atomic():
        audit.record(search, "subscriptions.savedsearch.deleted", actor=actor, data={"name": search.name})
        search.delete()


# ---- notification preferences -------------------------------------------------------------------


def update_preferences(
    user: Any,
    *,
    choices: dict[str, bool],
    quiet_start: time | None,
    quiet_end: time | None,
    wechat_openid: str = "",
) -> NotificationPreference:
    """Store a user's channel choices (only what differs from the defaults), quiet hours and WeChat
    account. Unknown groups or channels, a muted system group and half-given quiet hours are refused."""
    if not signed_in(user):
        deny(_("Sign in to choose how you are notified."))
    stored: dict[str, bool] = {}
    for key, value in choices.items():
        group, _sep, name = str(key).partition(":")
        if group not in channels.GROUP_NAMES or name not in channels.CHANNEL_NAMES:
            raise ValidationError(
                {"choices": _("Unknown notification group or channel: %(key)s") % {"key": key}}
            )
        if not isinstance(value, bool):
            raise ValidationError({"choices": _("Each choice is on or off.")})
        if group == channels.SYSTEM and name == channels.IN_APP and not value:
            raise ValidationError(
                {"choices": _("Reviews and account notices cannot be turned off in the platform.")}
            )
        if value != channels.DEFAULTS[name]:
            stored[key] = value
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError({"quiet_end": _("Give both the start and the end of quiet hours, or neither.")})
    if quiet_start is not None and quiet_start == quiet_end:
        raise ValidationError({"quiet_end": _("Quiet hours must end at another time than they start.")})
    wechat_openid = (wechat_openid or "").strip()
    if len(wechat_openid) > 64:
        raise ValidationError({"wechat_openid": _("A WeChat account has at most 64 characters.")})
    with transaction.atomic():
        row, _created = NotificationPreference.objects.update_or_create(
            user=user,
            defaults={
                "choices": stored,
                "quiet_start": quiet_start,
                "quiet_end": quiet_end,
                "wechat_openid": wechat_openid,
            },
        )
        audit.record(
            row,
            "core.notificationpreference.updated",
            actor=user,
            data={
                "choices": stored,
                "quiet_start": str(quiet_start or ""),
                "quiet_end": str(quiet_end or ""),
            },
        )
    return row
