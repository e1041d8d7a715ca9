"""Benchmark valuation and write the "Valuation" section of docs/benchmarks.md.

Measures, inside one transaction that is rolled back at the end (the database is left as it was):

- ``find_comparables`` (jieba cosine over every registered contract, the candidate limit being
  ``comparables.CANDIDATE_LIMIT``) with 100, 500 and 2,000 registered contracts whose texts are the
  database's own achievements (or generated titles when it is empty);
- a full preview of a request (three approaches, scorecard, panel) at the largest size;
- typesetting the Chinese PDF report (WeasyPrint);
- the screening page (成果筛选) through Django's test ``Client`` over every published achievement.

Each figure is the median of ``--repeat`` runs.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from techbridge.core.benchmarks import machine
from techbridge.lib.markdown import replace_section

SECTION_TITLE = "## Valuation"
SIZES = (100, 500, 2000)


class Rollback(Exception):
    pass


def median_ms(func: Any, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


class Command(BaseCommand):
    help = "Benchmark comparables search, previews, reports and the screening page; write docs/benchmarks.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"))
        parser.add_argument("--no-write", action="store_true", help="Print only.")

    def handle(self, *args: Any, **opts: Any) -> None:
        results: dict[str, Any] = {}
        try:
            with transaction.atomic(), override_settings(MEDIA_ROOT="/tmp/techbridge-bench-media"):
                self.run(results, opts["repeat"])
                raise Rollback
        except Rollback:
            pass
        lines = self.section(results, opts["repeat"])
        self.stdout.write("\n".join(lines))
        if not opts["no_write"]:
            replace_section(Path(opts["out"]), "\n".join(lines) + "\n", SECTION_TITLE)
            self.stdout.write(f"Valuation section written to {opts['out']}")

    def run(self, results: dict[str, Any], repeat: int) -> None:
        from techbridge.achievements.models import Achievement
        from techbridge.contracts.models import Contract
        from techbridge.core.workflow import ReviewStatus
        from techbridge.organizations.models import Organization
        from techbridge.taxonomy.models import IndustryField
        from techbridge.valuation import comparables, services
        from techbridge.valuation.models import ValuationRequest
        from techbridge.valuation.reports import render_report

        seller = Organization.objects.create(name="基准测试卖方", kind="university", status="approved")
        buyer = Organization.objects.create(name="基准测试买方", kind="enterprise", status="approved")
        fields = list(IndustryField.objects.all())
        texts = list(
            Achievement.objects.filter(status=ReviewStatus.PUBLISHED).values_list("title", "summary")[
                : max(SIZES)
            ]
        )
        if not texts:
            texts = [
                (f"一种集成电路低功耗设计方法{i}", "降低芯片功耗的电路结构与控制方法。") for i in range(100)
            ]

        def published_achievement(title: str, summary: str) -> Any:
            now = timezone.now()
            return Achievement.objects.create(
                owner=seller,
                title=title,
                summary=summary,
                kind="invention_patent",
                trl=5,
                price_negotiable=True,
                status=ReviewStatus.PUBLISHED,
                published_at=now,
            )

        subject: Any = published_achievement(texts[0][0], texts[0][1] or texts[0][0])
        subject.fields.set(fields[:1])
        now = timezone.now()
        made = 0
        for size in SIZES:
            for i in range(made, size):
                title, summary = texts[i % len(texts)]
                a: Any = published_achievement(f"{title}·{i}", summary or title)
                a.fields.set([fields[i % len(fields)]])
                Contract.objects.create(
                    number=f"BENCH-{i}",
                    title=f"{title}技术转让合同",
                    contract_type="transfer",
                    seller=seller,
                    buyer=buyer,
                    achievement=a,
                    deal_mode="assignment" if i % 2 else "license-exclusive",
                    total_amount=Decimal(100_000 + 1000 * i),
                    technology_amount=Decimal(90_000 + 1000 * i),
                    status="registered",
                    signed_at=now - timedelta(days=30 + i % 700),
                    registered_at=now - timedelta(days=i % 700),
                    registration_number=f"BENCH{i}",
                )
            made = size
            comparables._tf.cache_clear()
            results[f"comparables_cold_{size}"] = median_ms(
                lambda: comparables.find_comparables(subject, subject_mode="assignment"), 1
            )
            results[f"comparables_{size}"] = median_ms(
                lambda: comparables.find_comparables(subject, subject_mode="assignment"), repeat
            )
        from techbridge.accounts.models import User

        operator = User.objects.create(username="bench_operator", role="operator", organization=seller)
        req = ValuationRequest.objects.create(
            achievement=subject,
            requested_by=operator,
            requester_kind="operator",
            purpose="management",
            reproduction_cost=Decimal(1_000_000),
            first_year_revenue=Decimal(2_000_000),
            economic_life_years=8,
            risk_free_pct=Decimal("2.5"),
            technology_risk_pct=Decimal(4),
            market_risk_pct=Decimal(3),
            profit_margin_pct=Decimal(18),
            technology_share_pct=Decimal(25),
        )
        results["preview"] = median_ms(lambda: services.preview(req), repeat)
        snapshot = services.preview(req)
        from techbridge.valuation.models import Valuation

        if snapshot["final"]["ok"]:
            v = Valuation(
                request=req,
                achievement=subject,
                version=1,
                issued_by=operator,
                point=Decimal(snapshot["final"]["point"]),
                low=Decimal(snapshot["final"]["low"]),
                high=Decimal(snapshot["final"]["high"]),
                snapshot={**snapshot, "version": 1, "issued_by": "bench"},
            )
            render_report(v)  # warm up fonts
            results["pdf"] = median_ms(lambda: render_report(v), max(1, repeat // 2))
            results["pdf_bytes"] = len(render_report(v))
        Achievement.objects.filter(owner=seller).update(status=ReviewStatus.PUBLISHED, published_at=now)
        weights = services.current_weights()
        for row in Achievement.objects.filter(owner=seller).iterator():
            services.regrade(row, weights=weights)
        published = Achievement.objects.filter(status=ReviewStatus.PUBLISHED).count()
        results["published"] = published
        client = Client()
        client.get("/valuation/screening/")
        results["screening"] = median_ms(lambda: client.get("/valuation/screening/?sort=grade"), repeat)
        results["screening_a"] = median_ms(
            lambda: client.get("/valuation/screening/?grade=A&grade=B"), repeat
        )

    def section(self, r: dict[str, Any], repeat: int) -> list[str]:
        m = machine()
        lines = [
            SECTION_TITLE,
            "",
            f"Machine: {m['nproc']} cores, {m['cpu']}, {m['ram']} RAM. Date: {datetime.now():%Y-%m-%d}. "
            f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}. "
            f"Command: `manage.py bench_valuation --repeat {repeat}` (medians of {repeat} runs; synthetic "
            "registered contracts built from the listings' texts, rolled back afterwards).",
            "",
            "| what | median |",
            "|---|---:|",
        ]
        for size in SIZES:
            key = f"comparables_{size}"
            if key in r:
                cold = r[f"comparables_cold_{size}"]
                what = f"comparables search over {size:,} registered contracts, first run (tokenising)"
                lines.append(f"| {what} | {cold:.0f} ms |")
                lines.append(f"| the same, texts already tokenised (cached) | {r[key]:.0f} ms |")
        if "preview" in r:
            what = f"full preview (3 approaches, scorecard, panel) at {SIZES[-1]:,} contracts"
            lines.append(f"| {what} | {r['preview']:.0f} ms |")
        if "pdf" in r:
            lines.append(
                f"| Chinese PDF report (WeasyPrint, {r['pdf_bytes'] / 1024:.0f} KiB) | {r['pdf']:.0f} ms |"
            )
        if "screening" in r:
            what = f"screening page, {r['published']:,} published achievements, sorted by grade"
            lines.append(f"| {what} | {r['screening']:.0f} ms |")
            lines.append(f"| screening page filtered to grades A and B | {r['screening_a']:.0f} ms |")
        lines += [
            "",
            "Comparables are scored in Python (jieba TF cosine) over at most "
            "`CANDIDATE_LIMIT` = 2,000 most recent registered contracts and sold lots; the PDF is typeset "
            "once, when a valuation is issued, and served from storage afterwards.",
        ]
        return lines
