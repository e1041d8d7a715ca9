"""A harder, near-topic check on the BDCI 2022 patents (4,097 abstracts in 36 dense classes).

Each gold-labelled patent's title is the query over all 4,097 patents (title and abstract indexed);
``class@10`` is the share of the ten best *other* patents that are in the query patent's class (same
class = related; 3,139 labels are a model's pseudo-labels, so read it as a relative measure between
methods). Recall@1 of the patent itself is reported as a sanity check only (its title is indexed).

``python -m techbridge.matching.evaluation.neartopic`` (``DJANGO_SETTINGS_MODULE`` set) prints JSON
and writes ``var/eval/neartopic.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

from .. import embeddings
from . import data, harness


def patent_set() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]:
    rows = list(data.read_jsonl(data.shared_data_dir() / "bdci2022_fewshot_patents" / "patents.jsonl"))
    records = [{"id": r["id"], "title": r["title"], "abstract": r["abstract"], "keywords": []} for r in rows]
    queries = [
        {"query": r["title"], "relevant": [r["id"]]}
        for r in rows
        if r.get("label_source") == "gold" and r.get("title")
    ]
    return records, queries, {r["id"]: int(r["label_id"]) for r in rows}


def run(methods: tuple[str, ...] = ("bm25", "dense", "hybrid"), **options: Any) -> dict[str, Any]:
    cache = embeddings.EmbeddingCache(Path(settings.BASE_DIR) / "var/cache/embeddings.sqlite3")
    records, queries, label = patent_set()
    engine = harness.build_engine(records, cache=cache, log=harness.eprint)
    qvecs = embeddings.cached_encode_queries([q["query"] for q in queries], cache)
    retriever = engine.retriever(**options)
    out: dict[str, Any] = {"records": len(records), "queries": len(queries)}
    for method in methods:
        rankings, same_class = [], []
        for q, vec in zip(queries, qvecs, strict=True):
            ranked = [c.id for c in retriever.search(q["query"], k=11, method=method, query_vec=vec)]
            own = q["relevant"][0]
            rankings.append(ranked[:10])
            others = [d for d in ranked if d != own][:10]
            same_class.append(sum(label[d] == label[own] for d in others) / max(len(others), 1))
        result = harness.summarise(rankings, [set(q["relevant"]) for q in queries], [])
        result["class@10"] = round(sum(same_class) / len(same_class), 4)
        out[method] = result
        harness.eprint(f"{method}: {result}")
    return out


def main() -> None:
    import django

    django.setup()
    result = run()
    path = Path(settings.BASE_DIR) / "var/eval/neartopic.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
    sys.exit(0)
