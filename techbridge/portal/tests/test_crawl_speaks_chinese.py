"""Every page a role can reach speaks Chinese (issue 22, "Done when": a test scans rendered pages).

Each role of the cast starts at the home page, the console and its profile and follows the site's own
links (one URL per URL pattern, GET only), as ``bench_crawl`` does on the demo. The visible text of every
HTML page is scanned for dotted audit codes, raw state arrows, the English words that leaked before and
any run of English words (``not yet``, ``Open deal``) that is not a name the platform keeps in Latin
letters (PDF, Excel, API, IPC …).
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.test import Client

from techbridge.core.tests.test_pages_speak_chinese import leaks, visible_text
from techbridge.portal.management.commands.bench_crawl import SKIP, START, links_of, pattern_of
from techbridge.testing.factories.contracts import make_draft_contract

pytestmark = pytest.mark.django_db

# Latin-letter names a Chinese page may show.
KEPT = {
    "techbridge",
    "api",
    "pdf",
    "excel",
    "csv",
    "xlsx",
    "ipc",
    "trl",
    "sm3",
    "nda",
    "url",
    "id",
    "token",
    "rss",
    "html",
    "json",
    "openapi",
    "redoc",
    "email",
    "e-mail",
    "cn",
    "ip",
    "it",
    "ai",
    "ok",
    "pct",
    "https",
    "http",
    "www",
    "com",
    "gov",
    "org",
    "edu",
    "swagger",
}
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]{1,}(?:[ \-][A-Za-z][a-z]{1,})+\b")


def english_runs(text: str) -> list[str]:
    """Runs of two or more English words, except names kept in Latin letters and e-mail/web addresses."""
    text = re.sub(r"\S+@\S+|https?://\S+|/[\w/.-]+|python manage\.py [\w-]+", " ", text)
    found = []
    for run in ENGLISH_RUN.findall(text):
        words = re.split(r"[ \-]", run.lower())
        if all(word in KEPT for word in words):
            continue
        found.append(run)
    return found


def crawl(client: Client, *, max_pages: int = 300) -> tuple[dict[str, list[str]], int]:
    """The leaks per page URL of every page reachable from the start pages (one URL per pattern)."""
    queue: deque[str] = deque(START)
    seen = set(START)
    patterns: set[str] = set()
    problems: dict[str, list[str]] = {}
    fetched = 0
    while queue and fetched < max_pages:
        url = queue.popleft()
        route = pattern_of(url)
        if SKIP.match(url) or route is None or route in patterns:
            continue
        patterns.add(route)
        fetched += 1
        response = client.get(url)
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode("utf-8", "replace")
        found = leaks(html) + english_runs(visible_text(html))
        if found:
            problems[url] = sorted(set(found))
        if response.status_code == 200:
            for link in links_of(html):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return problems, fetched


def test_english_runs_are_found_and_kept_names_are_not():
    assert english_runs("状态：not yet 评分") == ["not yet"]
    assert english_runs("下载 PDF 或 Excel 文件，API 文档") == []
    assert english_runs("联系 ops@example.cn 或 https://tech.example.gov.cn/api/docs/") == []
    assert english_runs("请运行 python manage.py load_plan 载入计划") == []


@pytest.mark.parametrize(
    "role", ["anonymous", "researcher", "univ_admin", "buyer", "broker", "reviewer", "operator", "official"]
)
def test_every_reachable_page_speaks_chinese(cast, role):
    make_draft_contract(cast)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    if role != "anonymous":
        client.force_login(getattr(cast, role))

    problems, fetched = crawl(client)

    assert fetched > (15 if role == "anonymous" else 30)  # the crawl reached the role's pages
    assert problems == {}
