"""Account pages: sign-up, sign-in and out, password reset and change, profile, notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.downloads import xlsx_response
from techbridge.core.errors import act, message_of
from techbridge.core.models import Notification
from techbridge.core.permissions import role_required
from techbridge.core.workflow import TransitionError
from techbridge.organizations.permissions import can_manage_organization

from . import erasure, permissions, personal_data, services
from .forms import ApiTokenForm, ErasureForm, LoginForm, ProfileForm, SignUpForm
from .models import ApiToken, ErasureRequest, User

NOTIFICATIONS_PER_PAGE = 20


def _user(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``role_required()``."""
    assert isinstance(request.user, User)
    return request.user


# ---- sign-up ---------------------------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    """Register an organisation and its first user, then sign the user in."""
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in."))
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up(**form.service_arguments())
        except ValidationError as exc:
            form.add_service_error(exc)
        except IntegrityError:
            # Another registration with the same code, name or username won a race with this one.
            form.add_error(
                None,
                _("Someone registered the same organisation or username a moment ago; check and try again."),
            )
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@role_required()
def signup_done(request: HttpRequest) -> HttpResponse:
    """Tell a new user that their organisation waits for review."""
    return render(request, "accounts/signup_done.html", {"organization": _user(request).organization})


# ---- sign-in, sign-out, passwords -------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's sign-in with the throttle of ``LoginForm``; ``next`` is followed only to this site."""

    authentication_form = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        url = super().get_redirect_url(*args, **kwargs)
        # ``next`` pointing back at this page would make Django refuse a signed-in visitor with an error.
        return "" if url.split("?")[0] == self.request.path else url


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires)."""


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password/reset_form.html"
    email_template_name = "accounts/password/reset_email.txt"
    subject_template_name = "accounts/password/reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password/reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password/reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever reset the password holds the mailbox: tokens issued before may be someone else's.
        services.revoke_all_tokens(form.user, actor=form.user, reason="password_reset")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password/reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password/change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.revoke_all_tokens(form.user, actor=form.user, reason="password_change")
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password/change_done.html"


# ---- profile ---------------------------------------------------------------------------------


@role_required()
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own details (editable), organisation, its review status and the user's role."""
    user = _user(request)
    form = ProfileForm.for_user(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    from techbridge.organizations.queries import pending_request_of

    org = user.organization
    context = {
        "form": form,
        "organization": org,
        "pending_request": pending_request_of(user),
        "can_manage_organization": org is not None and can_manage_organization(user, org),
    }
    return render(request, "accounts/profile.html", context)


# ---- API tokens ------------------------------------------------------------------------------


@role_required()
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's active API tokens (name, created, last used, expiry), issuing a new one, revoking."""
    user = _user(request)
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.issue_token(user, name=form.cleaned_data["name"], actor=user)
        form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": services.active_tokens(user)[: settings.API_TOKEN_MAX_PER_USER],
        "new_key": new_key,
        "token_days": settings.API_TOKEN_DAYS,
    }
    return render(request, "accounts/tokens.html", context)


@role_required()
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's is a 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    services.revoke_token(token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


# ---- notifications ---------------------------------------------------------------------------


@role_required()
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones highlighted."""
    qs = Notification.objects.filter(recipient=_user(request)).order_by("-created_at", "-id")
    page = Paginator(qs, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    # The unread count comes from the ``platform`` context processor (``unread_notifications``).
    return render(request, "accounts/notifications.html", {"page": page})


@role_required()
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read. htmx gets the updated item back; others go back to the list."""
    notification = permissions.notification_for(request.user, pk)
    services.mark_notification_read(notification, actor=request.user)
    if getattr(request, "htmx", False):
        # The unread count above the list is swapped out-of-band so it stays right.
        return render(request, "accounts/partials/notification.html", {"n": notification, "oob": True})
    return _back_to_notifications(request)


@role_required()
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the user read."""
    count = services.mark_all_notifications_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back_to_notifications(request)


def _back_to_notifications(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("accounts:notifications")
    return redirect(target)


@role_required()
def my_data(request: HttpRequest) -> HttpResponse:
    """A copy of one's personal information (PIPL art. 45): what is held; the workbook by POST."""
    user = _user(request)
    if request.method == "POST":
        sections = personal_data.export(user, actor=user, fmt="xlsx")
        stamp = timezone.localtime().strftime("%Y%m%d")
        return xlsx_response(personal_data.sheets(sections), f"个人信息副本-{user.username}-{stamp}.xlsx")
    sections = personal_data.collect(user)
    return render(request, "accounts/my_data.html", {"sections": sections, "row_cap": personal_data.ROW_CAP})


# ---- erasing one's account (PIPL art. 47) --------------------------------------------------------


@role_required()
def erase(request: HttpRequest) -> HttpResponse:
    """What erasing the account removes and keeps (and why), the request form, the pending request."""
    user = _user(request)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            req = erasure.request_erasure(user, actor=user, password=form.cleaned_data["password"])
        except (ValidationError, TransitionError) as exc:
            if (
                isinstance(exc, ValidationError)
                and hasattr(exc, "error_dict")
                and "password" in exc.error_dict
            ):
                form.add_error("password", exc.error_dict["password"])
            else:
                messages.error(request, message_of(exc))
        else:
            messages.success(
                request,
                _("Your account will be erased on %(date)s unless you cancel before then.")
                % {"date": timezone.localtime(req.due_at).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect("accounts:erase")
    items = erasure.plan(user)
    context = {
        "form": form,
        "pending": erasure.pending_request(user),
        "history": ErasureRequest.objects.filter(user=user).exclude(status="pending")[:5],
        "refusal": erasure.refusal(user),
        "erased": [i for i in items if i.action == erasure.ERASE],
        "kept": [(r, members) for r, members in erasure.kept_groups(items)],
        "days": erasure.cooling_off().days,
    }
    return render(request, "accounts/erase.html", context)


@role_required()
@require_POST
def erase_cancel(request: HttpRequest) -> HttpResponse:
    """Cancel one's pending erasure request (nothing pending: a message)."""
    user = _user(request)
    req = erasure.pending_request(user)
    if req is None:
        messages.error(request, _("There is no pending request to cancel."))
        return redirect("accounts:erase")
    return act(
        request,
        lambda: erasure.cancel_erasure(req, actor=user),
        _("Your erasure request is cancelled."),
        "accounts:erase",
    )
