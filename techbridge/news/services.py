"""Writes to notices and news: write and change an article, publish now or at a set time, withdraw,
return to draft, pin, and store images. Operators only; every write is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.workflow import TransitionError, record_created, transition
from techbridge.lib.images import check_image

from . import permissions, rendering
from .choices import ArticleStatus
from .models import Article, ArticleImage

ARTICLE_FIELDS = ("section", "title", "summary", "body", "source", "publish_at")
MAX_IMAGES = 50
# A scheduled article may wait this long at most: a typo of the year must not hide it for a century.
MAX_SCHEDULE_DAYS = 366


def _check_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - set(ARTICLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})


def _check_images(article: Article | None, body: str) -> None:
    """The text may show only images stored with this article."""
    wanted = rendering.image_ids(body)
    if not wanted:
        return
    own = set(article.images.values_list("pk", flat=True)) if article is not None and article.pk else set()
    strangers = sorted(wanted - own)
    if strangers:
        raise ValidationError(
            {"body": _("The text shows images that do not belong to this article: %(ids)s.")
             % {"ids": ", ".join(str(i) for i in strangers)}}
        )  # fmt: skip


def _check_schedule(publish_at: dt.datetime | None) -> None:
    if publish_at is not None and publish_at > timezone.now() + dt.timedelta(days=MAX_SCHEDULE_DAYS):
        raise ValidationError(
            {
                "publish_at": _("An article can be scheduled at most %(n)s days ahead.")
                % {"n": MAX_SCHEDULE_DAYS}
            }
        )


def create_article(*, actor: Any, data: dict[str, Any], is_demo: bool = False) -> Article:
    """A draft article."""
    permissions.check_edit_articles(actor)
    _check_fields(data)
    _check_images(None, data.get("body", ""))
    _check_schedule(data.get("publish_at"))
    article = Article(**data, created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo)
    article.body_html = rendering.render(article.body)
    article.full_clean()
    with transaction.atomic():
        article.save()
        record_created(article, actor=actor, action="news.article.created")
    return article


def update_article(article: Article, *, actor: Any, data: dict[str, Any]) -> list[str]:
    """Change an article's text, section, source or time; a published article stays published."""
    permissions.check_edit_articles(actor)
    _check_fields(data)
    if "body" in data:
        _check_images(article, data["body"])
    _check_schedule(data.get("publish_at"))
    changed = [k for k, v in data.items() if getattr(article, k) != v]
    if not changed:
        return []
    for key, value in data.items():
        setattr(article, key, value)
    if article.status == ArticleStatus.PUBLISHED and article.publish_at is None:
        article.publish_at = timezone.now()
    article.body_html = rendering.render(article.body)
    article.full_clean()
    article.updated_at = timezone.now()
    with transaction.atomic():
        article.save(update_fields=[*data, "body_html", "publish_at", "updated_at"])
        audit.record(article, "news.article.updated", actor=actor, data={"fields": changed})
    return changed


def publish(article: Article, *, actor: Any, publish_at: dt.datetime | None = None) -> Article:
    """Publish now, or schedule: the article becomes public at ``publish_at`` (or its own set time)."""
    permissions.check_edit_articles(actor)
    when = publish_at or article.publish_at
    _check_schedule(when)
    now = timezone.now()
    if when is None or when < now:
        when = now
    scheduled = when > now
    transition(
        article,
        ArticleStatus.PUBLISHED,
        actor=actor,
        action="news.article.scheduled" if scheduled else "news.article.published",
        changes={"publish_at": when},
        data={"publish_at": when.isoformat()},
    )
    return article


def withdraw(article: Article, *, actor: Any, reason: str = "") -> Article:
    """Take a published (or scheduled) article off the portal, the API and the feeds."""
    permissions.check_edit_articles(actor)
    transition(
        article,
        ArticleStatus.WITHDRAWN,
        actor=actor,
        action="news.article.withdrawn",
        message=reason[:500],
        changes={"pinned": False},
    )
    return article


def redraft(article: Article, *, actor: Any) -> Article:
    """Bring a withdrawn article back to draft to correct and publish it again."""
    permissions.check_edit_articles(actor)
    transition(article, ArticleStatus.DRAFT, actor=actor, action="news.article.redrafted")
    return article


def set_pinned(article: Article, *, actor: Any, pinned: bool) -> Article:
    """Pin a published article to the top of its section and of the home page (or unpin it)."""
    permissions.check_edit_articles(actor)
    if pinned and article.status != ArticleStatus.PUBLISHED:
        raise TransitionError(_("Only a published article can be pinned."))
    if article.pinned == pinned:
        return article
    with transaction.atomic():
        rows = Article.objects.filter(pk=article.pk, status=article.status).update(
            pinned=pinned, updated_at=timezone.now()
        )
        if rows != 1:
            raise TransitionError(_("Someone else changed this record a moment ago. Reload and try again."))
        article.pinned = pinned
        audit.record(article, "news.article.pinned" if pinned else "news.article.unpinned", actor=actor)
    return article


def add_image(article: Article, *, actor: Any, upload: Any, alt: str = "") -> ArticleImage:
    """Store an image for the article after decoding it; returns the stored image."""
    permissions.check_edit_articles(actor)
    if article.images.count() >= MAX_IMAGES:
        raise ValidationError(_("An article holds at most %(n)s images.") % {"n": MAX_IMAGES})
    checked = check_image(upload, max_mb=getattr(settings, "NEWS_IMAGE_MAX_MB", 5))
    alt = (alt or "").strip()[:200]
    image = ArticleImage(
        article=article,
        alt=alt,
        content_type=checked.content_type,
        extension=checked.extension,
        width=checked.width,
        height=checked.height,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    upload.seek(0)
    with transaction.atomic():
        image.file.save(f"{checked.sha256[:16]}.{checked.extension}", ContentFile(upload.read()), save=False)
        try:
            image.save()
            audit.record(article, "news.article.image_added", actor=actor, data={"image": image.pk})
        except Exception:
            image.file.delete(save=False)
            raise
    return image


def remove_image(image: ArticleImage, *, actor: Any) -> None:
    """Delete an image the text no longer shows."""
    permissions.check_edit_articles(actor)
    article = image.article
    if image.pk in rendering.image_ids(article.body):
        raise ValidationError(_("The text still shows this image; remove it from the text first."))
    with transaction.atomic():
        pk = image.pk
        image.delete()
        audit.record(article, "news.article.image_removed", actor=actor, data={"image": pk})
    image.file.delete(save=False)


def markdown_of(image: ArticleImage) -> str:
    """The line an editor pastes into the text to show the image."""
    return f"![{image.alt or _('image')}](/news/images/{image.pk}/)"
