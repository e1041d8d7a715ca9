"""REST API of classification and achievement packages.

Who may do what: anyone reads published packages and the classification of a listing they may
see; platform reviewers and operators (staff) also read draft/archived packages, create, edit,
publish, archive, promote and generate packages, and correct classifications.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core.api import Pagination
from techbridge.core.listing_api import error_responses, service_errors
from techbridge.core.permissions import RolePermission
from techbridge.matching.permissions import listing_for
from techbridge.taxonomy.models import IndustryField

from . import packages as pk_mod
from . import permissions as perms
from . import queries, services
from .choices import ClassificationTarget
from .models import AchievementPackage


class IsStaffOrReadOnly(RolePermission):
    predicate = staticmethod(perms.can_manage_packages)
    message = perms.MANAGE_PACKAGES

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or super().has_permission(request, view)


class PackageMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = serializers.CharField(source="owner.name")
    status = serializers.CharField()


class PackageSerializer(serializers.ModelSerializer):
    """A package: its text, state and members (ids); ``members`` lists what the caller may see."""

    field: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryField.objects.all(), allow_null=True, required=False
    )
    member_count = serializers.IntegerField(read_only=True)
    achievements = serializers.ListField(
        child=serializers.IntegerField(min_value=1), write_only=True, required=False
    )

    class Meta:
        model = AchievementPackage
        fields = [
            "id",
            "title",
            "summary",
            "key_terms",
            "field",
            "status",
            "is_automatic",
            "member_count",
            "achievements",
            "created_at",
            "updated_at",
            "published_at",
            "promoted_at",
        ]
        read_only_fields = [
            "status",
            "is_automatic",
            "created_at",
            "updated_at",
            "published_at",
            "promoted_at",
        ]


class PackageDetailSerializer(PackageSerializer):
    members = serializers.SerializerMethodField()

    class Meta(PackageSerializer.Meta):
        fields = [*PackageSerializer.Meta.fields, "members", "proposal_info"]
        read_only_fields = [*PackageSerializer.Meta.read_only_fields, "proposal_info"]

    def get_members(self, obj: AchievementPackage) -> list[dict[str, Any]]:
        user = self.context["request"].user
        return list(PackageMemberSerializer(queries.package_members(obj, user)[:200], many=True).data)


class PackageUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    field = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryField.objects.all(), allow_null=True, required=False
    )
    key_terms = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    add = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    remove = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class GenerateSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=list(pk_mod.METHODS), default=pk_mod.DEFAULT_METHOD)
    k = serializers.IntegerField(min_value=1, max_value=2000, required=False, allow_null=True)
    min_size = serializers.IntegerField(min_value=2, max_value=50, required=False)


class PromoteResultSerializer(serializers.Serializer):
    enterprises = serializers.IntegerField()
    already = serializers.IntegerField()
    people = serializers.IntegerField()


WRITE_ERRORS = error_responses(400, 401, 403, 404)


@extend_schema_view(
    list=extend_schema(summary="Published achievement packages (staff: all)"),
    retrieve=extend_schema(responses={200: PackageDetailSerializer, **error_responses(404)}),
    create=extend_schema(responses={201: PackageSerializer, **error_responses(400, 401, 403)}),
)
class PackageViewSet(viewsets.ModelViewSet):
    """Achievement packages (科技成果包): published ones are public; staff manage all."""

    permission_classes = [IsStaffOrReadOnly]
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return queries.visible_packages(self.request.user).order_by("-published_at", "-updated_at", "-id")

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return PackageDetailSerializer
        if self.action == "partial_update":
            return PackageUpdateSerializer
        return PackageSerializer

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        with service_errors():
            package = services.create_package(
                actor=self.request.user,
                title=data["title"],
                summary=data.get("summary", ""),
                field=data.get("field"),
                achievements=data.get("achievements", []),
            )
        serializer.instance = queries.visible_packages(self.request.user).get(pk=package.pk)

    @extend_schema(request=PackageUpdateSerializer, responses={200: PackageDetailSerializer, **WRITE_ERRORS})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        package = self.get_object()
        ser = PackageUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        kwargs2: dict[str, Any] = {k: data[k] for k in ("title", "summary", "key_terms") if k in data}
        if "field" in data:
            kwargs2["field"] = data["field"]
        with service_errors():
            services.update_package(
                package, actor=request.user, add=data.get("add", []), remove=data.get("remove", []), **kwargs2
            )
        fresh = self.get_queryset().get(pk=package.pk)
        return Response(PackageDetailSerializer(fresh, context={"request": request}).data)

    def _move(self, request: Request, func: Any) -> Response:
        package = self.get_object()
        with service_errors():
            func(package, actor=request.user)
        fresh = self.get_queryset().get(pk=package.pk)
        return Response(PackageDetailSerializer(fresh, context={"request": request}).data)

    @extend_schema(request=None, responses={200: PackageDetailSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, services.publish_package)

    @extend_schema(request=None, responses={200: PackageDetailSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, services.archive_package)

    @extend_schema(request=None, responses={200: PackageDetailSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, services.restore_package)

    @extend_schema(request=None, responses={200: PromoteResultSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def promote(self, request: Request, pk: Any = None) -> Response:
        package = self.get_object()
        with service_errors():
            return Response(services.promote_package(package, actor=request.user))

    @extend_schema(
        request=GenerateSerializer,
        responses={201: PackageSerializer(many=True), **error_responses(400, 401, 403)},
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def generate(self, request: Request) -> Response:
        ser = GenerateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            created = services.generate_packages(
                actor=request.user, **{k: v for k, v in ser.validated_data.items() if v is not None}
            )
        qs = self.get_queryset().filter(pk__in=[p.pk for p in created])
        return Response(PackageSerializer(qs, many=True).data, status=status.HTTP_201_CREATED)


class LabelSerializer(serializers.Serializer):
    target = serializers.CharField()
    target_label = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    name = serializers.CharField()  # type: ignore[assignment]
    confidence = serializers.FloatField(allow_null=True)
    corrected = serializers.BooleanField()
    predicted = serializers.CharField()
    corrected_at = serializers.DateTimeField(allow_null=True)


class ClassificationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    classified = serializers.BooleanField()
    labels = LabelSerializer(many=True)


class CorrectionSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=ClassificationTarget.choices)
    label = serializers.CharField(max_length=100)  # type: ignore[assignment]


def _classification_payload(kind: str, pk: int) -> dict[str, Any]:
    labels = queries.classification_of(kind, pk)
    return {
        "kind": kind,
        "id": pk,
        "classified": bool(labels),
        "labels": [
            {
                "target": s.target,
                "target_label": s.target_label,
                "label": s.label,
                "name": s.name,
                "confidence": s.confidence,
                "corrected": s.corrected,
                "predicted": s.predicted,
                "corrected_at": s.corrected_at,
            }
            for s in labels
        ],
    }


class ClassificationView(APIView):
    """A listing's classification (industry field, discipline category and discipline, IPC for
    patents) with confidences; a reviewer's correction shows instead of the prediction."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: ClassificationSerializer, **error_responses(404)})
    def get(self, request: Request, kind: str, pk: int) -> Response:
        listing_for(request.user, kind, pk)
        return Response(ClassificationSerializer(_classification_payload(kind, pk)).data)


class CorrectionView(APIView):
    """Staff: correct one target of a listing's classification."""

    permission_classes = [RolePermission.of(perms.can_correct_classification, perms.CORRECT_CLASSIFICATION)]

    @extend_schema(request=CorrectionSerializer, responses={200: ClassificationSerializer, **WRITE_ERRORS})
    def post(self, request: Request, kind: str, pk: int) -> Response:
        listing = listing_for(request.user, kind, pk)
        ser = CorrectionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            services.correct_classification(
                listing, ser.validated_data["target"], ser.validated_data["label"], actor=request.user
            )
        return Response(ClassificationSerializer(_classification_payload(kind, pk)).data)
