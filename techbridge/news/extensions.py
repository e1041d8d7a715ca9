"""What notices and news add to the shared pages: the portal and console menus, the home page's block
of notices and the audit words."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.roles import is_console_user

AUDIT_LABELS = {
    "news.article.created": _("Article written"),
    "news.article.updated": _("Article changed"),
    "news.article.published": _("Article published"),
    "news.article.scheduled": _("Article scheduled"),
    "news.article.withdrawn": _("Article withdrawn"),
    "news.article.redrafted": _("Article back to draft"),
    "news.article.pinned": _("Article pinned"),
    "news.article.unpinned": _("Article unpinned"),
    "news.article.image_added": _("Image added to the article"),
    "news.article.image_removed": _("Image removed from the article"),
}


def _home_block(request: HttpRequest) -> dict[str, Any] | None:
    from .queries import latest

    articles = latest(limit=6)
    return {"articles": articles} if articles else None


def register() -> None:
    registry.register_nav("portal", _("Notices and news"), "news:list", group="information", order=5)
    registry.register_nav(
        "console",
        _("Notices and news"),
        "news_console:home",
        group="console.administration",
        order=15,
        visible=is_console_user,
    )
    registry.register_home_block("news/partials/home_block.html", order=5, context=_home_block)
    registry.register_audit_labels(AUDIT_LABELS)
