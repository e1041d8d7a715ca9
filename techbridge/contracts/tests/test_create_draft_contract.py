"""create_draft_contract: the entry point negotiation, auctions and imports use to start a contract."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.contracts.choices import ContractStatus, ContractType, SubType
from techbridge.contracts.models import Contract
from techbridge.contracts.services import create_draft_contract
from techbridge.core.audit import history
from techbridge.testing.factories.mining import AchievementPackageFactory

pytestmark = pytest.mark.django_db


def test_draft_contract_is_classified_from_deal_mode_and_achievement_kind(cast, achievement):
    contract = create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="隔膜技术许可合同",
        amount=Decimal("500000"),
        achievement=achievement,
        deal_mode="license-exclusive",
        origin="negotiation",
        origin_ref="offer:1",
    )
    assert contract.status == ContractStatus.DRAFT
    assert contract.contract_type == ContractType.LICENSE
    assert contract.sub_type == SubType.PATENT_LICENSE
    assert contract.total_amount == Decimal("500000.00")
    assert contract.technology_amount is None
    assert contract.seller_credit_code == cast.university.credit_code
    assert contract.buyer_name == cast.enterprise.name
    assert contract.field is not None and contract.field.code == "nev"
    entry = history(contract).get()
    assert (entry.action, entry.actor, entry.to_state) == ("contracts.contract.drafted", cast.buyer, "draft")


def test_system_actor_may_create_a_contract_for_an_auction_package(cast, achievement):
    package = AchievementPackageFactory(title="锂电池成果包", achievements=[achievement])
    contract = create_draft_contract(
        actor=None,
        seller=cast.university,
        buyer=cast.enterprise,
        title="成果包拍卖成交",
        amount=Decimal("2000000.50"),
        package=package,
        deal_mode="assignment",
        origin="auction",
        origin_ref="lot:12",
    )
    assert contract.package == package
    assert (contract.origin, contract.origin_ref) == ("auction", "lot:12")
    # 认定规则: the package's only member is a granted invention patent, so the package is one too.
    assert contract.contract_type == ContractType.TRANSFER
    assert contract.sub_type == SubType.PATENT_RIGHT
    assert (contract.subject_kind, contract.subject_legal_status) == ("invention_patent", "granted")


def test_outsider_cannot_create_a_contract_between_two_other_parties(cast):
    with pytest.raises(PermissionDenied):
        create_draft_contract(
            actor=cast.broker, seller=cast.university, buyer=cast.enterprise, title="x", amount=Decimal("1")
        )
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount": Decimal("-1")},
        {"amount": "not money"},
        {"title": "  "},
        {"origin": "elsewhere"},
        {"buyer": "seller"},
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(cast, kwargs):
    args = {
        "actor": cast.buyer,
        "seller": cast.university,
        "buyer": cast.enterprise,
        "title": "合同",
        "amount": Decimal("10"),
        **kwargs,
    }
    if args["buyer"] == "seller":
        args["buyer"], args["actor"] = cast.university, cast.researcher
    with pytest.raises(ValidationError):
        create_draft_contract(**args)
    assert not Contract.objects.exists()
