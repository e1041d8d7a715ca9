"""Give the demo university's technology-transfer office a workbench to show (idempotent).

    python manage.py load_demo_tto

Runs after ``load_demo`` and ``demo_accounts``. Two cases are made, through the services, from the demo
university's own published achievements (the real records ``load_demo`` loaded from ``data/``): one
disclosed and awaiting the office's decision, one assessed, protected, with its patent application in the
docket, granted and declared open for licence. Everything is tagged as demo data (``is_demo``, shown as
示例数据); the application number, dates and royalty terms are written for demonstration. No income or
reward is recorded, and the governance figures leave demo cases out, so no figure of the plan moves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from techbridge.achievements.models import Achievement
from techbridge.core.workflow import ReviewStatus

from ... import services
from ...models import Disclosure

DEMO_NUMBER = "CN202310000001.3"  # a well-formed number written for the demo, not a real application


class Command(BaseCommand):
    help = "Create two demo cases of the demo university's technology-transfer office (tagged as demo data)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        researcher = users.filter(username="researcher").select_related("organization").first()
        office = users.filter(username="tto_office").first()
        if researcher is None or office is None:
            raise CommandError("Run demo_accounts first: the demo researcher and office act in the demo.")
        if Disclosure.objects.filter(is_demo=True, institution=researcher.organization).exists():
            self.stdout.write("Demo cases already there.")
            return
        sources = list(
            Achievement.objects.filter(owner=researcher.organization, status=ReviewStatus.PUBLISHED)
            .exclude(summary="")
            .order_by("pk")[:2]
        )
        if len(sources) < 2:
            raise CommandError(
                "Run load_demo first: the demo cases are made from the university's achievements."
            )
        with transaction.atomic():
            waiting = self._case(researcher, sources[0])
            services.submit_disclosure(waiting, actor=researcher)
            protected = self._case(researcher, sources[1])
            services.submit_disclosure(protected, actor=researcher)
            services.assess_disclosure(
                protected,
                actor=office,
                scores={
                    "score_novelty": 4,
                    "score_market": 4,
                    "score_maturity": 3,
                    "score_protectability": 4,
                },
                note="示例：技术新颖，已有企业表达兴趣。",
            )
            services.decide_disclosure(
                protected, actor=office, decision="protect", reasons="示例：建议申请发明专利后开放许可。"
            )
            today = timezone.localdate()
            app = services.file_application(
                protected,
                actor=office,
                data={
                    "kind": "invention",
                    "application_number": DEMO_NUMBER,
                    "filing_date": today - dt.timedelta(days=3 * 365),
                    "agency": "示例专利代理事务所",
                },
            )
            services.request_examination(app, actor=office)
            services.record_grant(app, actor=office, grant_date=today - dt.timedelta(days=200))
            services.declare_open_licence(
                app,
                actor=office,
                royalty_rate="3",
                entry_fee="20000",
                term_years=5,
                payment_terms="示例：入门费于取得许可后30日内支付；提成按上一年度销售额的3%于每年3月31日前支付。",
                is_demo=True,
            )
        self.stdout.write(self.style.SUCCESS("Two demo cases of the technology-transfer office created."))

    def _case(self, researcher: Any, source: Achievement) -> Disclosure:
        return services.create_disclosure(
            actor=researcher,
            data={"title": source.title, "summary": source.summary, "detail": source.detail},
            inventors=[{"name": researcher.display_name, "share": "100", "user": researcher}],
            is_demo=True,
        )
