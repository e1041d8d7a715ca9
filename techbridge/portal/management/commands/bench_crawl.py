"""Crawl every page of the site as each demo role; p50/p95 per URL pattern (issue 22, ``make bench``).

Run it on the demo database (``make demo`` first). For each role the crawl starts at the home page and the
console, follows every link on the site's own pages (breadth first, GET only), and fetches each page
``--repeat`` times through Django's test ``Client`` — the whole request: middleware, view, queries,
template. Pages are grouped by their URL pattern (``/achievements/<int:pk>/``) with at most
``--per-pattern`` distinct URLs each, so 13,000 achievement pages count as a handful of samples of one
pattern. The first fetch of a URL is reported separately (``cold``): it pays for caches a visitor
after it finds warm.

Downloads (PDF, Excel) are crawled like pages; the API (``/api/``), the admin, static files and
signing out are not. Nothing is written to the database except what a page itself writes on a GET
(none should). The section "Page crawl" of docs/benchmarks.md is replaced in place with ``--out``.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.urls import Resolver404, resolve

from techbridge.core.benchmarks import database, machine, percentile
from techbridge.lib.markdown import replace_section

TITLE = "Page crawl (every demo page as each role)"
ROLES = ("anonymous", "researcher", "enterprise", "broker", "reviewer", "operator", "official")
START = ("/", "/console/", "/accounts/profile/")
SKIP = re.compile(r"^/(api|admin|static|media|accounts/logout|i18n)(/|$)")
LIMIT_MS = 1000.0


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        href = dict(attrs).get("href")
        if href:
            self.links.append(href)


def links_of(html: str) -> list[str]:
    """Internal links of a page: same site, no fragment, no mail/tel/javascript."""
    parser = _Links()
    try:
        parser.feed(html)
    except Exception:  # a page the parser cannot read gives no links
        return []
    out = []
    for href in parser.links:
        href = urldefrag(href.strip())[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


@dataclass
class Pattern:
    route: str
    urls: list[str] = field(default_factory=list)
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    route = getattr(match, "route", None)
    if route is None:
        return match.view_name
    return "/" + route.lstrip("^").rstrip("$")


def sign_in(client: Client, role: str) -> bool:
    if role == "anonymous":
        return True
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=role, is_active=True).first()
    if user is None:
        return False
    client.force_login(user)
    return True


def crawl(role: str, *, max_pages: int, per_pattern: int, repeat: int) -> dict[str, Pattern]:
    """Fetch the pages one role can reach; returns the samples per URL pattern."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    patterns: dict[str, Pattern] = {}
    if not sign_in(client, role):
        return patterns
    queue: deque[str] = deque(START)
    seen: set[str] = set(START)
    fetched = 0
    while queue and fetched < max_pages:
        url = queue.popleft()
        if SKIP.match(url):
            continue
        route = pattern_of(url)
        if route is None:
            continue
        entry = patterns.setdefault(route, Pattern(route))
        if len(entry.urls) >= per_pattern:
            continue
        entry.urls.append(url)
        fetched += 1
        response = None
        for attempt in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            body = (
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
                if response.streaming
                else response.content
            )
            elapsed = (time.perf_counter() - start) * 1000
            (entry.cold_ms if attempt == 0 else entry.warm_ms).append(elapsed)
        assert response is not None
        entry.statuses.add(response.status_code)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for link in links_of(body.decode("utf-8", "replace")):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return patterns


def fmt(ms: float) -> str:
    return f"{ms:,.0f}"


class Command(BaseCommand):
    help = "Crawl every demo page as each role; p50/p95 per URL pattern (docs/benchmarks.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated demo accounts")
        parser.add_argument("--max-pages", type=int, default=400, help="distinct URLs per role")
        parser.add_argument("--per-pattern", type=int, default=4, help="distinct URLs per URL pattern")
        parser.add_argument("--repeat", type=int, default=3, help="fetches per URL (the first is cold)")
        parser.add_argument("--top", type=int, default=30, help="slowest patterns listed")
        parser.add_argument("--out", default="", help="replace the section in this Markdown file")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["repeat"] < 2 or opts["max_pages"] < 1 or opts["per_pattern"] < 1:
            raise CommandError("--repeat must be at least 2 and --max-pages, --per-pattern at least 1")
        roles = [r.strip() for r in opts["roles"].split(",") if r.strip()]
        started = time.perf_counter()
        merged: dict[tuple[str, str], Pattern] = {}
        pages = 0
        for role in roles:
            found = crawl(
                role, max_pages=opts["max_pages"], per_pattern=opts["per_pattern"], repeat=opts["repeat"]
            )
            pages += sum(len(p.urls) for p in found.values())
            for route, p in found.items():
                merged[(role, route)] = p
            self.stderr.write(
                f"{role}: {len(found)} patterns, {sum(len(p.urls) for p in found.values())} pages"
            )
        section = self.report(merged, roles, pages, time.perf_counter() - started, opts)
        self.stdout.write(section)
        if opts["out"]:
            replace_section(Path(opts["out"]), section, TITLE)

    def report(
        self, merged: dict[tuple[str, str], Pattern], roles: list[str], pages: int, seconds: float, opts: Any
    ) -> str:
        rows = []
        for (role, route), p in merged.items():
            if not p.warm_ms:
                continue
            rows.append(
                (
                    percentile(p.warm_ms, 95),
                    role,
                    route,
                    len(p.urls),
                    percentile(p.warm_ms, 50),
                    max(p.cold_ms),
                    ",".join(str(s) for s in sorted(p.statuses)),
                )
            )
        rows.sort(reverse=True)
        warm = [ms for p in merged.values() for ms in p.warm_ms]
        over = [r for r in rows if r[0] > LIMIT_MS]
        errors = [r for r in rows if any(s.startswith("5") for s in r[6].split(","))]
        m = machine()
        lines = [
            f"## {TITLE}",
            "",
            f"- Machine: {m['nproc']} cores ({m['cpu']}), {m['ram']} RAM; {database()}; "
            f"DEBUG={settings.DEBUG}; {datetime.now():%Y-%m-%d}.",
            f"- Command: `manage.py bench_crawl --max-pages {opts['max_pages']} --per-pattern "
            f"{opts['per_pattern']} --repeat {opts['repeat']}` on the `make demo` database.",
            f"- Roles: {', '.join(roles)}; {pages} pages in {len(rows)} (role, URL pattern) pairs, "
            f"{len(warm)} warm fetches, {seconds:.0f} s in all.",
            f"- Warm fetches: p50 {fmt(percentile(warm, 50)) if warm else '–'} ms, "
            f"p95 {fmt(percentile(warm, 95)) if warm else '–'} ms. Pairs with a warm p95 over "
            f"{fmt(LIMIT_MS)} ms: **{len(over)}**; pairs with a server error: **{len(errors)}**.",
            "",
            f"The {min(opts['top'], len(rows))} slowest (warm p95; cold = the first fetch of a URL, max):",
            "",
            "| role | URL pattern | URLs | p50 ms | p95 ms | cold max ms | status |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for p95, role, route, n, p50, cold, statuses in rows[: opts["top"]]:
            lines.append(f"| {role} | `{route}` | {n} | {fmt(p50)} | {fmt(p95)} | {fmt(cold)} | {statuses} |")
        return "\n".join(lines) + "\n"
