"""Choices of the notices and news: the four sections of the portal and the article's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Section(models.TextChoices):
    """The sections a technology market's portal keeps: 通知公告, 新闻动态, 活动预告, 政策解读."""

    NOTICE = "notice", _("Notices")
    NEWS = "news", pgettext_lazy("news section", "News")
    PREVIEW = "preview", _("Upcoming activities")
    POLICY = "policy", _("Policy explained")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("article status", "Draft")
    PUBLISHED = "published", pgettext_lazy("article status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("article status", "Withdrawn")


ARTICLE_TRANSITIONS: dict[str, set[str]] = {
    ArticleStatus.DRAFT: {ArticleStatus.PUBLISHED},
    ArticleStatus.PUBLISHED: {ArticleStatus.WITHDRAWN},
    ArticleStatus.WITHDRAWN: {ArticleStatus.DRAFT},
}
