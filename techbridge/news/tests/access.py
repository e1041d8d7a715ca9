"""Who may open the pages and endpoints of notices and news (see techbridge.testing.access).

The records: a published notice with an image, a draft article and its image (console users only).
"""

from __future__ import annotations

from typing import Any

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import pk_of, shared

CONSOLE = outcomes(reviewer=OK, operator=OK, official=OK)


@shared
def published_article(cast: Any) -> Any:
    from techbridge.testing.factories.news import make_article

    return make_article(title="矩阵通知")


@shared
def draft_article(cast: Any) -> Any:
    from techbridge.news.choices import ArticleStatus
    from techbridge.testing.factories.news import make_article

    return make_article(title="矩阵草稿", status=ArticleStatus.DRAFT, publish_at=None)


@shared
def public_image(cast: Any) -> Any:
    from techbridge.testing.factories.news import make_image

    return make_image(published_article(cast))


@shared
def draft_image(cast: Any) -> Any:
    from techbridge.testing.factories.news import make_image

    return make_image(draft_article(cast))


an_article = pk_of(published_article)
a_draft = pk_of(draft_article)


def a_section(cast: Any) -> dict[str, Any]:
    return {"section": "policy"}


def an_image_of_the_article(cast: Any) -> dict[str, Any]:
    return {"pk": published_article(cast).pk, "image_pk": public_image(cast).pk}


ROUTES = [
    Route("news:list"),
    Route("news:feed"),
    Route("news:section", kwargs=a_section),
    Route("news:section-feed", kwargs=a_section),
    Route("news:detail", kwargs=an_article),
    Route("news:detail", kwargs=a_draft, default=HIDE, **CONSOLE),
    Route("news:image", kwargs=pk_of(public_image)),
    Route("news:image", kwargs=pk_of(draft_image), default=HIDE, **CONSOLE),
    # ---- console
    Route("news_console:home", anonymous=LOGIN, default=DENY, **CONSOLE),
    Route("news_console:create", anonymous=LOGIN, default=DENY, operator=OK),
    Route("news_console:create", method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    Route("news_console:preview", method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    Route("news_console:article", kwargs=an_article, anonymous=LOGIN, default=DENY, **CONSOLE),
    Route(
        "news_console:article", kwargs=an_article, method="POST", anonymous=LOGIN, default=DENY, operator=OK
    ),
    Route("news_console:move", kwargs=an_article, method="POST", anonymous=LOGIN, default=DENY, operator=OK),
    Route(
        "news_console:image-upload",
        kwargs=an_article,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    Route(
        "news_console:image-remove",
        kwargs=an_image_of_the_article,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        operator=OK,
    ),
    # ---- API
    Route("api:article-list"),
    Route("api:article-list", method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route("api:article-detail", kwargs=an_article),
    Route("api:article-detail", kwargs=a_draft, default=HIDE, **CONSOLE),
    Route(
        "api:article-detail", kwargs=an_article, method="PATCH", anonymous=LOGIN, default=DENY, operator=OK
    ),
    Route(
        "api:article-publish",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        reviewer=DENY,
        official=DENY,
        operator=OK,
    ),
    Route(
        "api:article-withdraw", kwargs=an_article, method="POST", anonymous=LOGIN, default=DENY, operator=OK
    ),
    Route(
        "api:article-redraft", kwargs=an_article, method="POST", anonymous=LOGIN, default=DENY, operator=BAD
    ),
    Route("api:article-pin", kwargs=an_article, method="POST", anonymous=LOGIN, default=DENY, operator=BAD),
    Route(
        "api:article-images", kwargs=an_article, method="POST", anonymous=LOGIN, default=DENY, operator=BAD
    ),
]
