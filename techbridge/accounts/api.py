"""Accounts API: exchange a username and password for a token, list and revoke one's tokens, and read
who the token belongs to.

Tokens are named, expire after ``API_TOKEN_DAYS`` (an expired one is a 401 that says so) and are all
revoked when the password is changed or reset (``accounts.authentication``).

Sign-in through the API shares the portal's counters: after ``LOGIN_MAX_ATTEMPTS`` failures a username is
locked for ``LOGIN_LOCKOUT_SECONDS``, even for the right password; an address that floods failures is slowed
down, never locked, so colleagues behind the same proxy still sign in (``services.login_flooded``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.parsers import FormParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from techbridge.core.client import client_address
from techbridge.core.listing_api import StrictJSONParser, StrictSerializer, error_responses, service_errors
from techbridge.organizations.api import OrganizationBriefSerializer

from . import erasure, personal_data, services
from .models import ApiToken, ErasureRequest, User


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "email", "phone", "title", "role", "organization"]
        read_only_fields = fields


class SignInSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        max_length=100, required=False, default="API", help_text="A name to tell this token from the others."
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expires_at = serializers.DateTimeField()
    user = MeSerializer()


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="Whether this request was made with this token.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, obj: ApiToken) -> bool:
        auth = self.context.get("auth")
        return isinstance(auth, ApiToken) and auth.pk == obj.pk


class SignInLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("Too many failed sign-in attempts. Try again later.")
    default_code = "sign_in_locked"


class SignInThrottle(SimpleRateThrottle):
    """The ``login`` rate per client address *and* username.

    Keyed on the pair, so one client hammering one account is slowed, while a whole office behind one
    proxy address is not refused because of one colleague (the address is ``client_address``).
    """

    scope = "login"

    def get_cache_key(self, request: Any, view: Any) -> str:
        data = request.data if hasattr(request.data, "get") else {}
        username = str(data.get("username") or "").strip().lower()
        digest = hashlib.sha256(username.encode()).hexdigest()[:24]
        return self.cache_format % {"scope": self.scope, "ident": f"{client_address(request)}:{digest}"}


class TokenView(APIView):
    """Sign in with a username and password and get the user's API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    # JSON or an HTML form post (curl -d username=… -d password=…).
    parser_classes = [StrictJSONParser, FormParser]
    throttle_classes = [SignInThrottle]

    @extend_schema(
        tags=["auth"],
        summary="Get an API token",
        request=SignInSerializer,
        responses={200: TokenSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        body = SignInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username, password = body.validated_data["username"], body.validated_data["password"]
        ip = client_address(request)
        if services.login_blocked(username, ip):
            minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
            raise SignInLocked(
                _("Too many failed sign-in attempts. Wait %(minutes)s minutes and try again.")
                % {"minutes": minutes}
            )
        user = authenticate(request._request, username=username, password=password)
        if user is None:
            services.record_login_failure(username, ip)
            services.slow_down(ip)
            raise exceptions.AuthenticationFailed(_("The username or password is wrong."))
        services.clear_login_failures(username, ip)
        token, key = services.issue_token(user, name=body.validated_data["name"], actor=user)
        return Response({"token": key, "expires_at": token.expires_at, "user": MeSerializer(user).data})

    def get_authenticate_header(self, request: Request) -> str:
        # A wrong password is a 401 that names the scheme the token is then used with.
        return "Token"


class MeView(APIView):
    """The signed-in user and their organisation."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["auth"], summary="Who am I", responses={200: MeSerializer, **error_responses(401)})
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response(MeSerializer(user).data)


class TokenListView(APIView):
    """The signed-in user's active API tokens (never the keys themselves), newest first."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="My API tokens",
        responses={200: ApiTokenSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        tokens = services.active_tokens(request.user)[: settings.API_TOKEN_MAX_PER_USER]
        return Response(ApiTokenSerializer(tokens, many=True, context={"auth": request.auth}).data)


class TokenRevokeView(APIView):
    """Revoke one of the signed-in user's tokens (it stops working at once; another user's is a 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="Revoke an API token",
        request=None,
        responses={204: None, **error_responses(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        services.revoke_token(token, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonalDataSectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The kind of record (app.Model), or accounts.User for the account.")
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(), help_text="Cells in the order of headers.")
    truncated = serializers.BooleanField(help_text="More rows exist than the copy carries.")


class PersonalDataSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    sections = PersonalDataSectionSerializer(many=True)


class PersonalDataView(APIView):
    """A copy of the personal information the platform holds about the signed-in user (PIPL art. 45).

    Every record that names the user as its subject, one section per kind; taking it is audited."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="A copy of my personal data",
        responses={200: PersonalDataSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated
        sections = personal_data.export(user, actor=user, fmt="json")
        body = {
            "generated_at": timezone.now(),
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "headers": s.headers,
                    "rows": [[personal_data.as_json(v) for v in row] for row in s.rows],
                    "truncated": s.truncated,
                }
                for s in sections
            ],
        }
        return Response(body)


# ---- erasing one's account (PIPL art. 47) --------------------------------------------------------


class ErasureKindSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The kind of record (app.Model).")
    title = serializers.CharField()
    count = serializers.IntegerField()
    unpublished_only = serializers.BooleanField(help_text="Only the listings never published are erased.")


class RetentionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    legal_basis = serializers.CharField(help_text="Why these records are kept, in the request's language.")
    kinds = ErasureKindSerializer(many=True)


class ErasureRequestSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = ErasureRequest
        fields = ["id", "status", "status_display", "requested_at", "due_at", "finished_at", "reason"]
        read_only_fields = fields


class ErasureStateSerializer(serializers.Serializer):
    cooling_off_days = serializers.IntegerField(
        help_text="Days between the request and the erasure, during which it can be cancelled."
    )
    pending = ErasureRequestSerializer(allow_null=True)
    refusal = serializers.CharField(help_text="Why the account cannot be erased now; empty when it can.")
    erased = ErasureKindSerializer(
        many=True, help_text="What erasure removes, besides the account's details."
    )
    kept = RetentionSerializer(many=True, help_text="What is kept under the pseudonym, and why.")


class ErasureInputSerializer(StrictSerializer):
    password = serializers.CharField(max_length=128, help_text="The account's current password.")


def _kind(item: Any) -> dict[str, Any]:
    return {
        "key": item.label,
        "title": item.title,
        "count": item.count,
        "unpublished_only": item.unpublished_only,
    }


def erasure_state(user: User) -> dict[str, Any]:
    items = erasure.plan(user)
    pending = erasure.pending_request(user)
    return {
        "cooling_off_days": erasure.cooling_off().days,
        "pending": ErasureRequestSerializer(pending).data if pending else None,
        "refusal": erasure.refusal(user),
        "erased": [_kind(i) for i in items if i.action == erasure.ERASE],
        "kept": [
            {
                "key": r.key,
                "title": str(r.title),
                "legal_basis": str(r.basis),
                "kinds": [_kind(i) for i in members],
            }
            for r, members in erasure.kept_groups(items)
        ],
    }


class ErasureView(APIView):
    """Erasing one's account (PIPL art. 47): what it removes and keeps (and why), and the request.

    A request is carried out after the cooling-off period unless cancelled; the password is asked again.
    """

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [StrictJSONParser, FormParser]

    @extend_schema(
        tags=["auth"],
        summary="Erasing my account: what happens",
        responses={200: ErasureStateSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        return Response(erasure_state(user))

    @extend_schema(
        tags=["auth"],
        summary="Ask for my account to be erased",
        request=ErasureInputSerializer,
        responses={201: ErasureRequestSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        data = ErasureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            req = erasure.request_erasure(user, actor=user, password=data.validated_data["password"])
        return Response(ErasureRequestSerializer(req).data, status=status.HTTP_201_CREATED)


class ErasureCancelView(APIView):
    """Cancel one's pending erasure request."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="Cancel my erasure request",
        request=None,
        responses={200: ErasureRequestSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        req = erasure.pending_request(user)
        if req is None:
            raise exceptions.ValidationError({"message": _("There is no pending request to cancel.")})
        with service_errors():
            erasure.cancel_erasure(req, actor=user)
        return Response(ErasureRequestSerializer(req).data)
