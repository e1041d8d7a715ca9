"""Load the seed policy library (real policy documents; titles, issuers, numbers and dates as published)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...services.policies import DEFAULT_POLICIES, load_policies


class Command(BaseCommand):
    help = "Add the policies of a policy file that are not in the library yet (published). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT_POLICIES))

    def handle(self, *args: object, **options: object) -> None:
        try:
            created, existing = load_policies(str(options["path"]))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{created} policies added, {existing} already in the library.")
