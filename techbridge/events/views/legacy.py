"""Old roadshow addresses (``/auctions/roadshows/…``, ``/api/v1/auctions/roadshows/…``) lead to the events
that replaced them, so links in old notifications, bookmarks and integrations keep working."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from ..models import Event


def _event_of(pk: int) -> Event:
    event = Event.objects.filter(legacy_roadshow_id=pk).only("pk").first()
    if event is None:
        raise Http404
    return event


def roadshow_list(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("events:list") + "?kind=roadshow")


def roadshow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("events:detail", args=[_event_of(pk).pk]))


def roadshow_register(request: HttpRequest, pk: int) -> HttpResponse:
    """A form posted to the old address: show the event, where the person registers (303, never re-POST)."""
    return HttpResponse(status=303, headers={"Location": reverse("events:detail", args=[_event_of(pk).pk])})


def api_roadshow_list(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("api:event-list") + "?kind=roadshow")


def api_roadshow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("api:event-detail", args=[_event_of(pk).pk]))
