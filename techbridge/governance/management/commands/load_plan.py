"""Load a plan (targets, tasks, departments) from a data file; the seed plan by default. Idempotent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...services.plans import DEFAULT_PLAN, load_plan_file


class Command(BaseCommand):
    help = (
        "Load a plan file (JSON: plan, departments, tasks, targets), creating the government departments it "
        "names. Loading again updates in place; reports and figures are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_PLAN), help="plan file (default: the 十三五 plan)"
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = load_plan_file(str(options["path"]))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "created" if result.created else "updated"
        self.stdout.write(
            f"{result.plan.name} ({result.plan.code}) {verb}: {result.tasks} tasks, "
            f"{result.targets} targets, {result.departments_created} new departments."
        )
