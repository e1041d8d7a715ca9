"""Benchmark patent navigation over a large register:

    python manage.py bench_ipservices --patents 100000 --rounds 5 --out docs/benchmarks.md

A synthetic register (created in a transaction and rolled back) of ``--patents`` patents over 20 filing
years, 60 IPC subclasses, 3,000 applicants in 40 cities (Nanjing about a tenth); the 智能电网 industry
(IPC codes and keywords) takes about a fifth of it. Measured: computing the industry's membership, the
landscape queries (uncached), the navigation page (uncached and cached, through Django's test
client), and one navigation report (figures, clusters, PDF and Excel). Medians of ``--rounds``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

import django
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from techbridge.core.benchmarks import database, machine, peak_rss_mib
from techbridge.lib.markdown import replace_section

SECTION_TITLE = "## IP services: patent navigation"

SUBCLASSES = [
    "H02J",
    "H02H",
    "H02B",
    "G01R",
    "H04L",
    "H04W",
    "G06F",
    "G06N",
    "G06Q",
    "G06T",
    "A61K",
    "A61B",
    "C07D",
    "C12N",
    "B60L",
    "H01M",
    "H01L",
    "B23K",
    "B25J",
    "G05B",
    "F16H",
    "E04B",
    "C02F",
    "B01D",
] + [
    f"{s}{d:02d}{c}"
    for s, d, c in zip("ABCDEFGH" * 5, range(1, 37), "ABCDEFGHJKLMNPQRSTUVWXYZ" * 2, strict=False)
]
GRID_TERMS = ["配电网", "储能", "微电网", "变压器", "负荷预测", "故障定位", "继电保护", "智能电网"]
OTHER_TERMS = (
    "无线通信 图像识别 电池管理 机器人 传感器 数据处理 抗体 药物组合物 "
    "焊接 污水处理 光伏 轴承 涂层 催化剂 路由 显示面板"
).split()
GRID_SUBCLASSES = {"H02J", "H02H", "H02B", "G01R"}
OTHER_CITIES = (
    "苏州:江苏 无锡:江苏 上海:上海 北京:北京 深圳:广东 杭州:浙江 成都:四川 武汉:湖北 西安:陕西 合肥:安徽"
)
CITIES = [("南京", "江苏")] * 4 + [tuple(pair.split(":")) for pair in OTHER_CITIES.split()] * 3
DISTRICTS = ["jiangning", "gulou", "xuanwu", "qixia", "jiangbei", "hightech", "yuhuatai", "pukou"]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the patent navigation page and report over a synthetic register (rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patents", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--out", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        n, rounds = opts["patents"], max(1, opts["rounds"])
        results: dict[str, Any] = {}
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                self._populate(n)
                results["populate_s"] = time.perf_counter() - t0
                results.update(self._measure(rounds))
                raise _Rollback
        except _Rollback:
            pass
        section = self._section(n, rounds, load, results)
        self.stdout.write(section)
        if opts["out"]:
            vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
            replace_section(Path(opts["out"]), section, f"{SECTION_TITLE} ({vendor})")

    def _populate(self, n: int) -> None:
        from techbridge.ipservices import terms
        from techbridge.ipservices.models import Patent

        rng = random.Random(2026)
        applicants = [f"示例申请人{i:04d}有限公司" if i % 5 else f"示例大学{i:04d}" for i in range(3000)]
        batch: list[Patent] = []
        for i in range(n):
            year = 2005 + int(rng.triangular(0, 19.99, 17))
            filed = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            kind = rng.choices(["invention", "utility_model", "design"], [0.55, 0.4, 0.05])[0]
            sub = rng.choice(SUBCLASSES) if rng.random() < 0.8 else rng.choice(SUBCLASSES[:4])
            city, province = rng.choice(CITIES)
            applicant = applicants[int(rng.paretovariate(1.2) * 7) % len(applicants)]
            # Grid words in grid subclasses; elsewhere a grid word only now and then (about 3 %).
            words = GRID_TERMS if sub in GRID_SUBCLASSES or rng.random() < 0.03 else OTHER_TERMS
            t1, t2 = rng.sample(words, 2)
            status = rng.choices(["granted", "pending", "lapsed", "expired"], [0.55, 0.2, 0.2, 0.05])[0]
            granted = None if status == "pending" else filed + dt.timedelta(days=rng.randint(200, 1200))
            group = f"{sub} {rng.randint(1, 40)}/{rng.randint(0, 99):02d}"
            expiry = terms.expiry_date(kind, filed)
            batch.append(
                Patent(
                    application_number=f"CN{year}1{i:07d}.{i % 10}",
                    publication_number=f"CN{100000000 + i}A",
                    title=f"一种基于{t1}的{t2}方法及装置",
                    kind=kind,
                    legal_status=status,
                    filing_date=filed,
                    grant_date=granted,
                    status_date=granted + dt.timedelta(days=900) if status == "lapsed" and granted else None,
                    expiry_date=expiry,
                    applicants=applicant,
                    first_applicant=applicant,
                    applicant_type="university" if "大学" in applicant else "enterprise",
                    province=province,
                    city=city,
                    district=rng.choice(DISTRICTS) if city == "南京" else "",
                    ipc_main=group,
                    ipc_subclass=sub,
                    ipc_main_group=f"{group.split('/')[0]}/00",
                    ipc_codes=group,
                    abstract=f"本发明公开了一种{t1}{t2}技术，涉及{rng.choice(words)}领域，提高了{rng.choice(words)}的效率。",
                    source="manual",
                )
            )
            if len(batch) >= 5000:
                Patent.objects.bulk_create(batch, batch_size=1000)
                batch = []
        if batch:
            Patent.objects.bulk_create(batch, batch_size=1000)

    def _measure(self, rounds: int) -> dict[str, Any]:
        from techbridge.accounts.models import User
        from techbridge.ipservices import landscape
        from techbridge.ipservices.models import Industry, NavigationReport
        from techbridge.ipservices.services.navigation import build_report, refresh_membership

        industry = Industry.objects.create(
            name="智能电网（基准）",
            code="bench-smart-grid",
            ipc_prefixes="H02J；H02H；H02B；G01R",
            keywords="智能电网；配电网；微电网",
        )
        t0 = time.perf_counter()
        members = refresh_membership(industry.pk)
        membership_s = time.perf_counter() - t0
        industry.refresh_from_db()
        compute = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            landscape.landscape(industry, use_cache=False)
            compute.append(time.perf_counter() - t0)
        user = User.objects.create(username="bench-ipservices", role="reviewer")
        client = Client()
        client.force_login(user)
        url = reverse("ipservices:industry", args=[industry.pk])
        cold, warm = [], []
        for _ in range(rounds):
            cache.clear()
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            warm.append(time.perf_counter() - t0)
        report = NavigationReport.objects.create(industry=industry, industry_version=industry.version)
        t0 = time.perf_counter()
        build_report(report.pk)
        report_s = time.perf_counter() - t0
        report.refresh_from_db()
        for f in (report.pdf, report.xlsx):
            if f:
                f.delete(save=False)
        return {
            "members": members,
            "membership_s": membership_s,
            "compute": compute,
            "cold": cold,
            "warm": warm,
            "report_s": report_s,
            "report_status": report.status,
        }

    def _section(self, n: int, rounds: int, load: float, r: dict[str, Any]) -> str:
        m = machine()
        med = statistics.median
        vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        rows = [
            ("industry membership computed (IPC prefixes + keywords over title and abstract), once",
             f"{r['membership_s'] * 1000:.0f} ms"),
            ("landscape figures, uncached (totals, years, IPC, applicants, types, regions, Nanjing, topics)",
             f"{med(r['compute']) * 1000:.0f} ms"),
            ("navigation page, uncached (figures, template, chart data)",
             f"{med(r['cold']) * 1000:.0f} ms"),
            ("navigation page, cached (until the register or the industry changes)",
             f"{med(r['warm']) * 1000:.0f} ms"),
            ("navigation report (figures, clusters of the 3,000 latest patents, PDF with SVG charts, Excel), "
             "once, in the background", f"{r['report_s']:.1f} s ({r['report_status']})"),
        ]  # fmt: skip
        table = f"| what | median of {rounds} |\n| --- | ---: |\n" + "\n".join(
            f"| {a} | {b} |" for a, b in rows
        )
        return f"""{SECTION_TITLE} ({vendor})

Measured {timezone.localtime():%Y-%m-%d %H:%M %Z} with
`python manage.py bench_ipservices --patents {n} --rounds {rounds}`.
Synthetic register (created in a transaction and rolled back): {n:,} patents over 20 filing years,
{len(SUBCLASSES)} IPC subclasses, 3,000 applicants, 34 cities (Nanjing about a tenth); populating took
{r["populate_s"]:.1f} s. The 智能电网 industry (4 IPC subclasses, 3 keywords) holds {r["members"]:,} of them.

| | |
| --- | --- |
| Machine | {m["nproc"]} CPUs (nproc), {m["cpu"]}, {m["ram"]} RAM |
| Software | Django {django.get_version()}, {database()} |
| Load average at start (1 min) | {load:.1f} (the machine is shared; timings grow with load) |
| Peak memory of the run | {peak_rss_mib():.0f} MiB |

{table}

The page reads the landscape from the cache (keyed by the industry's version and membership and the
register's last change), so a visitor pays the uncached figure once per change; reports are built by a
task and served from storage.
"""
