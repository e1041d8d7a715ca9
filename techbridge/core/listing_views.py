"""Portal and console pages shared by every reviewable listing (achievements, demands).

Each listing app describes itself once in a ``ListingApp`` (model, search kind, visibility, forms,
services, templates) and mounts these views with it, so both apps list, show, edit and review in the
same way. Views stay thin: they check who may do what (``core.listing_permissions``: a listing the
user may not see is a 404, a move they may not make a 403 with the reason), validate input with a
form and call a service.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from techbridge.lib.numbers import validate_price
from techbridge.lib.text import query_tokens

from . import audit, listing_search, listings
from . import listing_permissions as perms
from .permissions import RoleRequiredMixin
from .workflow import ReviewStatus, TransitionError

PER_PAGE = 20


@dataclass(frozen=True)
class ListingApp:
    """What the shared views need to know about one kind of listing.

    ``app`` names the URL namespace and the template folder (``<app>/partials/card.html``,
    ``<app>/partials/body.html``); the console namespace is ``<app>_console``. The service callables
    keep their app's signatures: ``create(actor=, **form.service_kwargs())``,
    ``update(obj, actor=, **form.service_kwargs())``, ``submit/withdraw/reopen/approve(obj, actor=)``,
    ``reject(obj, actor=, reason=)``; ``check_author(user)`` raises ``PermissionDenied`` with a message
    and ``can_author(user)`` says the same as a bool (the "new" button), both from the app's
    ``permissions.py``.
    """

    model: Any  # a ReviewableListing subclass
    app: str
    kind: str
    visible: Callable[[Any], QuerySet]
    filter_form: type
    form: type
    create: Callable[..., Any]
    update: Callable[..., Any]
    submit: Callable[..., Any]
    withdraw: Callable[..., Any]
    reopen: Callable[..., Any]
    approve: Callable[..., Any]
    reject: Callable[..., Any]
    check_author: Callable[[Any], None]
    can_author: Callable[[Any], bool]
    title: Any  # the plural heading, lazily translated
    new_label: Any  # "Publish an achievement"
    console_related: tuple[str, ...] = ()
    # What the list's cards show beyond ``visible`` (one prefetch: the cover image).
    cards: Callable[[QuerySet], QuerySet] | None = None

    @property
    def console(self) -> str:
        return f"{self.app}_console"

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{self.app}:{name}", args=args)

    def template(self, name: str) -> str:
        return f"{self.app}/{name}"


# ---- what a user may do next with a listing --------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A button on a detail page or in "my listings": a link (edit) or a POST form (the moves)."""

    name: str
    label: str
    url: str
    post: bool
    style: str = ""


def next_actions(user: Any, listing: Any, app: str) -> list[Action]:
    """The moves ``user`` may make on ``listing`` now, in the order the buttons appear.

    Asks the same helpers (``core.listing_permissions``) as the views and services, so that no button
    leads to a refusal.
    """
    actions: list[Action] = []
    if perms.can_edit(user, listing):
        actions.append(Action("edit", _("Edit"), reverse(f"{app}:edit", args=[listing.pk]), post=False))
    if perms.can_submit(user, listing):
        actions.append(
            Action("submit", _("Submit for review"), reverse(f"{app}:submit", args=[listing.pk]), True)
        )
    if perms.can_withdraw(user, listing):
        actions.append(
            Action(
                "withdraw", _("Withdraw"), reverse(f"{app}:withdraw", args=[listing.pk]), True, "secondary"
            )
        )
    if perms.can_reopen(user, listing):
        actions.append(
            Action("reopen", _("Reopen as draft"), reverse(f"{app}:reopen", args=[listing.pk]), True)
        )
    return actions


# ---- forms ---------------------------------------------------------------------------------


class WanYuanField(forms.DecimalField):
    """An amount typed in 万元 (10k yuan), as people quote prices, cleaned to yuan as models store it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 6)  # 0.000001 万元 = 0.01 yuan
        super().__init__(**kwargs)
        self.widget.attrs["step"] = "any"

    def clean(self, value: Any) -> Decimal | None:
        wan = super().clean(value)
        if wan is None:
            return None
        yuan = (wan * 10000).quantize(Decimal("0.01"))
        validate_price(yuan)  # the bound shared with the API and imports (lib.numbers)
        return yuan

    def prepare_value(self, value: Any) -> Any:
        # Initial values come from the model in yuan; what the user typed stays as typed.
        if isinstance(value, Decimal | int):
            return f"{(Decimal(value) / 10000).normalize():f}"
        return value


def vocabulary_by_code(form: forms.BaseForm, *names: str) -> None:
    """Let the vocabulary fields of ``form`` (industry fields, deal modes) take codes, not ids.

    Codes are stable across databases and readable in URLs and tests; an unknown code is a form error.
    """
    for name in names:
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.to_field_name = "code"


class ListingForm(forms.ModelForm):
    """Base of the create/edit forms of listings.

    ``fieldsets`` groups fields on the page; ``service_kwargs()`` returns the arguments of the app's
    create/update service: ``data`` (the editable model fields) plus one entry per many-to-many field.
    """

    fieldsets: ClassVar[list[tuple[Any, list[str]]]] = []
    editable: ClassVar[tuple[str, ...]] = ()
    m2m_fields: ClassVar[tuple[str, ...]] = ()

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def service_kwargs(self) -> dict[str, Any]:
        cd = self.cleaned_data
        data = {name: cd[name] for name in self.editable if name in cd}
        return {"data": data, **{name: list(cd.get(name) or []) for name in self.m2m_fields}}


# ---- helpers ---------------------------------------------------------------------------------


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: at the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def wants_fragment(request: HttpRequest, target: str) -> bool:
    """An htmx request that swaps only ``#target`` (not a history restore, which needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == target and not htmx.history_restore_request)


class ListingAppView(View):
    """Base of the listing views: carries the listing kind. Refusals are raised (``Http404``,
    ``PermissionDenied("why")``) and become the site's 404 and 403 pages."""

    listing_app: ListingApp = None  # type: ignore[assignment]  # set by a subclass or by as_view(listing_app=…)

    def listing(self, request: HttpRequest, pk: Any) -> Any:
        """The listing ``pk`` if ``request.user`` may see it, else ``Http404``."""
        return perms.listing_for(self.listing_app.visible(request.user), pk)

    def base_context(self) -> dict[str, Any]:
        c = self.listing_app
        return {"listing_app": c, "app": c.app, "page_title": c.title}


# ---- portal ----------------------------------------------------------------------------------


class ListingListView(ListingAppView):
    """Published listings with filters, full-text search, sorting and pages.

    Owners find their drafts under "my listings", not here. An htmx request aimed at ``#results``
    gets only the results; everything else gets the whole page, so the form works without JavaScript.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        c = self.listing_app
        # A page number out of range or garbled is not worth an error: the paginator falls back.
        data = request.GET.copy()
        page = data.pop("page", ["1"])[-1]
        form = c.filter_form(data)
        form.fields["q"].widget.input_type = "search"
        form.order_fields([name for name in form.fields if name != "sort"] + ["sort"])
        result, terms, error = None, [], ""
        if form.is_valid():
            q = form.cleaned_data.get("q") or ""
            queryset = form.filter(c.visible(request.user).filter(status=ReviewStatus.PUBLISHED))
            if c.cards is not None:
                queryset = c.cards(queryset)
            result = listing_search.run(
                queryset,
                kind=c.kind,
                q=q,
                sort=form.sort_key,
                sort_fields=form.sort_fields,
                page=page,
                per_page=PER_PAGE,
            )
            terms = query_tokens(q) if q.strip() else []
        else:
            error = form.error_message()
        context = {
            **self.base_context(),
            "form": form,
            "result": result,
            "page": result.page if result else None,
            "terms": terms,
            "filter_error": error,
            "list_url": c.url("list"),
            "card_template": c.template("partials/card.html"),
            "can_create": c.can_author(request.user),
        }
        fragment = wants_fragment(request, "results")
        template = "core/portal/results.html" if fragment else "core/portal/list.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response


class ListingDetailView(ListingAppView):
    """One listing with everything public; owners also see its status and their next moves.

    People who may not see a listing (someone else's draft) get a 404, so drafts do not leak.
    """

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        c = self.listing_app
        obj = self.listing(request, pk)
        context = {
            **self.base_context(),
            "obj": obj,
            "is_owner": perms.is_owner_member(request.user, obj),
            "actions": next_actions(request.user, obj, c.app),
            "body_template": c.template("partials/body.html"),
            "page_title": obj.title,
        }
        context.update(self.extra_context(request, obj))
        return render(request, "core/portal/detail.html", context)

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}


class ListingFormView(RoleRequiredMixin, ListingAppView):
    """Create (no ``pk``) or edit a listing. Everything is saved as a draft unless "save and submit".

    Bad input re-renders the form with messages and saves nothing; a published listing that is
    edited goes back to review, and the page says so before and after.
    """

    def get_object(self, request: HttpRequest, pk: int | None) -> Any:
        if pk is None:
            self.listing_app.check_author(request.user)
            return None
        obj = self.listing(request, pk)
        perms.check_edit(request.user, obj)
        return obj

    def make_form(
        self, request: HttpRequest, obj: Any, data: Any = None, files: Any = None
    ) -> forms.BaseForm:
        # The form gets its own copy: ModelForm validation writes cleaned values onto its instance,
        # and the service must compare the new values with the stored ones.
        instance = copy.copy(obj) if obj is not None else None
        return self.listing_app.form(data, files, instance=instance)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(request, pk)
        return self.render_form(request, obj, self.make_form(request, obj))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        c = self.listing_app
        obj = self.get_object(request, pk)
        form = self.make_form(request, obj, request.POST, request.FILES)
        if form.is_valid():
            try:
                obj = self.save(request, obj, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionError as exc:
                form.add_error(None, str(exc.message))
            else:
                if request.POST.get("and_submit") and obj.status != ReviewStatus.SUBMITTED:
                    self.submit(request, obj)
                return redirect(c.url("detail", obj.pk))
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
        return self.render_form(request, obj, form)

    def save(self, request: HttpRequest, obj: Any, form: Any) -> Any:
        """Create or update through the app's service; returns the listing."""
        c = self.listing_app
        if obj is None:
            obj = c.create(actor=request.user, **form.service_kwargs())
            messages.success(request, _("Saved as a draft."))
            return obj
        was_published = obj.status == ReviewStatus.PUBLISHED
        c.update(obj, actor=request.user, **form.service_kwargs())
        if was_published:
            message = _("Your changes were saved. The listing goes back to review before it is shown again.")
            messages.warning(request, message)
        else:
            messages.success(request, _("Your changes were saved."))
        return obj

    def submit(self, request: HttpRequest, obj: Any) -> None:
        try:
            self.listing_app.submit(obj, actor=request.user)
        except TransitionError as exc:
            messages.warning(request, _("Saved, but not submitted: %(reason)s") % {"reason": exc.message})
        else:
            messages.success(request, _("Submitted for review. You will be notified of the decision."))

    def render_form(self, request: HttpRequest, obj: Any, form: forms.BaseForm) -> HttpResponse:
        c = self.listing_app
        context = {
            **self.base_context(),
            "form": form,
            "obj": obj,
            "page_title": _("Edit: %(title)s") % {"title": obj.title} if obj else c.new_label,
            "cancel_url": c.url("detail", obj.pk) if obj else reverse("portal:mine"),
            "warn_review": obj is not None and obj.status == ReviewStatus.PUBLISHED,
        }
        context.update(self.extra_context(request, obj))
        return render(request, c.template("portal/form.html"), context)

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}


# Who may make each owner's move (the services check again with the same helpers).
CHECKS: dict[str, Callable[[Any, Any], None]] = {
    "submit": perms.check_editor,
    "withdraw": perms.check_withdraw,
    "reopen": perms.check_editor,
}


class ListingActionView(RoleRequiredMixin, ListingAppView):
    """POST-only moves of the editors: ``submit``, ``withdraw``, ``reopen`` (operators may withdraw too).

    Who may move is checked first (403 with the reason); a move the state does not allow is a message.
    """

    http_method_names = ["post"]
    action: str = ""  # set by as_view(action=…)
    SUCCESS: ClassVar[dict[str, Any]] = {
        "submit": gettext_lazy("Submitted for review. You will be notified of the decision."),
        "withdraw": gettext_lazy("The listing was withdrawn and is no longer shown on the portal."),
        "reopen": gettext_lazy("The listing is a draft again; edit it and submit it when ready."),
    }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        c = self.listing_app
        obj = self.listing(request, pk)
        CHECKS[self.action](request.user, obj)
        move = getattr(c, self.action)
        try:
            if self.action == "withdraw":
                move(obj, actor=request.user, reason=request.POST.get("reason", "").strip()[:500])
            else:
                move(obj, actor=request.user)
        except TransitionError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, self.SUCCESS[self.action])
        return HttpResponseRedirect(safe_next(request, c.url("detail", obj.pk)))


# ---- console ---------------------------------------------------------------------------------


class ReviewerRequiredMixin(RoleRequiredMixin):
    """Reviewers and operators only: anonymous users go to sign in, everyone else gets a 403."""

    role_check = staticmethod(perms.can_review)
    permission_message = gettext_lazy("Only platform reviewers and operators can review listings.")


QUEUE_TABS: list[tuple[str, Any]] = [
    ("submitted", gettext_lazy("Awaiting review")),
    ("stale", gettext_lazy("Stale")),
    ("published", gettext_lazy("Published")),
    ("rejected", gettext_lazy("Rejected")),
    ("withdrawn", gettext_lazy("Withdrawn")),
    ("expired", gettext_lazy("Expired")),
    ("draft", gettext_lazy("Draft")),
]


def _tab_q(tab: str) -> Q:
    if tab == "stale":
        return Q(status=ReviewStatus.PUBLISHED, stale_since__isnull=False)
    return Q(status=tab)


class ConsoleQueueView(ReviewerRequiredMixin, ListingAppView):
    """The review queue: submitted listings oldest first, with tabs for the other states."""

    def get(self, request: HttpRequest) -> HttpResponse:
        c = self.listing_app
        names = [name for name, _label in QUEUE_TABS]
        tab = request.GET.get("tab") or "submitted"
        if tab not in names:
            tab = "submitted"
        base = c.model._default_manager.all()
        counts = base.aggregate(**{name: Count("pk", filter=_tab_q(name)) for name in names})
        if tab == "submitted":
            order = ["updated_at", "id"]  # oldest first: who waited longest is served first
        elif tab == "stale":
            order = ["stale_since", "id"]
        else:
            order = ["-updated_at", "-id"]
        owner = c.model.OWNER_FIELD
        qs = base.filter(_tab_q(tab)).select_related(owner, "created_by", *c.console_related).order_by(*order)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.base_context(),
            "tabs": [(name, label, counts[name]) for name, label in QUEUE_TABS],
            "tab": tab,
            "page": page,
            "rows": [(obj, getattr(obj, owner)) for obj in page.object_list],
        }
        context.update(self.extra_context(request))
        return render(request, "core/portal/queue.html", context)

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        """More for the page (the apps' queue of files added after publication)."""
        return {}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The owner sees this; say what to change."),
        error_messages={"required": gettext_lazy("Give the owner a reason for the rejection.")},
    )


class ConsoleReviewView(ReviewerRequiredMixin, ListingAppView):
    """Everything about one listing, confidential parts and audit history included; approve or reject."""

    def get_object(self, pk: int) -> Any:
        return self.listing(self.request, pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_object(pk), RejectForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        c = self.listing_app
        obj = self.get_object(pk)
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                c.approve(obj, actor=request.user)
                messages.success(request, _("Published: %(title)s") % {"title": obj.title})
            elif decision == "reject":
                form = RejectForm(request.POST)
                if not form.is_valid():
                    messages.error(
                        request, _("Nothing was changed. Give the owner a reason for the rejection.")
                    )
                    return self.render_page(request, obj, form)
                c.reject(obj, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Sent back to the owner: %(title)s") % {"title": obj.title})
            else:
                raise Http404
        except TransitionError as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse(f"{c.console}:review", args=[obj.pk]))
        return redirect(reverse(f"{c.console}:queue"))

    def render_page(self, request: HttpRequest, obj: Any, form: RejectForm) -> HttpResponse:
        c = self.listing_app
        context = {
            **self.base_context(),
            "obj": obj,
            "form": form,
            "history": audit.history_rows(obj),
            "body_template": c.template("partials/body.html"),
            "can_decide": obj.status == ReviewStatus.SUBMITTED,
            "page_title": obj.title,
        }
        context.update(self.extra_context(request, obj))
        return render(request, "core/portal/review.html", context)

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}


# ---- blocks the listing apps register on the home page and "my work" ---------------------------


def newest_block(
    visible: Callable[[Any], QuerySet],
    *,
    app: str,
    heading: Any,
    all_label: Any,
    empty: Any,
    count: int = 6,
    lead: Q | None = None,
) -> Callable[[HttpRequest], dict[str, Any]]:
    """A home block with the newest published listings of one kind (``core/portal/includes/newest.html``).

    ``lead``: the listings that come first (e.g. those with a real description rather than a
    title-only record), newest first; the others follow when there are too few of them.
    """

    def context(request: HttpRequest) -> dict[str, Any]:
        rows = visible(request.user).filter(status=ReviewStatus.PUBLISHED)
        if lead is not None:
            rows = rows.annotate(_lead=Case(When(lead, then=Value(0)), default=Value(1)))
            rows = rows.order_by("_lead", "-published_at", "-id")[:count]
        else:
            rows = rows.order_by("-published_at", "-id")[:count]
        return {
            "heading": heading,
            "all_label": all_label,
            "empty": empty,
            "list_url": reverse(f"{app}:list"),
            "card": f"{app}/partials/card.html",
            "rows": list(rows),
            "terms": [],  # the cards highlight search terms; a home block has none
        }

    return context


def mine_section(model: Any, *, app: str, heading: Any, new_label: Any) -> Callable[[HttpRequest], Any]:
    """A "my work" section with the organisation's listings of one kind and what to do next with each."""

    def context(request: HttpRequest) -> dict[str, Any] | None:
        user: Any = request.user
        if not user.organization_id:
            return None
        qs = listings.owner_queryset(model, user).select_related("created_by").order_by("-updated_at", "-id")
        return {
            "heading": heading,
            "new_label": new_label,
            "new_url": reverse(f"{app}:create"),
            "app": app,
            "rows": [(obj, next_actions(user, obj, app)) for obj in qs],
        }

    return context
