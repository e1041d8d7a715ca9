"""Pages of classification corrections and achievement packages (portal and console)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from techbridge.core.permissions import role_required
from techbridge.core.workflow import TransitionError
from techbridge.lib.numbers import digits
from techbridge.matching.permissions import listing_for

from . import classifiers, permissions, queries, services
from .choices import ClassificationTarget, PackageStatus
from .forms import CorrectionForm, GenerateForm, MembersForm, PackageForm
from .models import AchievementPackage, ListingClassification, PackagePromotion

PER_PAGE = 20


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# ---- portal ----------------------------------------------------------------------------------------


def package_list_view(request: HttpRequest) -> HttpResponse:
    """Published packages, newest first (staff see theirs in the console)."""
    qs = queries.visible_packages(None).order_by("-published_at", "-id")
    field = request.GET.get("field", "")
    if field:
        qs = qs.filter(field__code=field)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    from techbridge.taxonomy.models import IndustryField

    return render(
        request,
        "mining/package_list.html",
        {"page": page, "fields": IndustryField.objects.all(), "field": field},
    )


def package_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    package = permissions.package_for(request.user, pk)
    members = queries.package_members(package, request.user)
    return render(
        request,
        "mining/package_detail.html",
        {
            "package": package,
            "members": members,
            "can_manage": permissions.can_manage_packages(request.user),
        },
    )


# ---- classification corrections ---------------------------------------------------------------------


def _safe_next(request: HttpRequest, fallback: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return fallback


@require_POST
@role_required(permissions.can_correct_classification, message=permissions.CORRECT_CLASSIFICATION)
def correct_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A reviewer corrects one target of a listing's classification."""
    listing = listing_for(request.user, kind, pk)
    fallback = reverse(f"{kind}s:detail", args=[pk])
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a target and a label."))
        return redirect(_safe_next(request, fallback))
    try:
        services.correct_classification(
            listing, form.cleaned_data["target"], form.cleaned_data["label"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(_safe_next(request, fallback))
    messages.success(request, _("The classification was corrected."))
    return redirect(_safe_next(request, fallback))


@role_required(
    permissions.can_correct_classification,
    message=_lazy("Only platform reviewers may review classifications."),
)
def classification_console_view(request: HttpRequest) -> HttpResponse:
    """The classifier's version and its least certain predictions, for reviewers to check."""
    target = request.GET.get("target") or ClassificationTarget.DISCIPLINE
    if target not in ClassificationTarget.values:
        target = ClassificationTarget.DISCIPLINE
    rows = (
        ListingClassification.objects.filter(target=target, corrected_label="")
        .exclude(label="")
        .order_by("confidence", "id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    titles = _titles([(r.kind, r.object_id) for r in page.object_list])
    items = [
        {
            "row": r,
            "title": titles.get((r.kind, r.object_id), ""),
            "name": queries.label_name(target, r.label),
        }
        for r in page.object_list
    ]
    corrected = ListingClassification.objects.exclude(corrected_label="").count()
    return render(
        request,
        "mining/console/classification.html",
        {
            "info": classifiers.current_info(),
            "page": page,
            "items": items,
            "target": target,
            "targets": ClassificationTarget.choices,
            "corrected": corrected,
            "total": ListingClassification.objects.filter(target=target).count(),
        },
    )


def _titles(keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for kind in ("achievement", "demand"):
        ids = [pk for k, pk in keys if k == kind]
        if ids:
            for pk, title in services.model_of(kind).objects.filter(pk__in=ids).values_list("pk", "title"):
                out[(kind, pk)] = title
    return out


# ---- console: packages ------------------------------------------------------------------------------


# Every console page of packages is for those who manage them.
staff_required = role_required(permissions.can_manage_packages, message=permissions.MANAGE_PACKAGES)


@staff_required
def console_packages_view(request: HttpRequest) -> HttpResponse:
    """Every package by status, the proposal generator and a form for a package made by hand."""
    status = request.GET.get("status", "")
    qs = queries.visible_packages(request.user).order_by("-updated_at", "-id")
    if status in PackageStatus.values:
        qs = qs.filter(status=status)
    form = PackageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                package = services.create_package(
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    field=form.cleaned_data["field"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("mining_console:package_edit", package.pk)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mining/console/packages.html",
        {
            "page": page,
            "form": form,
            "generate": GenerateForm(),
            "status": status,
            "statuses": PackageStatus.choices,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@staff_required
def console_generate_view(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the grouping settings."))
        return redirect("mining_console:packages")
    try:
        created = services.generate_packages(
            actor=request.user,
            method=form.cleaned_data["method"],
            k=form.cleaned_data.get("k"),
            min_size=form.cleaned_data.get("min_size"),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("mining_console:packages")
    if created:
        messages.success(request, _("%(n)d package proposals were made.") % {"n": len(created)})
    else:
        messages.warning(
            request,
            _("No proposals: too few published achievements have an embedding yet (run rebuild_index)."),
        )
    return redirect(reverse("mining_console:packages") + "?status=draft")


@staff_required
def console_package_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_object_or_404(AchievementPackage.objects.select_related("field"), pk=pk)
    initial = {
        "title": package.title,
        "summary": package.summary,
        "field": package.field,
        "key_terms": "、".join(package.key_terms or []),
    }
    form = PackageForm(request.POST or None, initial=initial)
    members_form = MembersForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "save":
                if form.is_valid():
                    services.update_package(
                        package,
                        actor=request.user,
                        title=form.cleaned_data["title"],
                        summary=form.cleaned_data["summary"],
                        field=form.cleaned_data["field"],
                        key_terms=form.cleaned_data["key_terms"],
                    )
                    messages.success(request, _("The package was saved."))
                    return redirect("mining_console:package_edit", package.pk)
                status = 400
            elif action == "add":
                members_form = MembersForm(request.POST)
                form = PackageForm(initial=initial)
                if members_form.is_valid():
                    services.update_package(package, actor=request.user, add=members_form.cleaned_data["add"])
                    messages.success(request, _("The achievements were added."))
                    return redirect("mining_console:package_edit", package.pk)
                status = 400
            elif action == "remove":
                member = request.POST.get("achievement", "")
                if digits(member):
                    services.update_package(package, actor=request.user, remove=[int(member)])
                    messages.success(request, _("The achievement was removed from the package."))
                return redirect("mining_console:package_edit", package.pk)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            package.refresh_from_db()
            form = PackageForm(initial=initial)
            status = 400
    members = queries.package_members(package, request.user)
    promotions = PackagePromotion.objects.filter(package=package).select_related("enterprise")
    return render(
        request,
        "mining/console/package_edit.html",
        {
            "package": package,
            "form": form,
            "members_form": members_form,
            "members": members,
            "promotions": promotions,
        },
        status=status,
    )


@require_POST
@staff_required
def console_package_state_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, archive or restore a package."""
    package = get_object_or_404(AchievementPackage, pk=pk)
    action = request.POST.get("action", "")
    moves: dict[str, Any] = {
        "publish": (services.publish_package, _("The package is published.")),
        "archive": (services.archive_package, _("The package is archived.")),
        "restore": (services.restore_package, _("The package is a draft again.")),
    }
    if action not in moves:
        messages.error(request, _("Unknown action."))
        return redirect("mining_console:package_edit", pk)
    func, done = moves[action]
    try:
        func(package, actor=request.user)
    except (ValidationError, TransitionError) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc.message))
    else:
        messages.success(request, done)
    return redirect("mining_console:package_edit", pk)


@require_POST
@staff_required
def console_package_promote_view(request: HttpRequest, pk: int) -> HttpResponse:
    """推介: notify the best-matched enterprises (each once per package)."""
    package = get_object_or_404(AchievementPackage, pk=pk)
    try:
        counts = services.promote_package(package, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("%(n)d enterprises were told (%(p)d people); %(a)d had been told before.")
            % {"n": counts["enterprises"], "p": counts["people"], "a": counts["already"]},
        )
    return redirect("mining_console:package_edit", pk)
