"""履行完毕: either party declares a signed contract performed; it is closed, stays registered if it was,
and the statistics keep counting it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from techbridge.contracts import queries, services
from techbridge.contracts.choices import ContractStatus
from techbridge.core.models import AuditEntry
from techbridge.core.workflow import TransitionError
from techbridge.testing.factories.contracts import make_registered_contract, make_signed_contract


def test_a_registered_contract_performed_stays_registered_and_counted(cast, achievement):
    contract = make_registered_contract(cast, achievement)
    before = queries.summary()
    services.mark_performed(contract, actor=cast.buyer, note="验收合格")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.PERFORMED
    assert contract.performed_by == cast.buyer and contract.performed_at is not None
    assert contract.is_registered and contract.is_frozen
    assert queries.summary()["count"] == before["count"] == 1
    entry = AuditEntry.objects.get(action="contracts.contract.performed")
    assert entry.from_state == "registered" and entry.to_state == "performed" and entry.message == "验收合格"


def test_a_signed_contract_never_registered_can_be_performed_but_is_not_counted(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.mark_performed(contract, actor=cast.researcher)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.PERFORMED and not contract.is_registered
    assert queries.registered().count() == 0


def test_not_while_the_registry_decides_nor_for_a_draft(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    with pytest.raises(TransitionError, match=r"登记机构|registry"):
        services.mark_performed(contract, actor=cast.buyer)
    draft = services.create_draft_contract(
        actor=cast.buyer, seller=cast.university, buyer=cast.enterprise, title="草稿", amount="10"
    )
    with pytest.raises(TransitionError):
        services.mark_performed(draft, actor=cast.buyer)
    assert not AuditEntry.objects.filter(action="contracts.contract.performed").exists()


@pytest.mark.parametrize("who", ["reviewer", "broker", "stranger", "official"])
def test_only_the_parties_declare_performance(cast, achievement, who):
    contract = make_signed_contract(cast, achievement)
    with pytest.raises(PermissionDenied):
        services.mark_performed(contract, actor=getattr(cast, who))


def test_a_performed_contract_is_closed(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.mark_performed(contract, actor=cast.buyer)
    with pytest.raises(TransitionError):
        services.mark_performed(contract, actor=cast.researcher)
    with pytest.raises(TransitionError):
        services.submit_for_registration(contract, actor=cast.researcher)


def test_the_button_on_the_contract_page(client, cast, achievement):
    contract = make_registered_contract(cast, achievement)
    client.force_login(cast.buyer)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-testid="mark-performed"' in page
    response = client.post(reverse("contracts:performed", args=[contract.pk]), follow=True)
    html = response.content.decode()
    assert 'data-testid="performed-notice"' in html and 'data-testid="mark-performed"' not in html
    assert "登记证明" in html or "Registration certificate" in html  # still registered: certificate stays
    contract.refresh_from_db()
    assert contract.status == ContractStatus.PERFORMED


def test_the_api_action(cast, achievement):
    contract = make_signed_contract(cast, achievement)
    api = APIClient()
    api.force_authenticate(cast.researcher)
    url = f"/api/v1/contracts/{contract.pk}/performed/"
    too_long = api.post(url, {"note": "长" * 501}, format="json")
    assert too_long.status_code == 400
    ok = api.post(url, {"note": "已交付"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "performed" and ok.json()["performed_at"]
    again = api.post(url, {}, format="json")
    assert again.status_code == 400 and again.json()["message"]
    api.force_authenticate(cast.stranger)
    assert api.post(url, {}, format="json").status_code == 404
