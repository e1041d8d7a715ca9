"""Portal pages of matching: the match page (a need in words → achievements) and the 匹配推荐 block of
every detail page (achievement → demands and enterprises; demand → achievements and people).

Views stay thin: the form validates, ``queries`` matches, templates explain. Everything works without
JavaScript; with htmx the results and the detail block load in place.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from techbridge.core.listing_views import wants_fragment

from . import queries
from .forms import MatchForm
from .hybrid import QueryError
from .models import ListingKind
from .permissions import listing_for

# How many of each kind of match a detail page shows.
DETAIL_K = 5


class MatchView(View):
    """Type a need (in Chinese or English), optionally narrow with the achievement filters, get ranked
    achievements with the reasons for each.

    The form posts, so that a long description fits; a GET with ``q`` works too (links, bookmarks).
    A filter value that does not exist or text without words is a message, never an error page.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.respond(request, request.GET if request.GET else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.respond(request, request.POST)

    def respond(self, request: HttpRequest, data: Any) -> HttpResponse:
        form = MatchForm(data) if data is not None else MatchForm()
        form.order_fields(["q", *[name for name in form.fields if name != "q"]])
        result, error = None, ""
        if data is not None:
            if not form.is_valid():
                error = form.error_message()
            elif not form.cleaned_data.get("q"):
                error = _("Enter a few words that describe the technology or the problem.")
            else:
                try:
                    result = queries.match_free_text(
                        form.cleaned_data["q"], request.user, form, k=form.result_count
                    )
                except QueryError as exc:
                    error = exc.message
        context = {"form": form, "result": result, "error": error, "page_title": _("Match")}
        fragment = wants_fragment(request, "match-results")
        template = "matching/partials/results.html" if fragment else "matching/portal/match.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response


class ListingMatchesView(View):
    """The 匹配推荐 of one listing. Loaded into its detail page by htmx; opened directly (the link
    fallback, or without JavaScript) it is a page of its own.

    The listing must be visible to the user (else 404); its matches are published listings only.
    """

    kind: str = ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        listing = listing_for(request.user, self.kind, pk)
        context: dict[str, Any] = {"obj": listing, "kind": self.kind, "error": ""}
        try:
            if self.kind == ListingKind.ACHIEVEMENT:
                related = queries.matches_for_achievement(listing, request.user, k=queries.AGGREGATE_DEPTH)
                context["listings"] = related.items[:DETAIL_K]
                context["groups"] = queries.enterprises_for_achievement(
                    listing, request.user, k=DETAIL_K, related=related
                ).items
            else:
                related = queries.matches_for_demand(listing, request.user, k=queries.AGGREGATE_DEPTH)
                context["listings"] = related.items[:DETAIL_K]
                context["groups"] = queries.people_for_demand(
                    listing, request.user, k=DETAIL_K, related=related
                ).items
            context["result"] = related
        except QueryError as exc:
            context["error"] = exc.message
        htmx = getattr(request, "htmx", None)
        template = (
            "matching/partials/listing_matches.html"
            if htmx and not htmx.history_restore_request
            else "matching/portal/listing_matches.html"
        )
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


match_view = MatchView.as_view()
achievement_matches_view = ListingMatchesView.as_view(kind=ListingKind.ACHIEVEMENT)
demand_matches_view = ListingMatchesView.as_view(kind=ListingKind.DEMAND)
