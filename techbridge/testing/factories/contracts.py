"""Contracts (技术合同): ``make_draft_contract``, ``make_signed_contract``, ``make_submitted_contract``
and ``make_registered_contract`` go through the services as the parties
and the registrar would; ``ContractFactory`` writes a contract straight in the database in any state
(for example a registered one that other apps read as a comparable)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from techbridge.contracts.models import Contract

from .organizations import OrganizationFactory


class ContractFactory(factory.django.DjangoModelFactory):
    """A technology transfer contract between two new organisations, signed 40 days ago and
    registered 10 days ago, 1,050,000 in total of which 1,000,000 is technology."""

    class Meta:
        model = Contract

    number = factory.Sequence(lambda n: f"TB-TEST-{n:05d}")
    title = "锂电池隔膜技术转让合同"
    contract_type = "transfer"
    seller = factory.SubFactory(OrganizationFactory, kind="university")
    buyer = factory.SubFactory(OrganizationFactory)
    deal_mode = "assignment"
    total_amount = Decimal("1050000")
    technology_amount = Decimal("1000000")
    status = "registered"
    signed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))
    registered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    registration_number = factory.Sequence(lambda n: f"3201{n:06d}")


def make_draft_contract(cast: Any, achievement: Any = None, amount: str = "1000000.00", **changes: Any):
    """A draft contract of ``achievement`` between 示范大学 (seller) and 示范企业 (buyer), entered by the
    buyer through the services; ``title`` names it, other ``changes`` edit the draft (e.g.
    ``equipment_amount``)."""
    from techbridge.contracts import services

    contract = services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title=changes.pop("title", "锂电池隔膜技术转让合同"),
        amount=Decimal(amount),
        achievement=achievement,
        deal_mode="assignment",
    )
    if changes:
        services.update_draft(contract, actor=cast.buyer, data=changes)
    return contract


def make_signed_contract(
    cast: Any,
    achievement: Any = None,
    amount: str = "1000000.00",
    *,
    schedule: list[dict[str, Any]] | None = None,
    **changes: Any,
):
    """``make_draft_contract``, its payment ``schedule`` set when given (items of ``due_date``,
    ``amount``, ``description``), then signed by both sides."""
    from techbridge.contracts import services

    contract = make_draft_contract(cast, achievement, amount, **changes)
    if schedule:
        services.set_schedule(contract, actor=cast.buyer, items=schedule)
    services.sign_contract(contract, actor=cast.researcher)
    services.sign_contract(contract, actor=cast.buyer)
    contract.refresh_from_db()
    return contract


def make_submitted_contract(cast: Any, achievement: Any = None, amount: str = "1000000.00", **changes: Any):
    """``make_signed_contract``, then submitted for registration by the seller (the registry officers
    see it from now on)."""
    from techbridge.contracts import services

    contract = make_signed_contract(cast, achievement, amount, **changes)
    services.submit_for_registration(contract, actor=cast.researcher)
    contract.refresh_from_db()
    return contract


def make_registered_contract(cast: Any, achievement: Any = None, amount: str = "1000000.00", **changes: Any):
    """``make_submitted_contract``, then registered by the platform's reviewer."""
    from techbridge.contracts import services

    contract = make_submitted_contract(cast, achievement, amount, **changes)
    services.register_contract(contract, actor=cast.reviewer)
    contract.refresh_from_db()
    return contract
