"""Typical cases: written from a platform record (facts copied, consent before publication) or by hand,
published and found by a Chinese search, on the page and through the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from techbridge.carriers import services
from techbridge.carriers.case_sources import case_sources
from techbridge.carriers.choices import CaseStatus
from techbridge.carriers.models import TypicalCase
from techbridge.contracts import services as contract_services
from techbridge.contracts.choices import ContractStatus
from techbridge.contracts.models import Contract

pytestmark = pytest.mark.django_db


def _registered_contract(cast) -> Contract:
    contract = contract_services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="高安全锂电池隔膜专利转让合同",
        amount=Decimal("1200000"),
        deal_mode="assignment",
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.REGISTERED,
        submitted_at=timezone.now(),
        registered_at=timezone.now(),
        technology_amount=Decimal("1100000"),
    )
    return Contract.objects.get(pk=contract.pk)


BODY = {
    "title": "示范大学锂电池隔膜专利成功转让示范企业",
    "category": "transfer",
    "year": "2025",
    "summary": "一项高校专利通过平台洽谈、签约并完成技术合同认定登记。",
    "body": "示范大学研发的高孔隙率隔膜技术，经平台撮合，与示范企业达成专利转让，产品已进入中试。",
    "organizations": "",
    "carrier_name": "",
    "fields": "nev",
    "district": "",
    "zone": "",
}


def test_a_case_from_a_registered_contract_copies_its_facts_and_needs_consent(client, cast, run_on_commit):
    contract = _registered_contract(cast)
    assert {s.code for s in case_sources()} >= {"contract", "room", "lot"}
    client.force_login(cast.reviewer)
    # The picker finds the contract by its title.
    picked = client.get(reverse("pick", args=["case-contract"]), {"q": "隔膜"}).content.decode()
    assert f'data-value="#{contract.pk} ' in picked
    page = client.get(
        reverse("carriers_console:case_create"), {"source_kind": "contract", "source_id": contract.pk}
    )
    assert "示范企业有限公司" in page.content.decode()
    r = client.post(
        reverse("carriers_console:case_create"), {**BODY, "source_kind": "contract", "source_id": contract.pk}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    case = TypicalCase.objects.get()
    assert case.source_facts["parties"] == ["示范大学", "示范企业有限公司"]
    assert case.source_facts["amount"] == "1100000.00"  # the certified technology amount
    assert set(case.organizations.values_list("name", flat=True)) == {"示范大学", "示范企业有限公司"}
    assert case.district == "jiangning" or case.district == cast.university.district
    # Without the parties' consent it is not published.
    with run_on_commit(execute=True):
        client.post(reverse("carriers_console:case", args=[case.pk]), {"action": "publish"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    form = {**BODY, "consent": "on", "organizations": "示范大学\n示范企业有限公司"}
    with run_on_commit(execute=True):
        client.post(reverse("carriers_console:case", args=[case.pk]), form)
        client.post(reverse("carriers_console:case", args=[case.pk]), {"action": "publish"})
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED

    client.logout()
    detail = client.get(reverse("carriers:case", args=[case.pk])).content.decode()
    assert "示范大学" in detail and "110" not in detail  # the amount stays private unless shown
    found = client.get(reverse("carriers:cases"), {"q": "隔膜专利"})
    assert [c.pk for c in found.context["page"]] == [case.pk]
    assert client.get(reverse("carriers:cases"), {"q": "北斗导航"}).context["page"].paginator.count == 0
    api = client.get("/api/v1/carriers/cases/", {"q": "隔膜"}).json()
    assert api["count"] == 1 and "amount" not in api["results"][0]["facts"]


def test_a_case_by_hand_is_published_searched_and_withdrawn(api, cast, run_on_commit):
    api.force_authenticate(cast.buyer)
    assert api.post("/api/v1/carriers/cases/", {}, format="json").status_code == 403
    api.force_authenticate(cast.operator)
    body = {
        "title": "江北新区众创空间孵化集成电路设计企业",
        "category": "incubation",
        "year": 2024,
        "summary": "从创业苗圃到加速器的孵化链条。",
        "body": "某集成电路设计团队入驻众创空间，两年后毕业进入加速器。",
        "fields": ["ic"],
        "show_amount": False,
    }
    r = api.post("/api/v1/carriers/cases/", body, format="json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    with run_on_commit(execute=True):
        assert api.post(f"/api/v1/carriers/cases/{pk}/publish/").json()["status"] == "published"
    api.force_authenticate(None)
    assert api.get("/api/v1/carriers/cases/", {"q": "集成电路 孵化"}).json()["count"] == 1
    api.force_authenticate(cast.operator)
    with run_on_commit(execute=True):
        api.post(f"/api/v1/carriers/cases/{pk}/withdraw/")
    api.force_authenticate(None)
    assert api.get("/api/v1/carriers/cases/", {"q": "孵化"}).json()["count"] == 0
    assert api.get(f"/api/v1/carriers/cases/{pk}/").status_code == 404


def test_a_case_needs_a_record_it_may_use(cast):
    with pytest.raises(ValidationError):
        services.create_case(
            actor=cast.reviewer,
            data={"title": "x", "category": "transfer", "summary": "s", "body": "b", "year": 2024},
            source_kind="contract",
            source_id=999999,
        )
    with pytest.raises(ValidationError):
        services.create_case(
            actor=cast.reviewer,
            data={"title": "x", "category": "transfer", "summary": "s", "body": "b", "year": 2024},
            source_kind="unknown",
            source_id=1,
        )


def test_case_list_pins_its_queries(client, cast, pinned_queries):
    now = timezone.now()
    for n in range(25):
        TypicalCase.objects.create(
            title=f"典型案例{n}", category="transfer", summary="摘要", body="正文", year=2024,
            status=CaseStatus.PUBLISHED, published_at=now,
        )  # fmt: skip
    with pinned_queries("page"):
        assert len(client.get(reverse("carriers:cases")).context["page"]) == 20
    with pinned_queries("api"):
        assert client.get("/api/v1/carriers/cases/").json()["count"] == 25
