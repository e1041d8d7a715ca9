"""Verify a contract's SM3 seals: detects a signed text, a signature or a registration changed afterwards."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from techbridge.contracts.models import Contract
from techbridge.contracts.seal import evidence, verify_contract


class Command(BaseCommand):
    help = "Check the SM3 seals of one contract's signatures and registration (exit status 1 when broken)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("contract", help="Contract id or number (HT…)")

    def handle(self, *args: Any, **options: Any) -> None:
        key = str(options["contract"])
        query = Contract.objects.filter(pk=int(key)) if key.isascii() and key.isdigit() else None
        contract = (query if query is not None else Contract.objects.filter(number=key)).first()
        if contract is None:
            raise CommandError(f"contract {key} does not exist")
        problems = verify_contract(contract)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"contract {contract.number}: seals BROKEN ({len(problems)} problems)")
        for line in evidence(contract):
            self.stdout.write(f"  signature {line}")
        signatures = contract.signatures.count()
        registered = (
            f", registration {contract.registration_number} sealed" if contract.registration_hash else ""
        )
        self.stdout.write(
            f"contract {contract.number}: {signatures} signatures, SM3 seals intact{registered}"
        )
