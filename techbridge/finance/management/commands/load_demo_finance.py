"""Load the demo investors, products and financing requests of technology finance (idempotent).

    python manage.py load_demo_finance

Runs after ``demo_accounts`` (the demo operator qualifies the investors) in ``make demo``. Everything is
tagged as demo data (示例数据); see ``techbridge/finance/demo.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ... import demo


class Command(BaseCommand):
    help = "Load demo investors, products and financing requests (tagged as demo data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--allow-production", action="store_true", help="run even in production")

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not opts["allow_production"]:
            raise CommandError("This is a production installation; add --allow-production to load demo data.")
        operator = demo.demo_operator()
        if operator is None:
            raise CommandError("Run demo_accounts first: the demo operator qualifies the investors.")
        made = demo.load(operator)
        self.stdout.write(
            f"演示科技金融：新建投资机构 {made['investors']} 家、融资需求 {made['requests']} 条、"
            f"对接 {made['introductions']} 个、成果转化基金 {made['funds']} 支。"
        )
