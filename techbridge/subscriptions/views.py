"""Pages of follows: the follow button (htmx) on listings, institutions and events, and "what I follow"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import queries, services
from .choices import FollowKind
from .targets import target


@login_required
def my_follows(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind and kind not in FollowKind.values:
        raise Http404
    return render(
        request,
        "subscriptions/portal/follows.html",
        {"items": queries.followed(request.user, kind=kind), "kind": kind, "kinds": FollowKind.choices},
    )


@login_required
@require_POST
def toggle(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Follow or stop following; htmx gets the button back, a plain form is sent back where it came from."""
    if target(kind) is None:
        raise Http404
    following = request.POST.get("follow", "1") != "0"
    try:
        if following:
            services.follow(request.user, kind=kind, pk=pk)
        else:
            services.unfollow(request.user, kind=kind, pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        following = not following
    if request.headers.get("HX-Request"):
        return render(
            request,
            "subscriptions/partials/button.html",
            {"follow_kind": kind, "follow_pk": pk, "following": queries.is_following(request.user, kind, pk)},
        )
    messages.success(request, _("You follow it now.") if following else _("You no longer follow it."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("subscriptions:follows")
