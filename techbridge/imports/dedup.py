"""Near-duplicate listings across sources: find them, then merge them or dismiss the pair.

Two achievements (or two demands) are proposed as duplicates when

- they share a patent number (achievements; numbers compared without spaces, upper case), or
- their titles and public texts are very similar: the Jaccard similarity of their character bigrams,
  ``0.6 × title + 0.4 × text`` (title alone when either text is empty), is at least
  ``TEXT_THRESHOLD``, or the titles alone reach ``TITLE_THRESHOLD``.

Candidates for the text rule come from MinHash signatures of the title bigrams (``PERMUTATIONS``
hash functions) grouped by locality-sensitive hashing (``BANDS`` bands), so a scan compares only the
records that share a band instead of every pair; every candidate is then checked with the exact
Jaccard similarity. Two records with patent numbers but none in common count as duplicates by text
only when their titles alone pass ``TITLE_THRESHOLD``. Withdrawn and rejected listings are left out.

A pair is stored once (``DuplicatePair``, ``left_id < right_id``) and keeps its decision: a pair a
reviewer dismissed or merged is never proposed again.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.tasks import enqueue
from techbridge.core.workflow import ReviewStatus, TransitionError, transition
from techbridge.lib.text import split_list

from .models import DuplicatePair, ImportBatch
from .permissions import check_decide_duplicates

TITLE_THRESHOLD = 0.9
TEXT_THRESHOLD = 0.75
TEXT_CHARS = 400
# The lowest title similarity that can still reach TEXT_THRESHOLD (with identical texts).
MIN_TITLE_SIMILARITY = (TEXT_THRESHOLD - 0.4) / 0.6
PERMUTATIONS = 60
# 3 rows per band: titles whose bigram sets overlap by Jaccard 0.58 (the least that can pass) become
# candidates with probability 0.99 (0.5: 0.93), unrelated titles (0.05) with 0.0025.
BANDS = 20
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20261127)
_A = _rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
INACTIVE = (ReviewStatus.WITHDRAWN, ReviewStatus.REJECTED)


@dataclass(frozen=True)
class Spec:
    """How one kind of listing reads for de-duplication."""

    kind: str
    body_field: str
    has_patents: bool

    @property
    def model(self) -> Any:
        from techbridge.achievements.models import Achievement
        from techbridge.demands.models import Demand

        return Achievement if self.kind == DuplicatePair.Kind.ACHIEVEMENT else Demand


SPECS = {
    DuplicatePair.Kind.ACHIEVEMENT: Spec(DuplicatePair.Kind.ACHIEVEMENT, "summary", True),
    DuplicatePair.Kind.DEMAND: Spec(DuplicatePair.Kind.DEMAND, "problem", False),
}


# ---- similarity -------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case without spaces or punctuation: "一种 锂电池，隔膜" and "一种锂电池隔膜" read the same."""
    return _NOT_WORD.sub("", (text or "").lower())


def bigrams(text: str) -> set[str]:
    t = normalise(text)
    if len(t) < 2:
        return {t} if t else set()
    return {t[i : i + 2] for i in range(len(t) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(title_a: str, body_a: str, title_b: str, body_b: str) -> tuple[float, float]:
    """(title similarity, combined similarity) of two listings, both 0–1."""
    return _similarity_of_grams(
        (bigrams(title_a), bigrams(body_a[:TEXT_CHARS])), (bigrams(title_b), bigrams(body_b[:TEXT_CHARS]))
    )


def _similarity_of_grams(a: tuple[set[str], set[str]], b: tuple[set[str], set[str]]) -> tuple[float, float]:
    t = jaccard(a[0], b[0])
    if not a[1] or not b[1]:
        return t, t
    return t, 0.6 * t + 0.4 * jaccard(a[1], b[1])


def is_near_duplicate(title_sim: float, combined: float) -> bool:
    return title_sim >= TITLE_THRESHOLD or combined >= TEXT_THRESHOLD


def _signature(shingles: set[str]) -> np.ndarray:
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    # (a·h + b) mod p for every hash function at once; uint64 wraps, which keeps it a fair hash.
    values = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    return values.min(axis=1)


def patent_keys(numbers: str) -> list[str]:
    return [n.upper().replace(" ", "") for n in split_list(numbers or "") if n.strip()]


# ---- finding ------------------------------------------------------------------------------------


@dataclass
class Found:
    left_id: int
    right_id: int
    reason: str
    score: float
    detail: str


def find_pairs(kind: str, *, only: Iterable[int] | None = None) -> list[Found]:
    """Duplicate pairs of ``kind`` among active listings; with ``only``, pairs involving those ids.

    One pass over the listings' titles, first ``TEXT_CHARS`` characters of text and patent numbers.
    """
    spec = SPECS[DuplicatePair.Kind(kind)]
    focus = set(only) if only is not None else None
    fields = ["pk", "title", spec.body_field] + (["patent_numbers"] if spec.has_patents else [])
    qs = spec.model._default_manager.exclude(status__in=INACTIVE).order_by("pk").values_list(*fields)
    texts: dict[int, tuple[str, str]] = {}
    by_number: dict[str, list[int]] = defaultdict(list)
    numbers: dict[int, set[str]] = {}
    for row in qs.iterator(chunk_size=2000):
        pk, title, body = row[0], row[1] or "", (row[2] or "")[:TEXT_CHARS]
        texts[pk] = (title, body)
        if spec.has_patents:
            keys = patent_keys(row[3])
            if keys:
                numbers[pk] = set(keys)
            for number in keys:
                by_number[number].append(pk)
    found: dict[tuple[int, int], Found] = {}
    for number, pks in by_number.items():
        for a, b in _pairs(pks, focus):
            found[(a, b)] = Found(a, b, DuplicatePair.Reason.PATENT, 1.0, number)
    for f in text_pairs(texts, focus=focus, skip=set(found), numbers=numbers):
        found[(f.left_id, f.right_id)] = f
    return list(found.values())


def text_pairs(
    texts: dict[int, tuple[str, str]],
    *,
    focus: set[int] | None = None,
    skip: set[tuple[int, int]] | None = None,
    numbers: dict[int, set[str]] | None = None,
) -> list[Found]:
    """Near-duplicate pairs among ``{id: (title, text)}``: LSH candidates, verified by exact similarity.

    Candidates share a band of the MinHash signature of their *titles*: a pair can only pass the rule
    with a title similarity of at least ``(TEXT_THRESHOLD - 0.4) / 0.6`` ≈ 0.58, and signatures of the
    text would let boilerplate shared by a whole source (“专利著录记录：…”) make everything a candidate.
    Two records that both carry patent numbers, none in common, are different patents unless their
    titles alone pass ``TITLE_THRESHOLD``.
    """
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    rows_per_band = PERMUTATIONS // BANDS
    title_grams: dict[int, set[str]] = {}
    for pk, (title, _body) in texts.items():
        tg = bigrams(title)
        if not tg:
            continue
        title_grams[pk] = tg
        sig = _signature(tg)
        for band in range(BANDS):
            buckets[(band, sig[band * rows_per_band : (band + 1) * rows_per_band].tobytes())].append(pk)
    body_grams: dict[int, set[str]] = {}

    def body(pk: int) -> set[str]:
        if pk not in body_grams:
            if len(body_grams) > 20_000:  # bounded: only candidates' texts are ever cut into bigrams
                body_grams.clear()
            body_grams[pk] = bigrams(texts[pk][1][:TEXT_CHARS])
        return body_grams[pk]

    numbers = numbers or {}
    skip = skip or set()
    checked: set[tuple[int, int]] = set()
    out = []
    for pks in buckets.values():
        if len(pks) < 2:
            continue
        for a, b in _pairs(pks, focus):
            if (a, b) in skip or (a, b) in checked:
                continue
            checked.add((a, b))
            title_sim = jaccard(title_grams[a], title_grams[b])
            if title_sim < MIN_TITLE_SIMILARITY:
                continue
            _t, combined = _similarity_of_grams((title_grams[a], body(a)), (title_grams[b], body(b)))
            na, nb = numbers.get(a), numbers.get(b)
            if na and nb and not (na & nb) and title_sim < TITLE_THRESHOLD:
                continue
            if is_near_duplicate(title_sim, combined):
                detail = _("title %(title).2f, title and text %(text).2f") % {
                    "title": title_sim,
                    "text": combined,
                }
                out.append(Found(a, b, DuplicatePair.Reason.TEXT, round(max(title_sim, combined), 4), detail))
    return out


def _pairs(pks: list[int], focus: set[int] | None) -> Iterable[tuple[int, int]]:
    unique = sorted(set(pks))
    # A bucket of hundreds of near-identical boilerplate records would be quadratic: cap it.
    unique = unique[:200]
    for i, a in enumerate(unique):
        for b in unique[i + 1 :]:
            if focus is None or a in focus or b in focus:
                yield a, b


def record_pairs(kind: str, found: list[Found], *, batch: ImportBatch | None = None) -> int:
    """Store new pairs (never a pair already decided or proposed); returns how many were new."""
    if not found:
        return 0
    before = DuplicatePair.objects.filter(kind=kind).count()
    DuplicatePair.objects.bulk_create(
        [
            DuplicatePair(
                kind=kind,
                left_id=f.left_id,
                right_id=f.right_id,
                reason=f.reason,
                score=f.score,
                detail=f.detail[:300],
                batch=batch,
            )
            for f in found
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return DuplicatePair.objects.filter(kind=kind).count() - before


def scan(kind: str, *, only: Iterable[int] | None = None, batch: ImportBatch | None = None) -> int:
    """Find and store duplicate pairs of ``kind``; returns the number of new pairs."""
    return record_pairs(kind, find_pairs(kind, only=only), batch=batch)


def kind_of_import(import_kind: str) -> str | None:
    """The listing kind an import of ``import_kind`` creates (None: no near-duplicate check)."""
    from .registry import import_kinds

    return next((k.duplicates for k in import_kinds() if k.code == import_kind), None)


# ---- deciding -------------------------------------------------------------------------------------

# Text fields a merge copies from the merged record into the kept one when the kept one has none.
FILL_FIELDS = {
    DuplicatePair.Kind.ACHIEVEMENT: (
        "summary",
        "advantages",
        "applications",
        "detail",
        "team",
        "keywords",
        "ipc_codes",
        "patent_numbers",
        "contact_name",
        "contact_phone",
        "contact_email",
    ),
    DuplicatePair.Kind.DEMAND: (
        "problem",
        "setting",
        "indicators",
        "keywords",
        "contact_name",
        "contact_phone",
        "contact_email",
    ),
}


def records(pair: DuplicatePair) -> tuple[Any, Any]:
    """The two listings of a pair (either may have been deleted: then None)."""
    model = SPECS[DuplicatePair.Kind(pair.kind)].model
    objs = model._default_manager.in_bulk([pair.left_id, pair.right_id])
    return objs.get(pair.left_id), objs.get(pair.right_id)


_DECIDED = {
    DuplicatePair.Status.MERGED: "imports.duplicate_pair.merged",
    DuplicatePair.Status.DISMISSED: "imports.duplicate_pair.dismissed",
}


def _claim(pair: DuplicatePair, status: str, actor: Any, survivor_id: int | None = None) -> None:
    """Decide an open pair (a conditional UPDATE: two reviewers cannot both decide it)."""
    try:
        transition(
            pair,
            status,
            actor=actor,
            action=_DECIDED[DuplicatePair.Status(status)],
            changes={"decided_by": actor, "decided_at": timezone.now(), "survivor_id": survivor_id},
        )
    except TransitionError:
        raise TransitionError(
            _("Someone else decided on this pair a moment ago. Reload and try again.")
        ) from None


def dismiss_pair(pair: DuplicatePair, *, actor: Any) -> None:
    """Record that the two listings are not duplicates; the pair is never proposed again."""
    check_decide_duplicates(actor)
    with transaction.atomic():
        _claim(pair, DuplicatePair.Status.DISMISSED, actor)
        for obj in records(pair):
            if obj is not None:
                audit.record(obj, audit.code(obj, "duplicate_dismissed"), actor=actor, data={"pair": pair.pk})


def merge_pair(pair: DuplicatePair, *, keep: int, actor: Any) -> Any:
    """Merge the pair into the listing ``keep``; returns the kept listing.

    The other listing is withdrawn (never deleted) with a ``<app>.<model>.merged_into`` audit entry;
    the kept one gets ``<app>.<model>.merged`` naming it. Text the kept listing lacks is copied from
    the other, industry fields and deal modes are united, and links of other records to the merged
    listing (packages, catalogues) move to the kept one. All or nothing.
    """
    check_decide_duplicates(actor)
    if keep not in (pair.left_id, pair.right_id):
        raise ValidationError(_("Choose one of the two records to keep."))
    left, right = records(pair)
    if left is None or right is None:
        raise ValidationError(_("One of the two records no longer exists."))
    survivor, other = (left, right) if keep == left.pk else (right, left)
    kind = DuplicatePair.Kind(pair.kind)
    with transaction.atomic():
        _claim(pair, DuplicatePair.Status.MERGED, actor, survivor.pk)
        filled = []
        for name in FILL_FIELDS[kind]:
            if not getattr(survivor, name) and getattr(other, name):
                setattr(survivor, name, getattr(other, name))
                filled.append(name)
        if filled:
            survivor.updated_at = timezone.now()
            survivor.save(update_fields=[*filled, "updated_at"])
        united = _unite_m2m(survivor, other)
        moved = _move_links(survivor, other)
        data = {"pair": pair.pk, "merged": other.pk, "filled": filled, "united": united, "moved": moved}
        audit.record(
            survivor, audit.code(survivor, "merged"), actor=actor, message=other.title[:200], data=data
        )
        info = {"pair": pair.pk, "into": survivor.pk}
        if other.can_move_to(ReviewStatus.WITHDRAWN):
            transition(
                other, ReviewStatus.WITHDRAWN, actor=actor, action=audit.code(other, "merged_into"), data=info
            )
        else:
            audit.record(other, audit.code(other, "merged_into"), actor=actor, data=info)
        _sync_search(kind, survivor.pk)
        _sync_search(kind, other.pk)
    return survivor


def _unite_m2m(survivor: Any, other: Any) -> list[str]:
    """The kept listing's own many-to-many values (fields, deal modes) gain the other's."""
    united = []
    for m2m in survivor._meta.many_to_many:
        extra = set(getattr(other, m2m.name).values_list("pk", flat=True)) - set(
            getattr(survivor, m2m.name).values_list("pk", flat=True)
        )
        if extra:
            getattr(survivor, m2m.name).add(*extra)
            united.append(m2m.name)
    return united


def _move_links(survivor: Any, other: Any) -> list[str]:
    """Links from other records (packages, catalogue entries) to ``other`` now point at ``survivor``.

    Contracts, deals and match notices keep pointing where they were made: they are facts about the
    record as it was. A link that would repeat one the survivor already has stays where it is.
    """
    moved = []
    for rel in other._meta.related_objects:
        label = rel.related_model._meta.label_lower
        if rel.many_to_many and label not in NEVER_MOVE:
            accessor = rel.get_accessor_name()
            if not accessor or accessor.endswith("+"):
                continue
            linked = list(getattr(other, accessor).all())
            if linked:
                getattr(survivor, accessor).add(*linked)
                getattr(other, accessor).remove(*linked)
                moved.append(label)
        elif rel.one_to_many and label in MOVABLE_LINKS:
            field_name = rel.field.name
            for obj in rel.related_model._default_manager.filter(**{field_name: other}):
                try:
                    with transaction.atomic():
                        setattr(obj, field_name, survivor)
                        obj.save(update_fields=[field_name])
                except IntegrityError:
                    continue
                if label not in moved:
                    moved.append(label)
    return moved


# Records that belong to a listing as a collection does (safe to re-point); everything else stays.
MOVABLE_LINKS = frozenset({"mining.catalogueentry"})
NEVER_MOVE: frozenset[str] = frozenset()


def _sync_search(kind: str, pk: int) -> None:
    if kind == DuplicatePair.Kind.ACHIEVEMENT:
        from techbridge.achievements.tasks import sync_achievement_search

        enqueue(sync_achievement_search, pk)
    else:
        from techbridge.demands.tasks import sync_demand_search

        enqueue(sync_demand_search, pk)


def open_pairs(kind: str | None = None) -> models.QuerySet:
    qs = DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN)
    return qs.filter(kind=kind) if kind else qs
