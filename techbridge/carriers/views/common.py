"""Helpers every page of the app uses: run a service and say what happened, render a form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techbridge.core.listing_views import add_service_errors
from techbridge.core.workflow import TransitionError

PER_PAGE = 20
REFUSALS = (ValidationError, TransitionError)


def save_form(request: HttpRequest, form: forms.BaseForm, func: Callable[[], Any]) -> Any:
    """Call ``func`` (a service) when the form is valid; put a service refusal on the form.

    Returns the service's result, or ``None`` when nothing was saved (then a message says so).
    """
    if form.is_valid():
        try:
            return func()
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc.message))
    messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    title: Any,
    cancel_url: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"form": form, "page_title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, "carriers/form.html", context)


def paginate(request: HttpRequest, qs: Any) -> Page:
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
