"""认定登记 needs each organisation's unified social credit code: a missing one is caught while the
contract is a draft, with a message that says what to do — never first at the registry officer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.contracts import services
from techbridge.contracts.choices import ContractStatus
from techbridge.testing.cast import PASSWORD
from techbridge.testing.factories.contracts import make_draft_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded_later(cast):
    code = cast.enterprise.credit_code
    cast.enterprise.credit_code = None
    cast.enterprise.save()
    return code


def test_signing_a_draft_with_a_party_without_code_says_what_to_do(client, cast, achievement, coded_later):
    contract = make_draft_contract(cast, achievement)
    client.force_login(cast.researcher)

    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "示范企业有限公司尚无统一社会信用代码" in page
    assert "编辑机构资料" in page
    response = client.post(
        reverse("contracts:sign", args=[contract.pk]), {"confirm": "on", "password": PASSWORD}, follow=True
    )

    assert "示范企业有限公司尚无统一社会信用代码" in response.content.decode()
    assert not contract.signatures.exists()


def test_the_seller_admin_is_given_the_link_to_add_the_code(client, cast, achievement):
    cast.university.credit_code = None
    cast.university.save()
    contract = make_draft_contract(cast, achievement)
    client.force_login(cast.univ_admin)

    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()

    assert "示范大学尚无统一社会信用代码" in page
    assert reverse("organizations:edit", args=[cast.university.pk]) in page


def test_once_the_code_is_added_the_draft_is_signed_and_carries_it(cast, achievement, coded_later):
    contract = make_draft_contract(cast, achievement)
    assert contract.buyer_credit_code == ""
    cast.enterprise.credit_code = coded_later
    cast.enterprise.save()

    services.sign_contract(contract, actor=cast.researcher)
    services.sign_contract(contract, actor=cast.buyer)
    services.submit_for_registration(contract, actor=cast.researcher)

    contract.refresh_from_db()
    assert contract.status == ContractStatus.SUBMITTED
    assert contract.buyer_credit_code == coded_later


def test_api_sign_refuses_with_the_same_message(as_user, cast, achievement, coded_later):
    contract = make_draft_contract(cast, achievement)

    response = as_user(cast.researcher).post(
        f"/api/v1/contracts/{contract.pk}/sign/", {"password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert "尚无统一社会信用代码" in str(response.json())
