"""Models of notices and news: the article staff write for one of the portal's four sections, and the
images stored with it.

An article is public when it is published and its ``publish_at`` has come (scheduled articles wait);
``body`` is the Markdown its editors write and ``body_html`` the sanitised HTML made from it by
``rendering.render`` on every save through ``services`` — no raw HTML and no image from outside the
platform reaches a reader.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techbridge.core.workflow import StateMachineMixin

from .choices import ARTICLE_TRANSITIONS, ArticleStatus, Section

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 50_000
SOURCE_MAX = 100


class Article(StateMachineMixin):
    """A notice, news item, activity preview or policy explanation, edited by platform operators."""

    TRANSITIONS = ARTICLE_TRANSITIONS

    section = models.CharField(_("section"), max_length=12, choices=Section.choices, db_index=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(
        _("summary"), max_length=SUMMARY_MAX, blank=True, help_text=_("Shown in lists and in the RSS feed.")
    )
    body = models.TextField(
        _("text"),
        max_length=BODY_MAX,
        help_text=_(
            "Markdown: a blank line starts a new paragraph, # starts a heading, - starts a list item, "
            "**bold**, [link](https://…). Upload images below and paste the line shown for each."
        ),
    )
    body_html = models.TextField(_("text as shown"), blank=True, editable=False)
    source = models.CharField(
        _("source"), max_length=SOURCE_MAX, blank=True, help_text=_("Who issued it, e.g. 南京市科学技术局.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        _("public from"),
        null=True,
        blank=True,
        help_text=_("Leave empty to publish at once; a later time schedules the article."),
    )
    pinned = models.BooleanField(_("pinned to the top"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-pinned", "-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "section", "publish_at"], name="news_public_idx")]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def public_q(now: object = None) -> Q:
        """Published and due: what anonymous readers, the API and the feeds see."""
        return Q(status=ArticleStatus.PUBLISHED, publish_at__lte=now or timezone.now())

    @property
    def is_public(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )


def image_path(instance: ArticleImage, filename: str) -> str:
    now = timezone.now()
    return f"news/{now:%Y/%m}/{instance.sha256[:16]}.{instance.extension}"


class ArticleImage(models.Model):
    """An image uploaded for an article, checked by decoding it (type, size, pixels) and stored locally.

    Served by the platform (``news:image``) to whoever may read the article; the article's text refers
    to it by that address, the only image address the sanitiser lets through.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="images"
    )
    file = models.FileField(_("file"), upload_to=image_path, max_length=200)
    alt = models.CharField(_("description"), max_length=200, blank=True)
    content_type = models.CharField(_("file type"), max_length=32)
    extension = models.CharField(_("file extension"), max_length=8)
    width = models.PositiveIntegerField(_("width in pixels"))
    height = models.PositiveIntegerField(_("height in pixels"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.alt or self.file.name)
