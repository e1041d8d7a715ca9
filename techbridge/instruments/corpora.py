"""Instruments and platform services as corpora of the matching engine (``techbridge.matching.corpus``).

A testing need written in plain Chinese (“我们想测一下新型陶瓷材料的导热性能”) finds the instruments and
service offers that can answer it, each with the reasons: shared terms and closeness of meaning. Only
public text goes in: name, model, maker, category, what it does, specifications, sample requirements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Max, Q

from techbridge.matching.corpus import Corpus, CorpusDoc, CorpusMatch, passage_text, register_corpus, search
from techbridge.matching.hybrid import QueryContext

from .choices import InstrumentStatus, PlatformStatus

INSTRUMENTS = "instruments"
OFFERS = "service-offers"
SEARCHABLE = Q(status__in=[InstrumentStatus.ACTIVE, InstrumentStatus.SUSPENDED])
LIVE_OFFERS = Q(is_active=True, platform__status=PlatformStatus.OPERATING)


def instrument_text(instrument: Any) -> str:
    keywords = "、".join(
        p for p in (instrument.get_category_display(), instrument.maker, instrument.model_number) if p
    )
    body = "\n".join(
        p
        for p in (
            instrument.description,
            instrument.specs,
            instrument.sample_requirements,
            instrument.capacity,
        )
        if p
    )
    return passage_text(instrument.name, body, keywords)


def offer_text(offer: Any) -> str:
    body = "\n".join(p for p in (offer.description, offer.deliverables) if p)
    return passage_text(offer.title, body, f"{offer.get_kind_display()}、{offer.platform.name}")


def _instrument_docs() -> Iterator[CorpusDoc]:
    from .models import Instrument

    qs = Instrument.objects.filter(SEARCHABLE).prefetch_related("fields").order_by("pk")
    for i in qs.iterator(chunk_size=1000):
        yield CorpusDoc(
            i.pk,
            instrument_text(i),
            fields=frozenset(f.code for f in i.fields.all()),
            updated_at=i.updated_at,
        )


def _instrument_version() -> Any:
    from .models import Instrument

    v = Instrument.objects.filter(SEARCHABLE).aggregate(n=Count("id"), t=Max("updated_at"), m=Max("id"))
    return (v["n"], v["t"], v["m"])


def _offer_docs() -> Iterator[CorpusDoc]:
    from .models import ServiceOffer

    qs = (
        ServiceOffer.objects.filter(LIVE_OFFERS)
        .select_related("platform", "platform__industry")
        .order_by("pk")
    )
    for o in qs:
        yield CorpusDoc(
            o.pk, offer_text(o), fields=frozenset({o.platform.industry.code}), updated_at=o.updated_at
        )


def _offer_version() -> Any:
    from .models import ServiceOffer, ServicePlatform

    v = ServiceOffer.objects.filter(LIVE_OFFERS).aggregate(n=Count("id"), t=Max("updated_at"), m=Max("id"))
    p = ServicePlatform.objects.aggregate(t=Max("updated_at"))
    return (v["n"], v["t"], v["m"], p["t"])


def register() -> None:
    register_corpus(Corpus(name=INSTRUMENTS, load=_instrument_docs, version=_instrument_version))
    register_corpus(Corpus(name=OFFERS, load=_offer_docs, version=_offer_version))


def field_names() -> dict[str, str]:
    from techbridge.taxonomy.models import IndustryField

    return dict(IndustryField.objects.values_list("code", "name"))


def find(
    name: str, text: str, *, k: int = 20, allowed: set | None = None, fields: Iterable[str] = ()
) -> list[CorpusMatch]:
    """The ``k`` best documents of corpus ``name`` for ``text`` (``QueryError`` for an empty query)."""
    ctx = QueryContext(text=text, fields=set(fields))
    return search(name, ctx, k=k, allowed=allowed, field_names=field_names())


def explained(matches: list[CorpusMatch], objects: dict[Any, Any]) -> list[dict[str, Any]]:
    """Matches joined to their records, in rank order (records no longer visible are left out)."""
    rows = []
    for m in matches:
        obj = objects.get(m.id)
        if obj is None:
            continue
        rows.append(
            {
                "object": obj,
                "score": round(m.score, 3),
                "shared_terms": m.shared_terms,
                "similarity": round(m.similarity, 3) if m.similarity is not None else None,
                "sentences": list(m.explanation.get("sentences") or []),
            }
        )
    return rows


def warm_instruments(pks: list[int]) -> int:
    """Encode (and cache) the search text of these instruments; returns how many texts were given."""
    from techbridge.matching.services import vectors_for

    from .models import Instrument

    texts = [instrument_text(i) for i in Instrument.objects.filter(pk__in=pks)]
    if texts:
        vectors_for(texts)
    return len(texts)


def warm_offers(pks: list[int]) -> int:
    from techbridge.matching.services import vectors_for

    from .models import ServiceOffer

    texts = [offer_text(o) for o in ServiceOffer.objects.filter(pk__in=pks).select_related("platform")]
    if texts:
        vectors_for(texts)
    return len(texts)
