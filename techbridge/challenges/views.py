"""Pages of challenges: the public list and a challenge's page (with what the visitor may do there), the
editor, the application (揭榜), the panel's scoring page, and the console's review queue and panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.audit import history_rows
from techbridge.core.errors import act
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import role_required, staff_required
from techbridge.core.roles import is_operator, is_staff_reviewer

from . import permissions, queries, services
from .choices import EDITABLE_STATES, ChallengeStatus, MilestoneStatus
from .forms import (
    ApplicationForm,
    AwardForm,
    ChallengeFilterForm,
    ChallengeForm,
    MilestoneForm,
    PanelForm,
    ReasonForm,
    ScoreForm,
)
from .models import Application, Challenge, Milestone, Score

PER_PAGE = 20
CONSOLE_PER_PAGE = 50
login_required_message = role_required()


# ---- portal -----------------------------------------------------------------------------------------


def challenge_list(request: HttpRequest) -> HttpResponse:
    """Open challenges first (nearest deadline), then what came of the others."""
    form = ChallengeFilterForm(request.GET or None)
    qs = queries.filter_challenges(queries.public_challenges(), form.filters())
    page = Paginator(qs.order_by("-published_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/portal/list.html",
        {"form": form, "page": page, "can_publish": permissions.can_publish(request.user)},
    )


def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    user = request.user
    publisher = permissions.is_publisher(user, challenge)
    readable = permissions.can_read_applications(user, challenge)
    applications = (
        services.ranking(challenge) if readable else list(permissions.visible_applications(user, challenge))
    )
    own = [a for a in applications if a.organization_id == getattr(user, "organization_id", None)]
    context: dict[str, Any] = {
        "challenge": challenge,
        "is_publisher": publisher,
        "readable": readable,
        "applications": applications,
        "own": own[0] if own else None,
        "can_apply": challenge.is_open and not own and not permissions.applicant_problem(user, challenge),
        "can_edit": publisher and challenge.status in EDITABLE_STATES,
        "can_submit": publisher and challenge.status in EDITABLE_STATES,
        "can_withdraw": publisher and challenge.can_move_to(ChallengeStatus.WITHDRAWN),
        "can_close": permissions.can_decide(user, challenge)
        and challenge.status == ChallengeStatus.PUBLISHED,
        "can_decide": permissions.can_decide(user, challenge)
        and challenge.status == ChallengeStatus.REVIEWING,
        "can_fail": permissions.can_decide(user, challenge)
        and challenge.status in (ChallengeStatus.CLOSED, ChallengeStatus.REVIEWING),
        "can_review": is_staff_reviewer(user) and challenge.status == ChallengeStatus.SUBMITTED,
        "can_panel": is_operator(user)
        and challenge.status in (ChallengeStatus.CLOSED, ChallengeStatus.REVIEWING),
        "is_expert": permissions.is_panel_expert(user, challenge),
        "milestones": list(challenge.milestones.all()),
        "can_accept": publisher and challenge.status == ChallengeStatus.AWARDED,
        "history": history_rows(challenge) if (publisher or is_staff_reviewer(user)) else [],
        "reason_form": ReasonForm(),
        "milestone_form": MilestoneForm(),
    }
    return render(request, "challenges/portal/detail.html", context)


def _save_challenge(
    request: HttpRequest, form: ChallengeForm, challenge: Challenge | None
) -> Challenge | None:
    if form.is_valid():
        try:
            if challenge is None:
                return services.create_challenge(actor=request.user, data=form.service_data())
            services.update_challenge(challenge, actor=request.user, data=form.service_data())
            return challenge
        except ValidationError as exc:
            add_service_errors(form, exc)
    messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return None


@login_required_message
def challenge_create(request: HttpRequest) -> HttpResponse:
    permissions.check_publish(request.user)
    form = ChallengeForm(request.POST or None)
    if request.method == "POST":
        challenge = _save_challenge(request, form, None)
        if challenge is not None:
            messages.success(
                request, _("The challenge was saved as a draft. Submit it for review when it is ready.")
            )
            return redirect("challenges:detail", challenge.pk)
    return render(
        request, "challenges/portal/form.html", {"form": form, "page_title": _("Publish a challenge")}
    )


@login_required_message
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    permissions.check_publisher(request.user, challenge)
    form = ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST":
        if _save_challenge(request, form, challenge) is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("challenges:detail", challenge.pk)
    return render(
        request,
        "challenges/portal/form.html",
        {"form": form, "challenge": challenge, "page_title": challenge.title},
    )


@require_POST
@login_required_message
def challenge_submit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    permissions.check_publisher(request.user, challenge)
    return act(
        request,
        lambda: services.submit(challenge, actor=request.user),
        _("The challenge was sent to the platform's reviewers."),
        "challenges:detail",
        pk,
    )


@require_POST
@login_required_message
def challenge_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    permissions.check_publisher(request.user, challenge)
    return act(
        request, lambda: services.withdraw(challenge, actor=request.user), _("The challenge was withdrawn."),
        "challenges:detail", pk,
    )  # fmt: skip


@require_POST
@login_required_message
def challenge_close(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    permissions.check_decide(request.user, challenge)
    return act(
        request,
        lambda: services.close(challenge, actor=request.user),
        _("Applications are closed; they can now be read."),
        "challenges:detail",
        pk,
    )


@require_POST
@login_required_message
def challenge_award(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    permissions.check_decide(request.user, challenge)
    form = AwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the winning application."))
        return redirect("challenges:detail", pk)
    application = Application.objects.filter(pk=form.cleaned_data["application"], challenge=challenge).first()
    if application is None:
        messages.error(request, _("Choose the winning application."))
        return redirect("challenges:detail", pk)
    return act(
        request,
        lambda: services.award(challenge, actor=request.user, application=application),
        _("The challenge was awarded; a draft contract was created for both parties."),
        "challenges:detail",
        pk,
    )


@require_POST
@login_required_message
def challenge_fail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    permissions.check_decide(request.user, challenge)
    reason = ReasonForm(request.POST)
    return act(
        request,
        lambda: services.fail(challenge, actor=request.user, reason=reason.data.get("reason", "")),
        _("The challenge ended without a winner; the applicants were told why."),
        "challenges:detail",
        pk,
    )


@login_required_message
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    permissions.check_applicant(request.user, challenge)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.apply(
                    challenge,
                    actor=request.user,
                    data=form.service_data(),
                    plan=form.cleaned_data.get("plan"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your application was submitted. It stays sealed until the deadline."),
                )
                return redirect("challenges:detail", pk)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(request, "challenges/portal/apply.html", {"form": form, "challenge": challenge})


@require_POST
@login_required_message
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.application_for(request.user, pk)
    permissions.check_own_application(request.user, application)
    return act(
        request,
        lambda: services.withdraw_application(application, actor=request.user),
        _("Your application was withdrawn."),
        "challenges:detail",
        application.challenge_id,
    )


@login_required_message
def application_plan(request: HttpRequest, pk: int) -> FileResponse:
    application = permissions.application_for(request.user, pk)
    if not application.plan:
        raise Http404
    response = FileResponse(application.plan.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{application.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required_message
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel expert's page: every application with a score form per indicator."""
    challenge = permissions.challenge_for(request.user, pk)
    expert_id = permissions.check_panel_expert(request.user, challenge)
    applications = list(permissions.visible_applications(request.user, challenge).exclude(status="withdrawn"))
    mine = {
        s.application_id: s
        for s in Score.objects.filter(application__challenge=challenge, expert_id=expert_id)
    }
    rows = []
    for a in applications:
        done = mine.get(a.pk)
        initial = (
            {f"s{i}": v for i, v in enumerate(done.values)} | {"comment": done.comment} if done else None
        )
        rows.append((a, done, ScoreForm(initial=initial, indicators=challenge.indicators, prefix=f"a{a.pk}")))
    return render(request, "challenges/portal/review.html", {"challenge": challenge, "rows": rows})


@require_POST
@login_required_message
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.application_for(request.user, pk)
    challenge = application.challenge
    permissions.check_panel_expert(request.user, challenge)
    form = ScoreForm(request.POST, indicators=challenge.indicators, prefix=f"a{application.pk}")
    if not form.is_valid():
        messages.error(request, _("Each score is a whole number from 0 to 100."))
        return redirect("challenges:review", challenge.pk)
    return act(
        request,
        lambda: services.score(
            application, actor=request.user, values=form.values(), comment=form.cleaned_data["comment"]
        ),
        _("Your scores were saved."),
        "challenges:review",
        challenge.pk,
    )


@require_POST
@login_required_message
def milestone_decide(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = Milestone.objects.select_related("challenge").filter(pk=pk).first()
    if milestone is None:
        raise Http404
    challenge = permissions.challenge_for(request.user, milestone.challenge_id)
    permissions.check_publisher(request.user, challenge)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the milestone is accepted."))
        return redirect("challenges:detail", challenge.pk)
    accepted = form.cleaned_data["accepted"]
    return act(
        request,
        lambda: services.decide_milestone(
            milestone, actor=request.user, accepted=accepted, note=form.cleaned_data["note"]
        ),
        _("The milestone was accepted.")
        if accepted
        else _("The milestone was not accepted; the team was told why."),
        "challenges:detail",
        challenge.pk,
    )


# ---- console ----------------------------------------------------------------------------------------


@staff_required
def console_home(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ChallengeStatus.values:
        status = ""
    page = Paginator(queries.console_challenges(status), CONSOLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/console/home.html",
        {"page": page, "status": status, "statuses": ChallengeStatus.choices},
    )


@require_POST
@staff_required
def console_approve(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    return act(
        request,
        lambda: services.approve(challenge, actor=request.user),
        _("The challenge is published and open for applications."),
        "challenges:detail",
        pk,
    )


@require_POST
@staff_required
def console_reject(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = permissions.challenge_for(request.user, pk)
    reason = ReasonForm(request.POST)
    return act(
        request,
        lambda: services.reject(challenge, actor=request.user, reason=reason.data.get("reason", "")),
        _("The challenge was returned to its publisher."),
        "challenges:detail",
        pk,
    )


@staff_required
def console_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Operators seat the review panel from the expert pool; a conflict is refused by name."""
    challenge = permissions.challenge_for(request.user, pk)
    seats = list(challenge.seats.select_related("expert__user__organization"))
    form = PanelForm(request.POST or None, initial={"experts": [s.expert for s in seats]})
    if request.method == "POST":
        permissions.check_operator(request.user)
        if form.is_valid():
            try:
                services.set_panel(challenge, actor=request.user, experts=list(form.cleaned_data["experts"]))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The panel was saved; new experts were invited."))
                return redirect("challenges_console:panel", pk)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(
        request,
        "challenges/console/panel.html",
        {
            "challenge": challenge,
            "seats": seats,
            "form": form,
            "can_edit": is_operator(request.user),
            "ranking": services.ranking(challenge) if not challenge.is_sealed else [],
            "milestone_states": MilestoneStatus,
        },
    )
