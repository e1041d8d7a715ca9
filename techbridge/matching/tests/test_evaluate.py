"""``manage.py evaluate_matching``: metrics on labelled data, the platform's data left untouched."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from techbridge.matching.evaluation import data, harness

QUERIES = [
    {"query": "线路板厂想从酸性废蚀刻液中回收铜，降低危废处置成本。", "relevant": ["csl-bench-dev-0016"]},
    {"query": "蔬菜大棚需要无线采集温湿度并远程控制通风的系统。", "relevant": ["csl-bench-dev-0015"]},
    {"query": "供电公司要评估短路故障时敏感用户遭遇电压暂降的区域。", "relevant": ["csl-bench-dev-0013"]},
    {"query": "😀😀", "relevant": ["csl-bench-dev-0001"]},
]


@pytest.fixture
def files(tmp_path, csl_records):
    records, queries = tmp_path / "r.jsonl", tmp_path / "q.jsonl"
    data.write_jsonl(records, csl_records)
    data.write_jsonl(queries, QUERIES)
    return records, queries


def run(*args: str) -> dict:
    out = StringIO()
    call_command("evaluate_matching", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_evaluate_prints_every_metric_per_method_and_leaves_the_platform_alone(
    files, e5_model, embedding_cache, settings, tmp_path
):
    from techbridge.achievements.models import Achievement
    from techbridge.core.models import FullTextEntry

    settings.MATCHING_INDEX_DIR = tmp_path / "index"
    before = (Achievement.objects.count(), FullTextEntry.objects.count())
    records, queries = files
    report = run(
        "--records", str(records), "--queries", str(queries), "--json",
        "--cache", str(embedding_cache.path), "--timed", "2",
    )  # fmt: skip
    assert report["records"] == 36 and report["queries"] == 4
    assert set(report["methods"]) == {"bm25", "dense", "hybrid"}
    for result in report["methods"].values():
        assert set(result) >= {"recall@1", "recall@10", "mrr@10", "ndcg@10", "latency_ms"}
        assert set(result["latency_ms"]) >= {"p50", "p95"}
        assert result["query_errors"] == 1  # the emoji-only query counts as a miss, not a crash
    assert report["methods"]["hybrid"]["recall@1"] == 0.75
    assert (Achievement.objects.count(), FullTextEntry.objects.count()) == before
    assert not (tmp_path / "index").exists()


@pytest.mark.django_db
def test_methods_can_be_chosen(files, e5_model, embedding_cache):
    records, queries = files
    report = run(
        "--records", str(records), "--queries", str(queries), "--json", "--methods", "bm25",
        "--cache", str(embedding_cache.path), "--timed", "0",
    )  # fmt: skip
    assert list(report["methods"]) == ["bm25"]
    assert "latency_ms" not in report["methods"]["bm25"]


def test_unknown_method_or_missing_files_are_command_errors(tmp_path):
    with pytest.raises(CommandError):
        call_command("evaluate_matching", "--dev-set", "demand", "--methods", "bm25,magic")
    with pytest.raises(CommandError):
        call_command("evaluate_matching", "--records", str(tmp_path / "no.jsonl"), "--queries", "x.jsonl")
    with pytest.raises(CommandError):
        call_command("evaluate_matching")


def test_ranking_metrics():
    ranked = ["a", "b", "c"]
    assert harness.recall_at(ranked, {"b"}, 1) == 0.0
    assert harness.recall_at(ranked, {"b"}, 10) == 1.0
    assert harness.mrr_at(ranked, {"b"}, 10) == 0.5
    assert harness.ndcg_at(ranked, {"a"}, 10) == 1.0
    assert harness.ndcg_at(ranked, {"b"}, 10) == pytest.approx(1 / 1.58496, rel=1e-4)
    assert harness.percentile([5, 1, 3, 2, 4], 95) == 5
    assert harness.percentile([5, 1, 3, 2, 4], 50) == 3


def test_known_item_sets_hide_the_query_field_from_the_index(settings, tmp_path, monkeypatch):
    rows = [
        {"id": "p1", "title": "锂电池隔膜", "abstract": "一种隔膜。", "keywords": ["隔膜", "锂电池"]},
        {"id": "p2", "title": "污泥减量", "abstract": "污泥处理。", "keywords": []},
    ]
    (tmp_path / "csl").mkdir()
    data.write_jsonl(tmp_path / "csl" / "csl_records.jsonl", rows)
    monkeypatch.setenv("MATCHING_EVAL_DATA", str(tmp_path))
    records, queries = data.dev_set("title")
    assert all(r["title"] == "" for r in records)
    assert queries[0] == {"query": "锂电池隔膜", "relevant": ["p1"]}
    records, queries = data.dev_set("keywords")
    assert all(r["keywords"] == [] for r in records)
    assert queries == [{"query": "隔膜 锂电池", "relevant": ["p1"]}]
