"""Public pages: the IP services home, the patent register, patent navigation (landscape and reports)
and the IP-intensive enterprises."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import message_of
from techbridge.core.permissions import role_required, signed_in
from techbridge.core.roles import is_staff_reviewer

from .. import landscape, permissions, queries
from ..choices import ReportStatus
from ..forms import RegisterFilterForm
from ..models import Designation, Industry, NavigationReport, Patent
from ..services import navigation
from . import page_of


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "patent_count": Patent.objects.count(),
        "industries": list(queries.industries()[:12]),
        "bases": queries.bases_with_counts(),
        "may_watch": permissions.may_watch(user),
        "may_assist": permissions.may_request_assistance(user),
        "is_provider": permissions.is_provider_member(user),
    }
    return render(request, "ipservices/portal/home.html", context)


def patent_list(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    qs = form.filter(queries.register_list())
    page = page_of(request, qs)
    return render(
        request, "ipservices/portal/patents.html", {"form": form, "page": page, "patents": page.object_list}
    )


def patent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patent = get_object_or_404(Patent.objects.select_related("applicant_org"), pk=pk)
    from techbridge.core.workflow import ReviewStatus

    achievements = patent.achievements.filter(status=ReviewStatus.PUBLISHED).select_related("owner")[:20]
    context = {
        "patent": patent,
        "status_now": queries.effective_status(patent),
        "in_force": queries.is_in_force(patent),
        "days_left": queries.remaining_term(patent),
        "achievements": achievements,
        "industries": Industry.objects.filter(memberships__patent=patent).order_by("order", "name"),
        "history": audit.history(patent)[:20] if is_staff_reviewer(request.user) else [],
        "can_manage": permissions.may_manage_register(request.user),
    }
    return render(request, "ipservices/portal/patent.html", context)


def industry_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ipservices/portal/industries.html", {"industries": list(queries.industries())})


def industry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The navigation page: the industry's patent landscape with charts, and its reports."""
    industry = get_object_or_404(Industry, pk=pk)
    data = landscape.landscape(industry)
    reports = list(industry.reports.select_related("requested_by")[:10])
    latest = next((r for r in reports if r.status == ReportStatus.READY), None)
    context = {
        "industry": industry,
        "data": data,
        "chart": landscape.chart_data(data),
        "reports": reports,
        "clusters": (latest.snapshot.get("clusters") or []) if latest else [],
        "clusters_report": latest,
        "can_generate": is_staff_reviewer(request.user),
        "pending": any(r.status in (ReportStatus.QUEUED, ReportStatus.RUNNING) for r in reports),
    }
    return render(request, "ipservices/portal/industry.html", context)


@role_required(
    is_staff_reviewer, message=_("Only platform reviewers and operators generate navigation reports.")
)
@require_POST
def report_request(request: HttpRequest, pk: int) -> HttpResponse:
    industry = get_object_or_404(Industry, pk=pk)
    try:
        report = navigation.request_report(industry, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, message_of(exc))
    else:
        report.refresh_from_db()
        if report.status == ReportStatus.READY:
            messages.success(request, _("The report is ready."))
        elif report.status == ReportStatus.FAILED:
            messages.error(request, _("The report could not be generated: %(why)s") % {"why": report.message})
        else:
            messages.success(request, _("The report is being generated; it appears below when ready."))
    return redirect("ipservices:industry", industry.pk)


def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """A stored report file (PDF or Excel), for signed-in users; never served from MEDIA_URL."""
    if not signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    report = get_object_or_404(
        NavigationReport.objects.select_related("industry"), pk=pk, status=ReportStatus.READY
    )
    field = report.pdf if fmt == "pdf" else report.xlsx
    if not field:
        raise Http404(_("The report file is missing."))
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The report file is missing.")) from exc
    ext = "pdf" if fmt == "pdf" else "xlsx"
    name = f"专利导航报告-{report.industry.name}-{report.finished_at:%Y%m%d}.{ext}"
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def enterprise_list(request: HttpRequest) -> HttpResponse:
    """IP-intensive enterprises (designations in force) and the counts per industry base."""
    designations = (
        Designation.objects.filter(revoked_at__isnull=True)
        .select_related("organization", "industry")
        .order_by("-year", "organization__name")
    )
    page = page_of(request, designations)
    by_year = (
        Designation.objects.filter(revoked_at__isnull=True)
        .values("year")
        .annotate(n=Count("id"))
        .order_by("year")
    )
    context = {
        "page": page,
        "designations": page.object_list,
        "bases": queries.bases_with_counts(),
        "by_year": list(by_year),
        "unassigned": Designation.objects.filter(revoked_at__isnull=True, industry__isnull=True).count(),
        "total": Designation.objects.filter(Q(revoked_at__isnull=True))
        .values("organization")
        .distinct()
        .count(),
    }
    return render(request, "ipservices/portal/enterprises.html", context)
