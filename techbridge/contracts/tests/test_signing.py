"""Issue 22 point 9: signing asks for confirmation and the password again (re-authentication); a wrong
password is refused in Chinese and throttled like sign-in; the signature records the time, the method and
the client address, in the audit entry and in the sealed evidence ``verify_contract`` checks."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from techbridge.contracts import services
from techbridge.contracts.models import Contract, Signature
from techbridge.contracts.seal import verify_contract
from techbridge.core.models import AuditEntry
from techbridge.testing.cast import PASSWORD
from techbridge.testing.factories.contracts import make_draft_contract

pytestmark = pytest.mark.django_db

WRONG = "密码不正确，合同未签署。请输入您的登录密码。"


@pytest.fixture
def draft(cast, achievement):
    contract = make_draft_contract(cast, achievement)
    services.update_draft(
        contract, actor=cast.buyer, data={"contract_type": "transfer", "sub_type": "technical_secret"}
    )
    return Contract.objects.get(pk=contract.pk)


def test_the_sign_page_asks_to_confirm_and_for_the_password(client, cast, draft):
    client.force_login(cast.researcher)
    url = reverse("contracts:sign", args=[draft.pk])

    page = client.get(url).content.decode()
    assert "我已阅读本合同全部条款，代表本单位签署。" in page and 'type="password"' in page
    unconfirmed = client.post(url, {"password": PASSWORD}).content.decode()
    assert "请确认已阅读合同全部条款后再签署。" in unconfirmed
    wrong = client.post(url, {"confirm": "on", "password": "not-my-password"}).content.decode()
    assert WRONG in wrong
    assert not draft.signatures.exists()

    response = client.post(url, {"confirm": "on", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302
    signature = Signature.objects.get(contract=draft)
    assert (signature.user, signature.method, signature.client_address) == (
        cast.researcher,
        "password",
        "203.0.113.9",
    )
    entry = AuditEntry.objects.get(action="contracts.contract.party_signed")
    assert entry.data == {"side": "seller", "method": "password", "address": "203.0.113.9"}
    detail = client.get(reverse("contracts:detail", args=[draft.pk])).content.decode()
    assert "已签署。签署记录了时间和来源地址。" in detail


def test_the_api_takes_the_password_and_refuses_a_wrong_one_in_chinese(as_user, cast, draft):
    api = as_user(cast.buyer)
    url = f"/api/v1/contracts/{draft.pk}/sign/"

    assert api.post(url, {}, format="json").status_code == 400
    wrong = api.post(url, {"password": "guess"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"]["password"] == [WRONG]

    signed = api.post(url, {"password": PASSWORD}, format="json", REMOTE_ADDR="198.51.100.7")

    assert signed.status_code == 200
    (sig,) = signed.json()["signatures"]
    assert (sig["side"], sig["method"], sig["client_address"]) == ("buyer", "password", "198.51.100.7")


@override_settings(LOGIN_MAX_ATTEMPTS=3, LOGIN_FLOOD_DELAY_SECONDS=0)
def test_wrong_passwords_are_throttled_like_sign_in(as_user, client, cast, draft):
    api = as_user(cast.buyer)
    url = f"/api/v1/contracts/{draft.pk}/sign/"
    for _ in range(3):
        assert api.post(url, {"password": "guess"}, format="json").status_code == 400

    locked = api.post(url, {"password": PASSWORD}, format="json")

    assert locked.status_code == 403
    assert "密码错误次数过多" in locked.json()["message"]
    assert not draft.signatures.exists()
    # The same lock holds at the sign-in form.
    login = client.post(reverse("accounts:login"), {"username": cast.buyer.username, "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in client.session


def test_the_evidence_is_sealed_with_the_signature(cast, draft):
    for user in (cast.researcher, cast.buyer):
        services.sign_with_password(draft, actor=user, password=PASSWORD, address="10.1.2.3")
    draft.refresh_from_db()
    assert draft.status == "signed" and verify_contract(draft) == []

    Signature.objects.filter(contract=draft, side="buyer").update(client_address="10.9.9.9")

    assert any("buyer side does not match" in p for p in verify_contract(draft))


def test_signatures_made_before_re_authentication_still_verify(cast, draft):
    services.sign_contract(draft, actor=cast.researcher)
    services.sign_contract(draft, actor=cast.buyer)
    draft.refresh_from_db()

    assert verify_contract(draft) == []
    assert set(draft.signatures.values_list("method", flat=True)) == {""}
