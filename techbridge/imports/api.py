"""REST API of imports: upload and follow import batches, review duplicate pairs (staff only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import Pagination
from techbridge.core.listing_api import error_responses
from techbridge.core.permissions import RolePermission

from . import batches, dedup, permissions
from .models import DuplicatePair, ImportBatch

IsOperator = RolePermission.of(permissions.can_import, permissions.IMPORT)
IsStaffReviewer = RolePermission.of(permissions.can_decide_duplicates, permissions.DUPLICATES)


class RefusedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    reason = serializers.CharField()


class ImportBatchSerializer(serializers.ModelSerializer):
    refused_rows = RefusedRowSerializer(many=True, read_only=True)
    percent = serializers.IntegerField(read_only=True)
    preview = serializers.JSONField(read_only=True)
    status_url = serializers.SerializerMethodField(help_text="Where to ask for this batch's progress.")

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "source",
            "file_name",
            "publish",
            "find_duplicates",
            "status",
            "started_at",
            "finished_at",
            "total_rows",
            "percent",
            "created_count",
            "updated_count",
            "unchanged_count",
            "refused_count",
            "refused_rows",
            "preview",
            "message",
            "status_url",
        ]
        read_only_fields = fields

    def get_status_url(self, obj: ImportBatch) -> str:
        path = reverse("api:import-batch-detail", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class UploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["achievements", "patents", "demands", "organizations"])
    source = serializers.ChoiceField(choices=[s.value for s in batches.UPLOAD_SOURCES])  # type: ignore[assignment]
    file = serializers.FileField()
    publish = serializers.BooleanField(required=False, default=False)
    find_duplicates = serializers.BooleanField(required=False, default=True)


@extend_schema_view(
    retrieve=extend_schema(responses={200: ImportBatchSerializer, **error_responses(401, 403, 404)})
)
class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Import batches: upload a file (checked, nothing written), then confirm or cancel it."""

    permission_classes = [IsOperator]
    serializer_class = ImportBatchSerializer
    pagination_class = Pagination
    queryset = ImportBatch.objects.all()
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=UploadSerializer, responses={201: ImportBatchSerializer, **error_responses(400, 401, 403)}
    )
    def create(self, request: Request) -> Response:
        ser = UploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        batch = batches.start_upload(
            data["file"],
            kind=data["kind"],
            source=data["source"],
            publish=data["publish"],
            find_duplicates=data["find_duplicates"],
            actor=request.user,
        )
        batch.refresh_from_db()
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm a checked batch: the import runs in the background",
        description=(
            "Answers 202 at once with the batch and its `status_url` (also in the `Location` header); "
            "poll it until `status` is `finished` or `failed` (`message` says why). A batch already "
            "queued, running or finished is refused with 400 and a message."
        ),
        request=None,
        responses={
            202: ImportBatchSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(ImportBatch, pk=pk)
        batches.confirm(batch, actor=request.user)
        batch.refresh_from_db()
        status_url = request.build_absolute_uri(reverse("api:import-batch-detail", args=[batch.pk]))
        return Response(
            ImportBatchSerializer(batch, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": status_url},
        )

    @extend_schema(
        request=None, responses={200: ImportBatchSerializer, **error_responses(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(ImportBatch, pk=pk)
        batches.cancel(batch, actor=request.user)
        batch.refresh_from_db()
        return Response(ImportBatchSerializer(batch).data)

    @extend_schema(
        summary="Resume an interrupted import from its stored file",
        request=None,
        responses={200: ImportBatchSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(ImportBatch, pk=pk)
        batches.resume(batch, actor=request.user)
        batch.refresh_from_db()
        return Response(ImportBatchSerializer(batch).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        batch = self.get_object()
        if batches.revive_if_stale(batch):  # its process was killed
            batch.refresh_from_db()
        return Response(self.get_serializer(batch).data)


class DuplicatePairSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuplicatePair
        fields = [
            "id",
            "kind",
            "left_id",
            "right_id",
            "reason",
            "score",
            "detail",
            "status",
            "found_at",
            "batch",
            "survivor_id",
            "decided_at",
        ]
        read_only_fields = fields


class DecideSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["merge", "dismiss"])
    keep = serializers.IntegerField(required=False, help_text="id of the record to keep (merge)")


class ScanResultSerializer(serializers.Serializer):
    new_pairs = serializers.DictField(child=serializers.IntegerField())
    open = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=list(DuplicatePair.Status.values), description="only pairs in this state"
            )
        ]
    ),
    retrieve=extend_schema(responses={200: DuplicatePairSerializer, **error_responses(401, 403, 404)}),
)
class DuplicatePairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Possible duplicate listings; reviewers merge them or dismiss the pair."""

    permission_classes = [IsStaffReviewer]
    serializer_class = DuplicatePairSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        qs = DuplicatePair.objects.all()
        status_ = self.request.query_params.get("status")
        if status_ in DuplicatePair.Status.values:
            qs = qs.filter(status=status_)
        return qs

    @extend_schema(request=None, responses={200: ScanResultSerializer, **error_responses(401, 403)})
    @action(detail=False, methods=["post"])
    def scan(self, request: Request) -> Response:
        """Scan all active listings for duplicates now (inline on the embedded default: may take seconds)."""
        new = {kind: dedup.scan(kind) for kind in DuplicatePair.Kind.values}
        return Response({"new_pairs": new, "open": dedup.open_pairs().count()})

    @extend_schema(
        request=DecideSerializer,
        responses={200: DuplicatePairSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: int) -> Response:
        pair = get_object_or_404(DuplicatePair, pk=pk)
        ser = DecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        if ser.validated_data["action"] == "dismiss":
            dedup.dismiss_pair(pair, actor=request.user)
        else:
            if "keep" not in ser.validated_data:
                raise ValidationError({"keep": [_("Choose one of the two records to keep.")]})
            dedup.merge_pair(pair, keep=ser.validated_data["keep"], actor=request.user)
        pair.refresh_from_db()
        return Response(DuplicatePairSerializer(pair).data)
