"""The files and video links of demands: public, or for signed-in members of organisations (and the
platform's reviewers) only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core.listing_files import ListingFiles
from techbridge.core.listing_permissions import is_owner_member
from techbridge.core.permissions import has_organization
from techbridge.core.roles import is_staff_reviewer

from . import tasks
from .models import Demand, DemandAttachment, DemandVideo
from .queries import visible_demands


def can_see_members_files(user: Any, demand: Demand) -> bool:
    """Files for members only: signed-in users of an organisation, the owner and the reviewers."""
    return has_organization(user) or is_owner_member(user, demand) or is_staff_reviewer(user)


def _refusal() -> str:
    return _("This file is shared with signed-in members of organisations only.")


def _owner_site(demand: Any) -> str:
    return demand.enterprise.website or ""


FILES = ListingFiles(
    app="demands",
    listing_model=Demand,
    file_model=DemandAttachment,
    video_model=DemandVideo,
    fk="demand",
    visible=visible_demands,
    can_see_restricted=can_see_members_files,
    restricted_hint=gettext_lazy("Further files are shared with signed-in members of organisations."),
    restricted_refusal=_refusal,
    thumbnail_task=tasks.make_attachment_thumbnail,
    owner_site=_owner_site,
)
