"""The catalogue benchmark command, on a tiny catalogue, writing to a temporary file."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from techbridge.core.benchmarks import percentile
from techbridge.core.fulltext import get_backend
from techbridge.core.workflow import ReviewStatus
from techbridge.lib.markdown import replace_section
from techbridge.portal.management.commands.bench_listing_search import SECTION_TITLE

pytestmark = pytest.mark.django_db

FAST = {"rounds": 1, "repeat": 1, "page_repeat": 1, "token_docs": 10, "queries": 3}


@pytest.fixture
def tiny_catalogue(make_listing):
    titles = ["锂电池隔膜制备方法", "新能源汽车电池管理系统", "人工智能图像识别平台", "城市污水处理工艺"]
    listings = [make_listing(ReviewStatus.PUBLISHED, title=t, summary=f"{t}：公开摘要。") for t in titles]
    get_backend().index_many("achievement", [(a.pk, a.search_document()) for a in listings])
    return listings


def test_empty_database_says_load_demo_first(tmp_path):
    out = tmp_path / "benchmarks.md"
    with pytest.raises(CommandError, match="load_demo") as exc:
        call_command("bench_listing_search", out=str(out), **FAST)
    assert exc.value.returncode == 1
    assert not out.exists()


def test_writes_the_section_with_every_measurement(tiny_catalogue, tmp_path):
    out = tmp_path / "docs" / "benchmarks.md"
    stdout = io.StringIO()
    call_command("bench_listing_search", out=str(out), stdout=stdout, stderr=io.StringIO(), **FAST)

    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Benchmarks\n")
    assert report.count(SECTION_TITLE) == 1
    for heading in ("### Full-text search", "### Achievement list page", "### Tokenisation"):
        assert heading in report
    assert "CPUs (nproc)" in report and "RAM" in report
    assert "4 achievements (4 published, 4 in the search index)" in report
    assert "--rounds 1" in report  # the command as it was run
    assert "| 锂电池隔膜 |" in report  # the per-query table
    assert "/achievements/" in report
    assert "Peak RSS" in report
    assert "Wrote the section" in stdout.getvalue()


def test_rerun_replaces_only_its_own_section(tiny_catalogue, tmp_path):
    out = tmp_path / "benchmarks.md"
    out.write_text(
        "# Benchmarks\n\nIntro.\n\n## Matching\n\nkeep me\n\n"
        "## Listing search\n\nold numbers\n\n### sub\n\nold\n\n"
        "## Import\n\nkeep me too\n",
        encoding="utf-8",
    )
    call_command("bench_listing_search", out=str(out), stdout=io.StringIO(), stderr=io.StringIO(), **FAST)
    call_command("bench_listing_search", out=str(out), stdout=io.StringIO(), stderr=io.StringIO(), **FAST)

    report = out.read_text(encoding="utf-8")
    assert report.count(SECTION_TITLE) == 1
    assert "old numbers" not in report and "\nold\n" not in report
    assert report.index("## Matching") < report.index(SECTION_TITLE) < report.index("## Import")
    assert "keep me\n" in report and "keep me too" in report and "Intro." in report


def test_replace_section_appends_when_missing(tmp_path):
    out = tmp_path / "b.md"
    out.write_text("# Benchmarks\n\n## Other\n\nx\n", encoding="utf-8")
    replace_section(out, f"{SECTION_TITLE}\n\nnew\n", SECTION_TITLE)
    assert out.read_text(encoding="utf-8") == f"# Benchmarks\n\n## Other\n\nx\n\n{SECTION_TITLE}\n\nnew\n"


def test_percentile_is_nearest_rank():
    samples = [float(x) for x in range(1, 101)]
    assert percentile(samples, 50) == 50
    assert percentile(samples, 95) == 95
    assert percentile([3.0], 95) == 3.0
