"""Run the daily housekeeping now: expire overdue demands, flag stale listings and remind owners."""

from django.core.management.base import BaseCommand

from techbridge.core.tasks import run_daily_sweeps


class Command(BaseCommand):
    help = "Expire listings past their deadline and mark listings not updated for 12 months as stale."

    def handle(self, *args, **options) -> None:
        result = run_daily_sweeps()
        for name, value in result.items():
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(self.style.SUCCESS("sweeps done"))
