"""Pages of catalogues (成果目录): staff build them in the console; everyone reads the published ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.achievements.filters import AchievementFilterForm
from techbridge.achievements.models import Achievement
from techbridge.core import documents, listing_search
from techbridge.core.api import Pagination
from techbridge.core.downloads import xlsx_response
from techbridge.core.listing_api import error_responses
from techbridge.core.permissions import RolePermission, role_required
from techbridge.core.workflow import ReviewStatus, TransitionError

from . import catalogues as svc
from . import permissions as perms
from .catalogue_forms import CatalogueForm, EntryNoteForm
from .models import Catalogue, CatalogueEntry

PER_PAGE = 20
ADD_ALL_LIMIT = 500


# Every console page of catalogues is for those who build them.
staff_required = role_required(perms.can_manage_catalogues, message=perms.MANAGE_CATALOGUES)


# ---- console ---------------------------------------------------------------------------------------


@staff_required
def console_list_view(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        catalogue = svc.create_catalogue(actor=request.user, **form.cleaned_data)
        return redirect("mining_console:catalogue_edit", catalogue.pk)
    page = Paginator(svc.visible_catalogues(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mining/catalogue_console_list.html",
        {"form": form, "page": page},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def console_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a catalogue: its title, its entries (order, notes) and achievements to add (screening)."""
    catalogue = get_object_or_404(Catalogue, pk=pk)
    form = CatalogueForm(request.POST or None, instance=catalogue)
    if request.method == "POST" and form.is_valid():
        svc.update_catalogue(catalogue, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("mining_console:catalogue_edit", pk)
    entries = list(svc.all_entries(catalogue))
    present = {e.achievement_id for e in entries}
    filters, result, error = _screened(request.GET, page=request.GET.get("page", "1"))
    context = {
        "catalogue": catalogue,
        "form": form,
        "entries": entries,
        "present": present,
        "filters": filters,
        "result": result,
        "page": result.page if result else None,
        "filter_error": error,
    }
    return render(
        request,
        "mining/catalogue_console_edit.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _screened(params: QueryDict, *, page: int | str = 1, per_page: int = PER_PAGE) -> tuple[Any, Any, str]:
    """The screening form over published achievements and one page of what it selects."""
    data = params.copy()
    data.pop("page", None)
    filters = AchievementFilterForm(data)
    if not filters.is_valid():
        return filters, None, filters.error_message()
    qs = filters.filter(Achievement.objects.filter(status=ReviewStatus.PUBLISHED).select_related("owner"))
    result = listing_search.run(
        qs.prefetch_related("fields"),
        kind="achievement",
        q=filters.cleaned_data.get("q") or "",
        sort=filters.sort_key,
        sort_fields=filters.sort_fields,
        page=page,
        per_page=per_page,
    )
    return filters, result, ""


@require_POST
@staff_required
def console_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the ticked achievements, or (``all``) every achievement the screening selects, up to 500."""
    catalogue = get_object_or_404(Catalogue, pk=pk)
    back = request.POST.get("next", "")
    back = back if back.startswith("?") else ""
    if request.POST.get("all"):
        _filters, result, _error = _screened(QueryDict(back[1:]), per_page=ADD_ALL_LIMIT)
        pks = [obj.pk for obj in result.page.object_list] if result else []
    else:
        try:
            pks = [int(v) for v in request.POST.getlist("achievements")]
        except ValueError:
            pks = []
    if not pks:
        messages.error(request, _("Select at least one achievement."))
    else:
        try:
            added = svc.add_achievements(catalogue, pks, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Added %(n)s achievements.") % {"n": added})
    return redirect(reverse("mining_console:catalogue_edit", args=[pk]) + back)


@require_POST
@staff_required
def console_entry_view(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Remove, move or annotate one entry."""
    entry = get_object_or_404(
        CatalogueEntry.objects.select_related("catalogue"), pk=entry_pk, catalogue_id=pk
    )
    action = request.POST.get("action")
    if action == "remove":
        svc.remove_entry(entry, actor=request.user)
    elif action in ("up", "down"):
        svc.move_entry(entry, action, actor=request.user)
    elif action == "note":
        form = EntryNoteForm(request.POST)
        if form.is_valid():
            svc.set_note(entry, form.cleaned_data["note"], actor=request.user)
        else:
            messages.error(request, _("The note is too long (300 characters at most)."))
    return redirect(reverse("mining_console:catalogue_edit", args=[pk]) + "#entries")


@require_POST
@staff_required
def console_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = get_object_or_404(Catalogue, pk=pk)
    try:
        if request.POST.get("action") == "unpublish":
            svc.unpublish_catalogue(catalogue, actor=request.user)
            messages.success(request, _("The catalogue is a draft again and no longer public."))
        else:
            svc.publish_catalogue(catalogue, actor=request.user)
            messages.success(request, _("The catalogue is published."))
    except TransitionError as exc:
        messages.error(request, str(exc.message))
    return redirect("mining_console:catalogue_edit", pk)


# ---- portal ------------------------------------------------------------------------------------------


def portal_list_view(request: HttpRequest) -> HttpResponse:
    qs = Catalogue.objects.filter(status=Catalogue.Status.PUBLISHED).order_by("-published_at", "-id")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mining/catalogue_list.html", {"page": page})


def portal_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = perms.catalogue_for(request.user, pk)
    entries = list(svc.published_entries(catalogue))
    return render(
        request,
        "mining/catalogue_detail.html",
        {"catalogue": catalogue, "entries": entries, "can_manage": perms.can_manage_catalogues(request.user)},
    )


def _filename(catalogue: Catalogue, ext: str) -> str:
    safe = "".join(ch for ch in catalogue.title if ch not in '\\/:*?"<>|')[:60] or "catalogue"
    return f"{safe}.{ext}"


@require_http_methods(["GET", "POST"])
def portal_pdf_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stored PDF of the catalogue's current content; made once, in the background (issue 22, point 6)."""
    catalogue = perms.catalogue_for(request.user, pk)
    return documents.serve(request, catalogue, "mining.catalogue")


def portal_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = perms.catalogue_for(request.user, pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return xlsx_response(svc.export_sheets(catalogue, base), _filename(catalogue, "xlsx"))


# ---- REST API ------------------------------------------------------------------------------------------


class CatalogueEntrySerializer(serializers.ModelSerializer):
    achievement_id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(source="achievement.title", read_only=True)
    owner = serializers.CharField(source="achievement.owner.name", read_only=True)

    class Meta:
        model = CatalogueEntry
        fields = ["achievement_id", "title", "owner", "position", "note"]
        read_only_fields = fields


class CatalogueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Catalogue
        fields = ["id", "title", "description", "status", "published_at", "updated_at"]
        read_only_fields = ["id", "status", "published_at", "updated_at"]


class CatalogueDetailSerializer(CatalogueSerializer):
    entries = serializers.SerializerMethodField()

    class Meta(CatalogueSerializer.Meta):
        fields = [*CatalogueSerializer.Meta.fields, "entries"]

    @extend_schema_field(CatalogueEntrySerializer(many=True))
    def get_entries(self, obj: Catalogue) -> list:
        return list(CatalogueEntrySerializer(svc.published_entries(obj), many=True).data)


class AddEntriesSerializer(serializers.Serializer):
    achievements = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=500
    )


class StaffWrites(RolePermission):
    """Everyone reads published catalogues; reviewers and operators create and change them."""

    predicate = staticmethod(perms.can_manage_catalogues)
    message = perms.MANAGE_CATALOGUES

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or super().has_permission(request, view)


@extend_schema_view(
    create=extend_schema(responses={201: CatalogueSerializer, **error_responses(400, 401, 403)}),
    retrieve=extend_schema(responses={200: CatalogueDetailSerializer, **error_responses(404)}),
)
class CatalogueViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Achievement catalogues: published ones for everyone, drafts for staff; staff build and publish."""

    permission_classes = [StaffWrites]
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        return svc.visible_catalogues(self.request.user)

    def get_serializer_class(self) -> Any:
        return CatalogueDetailSerializer if self.action == "retrieve" else CatalogueSerializer

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = svc.create_catalogue(actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        request=AddEntriesSerializer,
        responses={200: CatalogueDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def entries(self, request: Request, pk: int) -> Response:
        catalogue = self.get_object()
        ser = AddEntriesSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        svc.add_achievements(catalogue, ser.validated_data["achievements"], actor=request.user)
        return Response(CatalogueDetailSerializer(catalogue).data)

    @extend_schema(
        request=None, responses={200: CatalogueDetailSerializer, **error_responses(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: int) -> Response:
        catalogue = self.get_object()
        svc.publish_catalogue(catalogue, actor=request.user)
        return Response(CatalogueDetailSerializer(catalogue).data)

    @extend_schema(
        request=None, responses={200: CatalogueDetailSerializer, **error_responses(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: int) -> Response:
        catalogue = self.get_object()
        svc.unpublish_catalogue(catalogue, actor=request.user)
        return Response(CatalogueDetailSerializer(catalogue).data)
