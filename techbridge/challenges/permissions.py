"""Who may see and do what with challenges — one place for every rule.

- open and finished challenges are public; drafts, submitted, returned and withdrawn ones are seen by
  the publisher's organisation and platform staff (reviewers, operators);
- enterprises (members and admins of an approved enterprise) and department officials publish;
  platform reviewers approve or return; operators form the expert panel;
- members of another approved organisation (never the publisher's) apply, one application per
  organisation; applications stay **sealed** until applications close: until then an applicant sees
  only its own, and nobody else sees any;
- after closing, the publisher, platform staff and the panel's experts read the applications; the
  panel's experts score them; the publisher or an operator awards one or declares no winner;
- the publisher accepts the winner's milestones (验收).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import deny, signed_in
from techbridge.core.roles import Role, is_operator, is_staff_reviewer
from techbridge.organizations.choices import OrgKind, OrgStatus

from .choices import PUBLIC_STATES, ChallengeStatus
from .models import Application, Challenge, PanelSeat

ORG_ROLES = (Role.MEMBER, Role.ORG_ADMIN)
PUBLISHER_KINDS = (OrgKind.ENTERPRISE, OrgKind.GOVERNMENT)
NOT_APPLICANT_KINDS = (OrgKind.GOVERNMENT, OrgKind.OPERATOR)


def _approved_org(user: Any) -> Any:
    if not signed_in(user) or getattr(user, "organization_id", None) is None:
        return None
    org = user.organization
    return org if org.status == OrgStatus.APPROVED else None


# ---- seeing ---------------------------------------------------------------------------------------


def challenges_visible_q(user: Any) -> Q:
    public = Q(status__in=PUBLIC_STATES)
    if is_staff_reviewer(user):
        return Q()
    if signed_in(user) and getattr(user, "organization_id", None):
        return public | Q(organization_id=user.organization_id)
    return public


def visible_challenges(user: Any) -> QuerySet[Challenge]:
    return Challenge.objects.filter(challenges_visible_q(user))


def challenge_for(user: Any, pk: int) -> Challenge:
    challenge = visible_challenges(user).select_related("organization", "field").filter(pk=pk).first()
    if challenge is None:
        raise Http404
    return challenge


def is_publisher(user: Any, challenge: Challenge) -> bool:
    return (
        signed_in(user)
        and getattr(user, "organization_id", None) == challenge.organization_id
        and user.role in (*ORG_ROLES, Role.OFFICIAL)
    )


def expert_id_of(user: Any) -> int | None:
    if not signed_in(user):
        return None
    expert = getattr(user, "expert", None) if hasattr(user, "expert") else None
    return expert.pk if expert is not None and expert.active else None


def is_panel_expert(user: Any, challenge: Challenge) -> bool:
    expert = expert_id_of(user)
    return expert is not None and PanelSeat.objects.filter(challenge=challenge, expert_id=expert).exists()


def can_read_applications(user: Any, challenge: Challenge) -> bool:
    """All applications, once sealed no more: the publisher, platform staff, the panel's experts."""
    if challenge.is_sealed:
        return False
    return is_publisher(user, challenge) or is_staff_reviewer(user) or is_panel_expert(user, challenge)


def visible_applications(user: Any, challenge: Challenge) -> QuerySet[Application]:
    qs = Application.objects.filter(challenge=challenge).select_related("organization")
    if can_read_applications(user, challenge):
        return qs
    if signed_in(user) and getattr(user, "organization_id", None):
        return qs.filter(organization_id=user.organization_id)
    return qs.none()


def application_for(user: Any, pk: int) -> Application:
    app = Application.objects.select_related("challenge__organization", "organization").filter(pk=pk).first()
    if app is None:
        raise Http404
    challenge_for(user, app.challenge_id)
    own = signed_in(user) and getattr(user, "organization_id", None) == app.organization_id
    if not own and not can_read_applications(user, app.challenge):
        raise Http404
    return app


# ---- doing ----------------------------------------------------------------------------------------


def can_publish(user: Any) -> bool:
    org = _approved_org(user)
    if org is None:
        return False
    if user.role == Role.OFFICIAL:
        return True
    return user.role in ORG_ROLES and org.kind in PUBLISHER_KINDS


def check_publish(user: Any) -> None:
    if not can_publish(user):
        deny(_("Challenges are published by members of an approved enterprise or by department officials."))


def check_publisher(user: Any, challenge: Challenge) -> None:
    if not is_publisher(user, challenge):
        deny(_("Only the publishing organisation may do this."))


def can_review(user: Any) -> bool:
    return is_staff_reviewer(user)


def check_review(user: Any) -> None:
    if not can_review(user):
        deny(_("Only platform reviewers approve or return challenges."))


def check_operator(user: Any) -> None:
    if not is_operator(user):
        deny(_("Only platform operators form the expert panel."))


def can_decide(user: Any, challenge: Challenge) -> bool:
    return is_operator(user) or is_publisher(user, challenge)


def check_decide(user: Any, challenge: Challenge) -> None:
    if not can_decide(user, challenge):
        deny(_("Only the publisher or a platform operator awards a challenge or declares no winner."))


def applicant_problem(user: Any, challenge: Challenge) -> str:
    """Why ``user`` may not apply to ``challenge`` (who they are), or "" when they may."""
    org = _approved_org(user)
    if org is not None and org.kind in NOT_APPLICANT_KINDS:
        return _("Departments and the platform operator do not apply to challenges.")
    if org is None or user.role not in ORG_ROLES:
        return _("Teams apply for a member of an approved organisation.")
    if org.pk == challenge.organization_id:
        return _("The publisher's own organisation cannot apply to its challenge.")
    return ""


def check_applicant(user: Any, challenge: Challenge) -> None:
    problem = applicant_problem(user, challenge)
    if problem:
        deny(problem)


def check_own_application(user: Any, application: Application) -> None:
    if not (
        signed_in(user)
        and user.role in ORG_ROLES
        and getattr(user, "organization_id", None) == application.organization_id
    ):
        deny(_("Only the applying organisation may withdraw its application."))


def check_panel_expert(user: Any, challenge: Challenge) -> int:
    expert = expert_id_of(user)
    if expert is None or not PanelSeat.objects.filter(challenge=challenge, expert_id=expert).exists():
        deny(_("Only experts on this challenge's panel score its applications."))
    assert expert is not None
    return expert


def is_reviewing(challenge: Challenge) -> bool:
    return challenge.status == ChallengeStatus.REVIEWING
