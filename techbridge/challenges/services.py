"""Every write of challenges: publish (draft → review → open), apply (揭榜), close at the deadline, form a
conflict-free expert panel, score, award (the winner's draft contract) or declare no winner, and accept
the winner's milestones (验收). Each write checks who acts, runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.contracts.choices import Origin
from techbridge.contracts.services import create_draft_contract
from techbridge.core import audit
from techbridge.core.notifications import notify
from techbridge.core.roles import Role
from techbridge.core.workflow import record_created, transition, transition_many
from techbridge.lib.pdf import active_content
from techbridge.lib.text import strip_invisible
from techbridge.talent.models import Expert
from techbridge.talent.panels import MAX_PANEL

from . import permissions
from .choices import ApplicationStatus, ChallengeStatus, MilestoneStatus
from .models import (
    APPROACH_MAX,
    COMMENT_MAX,
    INDICATOR_MAX,
    MAX_INDICATORS,
    MAX_MEMBERS,
    MAX_STEPS,
    MEMBER_NAME_MAX,
    MEMBER_ROLE_MAX,
    NOTE_MAX,
    PLAN_MAX_BYTES,
    REASON_MAX,
    STEP_MAX,
    Application,
    Challenge,
    Milestone,
    PanelSeat,
    Score,
)

CHALLENGE_FIELDS = (
    "title",
    "problem",
    "indicators",
    "budget",
    "deadline",
    "eligibility",
    "field",
    "district",
)
APPLICATION_FIELDS = ("summary", "approach", "team", "schedule", "price")
MAX_DEADLINE_DAYS = 730
KIND = "challenge"


# ---- checking input -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return strip_invisible(str(value or "")).strip()


def clean_indicators(values: Any) -> list[str]:
    """The indicators, stripped, without empty lines; 1–10 of at most 200 characters."""
    if not isinstance(values, list | tuple):
        raise ValidationError({"indicators": _("Give the indicators as a list.")})
    items = [_text(v) for v in values if _text(v)]
    if not items:
        raise ValidationError({"indicators": _("Give at least one measurable indicator.")})
    if len(items) > MAX_INDICATORS:
        raise ValidationError({"indicators": _("At most %(n)d indicators.") % {"n": MAX_INDICATORS}})
    if any(len(v) > INDICATOR_MAX for v in items):
        raise ValidationError(
            {"indicators": _("An indicator has at most %(n)d characters.") % {"n": INDICATOR_MAX}}
        )
    return items


def clean_team(values: Any) -> list[dict[str, str]]:
    """Team members as ``{"name", "role"}``; 1–20, names required."""
    if not isinstance(values, list | tuple):
        raise ValidationError({"team": _("Give the team members as a list.")})
    out = []
    for item in values:
        if not isinstance(item, dict):
            raise ValidationError({"team": _("Each team member has a name and a role.")})
        name, role = _text(item.get("name")), _text(item.get("role"))
        if not name and not role:
            continue
        if not name:
            raise ValidationError({"team": _("Each team member has a name.")})
        if len(name) > MEMBER_NAME_MAX or len(role) > MEMBER_ROLE_MAX:
            raise ValidationError(
                {"team": _("A name has at most %(a)d characters and a role at most %(b)d.")
                 % {"a": MEMBER_NAME_MAX, "b": MEMBER_ROLE_MAX}}
            )  # fmt: skip
        out.append({"name": name, "role": role})
    if not out:
        raise ValidationError({"team": _("Name at least one team member.")})
    if len(out) > MAX_MEMBERS:
        raise ValidationError({"team": _("At most %(n)d team members.") % {"n": MAX_MEMBERS}})
    return out


def clean_schedule(values: Any) -> list[dict[str, str]]:
    """Steps as ``{"title", "due"}`` (an ISO date or empty); 1–12 steps, in order."""
    if not isinstance(values, list | tuple):
        raise ValidationError({"schedule": _("Give the schedule as a list of steps.")})
    out = []
    for item in values:
        if not isinstance(item, dict):
            raise ValidationError({"schedule": _("Each step has a title and a due date.")})
        title, due = _text(item.get("title")), _text(item.get("due"))
        if not title and not due:
            continue
        if not title:
            raise ValidationError({"schedule": _("Each step has a title.")})
        if len(title) > STEP_MAX:
            raise ValidationError(
                {"schedule": _("A step's title has at most %(n)d characters.") % {"n": STEP_MAX}}
            )
        if due:
            try:
                dt.date.fromisoformat(due)
            except ValueError:
                raise ValidationError(
                    {"schedule": _("“%(due)s” is not a date; write it as 2027-06-30.") % {"due": due[:20]}}
                ) from None
        out.append({"title": title, "due": due})
    if not out:
        raise ValidationError({"schedule": _("Give at least one step of the schedule.")})
    if len(out) > MAX_STEPS:
        raise ValidationError({"schedule": _("At most %(n)d steps.") % {"n": MAX_STEPS}})
    return out


def check_plan(upload: Any) -> None:
    """The optional plan: a PDF of at most 10 MB without active content."""
    if upload is None:
        return
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError({"plan": _("Attach the plan as a PDF file.")})
    if upload.size > PLAN_MAX_BYTES:
        raise ValidationError(
            {"plan": _("The plan is larger than %(mb)d MB.") % {"mb": PLAN_MAX_BYTES // 2**20}}
        )
    upload.seek(0)
    head = upload.read()
    upload.seek(0)
    if not head.startswith(b"%PDF-"):
        raise ValidationError({"plan": _("This file is not a PDF.")})
    if active_content(head):
        raise ValidationError(
            {
                "plan": _(
                    "This PDF contains scripts or embedded files and is not accepted; print it to a new PDF."
                )
            }
        )


def _check_deadline(deadline: dt.datetime | None) -> None:
    now = timezone.now()
    if deadline is None:
        raise ValidationError({"deadline": _("Give the application deadline.")})
    if deadline <= now:
        raise ValidationError({"deadline": _("The application deadline must be in the future.")})
    if deadline > now + dt.timedelta(days=MAX_DEADLINE_DAYS):
        raise ValidationError(
            {
                "deadline": _("The application deadline is at most %(n)d days ahead.")
                % {"n": MAX_DEADLINE_DAYS}
            }
        )


def _challenge_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(CHALLENGE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    out = dict(data)
    for name in ("title", "problem", "eligibility"):
        if name in out:
            out[name] = _text(out[name])
    if "indicators" in out:
        out["indicators"] = clean_indicators(out["indicators"])
    return out


def _link(challenge: Challenge) -> str:
    return reverse("challenges:detail", args=[challenge.pk])


def _members(org_id: int) -> list[Any]:
    from techbridge.accounts.models import User

    return list(
        User.objects.filter(
            organization_id=org_id, is_active=True, role__in=(Role.MEMBER, Role.ORG_ADMIN, Role.OFFICIAL)
        )
    )


# ---- the challenge --------------------------------------------------------------------------------


def create_challenge(*, actor: Any, data: dict[str, Any], is_demo: bool = False) -> Challenge:
    """A draft challenge of the actor's organisation."""
    permissions.check_publish(actor)
    values = _challenge_data(data)
    _check_deadline(values.get("deadline"))
    if "indicators" not in values:
        raise ValidationError({"indicators": _("Give at least one measurable indicator.")})
    challenge = Challenge(**values, organization_id=actor.organization_id, created_by=actor, is_demo=is_demo)
    challenge.full_clean()
    with transaction.atomic():
        challenge.save()
        record_created(challenge, actor=actor, action="challenges.challenge.created")
    return challenge


def update_challenge(challenge: Challenge, *, actor: Any, data: dict[str, Any]) -> list[str]:
    """Change a draft or returned challenge."""
    permissions.check_publisher(actor, challenge)
    if challenge.status not in (ChallengeStatus.DRAFT, ChallengeStatus.REJECTED):
        raise ValidationError(_("Only a draft or a returned challenge can be changed."))
    values = _challenge_data(data)
    if "deadline" in values:
        _check_deadline(values["deadline"])
    changed = [k for k, v in values.items() if getattr(challenge, k) != v]
    if not changed:
        return []
    for key, value in values.items():
        setattr(challenge, key, value)
    challenge.full_clean()
    challenge.updated_at = timezone.now()
    with transaction.atomic():
        challenge.save(update_fields=[*values, "updated_at"])
        audit.record(challenge, "challenges.challenge.updated", actor=actor, data={"fields": changed})
    return changed


def submit(challenge: Challenge, *, actor: Any) -> Challenge:
    """Send a draft (or a returned challenge) to the platform's reviewers."""
    permissions.check_publisher(actor, challenge)
    _check_deadline(challenge.deadline)
    transition(challenge, ChallengeStatus.SUBMITTED, actor=actor, action="challenges.challenge.submitted")
    return challenge


def approve(challenge: Challenge, *, actor: Any) -> Challenge:
    """A reviewer publishes the challenge: open for applications until its deadline."""
    permissions.check_review(actor)
    if challenge.deadline <= timezone.now():
        raise ValidationError(
            _("The application deadline has passed: return the challenge to its publisher.")
        )
    transition(
        challenge,
        ChallengeStatus.PUBLISHED,
        actor=actor,
        action="challenges.challenge.published",
        changes={"published_at": timezone.now(), "reject_reason": ""},
    )
    return challenge


def reject(challenge: Challenge, *, actor: Any, reason: str) -> Challenge:
    permissions.check_review(actor)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the publisher a reason for returning the challenge.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    with transaction.atomic():
        transition(
            challenge,
            ChallengeStatus.REJECTED,
            actor=actor,
            action="challenges.challenge.rejected",
            message=reason,
            changes={"reject_reason": reason},
        )
        for user in _members(challenge.organization_id):
            notify(
                user,
                kind=KIND,
                title=_("Challenge returned: %(title)s") % {"title": challenge.title},
                body=reason,
                link=_link(challenge),
            )
    return challenge


def withdraw(challenge: Challenge, *, actor: Any) -> Challenge:
    """The publisher withdraws its challenge before applications close."""
    permissions.check_publisher(actor, challenge)
    with transaction.atomic():
        transition(challenge, ChallengeStatus.WITHDRAWN, actor=actor, action="challenges.challenge.withdrawn")
        transition_many(
            Application.objects.filter(challenge=challenge, status=ApplicationStatus.SUBMITTED),
            ApplicationStatus.NOT_AWARDED,
            actor=actor,
            action="challenges.application.not_awarded",
        )
    return challenge


def close(challenge: Challenge, *, actor: Any) -> Challenge:
    """Close applications (the publisher early, an operator, or the sweep at the deadline): the
    applications are unsealed and the publisher is told how many came in."""
    if actor is not None:
        permissions.check_decide(actor, challenge)
    with transaction.atomic():
        transition(
            challenge,
            ChallengeStatus.CLOSED,
            actor=actor,
            action="challenges.challenge.closed",
            changes={"closed_at": timezone.now()},
        )
        count = challenge.applications.filter(status=ApplicationStatus.SUBMITTED).count()
        for user in _members(challenge.organization_id):
            notify(
                user,
                kind=KIND,
                title=_("Applications closed: %(title)s") % {"title": challenge.title},
                body=_("%(n)d applications were received and can now be read.") % {"n": count},
                link=_link(challenge),
                dedupe_key=f"challenge-closed:{challenge.pk}:{user.pk}",
            )
    return challenge


def close_due_challenges(now: dt.datetime | None = None) -> int:
    """Close every open challenge whose deadline has passed (the sweep; idempotent)."""
    now = now or timezone.now()
    closed = 0
    for challenge in Challenge.objects.filter(status=ChallengeStatus.PUBLISHED, deadline__lte=now):
        close(challenge, actor=None)
        closed += 1
    return closed


# ---- applications ---------------------------------------------------------------------------------


def _application_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    out = dict(data)
    for name in ("summary", "approach"):
        out[name] = _text(out.get(name))
    if len(out["approach"]) > APPROACH_MAX:
        raise ValidationError({"approach": _("At most %(n)d characters.") % {"n": APPROACH_MAX}})
    out["team"] = clean_team(out.get("team", []))
    out["schedule"] = clean_schedule(out.get("schedule", []))
    if out.get("price") is None:
        raise ValidationError({"price": _("Quote a price for the work.")})
    return out


def apply(challenge: Challenge, *, actor: Any, data: dict[str, Any], plan: Any = None) -> Application:
    """A team applies (揭榜) for its organisation: once per organisation, before the deadline."""
    permissions.check_applicant(actor, challenge)
    if not challenge.is_open:
        raise ValidationError(_("This challenge is not open for applications."))
    values = _application_data(data)
    check_plan(plan)
    application = Application(
        challenge=challenge, organization_id=actor.organization_id, submitted_by=actor, **values
    )
    if (
        Application.objects.filter(challenge=challenge, organization_id=actor.organization_id)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    ):
        raise ValidationError(_("Your organisation has already applied to this challenge."))
    application.full_clean(exclude=["plan"], validate_constraints=False)
    try:
        with transaction.atomic():
            if plan is not None:
                application.plan.save(plan.name, plan, save=False)
            application.save()
            record_created(application, actor=actor, action="challenges.application.submitted")
    except BaseException as exc:
        # All or nothing: the stored file goes with the rolled-back application.
        if plan is not None and application.plan.name:
            application.plan.storage.delete(application.plan.name)
        if isinstance(exc, IntegrityError):
            raise ValidationError(_("Your organisation has already applied to this challenge.")) from None
        raise
    return application


def withdraw_application(application: Application, *, actor: Any) -> Application:
    """The applicant withdraws before the deadline (and may apply again)."""
    permissions.check_own_application(actor, application)
    if not application.challenge.is_open:
        raise ValidationError(_("Applications can be withdrawn only before the deadline."))
    transition(
        application, ApplicationStatus.WITHDRAWN, actor=actor, action="challenges.application.withdrawn"
    )
    return application


def attach_plan(application: Application, *, actor: Any, plan: Any) -> Application:
    """The applicant attaches (or replaces) its plan, a PDF, before the deadline."""
    permissions.check_own_application(actor, application)
    if application.status != ApplicationStatus.SUBMITTED or not application.challenge.is_open:
        raise ValidationError(_("Applications can be changed only before the deadline."))
    if plan is None:
        raise ValidationError({"plan": _("Attach the plan as a PDF file.")})
    check_plan(plan)
    with transaction.atomic():
        old = application.plan.name if application.plan else ""
        application.plan.save(plan.name, plan, save=False)
        application.updated_at = timezone.now()
        application.save(update_fields=["plan", "updated_at"])
        audit.record(
            application, "challenges.application.plan_attached", actor=actor, data={"replaced": bool(old)}
        )
    if old:
        transaction.on_commit(lambda: application.plan.storage.delete(old))
    return application


# ---- the expert panel and scores ------------------------------------------------------------------


def conflict_of(expert: Expert, challenge: Challenge) -> str:
    """Why ``expert`` may not judge ``challenge`` (naming the organisation), or ""."""
    org_id = expert.user.organization_id
    publisher = challenge.organization
    if org_id == publisher.pk:
        return _("%(expert)s works for the publisher %(org)s.") % {"expert": expert, "org": publisher.name}
    applicants = {
        a.organization_id: a.organization
        for a in challenge.applications.exclude(status=ApplicationStatus.WITHDRAWN).select_related(
            "organization"
        )
    }
    if org_id in applicants:
        return _("%(expert)s works for the applicant %(org)s.") % {
            "expert": expert,
            "org": applicants[org_id].name,
        }
    stake = {publisher.pk: publisher, **applicants}
    declared = expert.declared_conflicts.filter(organization_id__in=stake).first()
    if declared is not None:
        return _("%(expert)s declared a conflict of interest with %(org)s.") % {
            "expert": expert,
            "org": stake[declared.organization_id].name,
        }
    return ""


def set_panel(challenge: Challenge, *, actor: Any, experts: list[Expert]) -> list[PanelSeat]:
    """An operator seats the review panel (experts from the pool, none with a conflict of interest);
    the first panel starts the review. Experts already scoring stay; new ones are invited."""
    permissions.check_operator(actor)
    if challenge.status not in (ChallengeStatus.CLOSED, ChallengeStatus.REVIEWING):
        raise ValidationError(_("The panel is formed once applications have closed."))
    experts = list(dict.fromkeys(experts))
    if not 1 <= len(experts) <= MAX_PANEL:
        raise ValidationError(
            {"experts": _("A panel has between 1 and %(max)s experts.") % {"max": MAX_PANEL}}
        )
    problems = [p for p in (conflict_of(e, challenge) for e in experts) if p]
    inactive = [str(e) for e in experts if not e.active]
    if inactive:
        problems.append(_("Not an active expert of the pool: %(names)s.") % {"names": "、".join(inactive)})
    if problems:
        raise ValidationError({"experts": problems})
    wanted = {e.pk for e in experts}
    with transaction.atomic():
        current = set(PanelSeat.objects.filter(challenge=challenge).values_list("expert_id", flat=True))
        scored = set(
            Score.objects.filter(application__challenge=challenge).values_list("expert_id", flat=True)
        )
        leaving = current - wanted
        if leaving & scored:
            raise ValidationError({"experts": _("An expert who has already scored stays on the panel.")})
        PanelSeat.objects.filter(challenge=challenge, expert_id__in=leaving).delete()
        new = [e for e in experts if e.pk not in current]
        seats = PanelSeat.objects.bulk_create(
            [PanelSeat(challenge=challenge, expert=e, seated_by=actor) for e in new]
        )
        audit.record(
            challenge,
            "challenges.challenge.panel_set",
            actor=actor,
            data={"experts": sorted(wanted)},
        )
        if challenge.status == ChallengeStatus.CLOSED:
            transition(
                challenge,
                ChallengeStatus.REVIEWING,
                actor=actor,
                action="challenges.challenge.review_started",
            )
        for e in new:
            notify(
                e.user,
                kind=KIND,
                title=_("You are invited to review the challenge %(title)s") % {"title": challenge.title},
                body=_("Score each application on the challenge's indicators (0–100) with a comment."),
                link=reverse("challenges:review", args=[challenge.pk]),
                dedupe_key=f"challenge-panel:{challenge.pk}:{e.pk}",
            )
    return seats


def score(application: Application, *, actor: Any, values: list[Any], comment: str = "") -> Score:
    """An expert of the panel scores an application: 0–100 for each indicator, and a comment."""
    challenge = application.challenge
    expert_id = permissions.check_panel_expert(actor, challenge)
    if challenge.status != ChallengeStatus.REVIEWING:
        raise ValidationError(_("Applications are scored while the challenge is under expert review."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is no longer in the running."))
    if not isinstance(values, list | tuple) or len(values) != len(challenge.indicators):
        raise ValidationError(
            {
                "values": _("Give one score for each of the %(n)d indicators.")
                % {"n": len(challenge.indicators)}
            }
        )
    numbers = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | str) or not str(v).strip().isdigit():
            raise ValidationError({"values": _("Each score is a whole number from 0 to 100.")})
        n = int(str(v).strip())
        if not 0 <= n <= 100:
            raise ValidationError({"values": _("Each score is a whole number from 0 to 100.")})
        numbers.append(n)
    comment = _text(comment)
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("At most %(n)d characters.") % {"n": COMMENT_MAX}})
    total = (Decimal(sum(numbers)) / len(numbers)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    with transaction.atomic():
        row, _created = Score.objects.update_or_create(
            application=application,
            expert_id=expert_id,
            defaults={"values": numbers, "total": total, "comment": comment, "updated_at": timezone.now()},
        )
        audit.record(
            application,
            "challenges.application.scored",
            actor=actor,
            data={"expert": expert_id, "values": numbers, "total": str(total)},
        )
    return row


def ranking(challenge: Challenge) -> list[Application]:
    """The applications in the running, best mean first; each has ``mean`` (None when unscored) and
    ``n_scores``."""
    apps: list[Any] = list(
        challenge.applications.exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("organization")
        .prefetch_related("scores")
    )
    for a in apps:
        totals = [s.total for s in a.scores.all()]
        a.mean = (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01")) if totals else None
        a.n_scores = len(totals)
    apps.sort(key=lambda a: (a.mean is None, -(a.mean or 0), a.pk))
    return apps


# ---- the outcome ----------------------------------------------------------------------------------


def award(challenge: Challenge, *, actor: Any, application: Application) -> Challenge:
    """Award the challenge to one application: its team's organisation and the publisher get a draft
    contract (origin ``challenge``, amount = the quoted price) that goes through signing and
    registration as any other; the schedule becomes the milestones to accept."""
    permissions.check_decide(actor, challenge)
    if application.challenge_id != challenge.pk:
        raise ValidationError(_("This application belongs to another challenge."))
    if challenge.status != ChallengeStatus.REVIEWING:
        raise ValidationError(_("A challenge is awarded after the expert review has started."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is no longer in the running."))
    if not Score.objects.filter(application=application).exists():
        raise ValidationError(_("The experts have not scored this application yet."))
    with transaction.atomic():
        contract = create_draft_contract(
            actor=actor,
            seller=application.organization,
            buyer=challenge.organization,
            title=_("揭榜挂帅：%(title)s") % {"title": challenge.title},
            amount=application.price,
            origin=Origin.CHALLENGE,
            origin_ref=f"challenge:{challenge.pk}",
        )
        transition(
            application, ApplicationStatus.AWARDED, actor=actor, action="challenges.application.awarded"
        )
        transition_many(
            Application.objects.filter(challenge=challenge, status=ApplicationStatus.SUBMITTED).exclude(
                pk=application.pk
            ),
            ApplicationStatus.NOT_AWARDED,
            actor=actor,
            action="challenges.application.not_awarded",
        )
        transition(
            challenge,
            ChallengeStatus.AWARDED,
            actor=actor,
            action="challenges.challenge.awarded",
            changes={"winner": application, "contract": contract},
            data={"application": application.pk, "contract": contract.pk},
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    challenge=challenge,
                    order=i,
                    title=step["title"],
                    due=dt.date.fromisoformat(step["due"]) if step.get("due") else None,
                )
                for i, step in enumerate(application.schedule)
            ]
        )
        _tell_applicants(challenge, winner=application)
    return challenge


def fail(challenge: Challenge, *, actor: Any, reason: str) -> Challenge:
    """No winner (流榜), with the reason the applicants are told."""
    permissions.check_decide(actor, challenge)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why there is no winner.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    with transaction.atomic():
        transition(
            challenge,
            ChallengeStatus.FAILED,
            actor=actor,
            action="challenges.challenge.failed",
            message=reason,
            changes={"fail_reason": reason},
        )
        transition_many(
            Application.objects.filter(challenge=challenge, status=ApplicationStatus.SUBMITTED),
            ApplicationStatus.NOT_AWARDED,
            actor=actor,
            action="challenges.application.not_awarded",
        )
        _tell_applicants(challenge, winner=None)
    return challenge


def _tell_applicants(challenge: Challenge, *, winner: Application | None) -> None:
    for app in challenge.applications.exclude(status=ApplicationStatus.WITHDRAWN):
        if winner is not None and app.pk == winner.pk:
            title = _("Your team won the challenge %(title)s") % {"title": challenge.title}
            body = _("A draft contract is ready for both parties to complete and sign.")
        elif winner is not None:
            title = _("The challenge %(title)s was awarded to another team") % {"title": challenge.title}
            body = _("Thank you for applying.")
        else:
            title = _("The challenge %(title)s ended without a winner") % {"title": challenge.title}
            body = challenge.fail_reason
        for user in _members(app.organization_id):
            notify(
                user,
                kind=KIND,
                title=title,
                body=body,
                link=_link(challenge),
                dedupe_key=f"challenge-outcome:{challenge.pk}:{user.pk}",
            )


def decide_milestone(milestone: Milestone, *, actor: Any, accepted: bool, note: str = "") -> Milestone:
    """The publisher accepts a milestone (验收) or not, with a note; all accepted: the challenge is
    completed."""
    challenge = milestone.challenge
    permissions.check_publisher(actor, challenge)
    if challenge.status != ChallengeStatus.AWARDED:
        raise ValidationError(_("Milestones are accepted while the awarded work is under way."))
    note = _text(note)
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": NOTE_MAX}})
    if not accepted and not note:
        raise ValidationError({"note": _("Say what is missing for the milestone to be accepted.")})
    to = MilestoneStatus.ACCEPTED if accepted else MilestoneStatus.REJECTED
    with transaction.atomic():
        transition(
            milestone,
            to,
            actor=actor,
            action="challenges.milestone.accepted" if accepted else "challenges.milestone.rejected",
            message=note,
            changes={"note": note, "decided_by": actor, "decided_at": timezone.now()},
        )
        if not challenge.milestones.exclude(status=MilestoneStatus.ACCEPTED).exists():
            transition(
                challenge, ChallengeStatus.COMPLETED, actor=actor, action="challenges.challenge.completed"
            )
    return milestone
