"""Pages of follows and subscriptions: the follow button (htmx) on listings, institutions and events,
"what I follow" with the saved searches, "save this search" (htmx) under the listing results, and the
notification settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import channels, registry
from techbridge.core.errors import message_of
from techbridge.core.models import Delivery

from . import digests, queries, services
from .choices import FollowKind, Frequency
from .forms import PreferenceForm
from .targets import target


@login_required
def my_follows(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind and kind not in FollowKind.values:
        raise Http404
    return render(
        request,
        "subscriptions/portal/follows.html",
        {
            "items": queries.followed(request.user, kind=kind),
            "kind": kind,
            "kinds": FollowKind.choices,
            "saved": queries.saved_searches(request.user),
            "frequencies": Frequency.choices,
            "digest_notes": [source.note for source in registry.digest_sources],
        },
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


def _back_to_saved() -> HttpResponse:
    return redirect(reverse("subscriptions:follows") + "#saved-searches")


@login_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    """Save the list page's current search; htmx gets the box back with the outcome."""
    kind = request.POST.get("kind", "")
    query = request.POST.get("query", "")
    name = request.POST.get("name", "")
    frequency = request.POST.get("frequency", Frequency.DAILY)
    error, saved = "", None
    try:
        saved = services.save_search(request.user, kind=kind, query=query, name=name, frequency=frequency)
    except ValidationError as exc:
        error = message_of(exc)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "subscriptions/partials/save_search.html",
            {
                "search_kind": kind,
                "search_query": query[:2000],
                "saved_search": saved,
                "save_error": error,
                "name": name,
                "frequencies": Frequency.choices,
            },
        )  # 200 either way: htmx swaps only successful answers, and the box shows the refusal
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Search saved. New listings that match it come in your digest."))
    return _back_to_saved()


@login_required
@require_POST
def edit_search(request: HttpRequest, pk: int) -> HttpResponse:
    search = services.search_for(request.user, pk)
    try:
        services.update_search(
            search,
            actor=request.user,
            name=request.POST.get("name"),
            frequency=request.POST.get("frequency"),
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("Saved search changed."))
    return _back_to_saved()


@login_required
@require_POST
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    search = services.search_for(request.user, pk)
    services.delete_search(search, actor=request.user)
    messages.success(request, _("Saved search deleted."))
    return _back_to_saved()


@login_required
def preview_search(request: HttpRequest, pk: int) -> HttpResponse:
    """What the next digest of this search would list (new since the last digest), run now."""
    search = services.search_for(request.user, pk)
    items, total = digests.new_items(search)
    detail = digests.searched(search.kind).detail
    rows = [(obj, reverse(detail, args=[obj.pk])) for obj in items]
    context = {"search": search, "rows": rows, "total": total, "since": digests.since(search)}
    template = "subscriptions/partials/preview.html"
    if not request.headers.get("HX-Request"):
        template = "subscriptions/portal/preview.html"
    return render(request, template, context)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Per kind group and channel on or off, quiet hours and the WeChat account; recent deliveries."""
    prefs = channels.preferences_for(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.update_preferences(request.user, **form.service_kwargs())
            except ValidationError as exc:
                messages.error(request, message_of(exc))
            else:
                messages.success(request, _("Notification settings saved."))
                return redirect("subscriptions:preferences")
        else:
            messages.error(request, form.error_message())
        prefs = form.as_preferences(prefs)
    grid = [
        (
            group,
            label,
            [
                (
                    name,
                    clabel,
                    prefs.enabled(group, name),
                    group == channels.SYSTEM and name == channels.IN_APP,
                )
                for name, clabel in channels.CHANNELS
            ],
        )
        for group, label in channels.GROUPS
    ]
    deliveries = list(
        Delivery.objects.filter(notification__recipient_id=request.user.pk)
        .select_related("notification")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "subscriptions/portal/preferences.html",
        {
            "grid": grid,
            "channels": channels.CHANNELS,
            "prefs": prefs,
            "deliveries": deliveries,
            "phone": channels.mask_phone(getattr(request.user, "phone", "") or ""),
        },
    )
