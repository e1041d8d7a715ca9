"""End the deal notices whose period is over (no pending objection) and issue their certificates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from techbridge.core.tasks import wait_for_embedded_tasks


class Command(BaseCommand):
    help = "End due deal announcements (成交公示) and issue their transaction certificates."

    def handle(self, *args: Any, **options: Any) -> None:
        from techbridge.announcements.services import end_due_announcements

        result = end_due_announcements()
        wait_for_embedded_tasks()
        self.stdout.write(
            f"ended {result['ended']}, waiting for a decision on an objection {result['waiting']}"
        )
