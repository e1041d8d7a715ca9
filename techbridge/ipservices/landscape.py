"""Patent navigation (专利导航) of an industry: the landscape of its patents, read from the register.

``landscape(industry)`` is what the navigation page shows (counts by year, IPC, applicant, applicant
type, region; Nanjing against the whole; rising topics), computed by aggregate queries over the
industry's membership and cached until the register or the industry changes. ``full_snapshot`` adds
the technology clusters (mining's clustering and c-TF-IDF key terms, ``mining.packages``) and is what
a navigation report stores. Everything returned is plain JSON-able data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from techbridge.organizations.choices import District

from .choices import ENDED_STATUSES, ApplicantType, LegalStatus, PatentKind
from .models import Industry, Patent
from .queries import in_force_q

NANJING = "南京"
JIANGSU = "江苏"
YEARS_SHOWN = 20
TOP = 15
TOP_APPLICANTS = 20
TOPIC_YEARS = 3
TOPICS_SHOWN = 20
MAX_TOPIC_TITLES = 5000
MAX_CLUSTER_PATENTS = 3000
CLUSTERS_SHOWN = 12
CACHE_SECONDS = 600


def members(industry: Industry) -> QuerySet[Patent]:
    return Patent.objects.filter(industry_memberships__industry_id=industry.pk)


def stamp(industry: Industry) -> str:
    """Changes whenever the industry's definition or membership or any patent of the register changes."""
    last = Patent.objects.aggregate(t=Max("updated_at"))["t"]
    return f"{industry.pk}:{industry.version}:{industry.membership_version}:{industry.member_count}:{last}"


def landscape(industry: Industry, *, use_cache: bool = True) -> dict[str, Any]:
    """The navigation page's figures (cached for ``CACHE_SECONDS`` per register stamp)."""
    import hashlib

    key = "ipservices:landscape:" + hashlib.sha1(stamp(industry).encode(), usedforsecurity=False).hexdigest()
    if use_cache:
        found = cache.get(key)
        if found is not None:
            return found
    data = _compute(industry)
    cache.set(key, data, CACHE_SECONDS)
    return data


def full_snapshot(industry: Industry) -> dict[str, Any]:
    """``landscape`` plus the technology clusters: the content of a navigation report."""
    data = dict(_compute(industry))
    data["clusters"] = clusters(industry)
    return data


def _rows(qs: QuerySet, field: str, limit: int | None = None) -> list[tuple[Any, int]]:
    rows = qs.exclude(**{field: ""}).values(field).annotate(n=Count("id")).order_by("-n", field)
    if limit:
        rows = rows[:limit]
    return [(r[field], r["n"]) for r in rows]


def _compute(industry: Industry) -> dict[str, Any]:
    today = timezone.localdate()
    qs = members(industry)
    nanjing = Q(city=NANJING)
    totals = qs.aggregate(
        patents=Count("id"),
        inventions=Count("id", filter=Q(kind=PatentKind.INVENTION)),
        utility_models=Count("id", filter=Q(kind=PatentKind.UTILITY_MODEL)),
        designs=Count("id", filter=Q(kind=PatentKind.DESIGN)),
        pending=Count("id", filter=Q(legal_status=LegalStatus.PENDING)),
        in_force=Count("id", filter=in_force_q(today)),
        ended=Count("id", filter=Q(legal_status__in=ENDED_STATUSES)),
        nanjing=Count("id", filter=nanjing),
        jiangsu=Count("id", filter=Q(province=JIANGSU)),
        dated=Count("id", filter=Q(filing_date__isnull=False)),
        located=Count("id", filter=~Q(city="") | ~Q(province="")),
        applicants=Count("first_applicant", distinct=True, filter=~Q(first_applicant="")),
        nanjing_in_force=Count("id", filter=nanjing & in_force_q(today)),
    )
    n = totals["patents"] or 0
    totals["nanjing_share"] = round(totals["nanjing"] / n, 4) if n else 0.0
    totals["jiangsu_share"] = round(totals["jiangsu"] / n, 4) if n else 0.0
    totals["invention_share"] = round(totals["inventions"] / n, 4) if n else 0.0

    # Years of filing (and of grant), the last YEARS_SHOWN years that have patents.
    year_rows = (
        qs.filter(filing_date__isnull=False)
        .values("filing_date__year")
        .annotate(
            filed=Count("id"),
            nanjing=Count("id", filter=nanjing),
            inventions=Count("id", filter=Q(kind=PatentKind.INVENTION)),
        )
        .order_by("filing_date__year")
    )
    grants = {
        r["grant_date__year"]: r["n"]
        for r in qs.filter(grant_date__isnull=False).values("grant_date__year").annotate(n=Count("id"))
    }
    by_year = [
        {
            "year": r["filing_date__year"],
            "filed": r["filed"],
            "inventions": r["inventions"],
            "nanjing": r["nanjing"],
            "granted": grants.get(r["filing_date__year"], 0),
        }
        for r in year_rows
    ][-YEARS_SHOWN:]

    status_labels = dict(LegalStatus.choices)
    kind_labels = dict(PatentKind.choices)
    type_labels = dict(ApplicantType.choices)
    district_labels = dict(District.choices)

    applicant_rows = (
        qs.exclude(first_applicant="")
        .values("first_applicant")
        .annotate(
            n=Count("id"),
            inventions=Count("id", filter=Q(kind=PatentKind.INVENTION)),
            in_force=Count("id", filter=in_force_q(today)),
            city=Max("city"),
            type=Max("applicant_type"),
        )
        .order_by("-n", "first_applicant")[:TOP_APPLICANTS]
    )
    top_applicants = [
        {
            "name": r["first_applicant"],
            "count": r["n"],
            "inventions": r["inventions"],
            "in_force": r["in_force"],
            "city": r["city"] or "",
            "type": str(type_labels.get(r["type"], "")),
        }
        for r in applicant_rows
    ]
    nanjing_applicants = [
        {"name": name, "count": count} for name, count in _rows(qs.filter(nanjing), "first_applicant", 10)
    ]
    subclass_nanjing = dict(_rows(qs.filter(nanjing), "ipc_subclass"))
    cities = _rows(qs, "city")
    city_rank = next((i for i, (name, _n) in enumerate(cities, 1) if name == NANJING), None)
    data: dict[str, Any] = {
        "industry": {
            "id": industry.pk,
            "name": industry.name,
            "code": industry.code,
            "ipc_prefixes": industry.prefix_list,
            "keywords": industry.keyword_list,
            "version": industry.version,
        },
        "computed_at": timezone.now().isoformat(),
        "today": today.isoformat(),
        "membership_current": industry.membership_current,
        "totals": totals,
        "by_year": by_year,
        "by_status": [
            {"code": code, "label": str(status_labels.get(code, code)), "count": count}
            for code, count in _rows(qs, "legal_status")
        ],
        "by_kind": [
            {"code": code, "label": str(kind_labels.get(code, code)), "count": count}
            for code, count in _rows(qs, "kind")
        ],
        "by_subclass": [
            {"code": code, "count": count, "nanjing": subclass_nanjing.get(code, 0)}
            for code, count in _rows(qs, "ipc_subclass", TOP)
        ],
        "by_group": [{"code": code, "count": count} for code, count in _rows(qs, "ipc_main_group", TOP)],
        "top_applicants": top_applicants,
        "nanjing_applicants": nanjing_applicants,
        "by_applicant_type": [
            {"code": code, "label": str(type_labels.get(code, code)), "count": count}
            for code, count in _rows(qs, "applicant_type")
        ],
        "by_province": [{"name": name, "count": count} for name, count in _rows(qs, "province", TOP)],
        "by_city": [{"name": name, "count": count} for name, count in cities[:TOP]],
        "by_district": [
            {"code": code, "label": str(district_labels.get(code, code)), "count": count}
            for code, count in _rows(qs.filter(nanjing), "district")
        ],
        "nanjing": {
            "count": totals["nanjing"],
            "share": totals["nanjing_share"],
            "in_force": totals["nanjing_in_force"],
            "city_rank": city_rank,
            "cities_ranked": len(cities),
        },
        "topics": rising_topics(qs),
        "notes": [],
    }
    if n and totals["dated"] < n:
        data["notes"].append(
            _(
                "%(n)s of the %(total)s patents have no filing date in "
                "the register and are left out of the yearly figures."
            )
            % {"n": n - totals["dated"], "total": n}
        )
    if n and totals["located"] < n:
        data["notes"].append(
            _(
                "%(n)s patents have no applicant address or region in "
                "the register and are left out of the regional figures."
            )
            % {"n": n - totals["located"]}
        )
    if not industry.membership_current:
        data["notes"].append(_("The industry's definition changed; its patents are being recomputed."))
    return data


def rising_topics(
    qs: QuerySet[Patent], *, years: int = TOPIC_YEARS, limit: int = TOPICS_SHOWN
) -> list[dict[str, Any]]:
    """Title terms of patents filed in the last ``years`` years of the data that rose most against the
    ``years`` before (a term counts once per patent; terms of fewer than 3 recent patents are left out).
    Above ``MAX_TOPIC_TITLES`` patents in a window, its most recent ones are read (``sampled``)."""
    from techbridge.mining.packages import tokens_for_terms

    latest = qs.aggregate(d=Max("filing_date"))["d"]
    if latest is None:
        return []
    start = dt.date(latest.year - years + 1, 1, 1)
    before = dt.date(latest.year - 2 * years + 1, 1, 1)
    current: Counter[str] = Counter()
    previous: Counter[str] = Counter()
    # Each window's most recent MAX_TOPIC_TITLES titles (a share per window, so both are compared alike).
    windows = ((current, start, latest), (previous, before, start - dt.timedelta(days=1)))
    sampled = False
    for counter, first, last in windows:
        titles = list(
            qs.filter(filing_date__gte=first, filing_date__lte=last)
            .order_by("-filing_date", "-id")
            .values_list("title", flat=True)[: MAX_TOPIC_TITLES + 1]
        )
        sampled = sampled or len(titles) > MAX_TOPIC_TITLES
        for title in titles[:MAX_TOPIC_TITLES]:
            counter.update(set(tokens_for_terms(title, "")))
    topics: list[dict[str, Any]] = []
    for term, now in current.items():
        if now < 3:
            continue
        was = previous.get(term, 0)
        topics.append(
            {
                "term": term,
                "recent": now,
                "before": was,
                "rise": now - was,
                "growth": round(now / was, 1) if was else None,
            }
        )
    topics.sort(key=lambda t: (-t["rise"], -t["recent"], t["term"]))
    window = {
        "recent_years": f"{start.year}–{latest.year}",
        "before_years": f"{before.year}–{start.year - 1}",
        "sampled": sampled,
    }
    for t in topics:
        t.update(window)
    return topics[:limit]


def clusters(industry: Industry, *, limit: int = MAX_CLUSTER_PATENTS) -> list[dict[str, Any]]:
    """Technology clusters of the industry's patents with their key terms (``mining.packages``).

    Patents are represented by the words view of mining's hybrid features (character n-gram TF-IDF
    reduced by truncated SVD, ``packages.lsa``) of title and abstract, clustered by
    ``packages.propose_groups`` and named by c-TF-IDF over title tokens. Above ``limit`` patents the
    most recently filed ones are clustered.
    """
    from techbridge.mining import packages

    rows = list(
        members(industry)
        .order_by("-filing_date", "-id")
        .values_list("pk", "title", "abstract", "city")[:limit]
    )
    if len(rows) < packages.MIN_SIZE * 2:
        return []
    texts = [f"{title}\n{(abstract or '')[:300]}" for _pk, title, abstract, _city in rows]
    tokens = [packages.tokens_for_terms(title, "") for _pk, title, _a, _c in rows]
    vectors = packages.lsa(texts)
    k = max(2, min(CLUSTERS_SHOWN * 2, round(len(rows) / packages.TARGET_SIZE)))
    groups = packages.propose_groups(vectors, texts, tokens, k=k, max_size=len(rows))
    groups.sort(key=lambda g: -len(g.members))
    out = []
    for g in groups[:CLUSTERS_SHOWN]:
        out.append(
            {
                "terms": g.terms,
                "size": len(g.members),
                "nanjing": sum(1 for i in g.members if rows[i][3] == NANJING),
                "cohesion": round(float(g.cohesion), 3),
                "examples": [{"id": rows[i][0], "title": rows[i][1]} for i in g.members[:5]],
            }
        )
    return out


def chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """What the page's charts (Chart.js) draw."""
    return {
        "names": {
            "filed": _("Applications filed"),
            "granted": _("Grants"),
            "nanjing": _("Nanjing applicants"),
            "patents": pgettext("patent count", "Patents"),
        },
        "years": {
            "labels": [r["year"] for r in data["by_year"]],
            "filed": [r["filed"] for r in data["by_year"]],
            "granted": [r["granted"] for r in data["by_year"]],
            "nanjing": [r["nanjing"] for r in data["by_year"]],
        },
        "subclasses": {
            "labels": [r["code"] for r in data["by_subclass"]],
            "values": [r["count"] for r in data["by_subclass"]],
            "nanjing": [r["nanjing"] for r in data["by_subclass"]],
        },
        "applicants": {
            "labels": [r["name"][:16] for r in data["top_applicants"][:10]],
            "values": [r["count"] for r in data["top_applicants"][:10]],
        },
        "types": {
            "labels": [r["label"] for r in data["by_applicant_type"]],
            "values": [r["count"] for r in data["by_applicant_type"]],
        },
        "provinces": {
            "labels": [r["name"] for r in data["by_province"]],
            "values": [r["count"] for r in data["by_province"]],
        },
    }
