"""Factories of notices and news (test set-up; statuses set directly)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from techbridge.news import rendering
from techbridge.news.choices import ArticleStatus, Section
from techbridge.news.models import Article, ArticleImage


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published notice, public since an hour ago."""

    class Meta:
        model = Article

    section = Section.NOTICE
    title = factory.Sequence(lambda n: f"关于开展技术合同认定登记工作的通知{n}")
    summary = "技术合同认定登记在平台在线办理。"
    body = "各单位：\n\n技术合同可在平台在线起草、签订并提交认定登记。"
    body_html = factory.LazyAttribute(lambda o: rendering.render(o.body))
    source = "南京市科学技术局"
    status = ArticleStatus.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


def make_article(**extra: Any) -> Article:
    return cast(Article, ArticleFactory(**extra))


def png_bytes(width: int = 8, height: int = 6, color: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def make_image(article: Article) -> ArticleImage:
    """A small PNG stored with the article (as the service would, without an actor)."""
    import hashlib

    data = png_bytes()
    image = ArticleImage(
        article=article,
        alt="示意图",
        content_type="image/png",
        extension="png",
        width=8,
        height=6,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    image.file.save("test.png", ContentFile(data), save=False)
    image.save()
    return image


def scheduled(**extra: Any) -> Article:
    return make_article(publish_at=timezone.now() + dt.timedelta(days=2), **extra)
