"""Evaluation data: records and queries as JSON Lines, and the development sets built from CSL.

Records are ``{"id", "title", "abstract", "keywords"}`` (keywords a list or a string), queries
``{"query", "relevant": [ids]}``. The known-item sets are made from the CSL records at run time:

- ``title``: each paper's title is the query; the indexed record keeps abstract and keywords but not
  the title (with the title indexed, the query would find itself and measure nothing);
- ``keywords``: each paper's keywords, joined with spaces, are the query; the indexed record keeps
  title and abstract but not the keywords;
- ``demand``: the 100 hand-written enterprise demands of ``demand_queries_dev``, over the full records.

Every set covers all 3,758 records, so each query has 3,757 distractors.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings

from techbridge.lib.jsonl import read_jsonl, write_jsonl

DEV_SETS = ("demand", "title", "keywords")
_WORD_RE = re.compile(r"[^\W_]")


def shared_data_dir() -> Path:
    """``../shared/data`` next to the checkout (``MATCHING_EVAL_DATA`` overrides it)."""
    env = os.environ.get("MATCHING_EVAL_DATA")
    return Path(env) if env else Path(settings.BASE_DIR).parent / "shared" / "data"


def keyword_list(value: Any) -> list[str]:
    from techbridge.lib.text import split_list

    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return split_list(str(value or ""))


def record_parts(rec: dict[str, Any]) -> tuple[str, str, str]:
    """(title, body, keywords) of a record, keywords joined with 、 as a listing shows them."""
    body = rec.get("abstract") or rec.get("body") or rec.get("text") or ""
    return str(rec.get("title") or ""), str(body), "、".join(keyword_list(rec.get("keywords")))


def load_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    records = list(read_jsonl(path))
    for i, rec in enumerate(records):
        if "id" not in rec:
            raise ValueError(f"{path}: record {i + 1} has no id")
    return records


def load_queries(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    queries = []
    for i, row in enumerate(read_jsonl(path)):
        if "query" not in row or not isinstance(row.get("relevant"), list):
            raise ValueError(f"{path}: query {i + 1} needs 'query' and a 'relevant' list")
        queries.append(row)
    return queries


def csl_records() -> list[dict[str, Any]]:
    return load_records(shared_data_dir() / "csl" / "csl_records.jsonl")


def dev_set(name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(records, queries) of one development set (see the module docstring)."""
    records = csl_records()
    if name == "demand":
        queries = load_queries(shared_data_dir() / "demand_queries_dev" / "demand_queries_dev.jsonl")
        return records, [{"query": q["query"], "relevant": q["relevant"]} for q in queries]
    if name == "title":
        recs = [{**r, "title": ""} for r in records]
        return recs, [{"query": r["title"], "relevant": [r["id"]]} for r in records if r.get("title")]
    if name == "keywords":
        recs = [{**r, "keywords": []} for r in records]
        # A few records carry placeholder keywords ("@@"): no query can be made from them.
        queries = [
            {"query": " ".join(keyword_list(r.get("keywords"))), "relevant": [r["id"]]}
            for r in records
            if _WORD_RE.search(" ".join(keyword_list(r.get("keywords"))))
        ]
        return recs, queries
    raise ValueError(f"unknown development set {name!r}; choose from {DEV_SETS}")


def write_dev_sets(out_dir: str | os.PathLike[str]) -> dict[str, tuple[Path, Path]]:
    """Write every development set as ``<name>.records.jsonl`` + ``<name>.queries.jsonl``."""
    out = {}
    for name in DEV_SETS:
        records, queries = dev_set(name)
        rpath = Path(out_dir) / f"{name}.records.jsonl"
        qpath = Path(out_dir) / f"{name}.queries.jsonl"
        write_jsonl(rpath, records)
        write_jsonl(qpath, queries)
        out[name] = (rpath, qpath)
    return out
