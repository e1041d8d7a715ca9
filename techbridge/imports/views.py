"""Console pages of imports: upload, check, confirm and follow an import; review duplicate pairs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core.downloads import xlsx_response
from techbridge.core.permissions import role_required
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import TransitionError
from techbridge.lib.xlsx import XLSX_CONTENT_TYPE, Sheet

from . import batches, dedup, permissions, sample_files
from .forms import UploadForm
from .models import DuplicatePair, ImportBatch
from .registry import import_kinds

NS = "imports_console"


def url(name: str, *args: Any) -> str:
    return reverse(f"{NS}:{name}", args=args)


operator_required = role_required(permissions.can_import, message=permissions.IMPORT)
reviewer_required = role_required(permissions.can_decide_duplicates, message=permissions.DUPLICATES)


@operator_required
def batch_list_view(request: HttpRequest) -> HttpResponse:
    """The upload form, the templates to download and the import history."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            batch = batches.start_upload(
                cd["file"],
                kind=cd["kind"],
                source=cd["source"],
                publish=cd["publish"],
                find_duplicates=cd["find_duplicates"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect(url("detail", batch.pk))
    qs = ImportBatch.objects.select_related("created_by").defer("refused_rows", "preview")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    templates = [(k.code, k.template_label) for k in import_kinds() if k.template]
    open_pairs = DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN).count()
    return render(
        request,
        "imports/console/list.html",
        {"form": form, "page": page, "templates": templates, "open_pairs": open_pairs, "ns": NS},
        status=400 if request.method == "POST" else 200,
    )


@operator_required
def batch_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch: progress while it is checked or imported, the check report, confirm or cancel."""
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    if batches.revive_if_stale(batch):  # its process was killed: no query unless it is stale
        batch.refresh_from_db()
    template = (
        "imports/console/progress.html"
        if request.headers.get("HX-Request")
        else "imports/console/detail.html"
    )
    return render(request, template, _detail_context(batch))


def _detail_context(batch: ImportBatch) -> dict[str, Any]:
    preview = batch.preview or {}
    finished = batch.status in (ImportBatch.Status.FINISHED, ImportBatch.Status.FAILED)
    return {
        "batch": batch,
        "preview": preview,
        "refused_rows": batch.refused_rows if finished else preview.get("refused_rows", []),
        "finished": finished,
        "resumable": batches.is_resumable(batch),
        "duplicates": batch.duplicates.count() if finished else 0,
        "ns": NS,
    }


@require_POST
@operator_required
def batch_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        batches.confirm(batch, actor=request.user)
    except TransitionError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The import has started."))
    return redirect(url("detail", pk))


@require_POST
@operator_required
def batch_resume_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Resume an interrupted import from its stored file."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        batches.resume(batch, actor=request.user)
    except TransitionError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The import was resumed; rows already imported are not imported twice."))
    return redirect(url("detail", pk))


@require_POST
@operator_required
def batch_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        batches.cancel(batch, actor=request.user)
    except TransitionError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The upload was cancelled; nothing was imported."))
    return redirect(url("list"))


@operator_required
def refused_rows_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The refused rows of a batch (check or import) as Excel, to fix the file and upload it again."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    context = _detail_context(batch)
    rows = [(r["line"], r["reason"]) for r in context["refused_rows"]]
    name = batch.file_name.rsplit(".", 1)[0]
    return xlsx_response([Sheet("被拒绝的行", ["行号", "原因"], rows)], f"{name}-被拒绝的行.xlsx")


@role_required(permissions.can_download_templates, message=permissions.TEMPLATES)
def template_view(request: HttpRequest, kind: str) -> HttpResponse:
    """The Excel template of one kind (platform staff prepare files with it)."""
    if kind not in {k.code for k in import_kinds() if k.template}:
        raise Http404
    from django.utils.encoding import escape_uri_path

    response = HttpResponse(sample_files.template_workbook(kind), content_type=XLSX_CONTENT_TYPE)
    name = sample_files.template_filename(kind)
    response["Content-Disposition"] = (
        f"attachment; filename=\"template-{kind}.xlsx\"; filename*=UTF-8''{escape_uri_path(name)}"
    )
    return response


# ---- duplicates -------------------------------------------------------------------------------


def pair_rows(pairs: list[DuplicatePair]) -> list[tuple[DuplicatePair, Any, Any]]:
    """Pairs with their two listings, read in one query per kind (owners joined)."""
    objs: dict[tuple[str, int], Any] = {}
    for kind in {p.kind for p in pairs}:
        spec = dedup.SPECS[DuplicatePair.Kind(kind)]
        owner = "owner" if kind == DuplicatePair.Kind.ACHIEVEMENT else "enterprise"
        ids = [i for p in pairs if p.kind == kind for i in (p.left_id, p.right_id)]
        for obj in spec.model._default_manager.filter(pk__in=ids).select_related(owner):
            obj.detail_url = reverse(f"{kind}s:detail", args=[obj.pk])
            obj.owner_name = getattr(obj, owner).name
            obj.text = getattr(obj, spec.body_field)
            objs[(kind, obj.pk)] = obj
    return [(p, objs.get((p.kind, p.left_id)), objs.get((p.kind, p.right_id))) for p in pairs]


@reviewer_required
def duplicate_list_view(request: HttpRequest) -> HttpResponse:
    """Pairs awaiting a decision, most similar first; reviewers merge or dismiss them."""
    status = request.GET.get("status") or DuplicatePair.Status.OPEN
    if status not in DuplicatePair.Status.values:
        status = DuplicatePair.Status.OPEN
    qs = DuplicatePair.objects.filter(status=status).select_related("batch", "decided_by")
    kind = request.GET.get("kind", "")
    if kind in DuplicatePair.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    counts = dict.fromkeys(DuplicatePair.Status.values, 0)
    counts.update(DuplicatePair.objects.order_by().values_list("status").annotate(n=Count("pk")))
    tabs = [(s.value, s.label, counts[s.value]) for s in DuplicatePair.Status]
    return render(
        request,
        "imports/console/duplicates.html",
        {
            "page": page,
            "rows": pair_rows(list(page.object_list)),
            "tabs": tabs,
            "status": status,
            "kind": kind,
            "ns": NS,
        },
    )


@require_POST
@reviewer_required
def duplicate_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge (keeping the chosen record) or dismiss one pair."""
    pair = get_object_or_404(DuplicatePair, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "dismiss":
            dedup.dismiss_pair(pair, actor=request.user)
            messages.success(request, _("Marked as not duplicates; the pair will not be proposed again."))
        elif action == "merge":
            try:
                keep = int(request.POST.get("keep", ""))
            except ValueError:
                raise ValidationError(_("Choose one of the two records to keep.")) from None
            kept = dedup.merge_pair(pair, keep=keep, actor=request.user)
            messages.success(
                request, _("Merged into “%(title)s”; the other record was withdrawn.") % {"title": kept.title}
            )
        else:
            messages.error(request, _("Unknown action."))
    except (TransitionError, ValidationError, PermissionDenied) as exc:
        text = (
            exc.message
            if isinstance(exc, TransitionError)
            else " ".join(getattr(exc, "messages", [str(exc)]))
        )
        messages.error(request, str(text))
    return redirect(url("duplicates") + "?" + request.GET.urlencode())


@require_POST
@reviewer_required
def duplicate_scan_view(request: HttpRequest) -> HttpResponse:
    """Look for duplicates among all active listings now (a task; inline on the embedded default)."""
    from .tasks import scan_duplicates

    for kind in DuplicatePair.Kind.values:
        enqueue(scan_duplicates, kind)
    messages.success(request, _("The duplicate scan has run; new pairs are listed below."))
    return redirect(url("duplicates"))
