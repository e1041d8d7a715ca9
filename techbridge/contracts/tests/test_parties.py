"""Natural persons and organisations abroad as parties, on either side (issue 18, point 2).

Worked cases, each citing what it follows:

- 技术合同认定规则 art. 4: technology contracts are made by legal persons, other organisations and
  natural persons alike, so an individual inventor may be the seller (让与人) and a natural person the
  buyer; a credit code is asked only of an organisation registered in China.
- 技术合同认定登记管理办法 (按地域一次登记): the seller applies to the registry of its location; an
  inventor with no platform organisation applies at the counter, so a registry officer enters and
  submits the contract, and the statistics place the seller by the district declared.
- 技术进出口管理条例: a contract with a seller abroad is a technology import, with a buyer abroad an
  export — recorded with the commerce department as well (flagged, advisory).
- Identity numbers (GB 11643) are shown masked everywhere; whole only to the registry officer deciding.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from techbridge.contracts import metrics, queries, services
from techbridge.contracts.models import Contract
from techbridge.contracts.rules.cn2001 import RULES
from techbridge.core.registry import Period
from techbridge.testing.factories.contracts import make_draft_contract

pytestmark = pytest.mark.django_db

# GB 11643: Σ d_i × w_i of the 17 digits = 167; 167 mod 11 = 2 → check character "X".
INVENTOR_ID = "11010519491231002X"
INVENTOR_MASKED = "1101**********002X"


def _this_year() -> Period:
    return Period.year(timezone.localdate().year)


def _officer_form(cast, **seller):
    return {
        "title": "个人发明专利权转让",
        "contract_type": "transfer",
        "sub_type": "patent_right",
        "subject_kind": "invention_patent",
        "subject_legal_status": "granted",
        "total_amount": "300000",
        "equipment_amount": "0",
        "materials_amount": "0",
        "other_non_tech_amount": "0",
        "exclusivity": "",
        "buyer_party_kind": "organization",
        "buyer_credit_code": cast.enterprise.credit_code,
        "signed_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        **seller,
    }


INVENTOR = {
    "seller_party_kind": "person",
    "seller_name": "张发明",
    "seller_id_type": "resident_id",
    "seller_id_number": INVENTOR_ID,
    "seller_district": "xuanwu",
}


def _inventor_contract(client, cast) -> Contract:
    client.force_login(cast.reviewer)
    response = client.post(reverse("contracts:external"), _officer_form(cast, **INVENTOR))
    contract = Contract.objects.get()
    assert response.url == reverse("contracts:detail", args=[contract.pk])
    return contract


def test_an_individual_inventor_sells_his_patent_through_the_registry_counter(client, cast):
    """认定规则 art. 4: 张发明, a natural person in Xuanwu, assigns his granted invention patent to 示范企业
    for 300,000 yuan. The registry officer enters the paper application (no credit code for the seller),
    submits it for him, and another officer registers it: 技术交易额 = 300,000 − 0 = 300,000 yuan."""
    contract = _inventor_contract(client, cast)
    assert (contract.seller, contract.seller_name, contract.seller_credit_code) == (None, "张发明", "")
    assert (contract.seller_party_kind, contract.seller_id_number, contract.seller_district) == (
        "person",
        INVENTOR_ID,
        "xuanwu",
    )
    checks = {c.code: c for c in RULES.checks(contract)}
    assert checks["parties"].passed and checks["import"].passed and not contract.is_cross_border

    # The officer records the application (the inventor has no platform organisation to do it).
    client.post(reverse("contracts:submit", args=[contract.pk]))
    contract.refresh_from_db()
    assert contract.status == "submitted"
    services.register_contract(contract, actor=cast.operator)
    contract.refresh_from_db()
    assert (contract.status, contract.technology_amount) == ("registered", Decimal("300000.00"))

    # 管理办法: the seller's location counts: a Nanjing inventor's contract is in the city's turnover,
    # in his district, and in no organisation's figures.
    year = _this_year()
    assert metrics.turnover(year) == Decimal("300000.00")
    assert metrics.turnover(year, district="xuanwu") == Decimal("300000.00")
    assert metrics.turnover(year, district="gulou") == Decimal("0")
    assert metrics.turnover_by_place(year) == {("xuanwu", None): Decimal("300000.00")}
    assert metrics.turnover_by_organization(year) == {}
    rows = {r["key"]: r for r in queries.breakdown("seller_kind")}
    assert rows["person"]["label"] == "自然人" and rows["person"]["turnover"] == Decimal("300000.00")
    assert {r["key"] for r in queries.breakdown("district")} == {"xuanwu"}


def test_a_person_seller_outside_nanjing_is_not_in_the_city_turnover(client, cast):
    """The 300亿元 target counts Nanjing sellers: an inventor living outside Nanjing is registered but
    not counted."""
    client.force_login(cast.reviewer)
    client.post(
        reverse("contracts:external"), _officer_form(cast, **{**INVENTOR, "seller_district": "outside"})
    )
    contract = Contract.objects.get()
    services.submit_for_registration(contract, actor=cast.reviewer)
    services.register_contract(contract, actor=cast.operator)
    assert metrics.turnover(_this_year()) == Decimal("0")
    assert metrics.registered(_this_year()) == 0


def test_an_inventor_without_document_or_district_is_refused_with_the_reason(client, cast):
    client.force_login(cast.reviewer)
    bad = {**INVENTOR, "seller_id_number": "110105194912310021", "seller_district": ""}
    page = client.post(reverse("contracts:external"), _officer_form(cast, **bad)).content.decode()
    assert "该证件号码无效" in page
    assert "请填写卖方居住或工作所在的区" in page
    assert not Contract.objects.exists()


def test_the_identity_number_is_whole_only_for_the_officer_deciding(client, cast):
    """Masked on every page, the PDF and the API for the parties and for officers not deciding;
    the officer deciding the registration reads it whole (to check it against the paper)."""
    contract = _inventor_contract(client, cast)
    services.submit_for_registration(contract, actor=cast.reviewer)

    client.force_login(cast.buyer)  # the buyer's side: a party, masked
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert INVENTOR_MASKED in page and INVENTOR_ID not in page
    api = client.get(f"/api/v1/contracts/{contract.pk}/").json()
    assert (api["seller_id_masked"], api["seller_id_number"], api["seller_party_kind"]) == (
        INVENTOR_MASKED,
        None,
        "person",
    )
    listing = client.get("/api/v1/contracts/").content.decode()
    assert INVENTOR_MASKED in listing and INVENTOR_ID not in listing
    pdf_html = render_to_string(
        "contracts/pdf/contract.html", {"contract": contract, "signatures": {}, "instalments": []}
    )
    assert INVENTOR_MASKED in pdf_html and INVENTOR_ID not in pdf_html

    client.force_login(cast.reviewer)  # deciding: whole
    review = client.get(reverse("contracts_console:review", args=[contract.pk])).content.decode()
    assert INVENTOR_ID in review
    assert client.get(f"/api/v1/contracts/{contract.pk}/").json()["seller_id_number"] == INVENTOR_ID

    services.register_contract(contract, actor=cast.reviewer)  # decided: masked again
    review = client.get(reverse("contracts_console:review", args=[contract.pk])).content.decode()
    assert INVENTOR_MASKED in review and INVENTOR_ID not in review
    certificate = render_to_string("contracts/pdf/certificate.html", {"contract": contract})
    assert INVENTOR_MASKED in certificate and INVENTOR_ID not in certificate


def test_only_a_registry_officer_enters_a_seller_that_is_no_platform_organisation(client, cast):
    client.force_login(cast.researcher)
    body = {
        "title": "个人专利转让",
        "contract_type": "transfer",
        "sub_type": "patent_right",
        "total_amount": "1000",
        "buyer_credit_code": cast.enterprise.credit_code,
        "signed_on": timezone.localdate().isoformat(),
        **INVENTOR,
    }
    response = client.post("/api/v1/contracts/", body, content_type="application/json")
    assert response.status_code == 403
    assert "只有登记机构" in response.json()["message"]
    # The member's page has no seller fields: the seller is the member's own organisation.
    page = client.get(reverse("contracts:external")).content.decode()
    assert 'name="seller_party_kind"' not in page

    client.force_login(cast.reviewer)
    response = client.post("/api/v1/contracts/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["seller_name"] == "张发明" and response.json()["seller"] is None


def test_a_seller_abroad_makes_a_technology_import(client, cast):
    """技术进出口管理条例: a licence from a company in Germany to 示范企业 is a technology import — flagged
    (advisory: recorded with the commerce department), not refused; two parties abroad are refused."""
    client.force_login(cast.reviewer)
    body = {
        "title": "引进德国激光焊接技术许可",
        "contract_type": "license",
        "sub_type": "secret_license",
        "total_amount": "800000",
        "seller_party_kind": "foreign",
        "seller_name": "Laser Technik GmbH",
        "seller_country": "德国",
        "buyer_credit_code": cast.enterprise.credit_code,
        "signed_on": timezone.localdate().isoformat(),
    }
    both = {**body, "buyer_party_kind": "foreign", "buyer_name": "Acme Inc.", "buyer_country": "美国"}
    refused = client.post("/api/v1/contracts/", both, content_type="application/json")
    assert refused.status_code == 400 and "一方须在中国境内" in refused.content.decode()

    response = client.post("/api/v1/contracts/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["technology_trade"], data["is_cross_border"], data["seller_district"]) == (
        "import",
        True,
        "outside",
    )
    contract = Contract.objects.get(pk=data["id"])
    checks = {c.code: c for c in RULES.checks(contract)}
    assert checks["parties"].passed and not checks["import"].passed and not checks["import"].blocking
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-testid="import-flag"' in page
    services.submit_for_registration(contract, actor=cast.reviewer)
    services.register_contract(contract, actor=cast.operator)
    assert metrics.turnover(_this_year()) == Decimal("0")  # a seller abroad is not a Nanjing seller


def test_a_platform_draft_names_the_inventor_and_the_parent_abroad_each_side_acts_for(client, cast):
    """认定规则 art. 4 on a contract made on the platform: 示范大学's transfer office negotiated for
    the inventor who owns the patent (a non-service invention), so the seller side names him; 示范企业
    signs for its parent company in Singapore, so the buyer side names it — a technology export. The
    organisations keep acting (they sign on the platform); neither side declares the other's party."""
    draft = make_draft_contract(cast)
    client.force_login(cast.researcher)
    url = f"/api/v1/contracts/{draft.pk}/"
    other_side = client.patch(url, {"buyer_party_kind": "person"}, content_type="application/json")
    assert other_side.status_code == 403
    response = client.patch(url, INVENTOR, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["seller_name"], response.json()["seller_credit_code"]) == ("张发明", "")
    assert response.json()["seller"] == cast.university.pk

    client.force_login(cast.buyer)
    form = client.get(reverse("contracts:edit", args=[draft.pk])).content.decode()
    assert 'name="party-buyer_party_kind"' in form and 'name="party-seller_party_kind"' not in form
    response = client.post(
        reverse("contracts:edit", args=[draft.pk]),
        {
            "title": draft.title,
            "contract_type": "transfer",
            "sub_type": draft.sub_type,
            "subject_kind": draft.subject_kind,
            "subject_legal_status": draft.subject_legal_status,
            "total_amount": "1000000",
            "equipment_amount": "0",
            "materials_amount": "0",
            "other_non_tech_amount": "0",
            "payment_terms": "lump_sum",
            "exclusivity": "",
            "party-buyer_party_kind": "foreign",
            "party-buyer_name": "Demo Holdings Pte. Ltd.",
            "party-buyer_country": "新加坡",
            "lines": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert (draft.buyer_name, draft.buyer_id, draft.technology_trade) == (
        "Demo Holdings Pte. Ltd.",
        cast.enterprise.pk,
        "export",
    )
    assert RULES.parties_identified(draft)
    page = client.get(reverse("contracts:detail", args=[draft.pk])).content.decode()
    assert 'data-testid="export-flag"' in page and INVENTOR_MASKED in page and INVENTOR_ID not in page


BEFORE = ("contracts", "0005_merge_subject_buyers_and_performed_state")
AFTER = ("contracts", "0006_add_natural_person_and_foreign_sellers")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_contracts_migrate_with_an_organisation_seller():
    """contracts.0006: a contract written before it keeps its seller organisation, name, credit code,
    amounts and registration; its seller becomes an organisation party, nothing else changes."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    Organization = old.get_model("organizations", "Organization")
    OldContract = old.get_model("contracts", "Contract")
    seller = Organization.objects.create(
        name="迁移大学", kind="university", status="approved", credit_code="91320100MA1XXXXX0Y"
    )
    buyer = Organization.objects.create(name="迁移企业", kind="enterprise", status="approved")
    OldContract.objects.create(
        number="HT-MIG-1",
        title="迁移前的合同",
        contract_type="transfer",
        sub_type="patent_right",
        seller=seller,
        buyer=buyer,
        seller_name="迁移大学",
        seller_credit_code="91320100MA1XXXXX0Y",
        buyer_name="迁移企业",
        total_amount=Decimal("500000"),
        technology_amount=Decimal("450000"),
        status="registered",
        registration_number="20263201000099",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps.get_model("contracts", "Contract")
    row = new.objects.get(number="HT-MIG-1")
    assert (row.seller_id, row.seller_name, row.seller_credit_code, row.seller_party_kind) == (
        seller.pk,
        "迁移大学",
        "91320100MA1XXXXX0Y",
        "organization",
    )
    assert (row.seller_id_number, row.seller_district, row.buyer_id, row.buyer_party_kind) == (
        "",
        "",
        buyer.pk,
        "organization",
    )
    assert (row.total_amount, row.technology_amount, row.status, row.registration_number) == (
        Decimal("500000.00"),
        Decimal("450000.00"),
        "registered",
        "20263201000099",
    )
    # A fresh executor: the first one still believes the migrations after 0006 are unapplied.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_officer_imports_an_inventors_contract_once_and_a_member_cannot(cast, tmp_path):
    """The import takes the seller's kind (卖方类型 自然人), document and district; a re-import of the
    same 原合同编号 for the same inventor enters nothing; a member may not import it (only the registry
    receives an individual's application)."""
    from techbridge.contracts.importing import import_contracts

    path = tmp_path / "个人合同.csv"
    path.write_text(
        "合同名称,合同类型,合同子类型,卖方类型,卖方名称,卖方证件类型,卖方证件号码,卖方所在区,"
        "买方统一社会信用代码,合同金额,签订日期,原合同编号\n"
        f"个人专利转让,技术转让,专利权转让,自然人,张发明,居民身份证,{INVENTOR_ID},玄武区,"
        f"{cast.enterprise.credit_code},30万,2026-02-01,GR-001\n",
        encoding="utf-8",
    )
    refused = import_contracts(actor=cast.researcher, path=path)
    assert refused.created == [] and refused.errors[0][0] == 2

    first = import_contracts(actor=cast.reviewer, path=path)
    again = import_contracts(actor=cast.reviewer, path=path)
    contract = Contract.objects.get()
    assert [c.pk for c in first.created] == [contract.pk] and again.report.unchanged == 1
    assert (contract.seller, contract.seller_name, contract.seller_id_number, contract.seller_district) == (
        None,
        "张发明",
        INVENTOR_ID,
        "xuanwu",
    )
