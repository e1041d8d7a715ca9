"""Markdown to safe HTML for articles.

The editors' Markdown is parsed with raw HTML switched off (a ``<script>`` in the source is shown as
text), then the HTML is cleaned by nh3 (an allow-list of tags and attributes): links keep only
``http``, ``https``, ``mailto`` and the platform's own paths and open with ``rel="noopener noreferrer"``;
images keep only the addresses of the article's stored images (``/news/images/<id>/``), so no reader's
browser is sent to another server by an article.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

IMAGE_SRC = re.compile(r"^/news/images/(\d+)/$")
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "blockquote",
    "ul", "ol", "li", "a", "img", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"style"}, "td": {"style"}}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_md.enable("strikethrough")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src":
        return value if IMAGE_SRC.match(value) else None
    if tag == "a" and attr == "href":
        ok = value.startswith(("http://", "https://", "mailto:", "/", "#"))
        return value if ok and not value.startswith("//") else None
    if attr == "style":
        return value if value in ("text-align:left", "text-align:right", "text-align:center") else None
    return value


def render(markdown: str) -> str:
    """Sanitised HTML of an article's Markdown."""
    html = _md.render(markdown or "")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def image_ids(markdown: str) -> set[int]:
    """The stored images an article's text refers to."""
    return {int(m) for m in re.findall(r"/news/images/(\d+)/", markdown or "")}
