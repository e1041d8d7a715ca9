"""What challenges add to the shared pages: menus, "my work" (publishers, applicants, experts), the
console's counter of challenges awaiting review, the panels' workload, the deadline sweep, new open
challenges in the digests of saved demand searches and the audit words."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.roles import is_staff_reviewer

AUDIT_LABELS = {
    "challenges.challenge.created": _("Challenge drafted"),
    "challenges.challenge.updated": _("Challenge changed"),
    "challenges.challenge.submitted": _("Challenge submitted for review"),
    "challenges.challenge.published": _("Challenge published"),
    "challenges.challenge.rejected": _("Challenge returned to its publisher"),
    "challenges.challenge.withdrawn": _("Challenge withdrawn"),
    "challenges.challenge.closed": _("Challenge closed for applications"),
    "challenges.challenge.panel_set": _("Challenge's expert panel set"),
    "challenges.challenge.review_started": _("Challenge's expert review started"),
    "challenges.challenge.awarded": _("Challenge awarded"),
    "challenges.challenge.failed": _("Challenge ended without a winner"),
    "challenges.challenge.completed": _("Challenge completed (all milestones accepted)"),
    "challenges.application.submitted": _("Challenge application submitted"),
    "challenges.application.withdrawn": _("Challenge application withdrawn"),
    "challenges.application.plan_attached": _("Plan attached to the challenge application"),
    "challenges.application.scored": _("Challenge application scored"),
    "challenges.application.awarded": _("Challenge application won"),
    "challenges.application.not_awarded": _("Challenge application not selected"),
    "challenges.milestone.accepted": _("Milestone accepted"),
    "challenges.milestone.rejected": _("Milestone not accepted"),
}


def _mine(request: HttpRequest) -> dict[str, Any] | None:
    from .queries import applications_of, published_by, seats_of

    user = request.user
    section = {
        "published": list(published_by(user)[:10]),
        "applications": list(applications_of(user)[:10]),
        "seats": list(seats_of(user)[:10]),
    }
    return section if any(section.values()) else None


def _awaiting_review() -> int:
    from .choices import ChallengeStatus
    from .models import Challenge

    return Challenge.objects.filter(status=ChallengeStatus.SUBMITTED).count()


def _open_seats(expert_ids: list[int]) -> dict[int, int]:
    from django.db.models import Count

    from .choices import ChallengeStatus
    from .models import PanelSeat

    rows = (
        PanelSeat.objects.filter(expert_id__in=expert_ids, challenge__status=ChallengeStatus.REVIEWING)
        .values("expert_id")
        .annotate(n=Count("pk"))
    )
    return {r["expert_id"]: r["n"] for r in rows}


def _close_due() -> int:
    from .services import close_due_challenges

    return close_due_challenges()


def _digest_challenges(user: Any, searches: Any, exclude: Any, cap: int) -> Any:
    from .queries import digest_challenges

    return digest_challenges(user, searches, exclude, cap)


def register() -> None:
    from techbridge.talent import panels

    registry.register_nav("portal", _("Challenges (揭榜挂帅)"), "challenges:list", group="market", order=35)
    registry.register_nav(
        "console",
        _("Challenges (揭榜挂帅)"),
        "challenges_console:home",
        group="console.review",
        order=40,
        visible=is_staff_reviewer,
    )
    registry.register_mine_section("challenges/partials/mine.html", order=55, context=_mine)
    registry.register_counter(
        "challenges.pending",
        _("Challenges awaiting review"),
        _awaiting_review,
        visible=is_staff_reviewer,
        url_name="challenges_console:home",
        attention=True,
    )
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(_close_due)
    panels.register_workload("challenges", _open_seats)
    # A 揭榜挂帅 challenge is a technology demand published for teams to take on: the people who watch
    # demands (saved demand searches) hear of new open ones in their digest.
    registry.register_digest_source(
        registry.DigestSource(
            key="challenges",
            kinds=("demand",),
            title=_("New open challenges (揭榜挂帅)"),
            note=_(
                "Digests of demand searches also name new open challenges (揭榜挂帅) of the same industry"
                " field and district whose title or problem contains the search words (and whose budget"
                " lies in the search's budget range)."
            ),
            new_items=_digest_challenges,
            more_url="challenges:list",
            order=50,
        )
    )
