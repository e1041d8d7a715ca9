"""Pages of the technology-transfer office's workbench (/tto/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core import documents
from techbridge.core.audit import history_rows
from techbridge.core.downloads import download_response, pdf_response
from techbridge.core.errors import act, message_of
from techbridge.core.permissions import deny, hide
from techbridge.core.workflow import TransitionError
from techbridge.lib.pdf import PDF_CONTENT_TYPE
from techbridge.lib.xlsx import XLSX_CONTENT_TYPE

from . import documents as tto_documents
from . import services
from .choices import (
    DECISIONS,
    ActionKind,
    AnnuityChoice,
    ApplicationStatus,
    DisclosureStatus,
    DistributionStatus,
    IncomeKind,
    PatentKind,
    ReportStatus,
)
from .forms import DisclosureForm, ExpertsForm, ReportForm
from .models import AnnualReport, DisclosureFile, DistributionLine, OfficeAction, PatentApplication
from .permissions import (
    DISCLOSE_MESSAGE,
    OFFICE_MESSAGE,
    can_edit,
    can_manage,
    disclosure_for,
    editable_case_for,
    grant_for,
    is_office,
    is_office_of,
    is_researcher,
    licence_for,
    may_take_licence,
    office_case_for,
    public_licences,
    visible_disclosures,
)
from .services.rewards import policy_of


def _org(request: HttpRequest) -> int:
    return int(getattr(request.user, "organization_id", 0) or 0)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The office's workbench (every case, the docket, costs) or a researcher's own cases."""
    user: Any = request.user
    cases = list(visible_disclosures(user).select_related("institution").order_by("-created_at", "-id")[:200])
    context: dict[str, Any] = {"cases": cases, "office": is_office(user), "researcher": is_researcher(user)}
    if is_office(user):
        context["docket"] = list(
            PatentApplication.objects.filter(
                disclosure__institution_id=user.organization_id, next_deadline__isnull=False
            )
            .select_related("disclosure")
            .order_by("next_deadline")[:50]
        )
        context["costs"] = services.portfolio_costs(user.organization_id)
    return render(request, "tto/portal/home.html", context)


def _form_data(form: DisclosureForm) -> dict[str, Any]:
    return {
        k: form.cleaned_data[k]
        for k in ("title", "summary", "detail", "prior_disclosures", "commercial_notes")
    }


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not is_researcher(request.user):
        deny(DISCLOSE_MESSAGE)
    org_id = _org(request)
    me: Any = request.user
    form = DisclosureForm(
        request.POST or None,
        institution_id=org_id,
        initial={"inventors_text": f"{me.display_name}, 100, {me.username}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_disclosure(
                actor=request.user,
                data=_form_data(form),
                inventors=form.cleaned_data["inventors_text"],
                funding=form.cleaned_data["funding_text"],
                files=request.FILES.getlist("files")[:10],
            )
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(
                request, _("Disclosure saved as a draft. Submit it to the office when complete.")
            )
            return redirect("tto:case", case.pk)
    return render(request, "tto/portal/form.html", {"form": form})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = editable_case_for(request.user, pk)
    if case.status != DisclosureStatus.DRAFT:
        messages.error(request, _("Only a draft disclosure can be changed."))
        return redirect("tto:case", case.pk)
    inv = "\n".join(
        f"{i.name}, {i.share}" + (f", {i.user.username}" if i.user else "")
        for i in case.inventors.select_related("user")
    )
    fund = "\n".join(f"{f.funder}, {f.grant_number}, {f.obligations}" for f in case.funding.all())
    form = DisclosureForm(
        request.POST or None,
        instance=case,
        institution_id=case.institution_id,
        initial={"inventors_text": inv, "funding_text": fund},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_disclosure(
                case,
                actor=request.user,
                data=_form_data(form),
                inventors=form.cleaned_data["inventors_text"],
                funding=form.cleaned_data["funding_text"],
            )
        except (ValidationError, TransitionError) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("Disclosure saved."))
            return redirect("tto:case", case.pk)
    return render(request, "tto/portal/form.html", {"form": form, "case": case})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = disclosure_for(request.user, pk)
    manage = can_manage(request.user, case)
    apps = list(
        case.applications.prefetch_related(
            "office_actions", "annuities", Prefetch("open_licences", to_attr="licences")
        )
    )
    for app in apps:
        app.deadline_list = services.deadlines(app)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "case": case,
        "manage": manage,
        "editable": can_edit(request.user, case),
        "inventors": list(case.inventors.select_related("user")),
        "funding": list(case.funding.all()),
        "files": list(case.files.all()),
        "applications": apps,
        "incomes": list(case.incomes.select_related("contract")),
        "distributions": list(case.distributions.prefetch_related("lines__inventor")),
        "history": history_rows(case),
        "decisions": [(d.value, d.label) for d in DECISIONS],
        "patent_kinds": PatentKind.choices,
        "action_kinds": ActionKind.choices,
        "annuity_choices": AnnuityChoice.choices,
        "income_kinds": IncomeKind.choices,
        "today": timezone.localdate(),
        "granted": ApplicationStatus.GRANTED,
    }
    if manage:
        context["experts_form"] = ExpertsForm(initial={"experts": list(case.experts.select_related("user"))})
        context["policy"] = policy_of(case.institution_id)
    if case.achievement_id:
        from techbridge.auctions.models import Lot
        from techbridge.contracts.models import Contract
        from techbridge.deals.models import Room

        a = case.achievement_id
        if manage:
            context["rooms"] = list(Room.objects.filter(achievement_id=a).order_by("-id")[:20])
            context["lots"] = list(Lot.objects.filter(achievement_id=a).order_by("-id")[:20])
        context["contracts"] = (
            list(
                Contract.objects.filter(achievement_id=a, seller_id=case.institution_id).order_by("-id")[:20]
            )
            if manage
            else []
        )
    return render(request, "tto/portal/case.html", context)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = editable_case_for(request.user, pk)
    return act(
        request,
        lambda: services.submit_disclosure(case, actor=request.user),
        _("Disclosed to the technology-transfer office."),
        "tto:case",
        case.pk,
    )


@login_required
@require_POST
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    case = office_case_for(request.user, pk)
    form = ExpertsForm(request.POST)
    if not form.is_valid():
        for problem in form.errors.get("experts", []):
            messages.error(request, str(problem))
        return redirect("tto:case", case.pk)
    experts = list(form.cleaned_data["experts"])
    scores = {n: request.POST.get(n) for n in services.cases.SCORES}
    return act(
        request,
        lambda: services.assess_disclosure(
            case, actor=request.user, scores=scores, note=request.POST.get("note", "")[:2000], experts=experts
        ),
        _("Assessment saved."),
        "tto:case",
        case.pk,
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = office_case_for(request.user, pk)
    return act(
        request,
        lambda: services.decide_disclosure(
            case,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            reasons=request.POST.get("reasons", "")[:2000],
        ),
        _("Decision recorded."),
        "tto:case",
        case.pk,
    )


@login_required
@require_POST
def return_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = office_case_for(request.user, pk)
    return act(
        request,
        lambda: services.return_disclosure(
            case, actor=request.user, reason=request.POST.get("reason", "")[:2000]
        ),
        _("Returned to the researcher."),
        "tto:case",
        case.pk,
    )


@login_required
@require_POST
def add_file(request: HttpRequest, pk: int) -> HttpResponse:
    case = disclosure_for(request.user, pk)
    upload = request.FILES.get("file")

    def run() -> None:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        services.add_file(case, actor=request.user, upload=upload)

    return act(request, run, _("File added."), "tto:case", case.pk)


@login_required
def file_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    case = disclosure_for(request.user, pk)
    item = get_object_or_404(DisclosureFile, pk=file_pk, disclosure=case)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = office_case_for(request.user, pk)
    return act(
        request,
        lambda: services.publish_listing(case, actor=request.user),
        _("Published as an achievement listing and sent to review."),
        "tto:case",
        case.pk,
    )


@login_required
@require_POST
def file_application(request: HttpRequest, pk: int) -> HttpResponse:
    case = office_case_for(request.user, pk)
    fields = ("kind", "title", "application_number", "agency", "filing_date", "official_fees", "agency_fees")
    data = {f: request.POST.get(f, "")[:200] for f in fields}
    return act(
        request,
        lambda: services.file_application(case, actor=request.user, data=data),
        _("Application entered in the docket."),
        "tto:case",
        case.pk,
    )


def _office_app(request: HttpRequest, pk: int) -> PatentApplication:
    app = get_object_or_404(PatentApplication.objects.select_related("disclosure"), pk=pk)
    office_case_for(request.user, app.disclosure_id)
    return app


@login_required
@require_POST
def request_examination(request: HttpRequest, pk: int) -> HttpResponse:
    app = _office_app(request, pk)
    return act(
        request,
        lambda: services.request_examination(app, actor=request.user),
        _("Substantive examination requested."),
        "tto:case",
        app.disclosure_id,
    )


@login_required
@require_POST
def office_action(request: HttpRequest, pk: int) -> HttpResponse:
    app = _office_app(request, pk)
    return act(
        request,
        lambda: services.record_office_action(
            app,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            issued_on=request.POST.get("issued_on", "")[:20],
        ),
        _("Office action recorded; the answer's deadline is computed."),
        "tto:case",
        app.disclosure_id,
    )


@login_required
@require_POST
def answer_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(OfficeAction.objects.select_related("application__disclosure"), pk=pk)
    office_case_for(request.user, action.application.disclosure_id)
    return act(
        request,
        lambda: services.answer_office_action(
            action, actor=request.user, responded_on=request.POST.get("responded_on", "")[:20]
        ),
        _("Answer recorded."),
        "tto:case",
        action.application.disclosure_id,
    )


@login_required
@require_POST
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    app = _office_app(request, pk)
    return act(
        request,
        lambda: services.record_grant(
            app, actor=request.user, grant_date=request.POST.get("grant_date", "")[:20]
        ),
        _("Grant recorded."),
        "tto:case",
        app.disclosure_id,
    )


@login_required
@require_POST
def annuity(request: HttpRequest, pk: int) -> HttpResponse:
    app = _office_app(request, pk)
    return act(
        request,
        lambda: services.decide_annuity(
            app,
            actor=request.user,
            decision=request.POST.get("decision", ""),
            fee=request.POST.get("fee", "")[:20],
            reasons=request.POST.get("reasons", "")[:1000],
        ),
        _("Annual fee decided."),
        "tto:case",
        app.disclosure_id,
    )


@login_required
@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    app = _office_app(request, pk)
    return act(
        request,
        lambda: services.declare_open_licence(
            app,
            actor=request.user,
            royalty_rate=request.POST.get("royalty_rate", "")[:20],
            entry_fee=request.POST.get("entry_fee", "")[:20],
            term_years=request.POST.get("term_years", "")[:5],
            payment_terms=request.POST.get("payment_terms", "")[:1000],
        ),
        _("Declared open for licence; it is on the public list."),
        "tto:case",
        app.disclosure_id,
    )


@login_required
@require_POST
def income(request: HttpRequest, pk: int) -> HttpResponse:
    from techbridge.contracts.models import Contract

    case = office_case_for(request.user, pk)
    ref = request.POST.get("contract", "")

    def run() -> None:
        contract = None
        if ref:
            contract = Contract.objects.filter(
                pk=int(ref) if ref.isdigit() else 0, seller_id=case.institution_id
            ).first()
            if contract is None:
                raise ValidationError(_("The contract is not one of the institution's."))
        services.record_income(
            case,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            amount=request.POST.get("amount", "")[:20],
            received_on=request.POST.get("received_on", "")[:20],
            contract=contract,
            note=request.POST.get("note", "")[:200],
        )

    return act(request, run, _("Income recorded."), "tto:case", case.pk)


@login_required
@require_POST
def distribute(request: HttpRequest, pk: int) -> HttpResponse:
    case = office_case_for(request.user, pk)
    return act(
        request,
        lambda: services.create_distribution(
            case,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            year=request.POST.get("year", "")[:4],
            costs=request.POST.get("costs", "")[:20],
            costs_note=request.POST.get("costs_note", "")[:300],
            percent=request.POST.get("percent", "")[:10] or None,
            agreement=request.POST.get("agreement", "")[:300],
        ),
        _("Rewards computed. Check them and issue the statements."),
        "tto:case",
        case.pk,
    )


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import Distribution

    dist = get_object_or_404(Distribution, pk=pk)
    office_case_for(request.user, dist.disclosure_id)
    return act(
        request,
        lambda: services.issue_distribution(dist, actor=request.user),
        _("Statements issued to the inventors."),
        "tto:case",
        dist.disclosure_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An inventor's statement: for that inventor and the office. Typeset in the background after the
    distribution is issued: the page says it is being generated until the stored file is served."""
    line = get_object_or_404(
        DistributionLine.objects.select_related("distribution__disclosure", "inventor"), pk=pk
    )
    case = disclosure_for(request.user, line.distribution.disclosure_id)
    if not is_office_of(request.user, case.institution_id) and line.inventor.user_id != request.user.pk:
        deny(_("Only the inventor and the office see this statement."))
    if line.distribution.status == DistributionStatus.ISSUED:
        return documents.serve(request, line, tto_documents.STATEMENT)
    if not line.statement or request.method != "GET":
        hide()
    return pdf_response(line.statement.read(), f"{case.number}-{line.inventor.name}.pdf")


def licences(request: HttpRequest) -> HttpResponse:
    """The public list of patents open for licence (专利开放许可)."""
    items = list(public_licences().order_by("-declared_at", "-id")[:200])
    return render(request, "tto/portal/licences.html", {"licences": items})


def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_for(request.user, pk)
    office = is_office_of(request.user, licence.application.disclosure.institution_id)
    grants = (
        list(licence.grants.select_related("licensee", "contract").prefetch_related("reports"))
        if office
        else []
    )
    mine = None
    if getattr(request.user, "organization_id", None):
        mine = licence.grants.filter(licensee_id=_org(request)).prefetch_related("reports").first()
    return render(
        request,
        "tto/portal/licence.html",
        {
            "licence": licence,
            "office": office,
            "grants": grants,
            "mine": mine,
            "may_take": may_take_licence(request.user, licence) and mine is None,
        },
    )


@login_required
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_for(request.user, pk)
    if not may_take_licence(request.user, licence):
        deny(
            _(
                "A licence is taken by an approved organisation other than the patent holder, "
                "while the patent is open."
            )
        )
    return act(
        request,
        lambda: services.take_licence(licence, actor=request.user),
        _("Licence taken by notice; the licence contract was generated and submitted for registration."),
        "tto:licence",
        licence.pk,
    )


@login_required
@require_POST
def withdraw_licence(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_for(request.user, pk)
    if not is_office_of(request.user, licence.application.disclosure.institution_id):
        deny(OFFICE_MESSAGE)
    return act(
        request,
        lambda: services.withdraw_open_licence(licence, actor=request.user),
        _("Open licence withdrawn; licences already taken remain valid."),
        "tto:licence",
        licence.pk,
    )


@login_required
@require_POST
def royalties(request: HttpRequest, pk: int) -> HttpResponse:
    grant_ = grant_for(request.user, pk)
    if _org(request) != grant_.licensee_id:
        deny(_("Only the licensee reports its sales."))
    return act(
        request,
        lambda: services.report_royalties(
            grant_,
            actor=request.user,
            year=request.POST.get("year", "")[:4],
            sales=request.POST.get("sales", "")[:20],
        ),
        _("Sales reported; the royalty due is computed."),
        "tto:licence",
        grant_.licence_id,
    )


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        deny(OFFICE_MESSAGE)
    current = policy_of(_org(request))
    if request.method == "POST":
        values = {
            n: request.POST.get(n, "")[:10] for n in ("transfer_percent", "equity_percent", "profit_percent")
        }
        return act(
            request,
            lambda: services.save_policy(actor=request.user, values=values),
            _("Reward policy saved."),
            "tto:policy",
        )
    return render(request, "tto/portal/policy.html", {"policy": current})


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        deny(OFFICE_MESSAGE)
    if request.method == "POST":
        year = request.POST.get("year", "")[:4]
        try:
            report = services.generate_report(actor=request.user, year=year)
        except (ValidationError, TransitionError) as exc:
            messages.error(request, message_of(exc))
            return redirect("tto:reports")
        messages.success(request, _("Report generated from the records."))
        return redirect("tto:report", report.pk)
    items = list(AnnualReport.objects.filter(institution_id=_org(request)).order_by("-year"))
    return render(request, "tto/portal/reports.html", {"reports": items, "year": timezone.localdate().year})


def _report_for(request: HttpRequest, pk: int) -> AnnualReport:
    report = get_object_or_404(AnnualReport.objects.select_related("institution"), pk=pk)
    if not is_office_of(request.user, report.institution_id):
        hide()
    return report


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report_for(request, pk)
    form = ReportForm(
        request.POST or None,
        initial={"spinoffs": item.spinoffs, "office_staff": item.office_staff, "narrative": item.narrative},
    )
    if request.method == "POST" and form.is_valid():
        return act(
            request,
            lambda: services.save_report(item, actor=request.user, values=form.cleaned_data),
            _("Report saved."),
            "tto:report",
            item.pk,
        )
    return render(
        request,
        "tto/portal/report.html",
        {"report": item, "form": form, "f": item.figures, "history": history_rows(item)},
    )


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report_for(request, pk)
    return act(
        request,
        lambda: services.finalise_report(item, actor=request.user),
        _("Report final. The Excel workbook is ready; the PDF is being generated."),
        "tto:report",
        item.pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The final report's PDF (typeset in the background: the page says it is being generated until the
    stored file is served) or its Excel workbook."""
    item = _report_for(request, pk)
    if fmt == "pdf" and item.status == ReportStatus.FINAL:
        return documents.serve(request, item, tto_documents.REPORT)
    field = item.pdf if fmt == "pdf" else item.xlsx if fmt == "xlsx" else None
    if field is None or not field or request.method != "GET":
        hide()
    name = _("Technology transfer annual report %(year)d") % {"year": item.year}
    ctype = PDF_CONTENT_TYPE if fmt == "pdf" else XLSX_CONTENT_TYPE
    return download_response(field.read(), f"{name}.{fmt}", content_type=ctype, fallback=f"report.{fmt}")
