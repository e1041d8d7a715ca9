"""Pages of challenges: the public list and a challenge's page (with what the visitor may do there), the
editor, the application (揭榜), the panel's scoring page, and the console's review queue and panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


# ---- POST actions ----------------------------------------------------------------------------------


def _challenge(user: Any, pk: int) -> tuple[Challenge, Challenge]:
    challenge = permissions.challenge_for(user, pk)
    return challenge, challenge


def _application(user: Any, pk: int) -> tuple[Application, Challenge]:
    application = permissions.application_for(user, pk)
    return application, application.challenge


def _milestone(user: Any, pk: int) -> tuple[Milestone, Challenge]:
    milestone = Milestone.objects.select_related("challenge").filter(pk=pk).first()
    if milestone is None:
        raise Http404
    return milestone, permissions.challenge_for(user, milestone.challenge_id)


def _on_challenge(check: Callable[[Any, Challenge], Any]) -> Callable[[Any, Any, Challenge], Any]:
    return lambda user, obj, challenge: check(user, challenge)


def _winner(challenge: Challenge, form: Any) -> Application:
    application = Application.objects.filter(pk=form.cleaned_data["application"], challenge=challenge).first()
    if application is None:
        raise ValidationError(_("Choose the winning application."))
    return application


@dataclass(frozen=True)
class Action:
    """One POST action on a challenge, an application or a milestone.

    ``load(user, pk)`` gives the record and its challenge (404 if not visible), ``check(user, record,
    challenge)`` raises ``PermissionDenied`` for who may not, ``form(request, record)`` (optional) reads the
    POST (``invalid`` is said when it does not validate), ``service(record, actor, form)`` does it and
    ``message`` (text, or ``message(form)``) is said after; the refusal of a service is said instead
    (``core.errors.act``). Then back to ``to`` of the challenge.
    """

    load: Callable[[Any, int], tuple[Any, Challenge]]
    check: Callable[[Any, Any, Challenge], Any] | None
    service: Callable[[Any, Any, Any], Any]
    message: Any
    form: Callable[[HttpRequest, Any], Any] | None = None
    invalid: Any = ""
    to: str = "challenges:detail"
    gate: Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]] = (
        login_required_message
    )


ACTIONS: dict[str, Action] = {
    "submit": Action(
        _challenge,
        _on_challenge(permissions.check_publisher),
        lambda challenge, actor, form: services.submit(challenge, actor=actor),
        gettext_lazy("The challenge was sent to the platform's reviewers."),
    ),
    "withdraw": Action(
        _challenge,
        _on_challenge(permissions.check_publisher),
        lambda challenge, actor, form: services.withdraw(challenge, actor=actor),
        gettext_lazy("The challenge was withdrawn."),
    ),
    "close": Action(
        _challenge,
        _on_challenge(permissions.check_decide),
        lambda challenge, actor, form: services.close(challenge, actor=actor),
        gettext_lazy("Applications are closed; they can now be read."),
    ),
    "award": Action(
        _challenge,
        _on_challenge(permissions.check_decide),
        lambda challenge, actor, form: services.award(
            challenge, actor=actor, application=_winner(challenge, form)
        ),
        gettext_lazy("The challenge was awarded; a draft contract was created for both parties."),
        form=lambda request, challenge: AwardForm(request.POST),
        invalid=gettext_lazy("Choose the winning application."),
    ),
    "fail": Action(
        _challenge,
        _on_challenge(permissions.check_decide),
        lambda challenge, actor, form: services.fail(
            challenge, actor=actor, reason=form.data.get("reason", "")
        ),
        gettext_lazy("The challenge ended without a winner; the applicants were told why."),
        form=lambda request, challenge: ReasonForm(request.POST),
    ),
    "application-withdraw": Action(
        _application,
        lambda user, application, challenge: permissions.check_own_application(user, application),
        lambda application, actor, form: services.withdraw_application(application, actor=actor),
        gettext_lazy("Your application was withdrawn."),
    ),
    "application-score": Action(
        _application,
        _on_challenge(permissions.check_panel_expert),
        lambda application, actor, form: services.score(
            application, actor=actor, values=form.values(), comment=form.cleaned_data["comment"]
        ),
        gettext_lazy("Your scores were saved."),
        form=lambda request, application: ScoreForm(
            request.POST, indicators=application.challenge.indicators, prefix=f"a{application.pk}"
        ),
        invalid=gettext_lazy("Each score is a whole number from 0 to 100."),
        to="challenges:review",
    ),
    "milestone-decide": Action(
        _milestone,
        _on_challenge(permissions.check_publisher),
        lambda milestone, actor, form: services.decide_milestone(
            milestone, actor=actor, accepted=form.cleaned_data["accepted"], note=form.cleaned_data["note"]
        ),
        lambda form: (
            _("The milestone was accepted.")
            if form.cleaned_data["accepted"]
            else _("The milestone was not accepted; the team was told why.")
        ),
        form=lambda request, milestone: MilestoneForm(request.POST),
        invalid=gettext_lazy("Choose whether the milestone is accepted."),
    ),
    # the console's
    "approve": Action(
        _challenge,
        None,
        lambda challenge, actor, form: services.approve(challenge, actor=actor),
        gettext_lazy("The challenge is published and open for applications."),
        gate=staff_required,
    ),
    "reject": Action(
        _challenge,
        None,
        lambda challenge, actor, form: services.reject(
            challenge, actor=actor, reason=form.data.get("reason", "")
        ),
        gettext_lazy("The challenge was returned to its publisher."),
        form=lambda request, challenge: ReasonForm(request.POST),
        gate=staff_required,
    ),
}


@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    """Every POST action of ``ACTIONS``: signed in (staff for the console's), visible, allowed, a valid
    form, then the service; its message, or its refusal, on the challenge's page."""
    spec = ACTIONS[name]
    return spec.gate(_run)(request, pk, spec)


def _run(request: HttpRequest, pk: int, spec: Action) -> HttpResponse:
    obj, challenge = spec.load(request.user, pk)
    if spec.check is not None:
        spec.check(request.user, obj, challenge)
    form = spec.form(request, obj) if spec.form is not None else None
    if form is not None and spec.invalid and not form.is_valid():
        messages.error(request, str(spec.invalid))
        return redirect(spec.to, challenge.pk)
    message = spec.message(form) if callable(spec.message) else spec.message
    return act(request, lambda: spec.service(obj, request.user, form), str(message), spec.to, challenge.pk)


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
