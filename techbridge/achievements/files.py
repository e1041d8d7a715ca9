"""The files and video links of achievements: public, or gated by the NDA (``can_see_detail``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core.listing_files import ListingFiles

from . import tasks
from .models import Achievement, AchievementAttachment, AchievementVideo
from .permissions import can_see_detail
from .queries import visible_achievements


def _refusal() -> str:
    return _("Accept the non-disclosure terms of this achievement to download its files.")


def _owner_site(achievement: Any) -> str:
    return achievement.owner.website or ""


FILES = ListingFiles(
    app="achievements",
    listing_model=Achievement,
    file_model=AchievementAttachment,
    video_model=AchievementVideo,
    fk="achievement",
    visible=visible_achievements,
    can_see_restricted=can_see_detail,
    restricted_refusal=_refusal,
    restricted_hint=gettext_lazy("Further files are shared after you accept the non-disclosure terms below."),
    thumbnail_task=tasks.make_attachment_thumbnail,
    owner_site=_owner_site,
    restricted_apart=True,
)
