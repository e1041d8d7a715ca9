"""Matching reads: matches in both directions, explained, over the indexes of ``indexes``.

Whatever the indexes say, results are read back from the database as published listings only:
drafts, withdrawn and expired listings never show, even in the seconds before an index catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from techbridge.core.workflow import ReviewStatus
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization

from .embeddings import encode_query, passage_text
from .explain import explain
from .hybrid import Candidate, HybridRetriever, QueryContext
from .indexes import KindIndex, index_for, kind_of, profile_hits
from .models import ListingKind

log = logging.getLogger(__name__)

# Candidates read from the indexes for an aggregate (enterprises, people) before grouping.
AGGREGATE_DEPTH = 30
# A few more candidates than shown, for listings withdrawn since the index last caught up.
SPARE = 5


# ---- listings as the engine sees them ----------------------------------------------------------------


def passage_of(listing: Any) -> str:
    """The public text of a listing that is encoded and matched. Never the confidential detail."""
    if kind_of(listing) == ListingKind.ACHIEVEMENT:
        parts = (listing.summary, listing.advantages, listing.applications)
    else:
        parts = (listing.problem, listing.setting, listing.indicators)
    return passage_text(listing.title, "\n".join(p for p in parts if p), listing.keywords)


# Fields ``passage_of`` reads, for ``only()`` in bulk reads.
PASSAGE_FIELDS: dict[str, tuple[str, ...]] = {
    ListingKind.ACHIEVEMENT: ("title", "keywords", "summary", "advantages", "applications"),
    ListingKind.DEMAND: ("title", "keywords", "problem", "setting", "indicators"),
}


def published(kind: str, user: Any = None) -> QuerySet:
    """Published listings of ``kind`` with what result lists show already joined."""
    from techbridge.achievements.queries import visible_achievements
    from techbridge.demands.queries import visible_demands

    visible = visible_achievements if kind == ListingKind.ACHIEVEMENT else visible_demands
    return visible(user).filter(status=ReviewStatus.PUBLISHED)


def context_of(listing: Any) -> QueryContext:
    """A listing as a query: its public passage, and its industry fields for the re-ranking.

    Demands state no TRL, so neither direction asks for one; the match page does (``trl_min``).
    """
    return QueryContext(
        text=passage_of(listing), fields={f.code for f in listing.fields.all()}, source="listing"
    )


# ---- results -------------------------------------------------------------------------------------------


@dataclass
class ListingMatch:
    """One matching listing, with its explanation (``explain.explain``) and the terms to highlight."""

    obj: Any
    score: float
    terms: list[str]
    explanation: dict[str, Any]

    @property
    def kind(self) -> str:
        return kind_of(self.obj)

    @property
    def highlight_terms(self) -> list[str]:
        """Shared terms worth marking in the text: single characters (有, 多) would mark everything."""
        return [t for t in self.terms if len(t) > 1]

    @property
    def snippet(self) -> str:
        """The public text a result shows: an achievement's summary, a demand's problem."""
        return self.obj.summary if self.kind == ListingKind.ACHIEVEMENT else self.obj.problem

    @property
    def url(self) -> str:
        return reverse(f"{self.kind}s:detail", args=[self.obj.pk])


@dataclass
class OrgMatch:
    """An enterprise likely to want an achievement: its related demands and what its profile says."""

    organization: Any
    score: float = 0.0
    demands: list[ListingMatch] = field(default_factory=list)
    profile_terms: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class PersonMatch:
    """A research team or a service institution's technology managers, and why they are suggested.

    ``role`` is ``team`` or ``manager``; ``names`` are the people as the platform may show them.
    ``evidence`` lists the published listings behind the suggestion; deal history joins here later.
    """

    role: str
    name: str
    organization: Any
    score: float = 0.0
    names: list[str] = field(default_factory=list)
    evidence: list[ListingMatch] = field(default_factory=list)
    profile_terms: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class MatchResult:
    """Ranked items, the retrieval mode used (``hybrid`` or ``bm25``) and what to tell the user."""

    items: list[Any]
    mode: str
    notices: list[str] = field(default_factory=list)
    query: QueryContext | None = None
    terms: list[str] = field(default_factory=list)

    @property
    def top_score(self) -> float:
        return max((getattr(i, "score", 0.0) for i in self.items), default=0.0) or 1.0


class _EncoderUnavailable(RuntimeError):
    pass


def _encode(text: str) -> Any:
    try:
        return encode_query(text)
    except Exception as exc:  # a missing or broken model must not take the page down
        log.exception("matching: query encoding failed")
        raise _EncoderUnavailable(str(exc)) from exc


def _search(
    kind: str, ctx: QueryContext, *, k: int, allowed: set | None = None
) -> tuple[list[Candidate], str, list[str], KindIndex, list[str]]:
    """Candidates of ``kind`` for ``ctx``: hybrid when vectors exist, else BM25 only, and why."""
    ki = index_for(kind)
    notices: list[str] = []
    mode = "hybrid"
    total = len(ki.lexical)
    if ki.dense_count == 0 and total:
        mode = "bm25"
        notices.append(
            _("The semantic index is still being built: these results match keywords only for now.")
        )
    elif ki.dense_count < total:
        notices.append(
            _(
                "The semantic index covers %(done)s of %(total)s listings so far; "
                "the others are matched by keywords only."
            )
            % {"done": f"{ki.dense_count:,}", "total": f"{total:,}"}
        )
    retriever = HybridRetriever(ki.lexical, ki.vectors, encoder=_encode)
    try:
        results = retriever.search(ctx, k=k, method=mode, allowed=allowed, doc_meta=ki.meta.get)
    except _EncoderUnavailable:
        mode = "bm25"
        notices.append(_("Matching by meaning is unavailable at the moment: keywords only."))
        results = retriever.search(ctx, k=k, method=mode, allowed=allowed, doc_meta=ki.meta.get)
    notices = list(results.notices) + notices
    terms = ki.lexical.terms(results.query.text) if results.query else []
    return list(results), mode, notices, ki, terms


def _hydrate(
    kind: str, candidates: list[Candidate], ctx: QueryContext, ki: KindIndex, k: int, qs: QuerySet
) -> list[ListingMatch]:
    """The published listings behind ``candidates``, in rank order, explained; at most ``k``."""
    objects = qs.in_bulk([c.id for c in candidates])
    out: list[ListingMatch] = []
    for cand in candidates:
        obj = objects.get(cand.id)
        if obj is None:  # no longer published: the index has not caught up yet
            continue
        out.append(ListingMatch(obj, cand.score, cand.shared_terms, explain(cand, ctx, ki.meta.get(cand.id))))
        if len(out) >= k:
            break
    return out


def _listing_matches(
    kind: str, ctx: QueryContext, user: Any, k: int, *, allowed: set | None = None
) -> MatchResult:
    candidates, mode, notices, ki, terms = _search(kind, ctx, k=k + SPARE, allowed=allowed)
    items = _hydrate(kind, candidates, ctx, ki, k, published(kind, user))
    return MatchResult(items, mode, notices, ctx, terms)


def matches_for_demand(demand: Any, user: Any, k: int = 10) -> MatchResult:
    """Published achievements that may solve ``demand``, best first, explained."""
    return _listing_matches(ListingKind.ACHIEVEMENT, context_of(demand), user, k)


def matches_for_achievement(achievement: Any, user: Any, k: int = 10) -> MatchResult:
    """Published demands that ``achievement`` may answer, best first, explained."""
    return _listing_matches(ListingKind.DEMAND, context_of(achievement), user, k)


def match_free_text(text: str, user: Any, filters: Any = None, k: int = 10) -> MatchResult:
    """Published achievements for a need typed in words, within the achievement filters.

    ``filters`` is a valid ``AchievementFilterForm`` (or None); its industry field and lower TRL also
    steer the re-ranking. Raises ``QueryError`` (with a message for the user) for unusable text.
    """
    ctx = QueryContext(text=text)
    allowed = None
    if filters is not None:
        cd = filters.cleaned_data
        if cd.get("field"):
            ctx.fields = {cd["field"].code}
        ctx.trl = cd.get("trl_min")
        if any(
            v not in (None, "", False) for name, v in cd.items() if name not in ("q", "sort", "page", "k")
        ):
            base = published(ListingKind.ACHIEVEMENT).order_by()
            allowed = set(filters.filter(base).values_list("pk", flat=True))
    return _listing_matches(ListingKind.ACHIEVEMENT, ctx, user, k, allowed=allowed)


def enterprises_for_achievement(
    achievement: Any, user: Any, k: int = 5, *, related: MatchResult | None = None
) -> MatchResult:
    """Enterprises likely to want ``achievement``: from their related published demands and their
    profile. An enterprise's score is its best demand's, plus a little per further demand, plus its
    profile's word overlap (at most half a demand's weight).

    ``related``: the achievement's demand matches, when the caller has them already (deep enough:
    ``AGGREGATE_DEPTH``), so the same search is not run twice.
    """
    related = related or matches_for_achievement(achievement, user, k=AGGREGATE_DEPTH)
    ctx = related.query or context_of(achievement)
    demands = related.items
    groups: dict[int, OrgMatch] = {}
    for m in demands:
        org = m.obj.enterprise
        if org.pk == achievement.owner_id or org.status != OrgStatus.APPROVED:
            continue
        group = groups.setdefault(org.pk, OrgMatch(org))
        group.demands.append(m)
        group.score = max(group.score, m.score)
    for group in groups.values():
        group.score += 0.05 * min(len(group.demands) - 1, 4)
    hits = [h for h in profile_hits(ctx.text, OrgKind.ENTERPRISE) if h[0] != achievement.owner_id]
    missing = [pk for pk, _s, _t in hits if pk not in groups]
    orgs = Organization.objects.filter(status=OrgStatus.APPROVED).in_bulk(missing)
    for pk, score, words in hits:
        if pk not in groups and pk not in orgs:
            continue
        group = groups.setdefault(pk, OrgMatch(orgs.get(pk)))
        group.score += 0.5 * score
        group.profile_terms = words
    for group in groups.values():
        if group.demands:
            group.reasons.append(
                ngettext(
                    "Published %(n)d related demand.", "Published %(n)d related demands.", len(group.demands)
                )
                % {"n": len(group.demands)}
            )
        if group.profile_terms:
            group.reasons.append(
                _("Its profile mentions %(terms)s.") % {"terms": "、".join(group.profile_terms[:8])}
            )
    items = sorted(groups.values(), key=lambda g: (-g.score, g.organization.pk))[:k]
    return MatchResult(items, related.mode, related.notices, ctx, related.terms)


# ---- people: research teams and technology managers ------------------------------------------------------

# A source of suggested people: (demand, its similar achievements, user) → candidates.
PeopleSource = Callable[[Any, "MatchResult", Any], list[PersonMatch]]


def _team_key(achievement: Any) -> tuple[int, str]:
    team = (achievement.team or achievement.contact_name or "").strip()
    return achievement.owner_id, " ".join(team.split())[:80]


def teams_with_similar_achievements(demand: Any, related: MatchResult, user: Any) -> list[PersonMatch]:
    """Teams (and service institutions) whose published achievements are closest to the demand.

    Only what achievements already show publicly is used: the team, the contact and the owner.
    """
    achievements = related.items
    groups: dict[tuple[int, str], PersonMatch] = {}
    for m in achievements:
        a = m.obj
        if a.owner_id == demand.enterprise_id:
            continue
        key = _team_key(a)
        role = "manager" if a.owner.kind == OrgKind.SERVICE else "team"
        group = groups.get(key)
        if group is None:
            name = key[1] or a.owner.name
            names = [n for n in (a.contact_name,) if n]
            group = groups[key] = PersonMatch(role, name, a.owner, names=names)
        group.evidence.append(m)
        group.score = max(group.score, m.score)
    for group in groups.values():
        group.score += 0.05 * min(len(group.evidence) - 1, 4)
        group.reasons.append(
            ngettext(
                "Published %(n)d similar achievement.",
                "Published %(n)d similar achievements.",
                len(group.evidence),
            )
            % {"n": len(group.evidence)}
        )
    return list(groups.values())


def service_institutions_by_profile(demand: Any, related: MatchResult, user: Any) -> list[PersonMatch]:
    """Service institutions whose profile shares the demand's words; their members are the managers."""
    hits = profile_hits(related.query.text if related.query else passage_of(demand), OrgKind.SERVICE, k=10)
    orgs = Organization.objects.filter(status=OrgStatus.APPROVED).in_bulk([pk for pk, _s, _t in hits])
    out = []
    for pk, score, words in hits:
        if pk in orgs:
            match = PersonMatch("manager", orgs[pk].name, orgs[pk], score=0.5 * score, profile_terms=words)
            match.reasons.append(_("Its profile mentions %(terms)s.") % {"terms": "、".join(words[:8])})
            out.append(match)
    return out


# Where suggestions of people come from. Deal history (who brokered or bought what) is added here
# when deals exist.
PEOPLE_SOURCES: list[PeopleSource] = [teams_with_similar_achievements, service_institutions_by_profile]


def people_for_demand(
    demand: Any, user: Any, k: int = 5, *, related: MatchResult | None = None
) -> MatchResult:
    """Research teams and technology managers suited to ``demand``, with the basis of each suggestion.

    Without deal history the basis is honest and narrow: published achievements closest to the
    demand (their teams and owners), and service institutions whose profile fits. Names of a service
    institution's technology managers are shown to signed-in users only. ``related``: the demand's
    achievement matches, when the caller has them already (``AGGREGATE_DEPTH`` deep).
    """
    related = related or matches_for_demand(demand, user, k=AGGREGATE_DEPTH)
    merged: dict[tuple[str, int, str], PersonMatch] = {}
    for source in PEOPLE_SOURCES:
        for match in source(demand, related, user):
            key = (match.role, match.organization.pk, match.name if match.role == "team" else "")
            if key in merged:
                into = merged[key]
                into.score += match.score
                into.evidence += match.evidence
                into.profile_terms = into.profile_terms or match.profile_terms
                into.reasons += match.reasons
            else:
                merged[key] = match
    items = sorted(merged.values(), key=lambda p: (-p.score, p.organization.pk, p.name))[:k]
    _add_manager_names(items, user)
    return MatchResult(items, related.mode, related.notices, related.query, related.terms)


def _add_manager_names(items: list[PersonMatch], user: Any) -> None:
    managers = [p for p in items if p.role == "manager"]
    if not managers or not getattr(user, "is_authenticated", False):
        return
    from techbridge.accounts.models import User

    by_org: dict[int, list[str]] = {}
    members = User.objects.filter(
        organization_id__in={p.organization.pk for p in managers}, is_active=True
    ).order_by("pk")
    for org_id, real_name, username in members.values_list("organization_id", "real_name", "username"):
        by_org.setdefault(org_id, []).append(real_name or username)
    for p in managers:
        p.names = by_org.get(p.organization.pk, [])[:5] or p.names
