"""The page-crawl benchmark follows the site's links as a role and reports every URL pattern it reached."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from techbridge.portal.management.commands.bench_crawl import links_of, pattern_of
from techbridge.testing.factories.achievements import make_achievement

pytestmark = pytest.mark.django_db


def test_links_are_the_sites_own_pages_without_fragments():
    html = (
        '<a href="/achievements/?q=电池#top">x</a><a href="https://evil.example/">y</a>'
        '<a href="mailto:a@b.c">m</a><a href="/events/">e</a><a>none</a>'
    )
    assert links_of(html) == ["/achievements/?q=电池", "/events/"]


def test_urls_are_grouped_by_their_pattern():
    assert pattern_of("/achievements/12/") == pattern_of("/achievements/13/")
    assert pattern_of("/no/such/page/") is None


def test_a_crawl_as_two_roles_reports_the_patterns_it_reached(cast, tmp_path):
    make_achievement(cast, title="可爬取的示例成果")
    out = io.StringIO()
    report = tmp_path / "bench.md"
    report.write_text("# Benchmarks\n", encoding="utf-8")

    call_command(
        "bench_crawl",
        "--roles",
        "anonymous,operator",
        "--max-pages",
        "12",
        "--repeat",
        "2",
        "--out",
        str(report),
        stdout=out,
        stderr=io.StringIO(),
    )

    text = report.read_text(encoding="utf-8")
    assert "## Page crawl" in text
    assert "| anonymous | `/` |" in text
    assert "| operator |" in text
    assert "pairs with a server error: **0**" in text
