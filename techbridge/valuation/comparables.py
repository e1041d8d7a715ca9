"""Comparable transactions for the market approach: registered contracts and sold auction lots.

A provider is a function ``(achievement) -> list[Comparable]`` that returns candidates without a
similarity; ``find_comparables`` scores and ranks them. Providers import their app lazily, so the
valuation app works (with fewer comparables) while contracts or auctions are absent.

Similarity (0–1), stated in every report:

    s = 0.6 × cos(text) + 0.25 × J(fields) + 0.15 × [same deal mode]

``cos(text)`` is the cosine of jieba term-frequency vectors (``techbridge.lib.text.index_tokens``) of
the two titles, keywords and summaries; ``J`` the Jaccard overlap of the industry fields. We use
jieba tokens rather than matching's dense embeddings on purpose: a valuation compares a few hundred
candidates at most, must be recomputable by a reader and must not load a model in a web request;
the same tokens feed matching's BM25. Candidates below ``MIN_SIMILARITY`` (0.20) are not comparable:
a shared deal mode alone (0.15) is not enough, a shared field (0.25) or real text overlap is needed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.utils import timezone

from techbridge.lib.text import index_tokens

from .formulas import cosine

log = logging.getLogger(__name__)

MIN_SIMILARITY = Decimal("0.20")
CANDIDATE_LIMIT = 2000
W_TEXT, W_FIELDS, W_MODE = Decimal("0.6"), Decimal("0.25"), Decimal("0.15")


@dataclass(frozen=True)
class Comparable:
    """One past transaction: where it comes from, what was paid, when, for what, how similar."""

    source: str  # "contract" or "lot"
    ref: str  # "contract:12", "lot:7"
    title: str
    amount: Decimal
    on: date
    field_codes: tuple[str, ...]
    deal_mode: str
    contract_type: str
    text: str = ""
    similarity: Decimal = Decimal(0)
    text_similarity: Decimal = Decimal(0)
    url: str = ""


Provider = Callable[[Any], list[Comparable]]


def _achievement_text(a: Any) -> str:
    return "\n".join(x for x in (a.title, a.keywords, a.summary) if x)


def _field_codes(achievement_ids: set[int]) -> dict[int, set[str]]:
    """Industry field codes per achievement, in one query."""
    from techbridge.achievements.models import Achievement

    through = Achievement.fields.through
    codes: dict[int, set[str]] = {}
    rows = through.objects.filter(achievement_id__in=achievement_ids).values_list(
        "achievement_id", "industryfield__code"
    )
    for aid, code in rows:
        codes.setdefault(aid, set()).add(code)
    return codes


def registered_contracts(achievement: Any) -> list[Comparable]:
    """Registered technology contracts: the certified technology amount (else the contract amount).

    Read as plain rows (``values``): thousands of candidates are compared on every preview.
    """
    try:
        from techbridge.contracts.queries import registered
    except ImportError:  # pragma: no cover - the contracts app is optional
        return []
    rows = list(
        registered()
        .exclude(achievement_id=achievement.pk)
        .order_by("-registered_at", "-pk")
        .values(
            "pk",
            "title",
            "technology_amount",
            "total_amount",
            "registered_at",
            "signed_at",
            "deal_mode",
            "contract_type",
            "achievement_id",
            "achievement__title",
            "achievement__keywords",
            "achievement__summary",
            "field__code",
        )[:CANDIDATE_LIMIT]
    )
    fields = _field_codes({r["achievement_id"] for r in rows if r["achievement_id"]})
    out = []
    for r in rows:
        amount = r["technology_amount"] if r["technology_amount"] is not None else r["total_amount"]
        when = r["registered_at"] or r["signed_at"]
        if amount is None or when is None:
            continue
        codes = set(fields.get(r["achievement_id"], ()))
        if r["field__code"]:
            codes.add(r["field__code"])
        parts = [r["title"], r["achievement__title"], r["achievement__keywords"], r["achievement__summary"]]
        out.append(
            Comparable(
                source="contract",
                ref=f"contract:{r['pk']}",
                title=r["title"],
                amount=Decimal(amount),
                on=timezone.localdate(when),
                field_codes=tuple(sorted(codes)),
                deal_mode=r["deal_mode"] or "",
                contract_type=r["contract_type"] or "",
                text="\n".join(p for p in parts if p),
            )
        )
    return out


# An auction sells as an assignment or a licence; a licence's kind is not known, so it counts as an
# ordinary licence (the most common) — stated with the deal-mode factors.
LOT_MODES = {"assignment": "assignment", "licence": "license-ordinary"}


def sold_lots(achievement: Any) -> list[Comparable]:
    """Auction lots that sold: the hammer price."""
    try:
        from techbridge.auctions.models import Lot
    except ImportError:  # pragma: no cover
        return []
    rows = list(
        Lot.objects.filter(status="sold", hammer_price__isnull=False, closed_at__isnull=False)
        .exclude(achievement_id=achievement.pk)
        .order_by("-closed_at", "-pk")
        .values(
            "pk",
            "title",
            "description",
            "hammer_price",
            "closed_at",
            "sale_kind",
            "achievement_id",
            "achievement__title",
            "achievement__keywords",
            "achievement__summary",
        )[:CANDIDATE_LIMIT]
    )
    fields = _field_codes({r["achievement_id"] for r in rows if r["achievement_id"]})
    out = []
    for r in rows:
        parts = [
            r["title"],
            r["description"],
            r["achievement__title"],
            r["achievement__keywords"],
            r["achievement__summary"],
        ]
        out.append(
            Comparable(
                source="lot",
                ref=f"lot:{r['pk']}",
                title=r["title"],
                amount=Decimal(r["hammer_price"] or 0),
                on=timezone.localdate(r["closed_at"]),
                field_codes=tuple(sorted(fields.get(r["achievement_id"], ()))),
                deal_mode=LOT_MODES.get(r["sale_kind"], ""),
                contract_type="auction",
                text="\n".join(p for p in parts if p),
            )
        )
    return out


PROVIDERS: list[Provider] = [registered_contracts, sold_lots]


@lru_cache(maxsize=20_000)
def _tf(text: str) -> dict[str, float]:
    """Term frequencies of a text (cached by the text itself: the same contracts are compared again on
    every preview). Callers must not change the returned dict."""
    return {k: float(v) for k, v in Counter(index_tokens(text)).items()}


def similarity(
    subject_tf: dict[str, float], subject_fields: set[str], subject_mode: str, comp: Comparable
) -> tuple[Decimal, Decimal]:
    """(s, cos): the blended similarity of the module docstring and its text part, to 4 places."""
    q = Decimal("0.0001")
    text = Decimal(str(cosine(subject_tf, _tf(comp.text or comp.title))))
    fields = set(comp.field_codes)
    union = subject_fields | fields
    jaccard = Decimal(len(subject_fields & fields)) / Decimal(len(union)) if union else Decimal(0)
    mode = Decimal(1) if subject_mode and comp.deal_mode == subject_mode else Decimal(0)
    s = W_TEXT * text + W_FIELDS * jaccard + W_MODE * mode
    return s.quantize(q, rounding=ROUND_HALF_UP), text.quantize(q, rounding=ROUND_HALF_UP)


def find_comparables(
    achievement: Any, *, subject_mode: str, limit: int = 5, providers: list[Provider] | None = None
) -> list[Comparable]:
    """The ``limit`` most similar comparables at or above ``MIN_SIMILARITY``, most similar first
    (ties: the more recent, then the reference)."""
    subject_tf = _tf(_achievement_text(achievement))
    subject_fields = {f.code for f in achievement.fields.all()}
    scored = []
    for provider in providers if providers is not None else PROVIDERS:
        try:
            candidates = provider(achievement)
        except Exception:  # a provider's app being migrated must not break a valuation page
            log.exception("comparables provider %s failed", getattr(provider, "__name__", provider))
            continue
        for comp in candidates:
            s, text = similarity(subject_tf, subject_fields, subject_mode, comp)
            if s >= MIN_SIMILARITY:
                scored.append(replace(comp, similarity=s, text_similarity=text))
    scored.sort(key=lambda c: (-c.similarity, -c.on.toordinal(), c.ref))
    return scored[:limit]
