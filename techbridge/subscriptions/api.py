"""Follows API: a user's follows (with each record's title and page), follow a record, stop following."""

from __future__ import annotations

from typing import Any, cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.listing_api import StrictSerializer, error_responses, service_errors

from . import queries, services
from .choices import FollowKind
from .models import Follow

TAG = "subscriptions"


class FollowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="follow.id")
    kind = serializers.ChoiceField(source="follow.kind", choices=FollowKind.choices)
    object_id = serializers.IntegerField(source="follow.object_id")
    created_at = serializers.DateTimeField(source="follow.created_at")
    title = serializers.CharField()
    url = serializers.CharField(help_text="The record's page on the portal.")


class FollowWriteSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=FollowKind.choices)
    object_id = serializers.IntegerField(min_value=1, max_value=2_147_483_647)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="What I follow",
        description="Records the user can no longer see are left out.",
        responses={200: FollowSerializer(many=True), **error_responses(401)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Follow a record",
        request=FollowWriteSerializer,
        responses={201: FollowSerializer, 200: FollowSerializer, **error_responses(400, 401, 404)},
    ),
    destroy=extend_schema(
        tags=[TAG], summary="Stop following", responses={204: None, **error_responses(401, 404)}
    ),
)
class FollowViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FollowSerializer
    lookup_value_regex = r"\d+"
    pagination_class = None

    def get_queryset(self) -> Any:
        return Follow.objects.filter(user=cast(Any, self.request.user))

    def list(self, request: Request) -> Response:
        return Response(FollowSerializer(queries.followed(request.user), many=True).data)

    def create(self, request: Request) -> Response:
        body = FollowWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            item, created = services.follow(
                request.user, kind=body.validated_data["kind"], pk=body.validated_data["object_id"]
            )
        row = next(f for f in queries.followed(request.user, kind=item.kind) if f.follow.pk == item.pk)
        return Response(
            FollowSerializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    def destroy(self, request: Request, pk: str) -> Response:
        item = get_object_or_404(self.get_queryset(), pk=int(pk))
        services.unfollow(request.user, kind=item.kind, pk=item.object_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
