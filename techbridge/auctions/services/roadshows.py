"""Auction roadshows (拍卖路演): saving, publishing, seats claimed without overbooking.

Kept apart so the roadshows can move to the events app as they are.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, transition

from ..choices import RoadshowStatus
from ..models import Roadshow, RoadshowRegistration
from ..permissions import check_run_auctions as _require_operator

# ---- roadshows --------------------------------------------------------------------------------------


def save_roadshow(*, actor: Any, roadshow: Roadshow, achievements: Any = None) -> Roadshow:
    _require_operator(actor)
    with transaction.atomic():
        created = roadshow.pk is None
        if created:
            roadshow.created_by = actor
        if roadshow.capacity < roadshow.registered_count:
            raise ValidationError({"capacity": _("Fewer seats than people already registered.")})
        roadshow.full_clean()
        roadshow.save()
        if achievements is not None:
            roadshow.achievements.set(achievements)
        audit.record(roadshow, "auctions.roadshow.saved", actor=actor)
    return roadshow


def publish_roadshow(*, actor: Any, roadshow: Roadshow) -> None:
    _require_operator(actor)
    with transaction.atomic():
        try:
            transition(roadshow, RoadshowStatus.PUBLISHED, actor=actor, action="auctions.roadshow.published")
        except TransitionError:
            raise TransitionError(_("Only a draft roadshow can be published.")) from None


def register_for_roadshow(*, actor: Any, roadshow: Roadshow) -> RoadshowRegistration:
    """Take one seat: the seat count is claimed by a conditional UPDATE, so it never exceeds capacity."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to register."))
    if roadshow.status != RoadshowStatus.PUBLISHED or roadshow.ends_at <= timezone.now():
        raise TransitionError(_("Registration for this roadshow is closed."))
    try:
        with transaction.atomic():
            seat = RoadshowRegistration.objects.create(roadshow=roadshow, user=actor)
            claimed = Roadshow.objects.filter(pk=roadshow.pk, registered_count__lt=F("capacity")).update(
                registered_count=F("registered_count") + 1
            )
            if claimed != 1:
                raise TransitionError(_("The roadshow is full."))
            audit.record(roadshow, "auctions.roadshow.seat_taken", actor=actor)
    except IntegrityError:
        raise TransitionError(_("You are already registered for this roadshow.")) from None
    roadshow.refresh_from_db()
    return seat


def cancel_roadshow_registration(*, actor: Any, roadshow: Roadshow) -> None:
    with transaction.atomic():
        deleted, _detail = RoadshowRegistration.objects.filter(roadshow=roadshow, user=actor).delete()
        if not deleted:
            raise TransitionError(_("You are not registered for this roadshow."))
        Roadshow.objects.filter(pk=roadshow.pk, registered_count__gt=0).update(
            registered_count=F("registered_count") - 1
        )
        audit.record(roadshow, "auctions.roadshow.seat_released", actor=actor)
    roadshow.refresh_from_db()
