"""Pages and API endpoints of listing files (``core.listing_files``): serving each file after the
permission check, the gallery on the detail page, the owners' management block on the edit page (htmx)
and the nested REST endpoints ``/api/v1/<listings>/{id}/files/`` and ``…/videos/``."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.lib import limits

from . import listing_files as lf
from .errors import act, message_of
from .listing_api import StrictJSONParser, StrictSerializer, error_responses, service_errors
from .listing_permissions import can_review, check_edit, check_review, listing_for
from .permissions import RoleRequiredMixin, deny, signed_in
from .workflow import ReviewStatus

MANAGE_TEMPLATE = "core/portal/includes/listing_files_manage.html"


# ---- serving ------------------------------------------------------------------------------------------


class ListingFileView(View):
    """One file (or its thumbnail) after the permission check; never from MEDIA_URL.

    Public files open for whoever sees the listing; a restricted one sends an anonymous visitor to sign
    in and refuses, with the reason, signed-in users the app's gate does not let through.
    """

    spec: Any = None  # the app's ListingFiles
    thumb = False
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int, att_pk: int) -> HttpResponseBase:
        spec = self.spec
        listing = listing_for(spec.visible(request.user), pk)
        file = get_object_or_404(spec.file_model, pk=att_pk, **{spec.fk: listing})
        if not file.is_approved and not lf.sees_unreviewed(request.user, listing):
            raise Http404(_("The file is missing."))
        if not file.is_public and not spec.can_see_restricted(request.user, listing):
            if not signed_in(request.user):
                return redirect_to_login(request.get_full_path())
            deny(spec.restricted_refusal())
        field = file.thumbnail if self.thumb else file.file
        if not field:
            raise Http404(_("The file is missing."))
        try:
            handle = field.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("The file is missing.")) from exc
        if self.thumb:
            content_type = "image/webp"
        else:
            content_type = (
                file.content_type or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            )
        inline = content_type.startswith("image/")
        response = FileResponse(
            handle, as_attachment=not inline, filename=file.name, content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        if inline and file.is_public and file.is_approved and listing.status == ReviewStatus.PUBLISHED:
            response["Cache-Control"] = "public, max-age=86400"
        else:
            response["Cache-Control"] = "private, no-store"
        return response


# ---- the gallery on the detail page -------------------------------------------------------------------


def gallery_context(spec: lf.ListingFiles) -> Any:
    """A panel context function: the files and videos the viewer may open, grouped for the gallery.

    On achievements the NDA-gated files show in the confidential part instead (``restricted_apart``).
    """

    def context(request: HttpRequest, listing: Any) -> dict[str, Any] | None:
        rows = lf.shown_rows(list(spec.files_of(listing)), request.user, listing)
        videos = lf.visible_videos(spec, request.user, listing)
        allowed = spec.can_see_restricted(request.user, listing)
        shown = [f for f in rows if f.is_public or allowed]
        if spec.restricted_apart:
            shown = [f for f in rows if f.is_public]
        if not rows and not videos:
            return None
        return {
            "files_app": spec.app,
            "gallery_images": [f for f in shown if f.is_image],
            "gallery_documents": [f for f in shown if not f.is_image],
            "gallery_videos": videos,
            "gallery_hidden": 0 if allowed else sum(1 for f in rows if not f.is_public),
            "gallery_hint": spec.restricted_hint,
        }

    return context


# ---- the owners' block on the edit page ---------------------------------------------------------------


def manage_context(spec: lf.ListingFiles, listing: Any, **extra: Any) -> dict[str, Any]:
    return {
        "files_app": spec.app,
        "obj": listing,
        "manage_files": list(spec.files_of(listing)),
        "manage_videos": list(spec.videos_of(listing)),
        "file_kinds": lf.FileKind.choices,
        "file_visibilities": spec.visibilities,
        "video_hosts": "、".join(settings.LISTING_VIDEO_HOSTS),
        **extra,
    }


class ListingFileActionView(RoleRequiredMixin, View):
    """One owner's action on the files of a listing (POST): the block again for htmx, else a redirect."""

    spec: Any = None  # the app's ListingFiles
    action = ""
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, **ids: int) -> HttpResponse:
        spec, item_pk = self.spec, ids.get("att_pk") or ids.get("video_pk")
        listing = listing_for(spec.visible(request.user), pk)
        check_edit(request.user, listing)  # who, before reading the form
        error, success = "", ""
        try:
            success = self.run(request, listing, item_pk)
        except ValidationError as exc:
            error = message_of(exc)
        if request.headers.get("HX-Request"):
            fresh = type(listing).objects.get(pk=listing.pk)
            return render(
                request, MANAGE_TEMPLATE, manage_context(spec, fresh, files_error=error, files_ok=success)
            )
        if error:
            messages.error(request, error)
        elif success:
            messages.success(request, success)
        return redirect(reverse(f"{spec.app}:edit", args=[listing.pk]) + "#files")

    def run(self, request: HttpRequest, listing: Any, item_pk: int | None) -> str:
        spec, data, actor = self.spec, request.POST, request.user
        if self.action == "add":
            row = lf.add_file(
                spec,
                listing,
                actor=actor,
                upload=request.FILES.get("file"),
                kind=data.get("kind", ""),
                visibility=data.get("visibility", ""),
                caption=data.get("caption", ""),
            )
            return _("Added the file %(name)s.") % {"name": row.name}
        if self.action == "video_add":
            video = lf.add_video(
                spec, listing, actor=actor, url=data.get("url", ""), title=data.get("title", "")
            )
            return _("Added the video link %(title)s.") % {"title": video.title}
        if self.action == "video_delete":
            video = get_object_or_404(spec.video_model, pk=item_pk, **{spec.fk: listing})
            lf.delete_video(spec, video, actor=actor)
            return _("Removed the video link %(title)s.") % {"title": video.title}
        file = get_object_or_404(spec.file_model, pk=item_pk, **{spec.fk: listing})
        if self.action == "delete":
            lf.delete_file(spec, file, actor=actor)
            return _("Removed the file %(name)s.") % {"name": file.name}
        if self.action in ("up", "down"):
            lf.move_file(spec, file, actor=actor, up=self.action == "up")
            return _("Moved the file %(name)s.") % {"name": file.name}
        lf.update_file(
            spec, file, actor=actor, caption=data.get("caption"), visibility=data.get("visibility") or None
        )
        return _("Saved the file %(name)s.") % {"name": file.name}


def portal_urls(spec: lf.ListingFiles) -> list[Any]:
    """The file routes of a listing app's portal ``urls.py``."""
    from django.urls import path

    def act(action: str) -> Any:
        return ListingFileActionView.as_view(spec=spec, action=action)

    return [
        path("<int:pk>/files/<int:att_pk>/", ListingFileView.as_view(spec=spec), name="attachment"),
        path(
            "<int:pk>/files/<int:att_pk>/thumbnail/",
            ListingFileView.as_view(spec=spec, thumb=True),
            name="attachment_thumbnail",
        ),
        path("<int:pk>/files/add/", act("add"), name="attachment_add"),
        path("<int:pk>/files/<int:att_pk>/change/", act("change"), name="attachment_change"),
        path("<int:pk>/files/<int:att_pk>/up/", act("up"), name="attachment_up"),
        path("<int:pk>/files/<int:att_pk>/down/", act("down"), name="attachment_down"),
        path("<int:pk>/files/<int:att_pk>/delete/", act("delete"), name="attachment_delete"),
        path("<int:pk>/videos/add/", act("video_add"), name="video_add"),
        path("<int:pk>/videos/<int:video_pk>/delete/", act("video_delete"), name="video_delete"),
    ]


# ---- the reviewers' queue of files added after publication (console) -------------------------------

REVIEW_TEMPLATE = "core/portal/listing_files_review.html"
REVIEW_PER_PAGE = 30
REVIEW_VIDEOS_SHOWN = 100


class _ReviewerOnly(RoleRequiredMixin):
    role_check = staticmethod(can_review)
    permission_message = gettext_lazy("Only platform reviewers and operators can review listings.")


class FileReviewQueueView(_ReviewerOnly, View):
    """Files and video links added to published listings, oldest first: approve, or reject with a reason."""

    spec: Any = None  # the app's ListingFiles
    title: Any = ""
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        spec = self.spec
        owner = f"{spec.fk}__{spec.listing_model.OWNER_FIELD}"
        pending = {"review_status": lf.FileReview.PENDING}
        files = (
            spec.file_model.objects.filter(**pending)
            .select_related(spec.fk, owner, "uploaded_by")
            .order_by("created_at", "id")
        )
        videos = (
            spec.video_model.objects.filter(**pending)
            .select_related(spec.fk, owner, "created_by")
            .order_by("created_at", "id")
        )
        page = Paginator(files, REVIEW_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "files_app": spec.app,
            "fk": spec.fk,
            "page": page,
            "review_files": [(f, getattr(f, spec.fk)) for f in page.object_list],
            "review_videos": [(v, getattr(v, spec.fk)) for v in videos[:REVIEW_VIDEOS_SHOWN]],
            "queue_url": reverse(f"{spec.app}_console:queue"),
            "page_title": self.title,
            "reason_max": limits.REASON,
        }
        return render(request, REVIEW_TEMPLATE, context)


class FileDecisionView(_ReviewerOnly, View):
    """A reviewer's decision on one file or video link (POST ``decision`` = approve | reject, ``reason``)."""

    spec: Any = None
    video = False
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        spec = self.spec
        item = get_object_or_404(spec.video_model if self.video else spec.file_model, pk=pk)
        decision = request.POST.get("decision")
        if decision == "approve":
            success = _("Approved: %(name)s is now shown with its listing.") % {"name": item}
            run = lambda: lf.approve_item(spec, item, actor=request.user)  # noqa: E731
        elif decision == "reject":
            success = _("Not approved: %(name)s. The owner was told why.") % {"name": item}
            reason = request.POST.get("reason", "")
            run = lambda: lf.reject_item(spec, item, actor=request.user, reason=reason)  # noqa: E731
        else:
            raise Http404
        return act(request, run, success, reverse(f"{spec.app}_console:files"))


def console_urls(spec: lf.ListingFiles, title: Any) -> list[Any]:
    """The reviewers' file routes of a listing app's ``console_urls.py``."""
    from django.urls import path

    return [
        path("files/", FileReviewQueueView.as_view(spec=spec, title=title), name="files"),
        path("files/<int:pk>/review/", FileDecisionView.as_view(spec=spec), name="file_review"),
        path("videos/<int:pk>/review/", FileDecisionView.as_view(spec=spec, video=True), name="video_review"),
    ]


def queue_tab(spec: lf.ListingFiles) -> dict[str, Any]:
    """What the listing review queue shows about files waiting for review (a tab with their number)."""
    return {
        "file_queue_url": reverse(f"{spec.app}_console:files"),
        "file_queue_count": lf.pending_count(spec),
    }


# ---- API ----------------------------------------------------------------------------------------------


class ListingFileSerializer(serializers.Serializer):
    """A file of a listing as the caller may see it, with the addresses to open it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    kind = serializers.ChoiceField(choices=lf.FileKind.choices)
    visibility = serializers.CharField(
        help_text="public, or restricted: nda (achievements: after the NDA) / members (demands: signed-in "
        "members of organisations)."
    )
    caption = serializers.CharField()
    order = serializers.IntegerField()
    content_type = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    review_status = serializers.ChoiceField(
        choices=lf.FileReview.choices,
        help_text="approved (shown to everyone who may open it), pending (added after publication: only the "
        "listing's editors and reviewers see it until a reviewer approves it) or rejected.",
    )
    review_reason = serializers.CharField(help_text="Why a reviewer did not approve it (rejected only).")
    created_at = serializers.DateTimeField()

    def _url(self, obj: Any, name: str) -> str:
        app, listing_id = self.context["app"], self.context["listing_id"]
        return self.context["request"].build_absolute_uri(reverse(f"{app}:{name}", args=[listing_id, obj.pk]))

    def get_url(self, obj: Any) -> str:
        return self._url(obj, "attachment")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, obj: Any) -> str | None:
        return self._url(obj, "attachment_thumbnail") if obj.thumbnail else None


class ListingFileUploadSerializer(StrictSerializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=lf.FileKind.choices)
    visibility = serializers.CharField(
        max_length=10, help_text="public, nda (achievements) or members (demands)."
    )
    caption = serializers.CharField(max_length=lf.CAPTION_MAX, required=False, allow_blank=True, default="")


class ListingFileChangeSerializer(StrictSerializer):
    caption = serializers.CharField(max_length=lf.CAPTION_MAX, required=False, allow_blank=True)
    visibility = serializers.CharField(max_length=10, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class ListingVideoSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(
        max_length=lf.VIDEO_URL_MAX, help_text="https only, on an allowed video host."
    )
    title = serializers.CharField(max_length=lf.VIDEO_TITLE_MAX)
    order = serializers.IntegerField(read_only=True)
    host = serializers.CharField(read_only=True)
    review_status = serializers.ChoiceField(choices=lf.FileReview.choices, read_only=True)
    review_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class _ListingVideoCreateSerializer(StrictSerializer, ListingVideoSerializer):
    pass


class FileRejectSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=limits.REASON, help_text="What the owner should change.")


class _ListingNestedViewSet(viewsets.ViewSet):
    spec: Any = None  # the app's ListingFiles

    def get_permissions(self) -> list[Any]:
        if self.action == "list":
            return [drf_permissions.AllowAny()]
        return [drf_permissions.IsAuthenticated()]

    def _listing(self, request: Request, pk: Any) -> Any:
        return listing_for(self.spec.visible(request.user), pk)

    def _for_review(self, request: Request, pk: Any, item_pk: Any, model: Any) -> tuple[Any, Any]:
        listing = self._listing(request, pk)
        with service_errors():
            check_review(request.user)
        return listing, get_object_or_404(model, pk=item_pk, **{self.spec.fk: listing})

    def _editable(self, request: Request, pk: Any) -> Any:
        listing = self._listing(request, pk)
        with service_errors():
            check_edit(request.user, listing)
        return listing


class ListingFilesViewSet(_ListingNestedViewSet):
    """The files of one listing: everyone who sees the listing lists the files they may open; its
    editors upload (multipart), change and remove them."""

    parser_classes = [MultiPartParser, FormParser, StrictJSONParser]

    def _context(self, request: Request, listing: Any) -> dict[str, Any]:
        return {"request": request, "app": self.spec.app, "listing_id": listing.pk}

    @extend_schema(responses={200: ListingFileSerializer(many=True), **error_responses(404)})
    def list(self, request: Request, pk: str) -> Response:
        listing = self._listing(request, pk)
        rows = lf.visible_files(self.spec, request.user, listing)
        return Response(ListingFileSerializer(rows, many=True, context=self._context(request, listing)).data)

    @extend_schema(
        request=None, responses={200: ListingFileSerializer, **error_responses(400, 401, 403, 404)}
    )
    def approve(self, request: Request, pk: str, file_pk: str) -> Response:
        """Show a file added after publication to the public (reviewers and operators)."""
        listing, row = self._for_review(request, pk, file_pk, self.spec.file_model)
        with service_errors():
            lf.approve_item(self.spec, row, actor=request.user)
        return Response(ListingFileSerializer(row, context=self._context(request, listing)).data)

    @extend_schema(
        request=FileRejectSerializer,
        responses={200: ListingFileSerializer, **error_responses(400, 401, 403, 404)},
    )
    def reject(self, request: Request, pk: str, file_pk: str) -> Response:
        """Keep a file added after publication from the public, with a reason for the owner (reviewers)."""
        listing, row = self._for_review(request, pk, file_pk, self.spec.file_model)
        data = FileRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            lf.reject_item(self.spec, row, actor=request.user, reason=data.validated_data["reason"])
        return Response(ListingFileSerializer(row, context=self._context(request, listing)).data)

    @extend_schema(
        request={"multipart/form-data": ListingFileUploadSerializer},
        responses={201: ListingFileSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request, pk: str) -> Response:
        listing = self._editable(request, pk)
        data = ListingFileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        with service_errors():
            row = lf.add_file(self.spec, listing, actor=request.user, upload=values.pop("file"), **values)
        return Response(
            ListingFileSerializer(row, context=self._context(request, listing)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=ListingFileChangeSerializer,
        responses={200: ListingFileSerializer, **error_responses(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str, file_pk: str) -> Response:
        listing = self._editable(request, pk)
        row = get_object_or_404(self.spec.file_model, pk=file_pk, **{self.spec.fk: listing})
        data = ListingFileChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            lf.update_file(self.spec, row, actor=request.user, **data.validated_data)
        return Response(ListingFileSerializer(row, context=self._context(request, listing)).data)

    @extend_schema(responses={204: None, **error_responses(401, 403, 404)})
    def destroy(self, request: Request, pk: str, file_pk: str) -> Response:
        listing = self._editable(request, pk)
        row = get_object_or_404(self.spec.file_model, pk=file_pk, **{self.spec.fk: listing})
        with service_errors():
            lf.delete_file(self.spec, row, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListingVideosViewSet(_ListingNestedViewSet):
    """The video links of one listing: everyone who sees the listing lists them; its editors add and
    remove them (https on an allowed host only)."""

    parser_classes = [StrictJSONParser, FormParser, MultiPartParser]

    @extend_schema(responses={200: ListingVideoSerializer(many=True), **error_responses(404)})
    def list(self, request: Request, pk: str) -> Response:
        listing = self._listing(request, pk)
        return Response(
            ListingVideoSerializer(lf.visible_videos(self.spec, request.user, listing), many=True).data
        )

    @extend_schema(
        request=None, responses={200: ListingVideoSerializer, **error_responses(400, 401, 403, 404)}
    )
    def approve(self, request: Request, pk: str, video_pk: str) -> Response:
        """Show a video link added after publication to the public (reviewers and operators)."""
        _listing, video = self._for_review(request, pk, video_pk, self.spec.video_model)
        with service_errors():
            lf.approve_item(self.spec, video, actor=request.user)
        return Response(ListingVideoSerializer(video).data)

    @extend_schema(
        request=FileRejectSerializer,
        responses={200: ListingVideoSerializer, **error_responses(400, 401, 403, 404)},
    )
    def reject(self, request: Request, pk: str, video_pk: str) -> Response:
        """Keep a video link added after publication from the public, with a reason (reviewers)."""
        _listing, video = self._for_review(request, pk, video_pk, self.spec.video_model)
        data = FileRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            lf.reject_item(self.spec, video, actor=request.user, reason=data.validated_data["reason"])
        return Response(ListingVideoSerializer(video).data)

    @extend_schema(
        request=_ListingVideoCreateSerializer,
        responses={201: ListingVideoSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request, pk: str) -> Response:
        listing = self._editable(request, pk)
        data = _ListingVideoCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            video = lf.add_video(self.spec, listing, actor=request.user, **data.validated_data)
        return Response(ListingVideoSerializer(video).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **error_responses(401, 403, 404)})
    def destroy(self, request: Request, pk: str, video_pk: str) -> Response:
        listing = self._editable(request, pk)
        video = get_object_or_404(self.spec.video_model, pk=video_pk, **{self.spec.fk: listing})
        with service_errors():
            lf.delete_video(self.spec, video, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def api_urls(spec: lf.ListingFiles, prefix: str, basename: str) -> list[Any]:
    """The nested file and video endpoints of a listing app, for ``techbridge/api_urls.py``."""
    from django.urls import path

    files: Any = type(f"{basename.title()}FilesViewSet", (ListingFilesViewSet,), {"spec": spec})
    videos: Any = type(f"{basename.title()}VideosViewSet", (ListingVideosViewSet,), {"spec": spec})
    return [
        path(
            f"{prefix}/<int:pk>/files/",
            files.as_view({"get": "list", "post": "create"}),
            name=f"{basename}-files",
        ),
        path(
            f"{prefix}/<int:pk>/files/<int:file_pk>/",
            files.as_view({"patch": "partial_update", "delete": "destroy"}),
            name=f"{basename}-file",
        ),
        path(
            f"{prefix}/<int:pk>/files/<int:file_pk>/approve/",
            files.as_view({"post": "approve"}),
            name=f"{basename}-file-approve",
        ),
        path(
            f"{prefix}/<int:pk>/files/<int:file_pk>/reject/",
            files.as_view({"post": "reject"}),
            name=f"{basename}-file-reject",
        ),
        path(
            f"{prefix}/<int:pk>/videos/<int:video_pk>/approve/",
            videos.as_view({"post": "approve"}),
            name=f"{basename}-video-approve",
        ),
        path(
            f"{prefix}/<int:pk>/videos/<int:video_pk>/reject/",
            videos.as_view({"post": "reject"}),
            name=f"{basename}-video-reject",
        ),
        path(
            f"{prefix}/<int:pk>/videos/",
            videos.as_view({"get": "list", "post": "create"}),
            name=f"{basename}-videos",
        ),
        path(
            f"{prefix}/<int:pk>/videos/<int:video_pk>/",
            videos.as_view({"delete": "destroy"}),
            name=f"{basename}-video",
        ),
    ]


def access_routes(
    spec: lf.ListingFiles,
    basename: str,
    access: Any,
    *,
    records: dict[str, Callable[[Any], dict[str, Any]]],
    editors: dict[str, str],
    staff: dict[str, str],
    restricted: dict[str, str],
) -> list[Any]:
    """The permission-matrix rows of every file route ``portal_urls``, ``console_urls`` and ``api_urls``
    give a listing app, for its ``tests/access.py`` (``access`` is ``techbridge.testing.access``, passed
    in because the platform's code never imports the test helpers).

    ``records`` builds the URL kwargs: ``published`` and ``draft`` (``{"pk"}``), ``image`` (an approved
    public image), ``pending`` (a public image awaiting review) and ``restricted`` (a restricted file:
    ``{"pk", "att_pk"}``), ``video`` (``{"pk", "video_pk"}``). ``editors`` and ``staff`` are the roles
    that edit the listing and review it; ``restricted`` the outcomes of opening the restricted file.
    """
    a = access
    app, console = spec.app, f"{spec.app}_console"
    published, draft = records["published"], records["draft"]
    image, pending, video = records["image"], records["pending"], records["video"]

    def api_file(cast: Any) -> dict[str, Any]:
        row = image(cast)
        return {"pk": row["pk"], "file_pk": row["att_pk"]}

    def file_only(cast: Any) -> dict[str, Any]:
        return {"pk": image(cast)["att_pk"]}

    def video_only(cast: Any) -> dict[str, Any]:
        return {"pk": video(cast)["video_pk"]}

    only_editors = {"anonymous": a.LOGIN, "default": a.DENY, **editors}
    only_staff = {"anonymous": a.LOGIN, "default": a.DENY, **staff}
    editors_bad = {"anonymous": a.LOGIN, "default": a.DENY, **dict.fromkeys(editors, a.BAD)}
    staff_bad = {"anonymous": a.LOGIN, "default": a.DENY, **dict.fromkeys(staff, a.BAD)}
    staff_hide = {"anonymous": a.LOGIN, "default": a.DENY, **dict.fromkeys(staff, a.HIDE)}
    post = "POST"
    return [
        # Portal: approved public files open for whoever sees the listing; files awaiting review only
        # for its editors and reviewers; restricted files per the app's gate.
        a.Route(f"{app}:attachment", kwargs=image, default=a.OK),
        a.Route(f"{app}:attachment_thumbnail", kwargs=image, default=a.OK),
        a.Route(f"{app}:attachment", kwargs=pending, default=a.HIDE, **editors, **staff),
        a.Route(f"{app}:attachment", kwargs=records["restricted"], **restricted),
        a.Route(f"{app}:attachment_add", kwargs=published, method=post, **only_editors),
        *[
            a.Route(f"{app}:{name}", kwargs=image, method=post, **only_editors)
            for name in ("attachment_change", "attachment_up", "attachment_down", "attachment_delete")
        ],
        a.Route(f"{app}:video_add", kwargs=published, method=post, **only_editors),
        a.Route(f"{app}:video_delete", kwargs=video, method=post, **only_editors),
        # Console: the reviewers' queue of files added after publication (an empty decision is no page).
        a.Route(f"{console}:files", **only_staff),
        a.Route(f"{console}:file_review", kwargs=file_only, method=post, **staff_hide),
        a.Route(f"{console}:video_review", kwargs=video_only, method=post, **staff_hide),
        # API.
        a.Route(f"api:{basename}-files", kwargs=published, default=a.OK),
        a.Route(f"api:{basename}-files", kwargs=draft, default=a.HIDE, **editors, **staff),
        a.Route(
            f"api:{basename}-files",
            kwargs=published,
            method=post,
            note="editors get past the check; an empty upload is refused (400)",
            **editors_bad,
        ),
        a.Route(f"api:{basename}-file", kwargs=api_file, method="PATCH", **only_editors),
        a.Route(f"api:{basename}-file", kwargs=api_file, method="DELETE", **only_editors),
        a.Route(
            f"api:{basename}-file-approve",
            kwargs=api_file,
            method=post,
            note="reviewers get past the check; an approved file is not approved again (400)",
            **staff_bad,
        ),
        a.Route(
            f"api:{basename}-file-reject", kwargs=api_file, method=post, note="needs a reason", **staff_bad
        ),
        a.Route(f"api:{basename}-videos", kwargs=published, default=a.OK),
        a.Route(f"api:{basename}-videos", kwargs=published, method=post, **editors_bad),
        a.Route(f"api:{basename}-video", kwargs=video, method="DELETE", **only_editors),
        a.Route(f"api:{basename}-video-approve", kwargs=video, method=post, **staff_bad),
        a.Route(f"api:{basename}-video-reject", kwargs=video, method=post, **staff_bad),
    ]
