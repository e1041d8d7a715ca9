"""Fill scorecard inputs of achievements from a JSON Lines export of patent records.

``manage.py import_scorecard_inputs data/cn_patent_records_sample/patent_records.jsonl --operator ops``
matches each record to the achievements whose patent numbers contain its application, publication
or grant number, and saves legal status, remaining term and family size through the service (so the
grade is recomputed and the change audited). Inputs a record does not state are left as they are.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.achievements.models import Achievement
from techbridge.core.roles import is_operator
from techbridge.valuation import patent_records, services


class Command(BaseCommand):
    help = "Fill achievement scorecards (legal status, remaining term, family) from patent records (JSONL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--operator", required=True, help="User name of the operator the changes are made as."
        )
        parser.add_argument(
            "--as-of", default="", help="Date the remaining term is counted from (YYYY-MM-DD)."
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        operator = User.objects.filter(username=opts["operator"]).first()
        if operator is None or not is_operator(operator):
            raise CommandError("--operator must name a platform operator.")
        as_of = date.fromisoformat(opts["as_of"]) if opts["as_of"] else timezone.localdate()
        records = matched = saved = 0
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"Line {line_no} is not JSON: {exc}") from exc
            records += 1
            q = Q()
            for number in patent_records.numbers(record):
                q |= Q(patent_numbers__icontains=number)
            if not q:
                continue
            data = patent_records.scorecard_inputs(record, as_of)
            for achievement in Achievement.objects.filter(q):
                matched += 1
                if not opts["dry_run"]:
                    card = services.save_scorecard(achievement, actor=operator, data=data)
                    saved += 1
                    self.stdout.write(f"{achievement.pk} {achievement.title[:30]}: grade {card.grade or '-'}")
        self.stdout.write(f"{records} records, {matched} achievements matched, {saved} scorecards saved.")
