"""Who may read and edit notices and news: look-ups that 404 and checks that refuse with the reason.

- published articles whose time has come are public (anonymous readers, the API, the RSS feeds);
- drafts, scheduled and withdrawn articles are seen by console users (reviewers, operators, officials);
- platform operators write, publish, schedule, pin, withdraw and upload images;
- an image is seen by whoever may read its article.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from techbridge.core.permissions import deny
from techbridge.core.roles import is_console_user, is_operator

from .models import Article, ArticleImage


def articles_visible_q(user: Any) -> Q:
    return Q() if is_console_user(user) else Article.public_q()


def visible_articles(user: Any) -> QuerySet[Article]:
    return Article.objects.filter(articles_visible_q(user))


def article_for(user: Any, pk: int) -> Article:
    article = visible_articles(user).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def image_for(user: Any, pk: int) -> ArticleImage:
    image = ArticleImage.objects.filter(pk=pk, article__in=visible_articles(user)).first()
    if image is None:
        raise Http404
    return image


def can_edit_articles(user: Any) -> bool:
    return is_operator(user)


def check_edit_articles(user: Any) -> None:
    if not can_edit_articles(user):
        deny(_("Only platform operators write and publish notices and news."))
