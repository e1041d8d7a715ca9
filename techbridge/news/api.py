"""Notices and news API: the public list (pinned first; by section and words), an article with its
sanitised HTML and images; operators write, publish or schedule, withdraw, return to draft, pin, and
upload images (multipart). Console users also read drafts, scheduled and withdrawn articles."""

from __future__ import annotations

from typing import Any, cast

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from techbridge.core.api import Pagination, ReadOnlyOrAuthenticated
from techbridge.core.listing_api import (
    StrictSerializer,
    error_responses,
    form_parameters,
    service_errors,
    validated_query,
)
from techbridge.core.roles import is_console_user

from . import permissions as rules
from . import queries, services
from .choices import Section
from .forms import ArticleApiFilterForm
from .models import BODY_MAX, SOURCE_MAX, SUMMARY_MAX, TITLE_MAX, Article, ArticleImage

TAG = "news"


class ArticleImageSerializer(serializers.ModelSerializer):
    # Declared so that the schema is the same on every database (a model's PositiveIntegerField has a
    # backend-dependent maximum).
    width = serializers.IntegerField(read_only=True, help_text="Pixels.")
    height = serializers.IntegerField(read_only=True, help_text="Pixels.")
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    url = serializers.SerializerMethodField(help_text="Address of the image.")
    markdown = serializers.SerializerMethodField(help_text="The line to put in the text to show it.")

    class Meta:
        model = ArticleImage
        fields = ["id", "alt", "content_type", "width", "height", "size", "sha256", "url", "markdown"]

    def get_url(self, obj: ArticleImage) -> str:
        return reverse("news:image", args=[obj.pk])

    def get_markdown(self, obj: ArticleImage) -> str:
        return services.markdown_of(obj)


class ArticleListSerializer(serializers.ModelSerializer):
    section_label = serializers.CharField(source="get_section_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.SerializerMethodField(help_text="The article's page on the portal.")

    class Meta:
        model = Article
        fields = [
            "id",
            "section",
            "section_label",
            "title",
            "summary",
            "source",
            "status",
            "status_label",
            "publish_at",
            "pinned",
            "updated_at",
            "url",
        ]

    def get_url(self, obj: Article) -> str:
        return reverse("news:detail", args=[obj.pk])


class ArticleSerializer(ArticleListSerializer):
    images = ArticleImageSerializer(many=True, read_only=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "body", "body_html", "images"]


class ArticleWriteSerializer(StrictSerializer):
    section = serializers.ChoiceField(choices=Section.choices)
    title = serializers.CharField(max_length=TITLE_MAX)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False, allow_blank=True)
    body = serializers.CharField(max_length=BODY_MAX)
    source = serializers.CharField(max_length=SOURCE_MAX, required=False, allow_blank=True)  # type: ignore[assignment]
    publish_at = serializers.DateTimeField(required=False, allow_null=True)


class PublishSerializer(StrictSerializer):
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="A later time schedules the article; empty: now."
    )


class WithdrawSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PinSerializer(StrictSerializer):
    pinned = serializers.BooleanField()


class ImageUploadSerializer(StrictSerializer):
    image = serializers.FileField(help_text="JPEG, PNG, GIF or WebP, at most 5 MB.")
    alt = serializers.CharField(max_length=200, required=False, allow_blank=True)


_ONE = {200: ArticleSerializer, **error_responses(400, 401, 403, 404)}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Notices and news",
        description="Public articles, pinned first then the newest; console users also see the others "
        "with status=draft|published|withdrawn.",
        parameters=form_parameters(ArticleApiFilterForm),
        responses={200: ArticleListSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        tags=[TAG], summary="Read one article", responses={200: ArticleSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        tags=[TAG],
        summary="Write an article, as a draft (operators)",
        request=ArticleWriteSerializer,
        responses={201: ArticleSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        tags=[TAG], summary="Change an article (operators)", request=ArticleWriteSerializer, responses=_ONE
    ),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    pagination_class = Pagination
    serializer_class = ArticleSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        user = self.request.user
        if self.action == "list":
            qs = (Article.objects.all() if is_console_user(user) else queries.public_articles()).defer(
                "body", "body_html"
            )
            return qs.order_by("-pinned", "-publish_at", "-pk")
        return rules.visible_articles(user).prefetch_related("images")

    def get_serializer_class(self) -> Any:
        return ArticleListSerializer if self.action == "list" else ArticleSerializer

    def filter_queryset(self, queryset: Any) -> Any:
        if self.action != "list":
            return queryset
        form = cast(ArticleApiFilterForm, validated_query(ArticleApiFilterForm, self.request))
        qs = queries.filter_articles(queryset, form.filters())
        wanted = form.cleaned_data.get("status")
        if wanted and is_console_user(self.request.user):
            qs = qs.filter(status=wanted)
        return qs

    def _article(self) -> Article:
        return rules.article_for(self.request.user, int(self.kwargs["pk"]))

    def _edited(self) -> Article:
        """The article of the URL, for an operator (404 for what the caller may not see, then 403)."""
        article = self._article()
        rules.check_edit_articles(self.request.user)
        return article

    def _out(self, article: Article, code: int = 200) -> Response:
        fresh = rules.visible_articles(self.request.user).prefetch_related("images").get(pk=article.pk)
        return Response(ArticleSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        rules.check_edit_articles(request.user)
        body = ArticleWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            article = services.create_article(actor=request.user, data=dict(body.validated_data))
        return self._out(article, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        article = self._edited()
        body = ArticleWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.update_article(article, actor=request.user, data=dict(body.validated_data))
        return self._out(article)

    @extend_schema(
        tags=[TAG], summary="Publish now or schedule (operators)", request=PublishSerializer, responses=_ONE
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        article = self._edited()
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.publish(article, actor=request.user, publish_at=body.validated_data.get("publish_at"))
        return self._out(article)

    @extend_schema(
        tags=[TAG], summary="Withdraw from the portal (operators)", request=WithdrawSerializer, responses=_ONE
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        article = self._edited()
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.withdraw(article, actor=request.user, reason=body.validated_data.get("reason", ""))
        return self._out(article)

    @extend_schema(tags=[TAG], summary="Back to draft (operators)", request=None, responses=_ONE)
    @action(detail=True, methods=["post"])
    def redraft(self, request: Request, pk: str) -> Response:
        article = self._edited()
        with service_errors():
            services.redraft(article, actor=request.user)
        return self._out(article)

    @extend_schema(tags=[TAG], summary="Pin or unpin (operators)", request=PinSerializer, responses=_ONE)
    @action(detail=True, methods=["post"])
    def pin(self, request: Request, pk: str) -> Response:
        article = self._edited()
        body = PinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.set_pinned(article, actor=request.user, pinned=body.validated_data["pinned"])
        return self._out(article)

    @extend_schema(
        tags=[TAG],
        summary="Upload an image for the text (operators)",
        request={"multipart/form-data": ImageUploadSerializer},
        responses={201: ArticleImageSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def images(self, request: Request, pk: str) -> Response:
        article = self._edited()
        body = ImageUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            image = services.add_image(
                article,
                actor=request.user,
                upload=body.validated_data["image"],
                alt=body.validated_data.get("alt", ""),
            )
        return Response(ArticleImageSerializer(image).data, status=status.HTTP_201_CREATED)
