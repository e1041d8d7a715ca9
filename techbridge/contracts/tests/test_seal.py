"""Issue 20 point 6: contract signatures and registrations are sealed by SM3 like the bid chain, and
``verify_contract`` finds a signed text, a signature or a registration changed in the database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from techbridge.contracts import services
from techbridge.contracts.models import Contract, Instalment, Signature
from techbridge.contracts.seal import verify_contract
from techbridge.testing.factories.contracts import make_signed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(cast, achievement):
    contract = make_signed_contract(
        cast, achievement, schedule=[{"description": "首付款", "amount": "300000"}]
    )
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer)
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.registration_hash and all(s.hash for s in contract.signatures.all())
    assert verify_contract(contract) == []
    return contract


def test_verify_contract_reports_intact_seals(registered, capsys):
    call_command("verify_contract", str(registered.pk))
    out = capsys.readouterr().out
    assert "intact" in out and "2 signatures" in out and registered.registration_number in out


@pytest.mark.parametrize(
    "tamper",
    ["amount", "terms", "buyer", "schedule", "signer", "signed_at", "registration", "certified", "type"],
)
def test_verify_contract_catches_a_change_in_the_database(registered, cast, tamper):
    """Found: nothing sealed a contract: its signed amount or its registration could be changed in the
    database unnoticed."""
    contracts = Contract.objects.filter(pk=registered.pk)
    signatures = Signature.objects.filter(contract=registered)
    {
        "amount": lambda: contracts.update(total_amount=Decimal("9999999")),
        "terms": lambda: contracts.update(terms="另行约定"),
        "buyer": lambda: contracts.update(buyer_name="某公司"),
        "schedule": lambda: Instalment.objects.filter(contract=registered).update(amount=Decimal("1")),
        "signer": lambda: signatures.filter(side="buyer").update(user=cast.univ_admin),
        "signed_at": lambda: signatures.filter(side="seller").update(
            signed_at=registered.signed_at - timedelta(days=3)
        ),
        "registration": lambda: contracts.update(registration_number="20263201999999"),
        "certified": lambda: contracts.update(technology_amount=Decimal("10")),
        "type": lambda: contracts.update(sub_type="other_transfer"),
    }[tamper]()
    assert verify_contract(Contract.objects.get(pk=registered.pk))
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("verify_contract", registered.number)


def test_a_reached_milestone_or_a_payment_breaks_no_seal(registered, cast):
    """Performing the contract is not changing it."""
    item = registered.instalments.get()
    services.complete_milestone(item, actor=cast.buyer)
    services.record_payment(
        registered, actor=cast.buyer, paid_on=registered.signed_at.date(), amount="300000"
    )
    assert verify_contract(Contract.objects.get(pk=registered.pk)) == []


def test_an_outside_contract_registration_is_sealed_after_its_signed_text(cast):
    from django.utils import timezone

    contract = services.enter_external_contract(
        actor=cast.researcher,
        data={
            "seller": cast.university,
            "buyer": cast.enterprise,
            "title": "线下技术服务合同",
            "contract_type": "service",
            "sub_type": "service",
            "total_amount": Decimal("80000"),
        },
        signed_on=timezone.localdate(),
    )
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer)
    assert verify_contract(Contract.objects.get(pk=contract.pk)) == []
    Contract.objects.filter(pk=contract.pk).update(signed_at=contract.signed_at - timedelta(days=400))
    assert any("registration record" in p for p in verify_contract(Contract.objects.get(pk=contract.pk)))
