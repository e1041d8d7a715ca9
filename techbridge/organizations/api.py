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
from rest_framework import exceptions, mixins, serializers, status, viewsets
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
from techbridge.core.roles import is_staff_reviewer

from . import services
from .choices import OrgKind, OrgStatus
from .forms import IDENTITY_FIELDS, PROFILE_FIELDS, DirectoryFilterForm
from .models import Organization
from .queries import visible_organizations


class OrganizationBriefSerializer(serializers.ModelSerializer):
    """An organisation as other records show it (the owner of a listing)."""

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "district"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id", "name", "kind", "credit_code", "district", "address", "website", "description",
            "contact_phone", "status", "reject_reason", "is_demo", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class OrganizationRegisterSerializer(StrictModelSerializer):
    """A new organisation; it waits for review, and the caller becomes its first admin."""

    # Normalised (spaces, dashes, case) and checked by the service, so a code typed with spaces passes.
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)

    class Meta(StrictModelSerializer.Meta):
        model = Organization
        fields = [
            "name",
            "kind",
            "credit_code",
            "district",
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
        from techbridge.accounts.services import register_own_organization

        return register_own_organization(self.context["request"].user, organization=validated_data)


class OrganizationUpdateSerializer(StrictModelSerializer):
    """What an admin may change: the profile always, the identity only until the registration is approved."""

    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)

    class Meta(StrictModelSerializer.Meta):
        model = Organization
        fields = [*IDENTITY_FIELDS, *PROFILE_FIELDS]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        org = self.instance
        if org is not None and org.status in (OrgStatus.APPROVED, OrgStatus.SUSPENDED):
            locked = [name for name in IDENTITY_FIELDS if name in attrs and attrs[name] != getattr(org, name)]
            if locked:
                message = _(
                    "The name and credit code of an approved organisation are changed by the platform."
                )
                raise serializers.ValidationError({name: [message] for name in locked})
        return attrs

    def update(self, instance: Organization, validated_data: dict[str, Any]) -> Organization:
        return services.update_organization(instance, actor=self.context["request"].user, **validated_data)


class OrganizationRejectSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000,
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
        return visible_organizations(self.request.user).order_by("name", "pk")

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        cd = validated_query(OrganizationFilterForm, self.request).cleaned_data
        if cd.get("q"):
            queryset = queryset.filter(name__icontains=cd["q"].strip())
        for name in ("kind", "district", "status"):
            if cd.get(name):
                queryset = queryset.filter(**{name: cd[name]})
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
        if not services.can_manage_organization(request.user, org):
            raise exceptions.PermissionDenied(
                _("Only the admins of this organisation can change its profile.")
            )
        body = OrganizationUpdateSerializer(
            org, data=request.data, partial=True, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        with service_errors():
            body.save()
        return Response(OrganizationSerializer(org).data)

    def _review(self) -> Organization:
        if not is_staff_reviewer(self.request.user):
            raise exceptions.PermissionDenied(_("Only platform reviewers can review organisations."))
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
        if not services.can_manage_organization(request.user, org):
            raise exceptions.PermissionDenied(
                _("Only the admins of this organisation can change its profile.")
            )
        services.resubmit_organization(org, actor=request.user)
        return Response(OrganizationSerializer(org).data)
