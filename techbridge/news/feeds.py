"""RSS feeds of notices and news: all sections, or one (``/news/rss/``, ``/news/<section>/rss/``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from . import queries
from .choices import Section
from .models import Article

FEED_SIZE = 30


class ArticleFeed(Feed):
    def get_object(self, request: HttpRequest, section: str = "") -> str:
        if section and section not in Section.values:
            raise Http404
        return section

    def title(self, obj: str) -> str:
        site = _("Nanjing Technology Transfer Service Platform")
        return f"{site} · {Section(obj).label}" if obj else f"{site} · {_('Notices and news')}"

    def link(self, obj: str) -> str:
        return reverse("news:section", args=[obj]) if obj else reverse("news:list")

    def description(self, obj: str) -> str:
        return _("The newest notices, news, activity previews and policy explanations of the platform.")

    def items(self, obj: str) -> list[Article]:
        return queries.latest(obj or None, limit=FEED_SIZE)

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or ""

    def item_link(self, item: Article) -> str:
        return reverse("news:detail", args=[item.pk])

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[Any]:
        return [str(Section(item.section).label)]
