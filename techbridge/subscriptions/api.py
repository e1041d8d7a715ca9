"""Follows and subscriptions API: a user's follows (with each record's title and page), follow a record,
stop following; saved searches (save, rename, re-time, delete, run now); notification preferences."""

from __future__ import annotations

from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techbridge.core import channels
from techbridge.core.listing_api import StrictSerializer, error_responses, service_errors

from . import digests, queries, services
from .choices import FollowKind, Frequency, SearchKind
from .models import Follow, SavedSearch

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


# ---- saved searches ---------------------------------------------------------------------------


class SavedSearchSerializer(serializers.ModelSerializer):
    summary = serializers.SerializerMethodField(help_text="The saved filters in words.")
    url = serializers.SerializerMethodField(help_text="The list page with these filters.")
    also_included = serializers.SerializerMethodField(
        help_text="What else this search's digests name besides matching listings (e.g. new open 揭榜挂帅 "
        "challenges for demand searches), in words."
    )

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "name",
            "kind",
            "query",
            "frequency",
            "created_at",
            "last_digest_at",
            "summary",
            "url",
            "also_included",
        ]
        read_only_fields = fields

    def get_summary(self, obj: SavedSearch) -> str:
        return digests.describe(obj)

    def get_url(self, obj: SavedSearch) -> str:
        return digests.list_url(obj)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_also_included(self, obj: SavedSearch) -> list[str]:
        return digests.also_included(obj.kind)


class SavedSearchWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=SearchKind.choices)
    query = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        required=False,
        default="",
        help_text="The list page's query string, e.g. q=电池&field=new_energy&district=jiangning.",
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.DAILY)


class SavedSearchUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=60, required=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)


class PreviewItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    published_at = serializers.DateTimeField()
    url = serializers.CharField()


class PreviewSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="New listings are those published after this time.")
    total = serializers.IntegerField()
    items = PreviewItemSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="My saved searches",
        responses={200: SavedSearchSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="One saved search",
        responses={200: SavedSearchSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Save a search",
        description="Filters are read as the list page reads them; a bad one is refused with its message.",
        request=SavedSearchWriteSerializer,
        responses={201: SavedSearchSerializer, **error_responses(400, 401)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Rename a saved search or change its digest",
        request=SavedSearchUpdateSerializer,
        responses={200: SavedSearchSerializer, **error_responses(400, 401, 404)},
    ),
    destroy=extend_schema(
        tags=[TAG], summary="Delete a saved search", responses={204: None, **error_responses(401, 404)}
    ),
)
class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SavedSearchSerializer
    lookup_value_regex = r"\d+"
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return SavedSearch.objects.filter(user=cast(Any, self.request.user))

    def create(self, request: Request) -> Response:
        body = SavedSearchWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            search = services.save_search(request.user, **body.validated_data)
        return Response(SavedSearchSerializer(search).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        search = services.search_for(request.user, int(pk))
        body = SavedSearchUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.update_search(search, actor=request.user, **body.validated_data)
        return Response(SavedSearchSerializer(search).data)

    def destroy(self, request: Request, pk: str) -> Response:
        search = services.search_for(request.user, int(pk))
        services.delete_search(search, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=[TAG],
        summary="Run a saved search now",
        description="What its next digest would list: listings published since the last digest (at most 10).",
        responses={200: PreviewSerializer, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, pk: str) -> Response:
        search = services.search_for(request.user, int(pk))
        items, total = digests.new_items(search)
        detail = digests.searched(search.kind).detail
        rows = [
            {
                "id": o.pk,
                "title": o.title,
                "published_at": o.published_at,
                "url": reverse(detail, args=[o.pk]),
            }
            for o in items
        ]
        return Response(
            PreviewSerializer({"since": digests.since(search), "total": total, "items": rows}).data
        )


# ---- notification preferences -------------------------------------------------------------------


class PreferenceSerializer(StrictSerializer):
    choices = serializers.DictField(
        child=serializers.BooleanField(),
        help_text=(
            "On or off per ``group:channel``; groups: matches, deals, contracts, auctions, events, digests, "
            "system; channels: in_app, email, sms, wechat. Missing keys keep their defaults (in-platform "
            "and e-mail on, SMS and WeChat off)."
        ),
    )
    quiet_start = serializers.TimeField(allow_null=True, required=False, default=None)
    quiet_end = serializers.TimeField(allow_null=True, required=False, default=None)
    wechat_openid = serializers.CharField(max_length=64, allow_blank=True, required=False, default="")

    def validate_choices(self, value: dict[str, bool]) -> dict[str, bool]:
        if len(value) > len(channels.GROUP_NAMES) * len(channels.CHANNEL_NAMES):
            raise serializers.ValidationError(_("Too many choices."))
        return value


class PreferenceReadSerializer(serializers.Serializer):
    choices = serializers.DictField(
        child=serializers.BooleanField(), help_text="Every group:channel, on or off."
    )
    quiet_start = serializers.TimeField(allow_null=True)
    quiet_end = serializers.TimeField(allow_null=True)
    wechat_openid = serializers.CharField()
    urgent_kinds = serializers.ListField(
        child=serializers.CharField(), help_text="Kinds that ignore quiet hours."
    )


def _preferences_payload(user: Any) -> dict[str, Any]:
    prefs = channels.preferences_for(user)
    return {
        "choices": {
            f"{g}:{c}": prefs.enabled(g, c) for g in channels.GROUP_NAMES for c in channels.CHANNEL_NAMES
        },
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
        "wechat_openid": prefs.wechat_openid,
        "urgent_kinds": sorted(channels.URGENT_KINDS),
    }


class NotificationPreferenceView(APIView):
    """The caller's notification preferences: channels per kind group, quiet hours (Beijing time)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="My notification preferences",
        responses={200: PreferenceReadSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(PreferenceReadSerializer(_preferences_payload(request.user)).data)

    @extend_schema(
        tags=[TAG],
        summary="Change my notification preferences",
        request=PreferenceSerializer,
        responses={200: PreferenceReadSerializer, **error_responses(400, 401)},
    )
    def put(self, request: Request) -> Response:
        body = PreferenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        prefs = channels.preferences_for(request.user)
        current = {
            f"{g}:{c}": prefs.choices.get(f"{g}:{c}", channels.DEFAULTS[c])
            for g in channels.GROUP_NAMES
            for c in channels.CHANNEL_NAMES
        }
        current[f"{channels.SYSTEM}:{channels.IN_APP}"] = True
        with service_errors():
            services.update_preferences(
                request.user,
                choices={**current, **body.validated_data["choices"]},
                quiet_start=body.validated_data["quiet_start"],
                quiet_end=body.validated_data["quiet_end"],
                wechat_openid=body.validated_data["wechat_openid"],
            )
        return Response(PreferenceReadSerializer(_preferences_payload(request.user)).data)
