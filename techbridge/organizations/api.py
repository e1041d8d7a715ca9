"""Organisations API: the public directory, registration, profile edits and review.

Who sees what: approved organisations are public; members also see their own, reviewers and operators
see every one. A signed-in user without an organisation registers one and becomes its first admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import ReadOnlyOrAuthenticated
from techbridge.core.listing_api import (
    StrictJSONParser,
    StrictModelSerializer,
    StrictSerializer,
    error_responses,
    form_parameters,
    service_errors,
    validated_query,
)
from techbridge.lib import limits

from . import permissions as permissions_
from . import services
from .choices import OrgKind, OrgStatus
from .forms import IDENTITY_FIELDS, LOCKED_WHEN_APPROVED, PROFILE_FIELDS, DirectoryFilterForm
from .models import MembershipRequest, Organization, Zone
from .queries import join_requests_of, members_of, visible_organizations, zone_ids


def zone_field(**kwargs: Any) -> Any:
    """A zone written and read by its code; other apps' serializers use it for their ``zone``."""
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Zone.objects.all(),
        allow_null=True,
        required=False,
        help_text="A zone code from /api/v1/taxonomy/zones/ (江北新区, 南京高新区 and its parks).",
        **kwargs,
    )


class ZoneSerializer(serializers.ModelSerializer):
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Zone
        fields = ["code", "name", "parent"]
        read_only_fields = fields


@extend_schema(tags=["taxonomy"], summary="Zones (江北新区, 南京高新区 and its parks)")
class ZoneList(generics.ListAPIView):
    """The functional zones that overlap the districts; a park names the zone it belongs to."""

    queryset = Zone.objects.select_related("parent").order_by("order", "id")
    serializer_class = ZoneSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None


class OrganizationBriefSerializer(serializers.ModelSerializer):
    """An organisation as other records show it (the owner of a listing)."""

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "district"]


class OrganizationSerializer(serializers.ModelSerializer):
    zone: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # A web address, or "" when none was given (not a URI then).
    website = serializers.CharField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id", "name", "kind", "credit_code", "district", "zone", "address", "website", "description",
            "contact_phone", "status", "reject_reason", "is_demo", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class OrganizationRegisterSerializer(StrictModelSerializer):
    """A new organisation; it waits for review, and the caller becomes its first admin."""

    # Normalised (spaces, dashes, case) and checked by the service, so a code typed with spaces passes.
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)
    zone = zone_field()

    class Meta(StrictModelSerializer.Meta):
        model = Organization
        fields = [
            "name",
            "kind",
            "credit_code",
            "district",
            "zone",
            "address",
            "website",
            "description",
            "contact_phone",
        ]

    def validate_kind(self, value: str) -> str:
        if value == OrgKind.OPERATOR:
            raise serializers.ValidationError(_("The platform operator is not registered through the API."))
        return value

    def create(self, validated_data: dict[str, Any]) -> Organization:
        return services.register_own_organization(self.context["request"].user, organization=validated_data)


class OrganizationUpdateSerializer(StrictModelSerializer):
    """What an admin may change: the profile always, the identity only until the registration is approved."""

    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)
    zone = zone_field()

    class Meta(StrictModelSerializer.Meta):
        model = Organization
        fields = [*IDENTITY_FIELDS, *PROFILE_FIELDS]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        org = self.instance
        if org is not None and org.status in (OrgStatus.APPROVED, OrgStatus.SUSPENDED):
            locked = [
                name for name in LOCKED_WHEN_APPROVED if name in attrs and attrs[name] != getattr(org, name)
            ]
            if locked:
                message = _("The name of an approved organisation is changed by the platform.")
                raise serializers.ValidationError({name: [message] for name in locked})
        return attrs

    def update(self, instance: Organization, validated_data: dict[str, Any]) -> Organization:
        return services.update_organization(instance, actor=self.context["request"].user, **validated_data)


class OrganizationRejectSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=limits.REASON,
        error_messages={
            "required": gettext_lazy("Give the applicant a reason for the rejection."),
            "blank": gettext_lazy("Give the applicant a reason for the rejection."),
        },
    )


class OrganizationFilterForm(DirectoryFilterForm):
    """The directory's filters; reviewers may also narrow by status (their queue is ``status=pending``)."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", ""), *OrgStatus.choices]
    )


_MOVE = {200: OrganizationSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        summary="List organisations",
        description="Approved organisations for everyone; members also see their own, reviewers every one.",
        parameters=form_parameters(OrganizationFilterForm),
        responses={200: OrganizationSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="Read one organisation", responses={200: OrganizationSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Register an organisation",
        description="The caller, who must not belong to an organisation yet, becomes its first admin.",
        request=OrganizationRegisterSerializer,
        responses={201: OrganizationSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary="Edit an organisation's profile (its admins)",
        request=OrganizationUpdateSerializer,
        responses=_MOVE,
    ),
    approve=extend_schema(summary="Approve a registration (reviewers)", request=None, responses=_MOVE),
    reject=extend_schema(
        summary="Reject a registration (reviewers)", request=OrganizationRejectSerializer, responses=_MOVE
    ),
    resubmit=extend_schema(
        summary="Send a corrected registration back to review (its admins)", request=None, responses=_MOVE
    ),
)
@extend_schema(tags=["organizations"])
class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [ReadOnlyOrAuthenticated]
    parser_classes = [StrictJSONParser]
    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return visible_organizations(self.request.user).select_related("zone").order_by("name", "pk")

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        cd = validated_query(OrganizationFilterForm, self.request).cleaned_data
        if cd.get("q"):
            queryset = queryset.filter(name__icontains=cd["q"].strip())
        for name in ("kind", "district", "status"):
            if cd.get(name):
                queryset = queryset.filter(**{name: cd[name]})
        if cd.get("zone"):
            queryset = queryset.filter(zone_id__in=zone_ids(cd["zone"]))
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        if user.organization_id:
            raise exceptions.PermissionDenied(_("You already belong to an organisation."))
        body = OrganizationRegisterSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with service_errors():
            org = body.save()
        return Response(OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        permissions_.check_manage(request.user, org)
        body = OrganizationUpdateSerializer(
            org, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        with service_errors():
            body.save()
        return Response(OrganizationSerializer(org).data)

    def _review(self) -> Organization:
        permissions_.check_review(self.request.user)
        return self.get_object()

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        org = self._review()
        services.approve_organization(org, actor=request.user)
        return Response(OrganizationSerializer(org).data)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        org = self._review()
        body = OrganizationRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reject_organization(org, actor=request.user, reason=body.validated_data["reason"].strip())
        return Response(OrganizationSerializer(org).data)

    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        permissions_.check_manage(request.user, org)
        services.resubmit_organization(org, actor=request.user)
        return Response(OrganizationSerializer(org).data)


# ---- membership ---------------------------------------------------------------------------------


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)
    role = serializers.CharField(read_only=True)


class MembershipRequestSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    applicant = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = MembershipRequest
        fields = [
            "id",
            "organization",
            "applicant",
            "message",
            "status",
            "reason",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class JoinRequestBodySerializer(StrictSerializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class MembershipDecisionSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class MemberActionSerializer(StrictSerializer):
    user = serializers.IntegerField()
    action = serializers.ChoiceField(
        choices=[("remove", "remove"), ("make_admin", "make_admin"), ("revoke_admin", "revoke_admin")]
    )


def _membership_errors(call: Any) -> Any:
    try:
        return call()
    except services.MembershipError as exc:
        raise exceptions.ValidationError({"detail": [exc.message]}) from exc


def _admin_org(view: Any, pk: str) -> Organization:
    org = view.get_object()
    permissions_.check_manage(
        view.request.user, org, _("Only the admins of this organisation can manage its members.")
    )
    return org


@extend_schema(tags=["organizations"])
class OrganizationMembershipViewSet(viewsets.GenericViewSet):
    """Join an organisation; its admins list members and join requests and manage members."""

    permission_classes = [ReadOnlyOrAuthenticated]
    parser_classes = [StrictJSONParser]
    serializer_class = MembershipRequestSerializer

    def get_queryset(self) -> Any:
        return visible_organizations(self.request.user).order_by("pk")

    @extend_schema(
        request=JoinRequestBodySerializer,
        responses={201: MembershipRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def join(self, request: Request, pk: str) -> Response:
        org = self.get_object()
        permissions_.check_request_membership(request.user, org)
        body = JoinRequestBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        join = _membership_errors(
            lambda: services.request_membership(
                org, actor=request.user, message=body.validated_data["message"]
            )
        )
        return Response(MembershipRequestSerializer(join).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: MemberSerializer(many=True), **error_responses(401, 403, 404)})
    @action(detail=True, methods=["get"])
    def members(self, request: Request, pk: str) -> Response:
        org = _admin_org(self, pk)
        return Response(MemberSerializer(members_of(org), many=True).data)

    @extend_schema(
        request=MemberActionSerializer,
        responses={200: MemberSerializer, **error_responses(400, 401, 403, 404)},
    )
    @members.mapping.post
    def member_action(self, request: Request, pk: str) -> Response:
        from django.contrib.auth import get_user_model

        org = _admin_org(self, pk)
        body = MemberActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = get_user_model().objects.filter(organization=org, pk=body.validated_data["user"]).first()
        if member is None:
            raise exceptions.NotFound(_("This user is not a member of the organisation."))
        act = body.validated_data["action"]
        if act == "remove":
            _membership_errors(lambda: services.remove_member(org, member, actor=request.user))
        else:
            _membership_errors(
                lambda: services.set_member_admin(org, member, actor=request.user, admin=act == "make_admin")
            )
        return Response(MemberSerializer(member).data)

    @extend_schema(responses={200: MembershipRequestSerializer(many=True), **error_responses(401, 403, 404)})
    @action(detail=True, methods=["get"], url_path="join-requests")
    def join_requests(self, request: Request, pk: str) -> Response:
        org = _admin_org(self, pk)
        return Response(MembershipRequestSerializer(join_requests_of(org), many=True).data)


@extend_schema(tags=["organizations"])
@extend_schema_view(
    list=extend_schema(responses={200: MembershipRequestSerializer(many=True), **error_responses(401, 403)}),
    retrieve=extend_schema(responses={200: MembershipRequestSerializer, **error_responses(401, 403, 404)}),
)
class MembershipRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Join requests the caller made, or that wait for the caller's organisation (as its admin)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [StrictJSONParser]
    serializer_class = MembershipRequestSerializer

    def get_queryset(self) -> Any:
        from django.db.models import Q

        from techbridge.core.roles import Role

        if getattr(self, "swagger_fake_view", False):  # schema generation
            return MembershipRequest.objects.none()
        user: Any = self.request.user
        mine = Q(user=user)
        if user.role == Role.ORG_ADMIN and user.organization_id:
            mine |= Q(organization_id=user.organization_id)
        return MembershipRequest.objects.select_related("organization", "user").filter(mine).order_by("-pk")

    def _decidable(self) -> MembershipRequest:
        join = self.get_object()
        permissions_.check_manage(
            self.request.user,
            join.organization,
            _("Only the admins of this organisation can decide on join requests."),
        )
        return join

    @extend_schema(
        request=None, responses={200: MembershipRequestSerializer, **error_responses(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        join = self._decidable()
        _membership_errors(lambda: services.approve_membership(join, actor=request.user))
        return Response(MembershipRequestSerializer(join).data)

    @extend_schema(
        request=MembershipDecisionSerializer,
        responses={200: MembershipRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        join = self._decidable()
        body = MembershipDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _membership_errors(
            lambda: services.reject_membership(join, actor=request.user, reason=body.validated_data["reason"])
        )
        return Response(MembershipRequestSerializer(join).data)

    @extend_schema(
        request=None, responses={200: MembershipRequestSerializer, **error_responses(400, 401, 403, 404)}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        join = self.get_object()
        if join.user_id != request.user.pk:
            raise exceptions.PermissionDenied(_("Only the applicant can withdraw this request."))
        _membership_errors(lambda: services.cancel_membership_request(join, actor=request.user))
        return Response(MembershipRequestSerializer(join).data)
