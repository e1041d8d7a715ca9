"""Matching quality of finance on the demo set: each demo financing request was written with the
investors a person would introduce it to (``demo.REQUESTS[...].expected``). The platform's ranking
(text + structured fit) is compared with the text alone and the structured fit alone.

Measures, over the requests: hit@1 (the first investor is an expected one), recall@3 (share of the
expected investors in the first three) and MRR (mean of 1 / rank of the first expected investor).
"""

from __future__ import annotations

from typing import Any

from . import demo, matching
from .models import FinancingRequest

METHODS = ("platform", "text only", "structured only")


def _ranked(matches: list[matching.Match], method: str) -> list[int]:
    if method == "platform":
        key = lambda m: -m.score  # noqa: E731
    elif method == "text only":
        key = lambda m: -m.text  # noqa: E731
    else:
        key = lambda m: -(m.score - matching.TEXT_WEIGHT * m.text)  # noqa: E731
    return [m.object.pk for m in sorted(matches, key=lambda m: (key(m), m.object.pk))]


def evaluate() -> dict[str, Any]:
    """The measures per method and the platform's ranks per request (the demo data must be loaded)."""
    from .models import Investor

    investor_pk = {
        spec.key: Investor.objects.filter(name=spec.name, is_demo=True).values_list("pk", flat=True).first()
        for spec in demo.INVESTORS
    }
    missing = [k for k, v in investor_pk.items() if v is None]
    if missing:
        raise LookupError(f"demo investors missing: {missing}; run load_demo_finance first")
    sums = {m: {"hit1": 0.0, "recall3": 0.0, "mrr": 0.0} for m in METHODS}
    rows = []
    n = 0
    for spec in demo.REQUESTS:
        req = FinancingRequest.objects.filter(title=spec.title, is_demo=True).first()
        if req is None:
            raise LookupError(f"demo request missing: {spec.title}; run load_demo_finance first")
        wanted = {investor_pk[k] for k in spec.expected}
        matches = matching.investors_for(req, k=len(investor_pk) + 50, min_score=0.0)
        n += 1
        for method in METHODS:
            ranked = _ranked(matches, method)
            first = next((i for i, pk in enumerate(ranked, 1) if pk in wanted), None)
            sums[method]["hit1"] += 1.0 if ranked and ranked[0] in wanted else 0.0
            sums[method]["recall3"] += len(wanted & set(ranked[:3])) / len(wanted)
            sums[method]["mrr"] += 1.0 / first if first else 0.0
            if method == "platform":
                names = {v: k for k, v in investor_pk.items()}
                rows.append(
                    {
                        "request": spec.title,
                        "expected": spec.expected,
                        "first": first,
                        "top3": [names.get(pk, "?") for pk in ranked[:3]],
                    }
                )
    return {
        "requests": n,
        "investors": len(investor_pk),
        "methods": {m: {k: v / n for k, v in s.items()} for m, s in sums.items()},
        "rows": rows,
    }
