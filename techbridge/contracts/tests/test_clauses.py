"""Issue 22 point 9: a contract reads like a contract — clauses per 四技 type from the national model
texts, filled from the contract, editable by the parties before signing (page with htmx, and the API),
every edit audited and kept as a version, shown on the page and in the PDF; an edit after a party signed
voids the signatures and says so."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from techbridge.contracts import documents, services
from techbridge.contracts.clauses import CLAUSE_TEXT_MAX, yuan_in_words
from techbridge.contracts.models import Clause, ClauseVersion, Contract
from techbridge.core.models import AuditEntry
from techbridge.testing.cast import PASSWORD
from techbridge.testing.factories.contracts import make_draft_contract

pytestmark = pytest.mark.django_db

# Per type: (sub-type, a clause only that type's model text has, words of its text).
TYPES = {
    "development": ("commissioned", "risk", "研究开发失败"),
    "transfer": ("technical_secret", "registration", "著录项目变更"),
    "license": ("secret_license", "scope", "许可方式"),
    "consulting": ("consulting", "decision_risk", "作出决策所造成的损失，由甲方承担"),
    "service": ("service", "cooperation", "工作条件"),
}
SHARED = ("confidentiality", "acceptance", "liability", "disputes", "improvements")


def _draft(cast, achievement, contract_type="transfer", sub_type="technical_secret", **changes):
    contract = make_draft_contract(cast, achievement, amount="1050000.50")
    services.update_draft(
        contract,
        actor=cast.buyer,
        data={"contract_type": contract_type, "sub_type": sub_type, **changes},
    )
    return Contract.objects.get(pk=contract.pk)


def _text(contract, key):
    return Clause.objects.get(contract=contract, key=key).text


@pytest.mark.parametrize("contract_type", sorted(TYPES))
def test_each_type_gets_its_model_clauses_filled_from_the_contract(cast, achievement, contract_type):
    sub_type, own, words = TYPES[contract_type]
    contract = _draft(cast, achievement, contract_type, sub_type)

    keys = list(contract.clauses.values_list("key", flat=True))
    assert set(SHARED) <= set(keys) and own in keys
    assert words in _text(contract, own)
    parties = _text(contract, "parties")
    assert contract.buyer_name in parties and contract.seller_name in parties
    assert achievement.title in parties  # the subject
    price = contract.clauses.get(key="price").text
    assert "1,050,000.50" in price and "壹佰零伍万元伍角" in price
    assert "协商" in _text(contract, "disputes") and "南京仲裁委员会" in _text(contract, "disputes")
    assert "后续改进" in _text(contract, "improvements")
    # Each clause's text is kept as a version.
    for clause in contract.clauses.all():
        assert ClauseVersion.objects.get(contract=contract, key=clause.key, version=clause.version).text == (
            clause.text
        )


def test_amounts_are_written_in_capitals():
    assert yuan_in_words(Decimal("1050000.50")) == "壹佰零伍万元伍角"
    assert yuan_in_words(Decimal("880000")) == "捌拾捌万元整"
    assert yuan_in_words(Decimal("100000001.07")) == "壹亿零壹元零柒分"
    assert yuan_in_words(Decimal("20300")) == "贰万零叁佰元整"


def test_a_type_changed_back_and_forth_keeps_numbering_its_versions(cast, achievement):
    contract = _draft(cast, achievement, "consulting", "consulting")
    services.update_draft(
        contract, actor=cast.buyer, data={"contract_type": "transfer", "sub_type": "technical_secret"}
    )

    assert contract.clauses.filter(key="registration").exists()
    assert not contract.clauses.filter(key="decision_risk").exists()
    assert ClauseVersion.objects.filter(contract=contract, key="registration").count() == 2


def test_a_changed_amount_rewrites_model_clauses_but_not_a_partys_own_words(cast, achievement):
    contract = _draft(cast, achievement)
    services.edit_clause(
        contract, actor=cast.researcher, key="confidentiality", text="双方互负保密义务五年。"
    )

    services.update_draft(contract, actor=cast.buyer, data={"total_amount": Decimal("900000")})

    assert "900,000.00" in _text(contract, "price") and "玖拾万元整" in _text(contract, "price")
    assert Clause.objects.get(contract=contract, key="price").version == 2
    assert _text(contract, "confidentiality") == "双方互负保密义务五年。"


def test_a_party_rewrites_a_clause_in_place_and_every_version_is_kept(client, cast, achievement):
    contract = _draft(cast, achievement)
    client.force_login(cast.buyer)
    url = reverse("contracts:clause", args=[contract.pk, "acceptance"])

    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200 and "<form" in form.content.decode()
    assert "<html" not in form.content.decode()  # a fragment swapped into the page
    response = client.post(
        url, {"text": "甲方在收到样机后十五日内按附件测试方案验收。"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "条款已保存为第 2 版。" in html
    assert "甲方在收到样机后十五日内按附件测试方案验收。" in html
    assert list(
        ClauseVersion.objects.filter(contract=contract, key="acceptance").values_list("version", flat=True)
    ) == [1, 2]
    entry = AuditEntry.objects.filter(action="contracts.contract.clause_edited").get()
    assert entry.actor == cast.buyer and entry.data["version"] == 2
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "合同条款" in page and "甲方在收到样机后十五日内按附件测试方案验收。" in page
    assert "共 2 个版本" in page and "修改合同条款" in page  # the versions and the history entry


def test_an_empty_or_too_long_clause_is_refused_in_chinese(client, as_user, cast, achievement):
    contract = _draft(cast, achievement)
    client.force_login(cast.buyer)

    page = client.post(reverse("contracts:clause", args=[contract.pk, "liability"]), {"text": "  "})
    assert "条款内容不能为空，请填写条文。" in page.content.decode()
    api = as_user(cast.buyer)
    url = f"/api/v1/contracts/{contract.pk}/clauses/liability/"
    response = api.patch(url, {"text": "违" * (CLAUSE_TEXT_MAX + 1)}, format="json")
    assert response.status_code == 400
    assert Clause.objects.get(contract=contract, key="liability").version == 1
    assert api.patch(url, {}, format="json").json()["errors"]["text"] == ["请提交该条款的新文本。"]


def test_the_parties_choose_a_court_instead_of_arbitration(as_user, cast, achievement):
    contract = _draft(cast, achievement)

    response = as_user(cast.researcher).patch(
        f"/api/v1/contracts/{contract.pk}/clauses/disputes/",
        {"dispute_method": "court", "dispute_venue": "南京市玄武区人民法院"},
        format="json",
    )

    assert response.status_code == 200
    text = response.json()["clause"]["text"]
    assert "协商" in text and "向南京市玄武区人民法院提起诉讼" in text and "仲裁委员会" not in text
    contract.refresh_from_db()
    assert (contract.dispute_method, contract.dispute_venue) == ("court", "南京市玄武区人民法院")


def test_an_edit_after_one_side_signed_voids_it_and_says_so(client, as_user, cast, achievement):
    contract = _draft(cast, achievement)
    services.sign_with_password(contract, actor=cast.researcher, password=PASSWORD, address="10.0.0.8")
    assert contract.signatures.count() == 1

    response = as_user(cast.buyer).patch(
        f"/api/v1/contracts/{contract.pk}/clauses/confidentiality/",
        {"text": "保密期限为合同终止后十年。"},
        format="json",
    )

    body = response.json()
    assert response.status_code == 200 and body["signatures_voided"] == ["seller"]
    assert "原有签署已作废" in body["message"] and "卖方" in body["message"]
    assert contract.signatures.count() == 0
    assert AuditEntry.objects.filter(action="contracts.contract.signatures_voided").exists()
    # On the page: the seller signs again, the buyer edits, and is told the same.
    services.sign_with_password(contract, actor=cast.researcher, password=PASSWORD, address="10.0.0.8")
    client.force_login(cast.buyer)
    page = client.post(
        reverse("contracts:clause", args=[contract.pk, "confidentiality"]),
        {"text": "保密期限为合同终止后五年。"},
        follow=True,
    ).content.decode()
    assert "原有签署已作废" in page and contract.signatures.count() == 0


def test_a_signed_contract_cannot_have_its_clauses_edited(as_user, cast, achievement):
    contract = _draft(cast, achievement)
    for user in (cast.researcher, cast.buyer):
        services.sign_with_password(contract, actor=user, password=PASSWORD, address="10.0.0.8")

    response = as_user(cast.buyer).patch(
        f"/api/v1/contracts/{contract.pk}/clauses/liability/", {"text": "改"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["message"] == "已签署的合同不能修改，请发起变更。"
    assert Clause.objects.get(contract=contract, key="liability").version == 1


def test_clauses_are_in_the_contract_pdf_and_a_new_text_makes_a_new_pdf(cast, achievement):
    contract = _draft(cast, achievement)
    before = documents.source(contract)
    services.edit_clause(
        contract, actor=cast.buyer, key="liability", text="违约方按合同总金额百分之十支付违约金。"
    )

    with translation.override("zh-hans"):
        html = render_to_string("contracts/pdf/contract.html", documents.pdf_context(contract))

    assert "保密" in html and "违约方按合同总金额百分之十支付违约金。" in html
    assert "第1条" in html and "争议解决" in html
    assert documents.source(contract) != before


def test_the_api_lists_clauses_with_their_versions(as_user, cast, achievement):
    contract = _draft(cast, achievement)
    services.edit_clause(contract, actor=cast.buyer, key="liability", text="违约金为合同总金额的百分之十。")

    clauses = as_user(cast.researcher).get(f"/api/v1/contracts/{contract.pk}/clauses/").json()

    liability = next(c for c in clauses if c["key"] == "liability")
    assert liability["version"] == 2 and [v["version"] for v in liability["versions"]] == [2, 1]
    assert liability["versions"][0]["edited_by"] == cast.buyer.display_name
    assert liability["versions"][1]["edited_by"] is None
    assert as_user(cast.outsider).get(f"/api/v1/contracts/{contract.pk}/clauses/").status_code == 404


def test_an_amendment_starts_from_the_signed_clauses(cast, achievement):
    contract = _draft(cast, achievement)
    services.edit_clause(contract, actor=cast.buyer, key="liability", text="违约金为合同总金额的百分之十。")
    for user in (cast.researcher, cast.buyer):
        services.sign_with_password(contract, actor=user, password=PASSWORD, address="10.0.0.8")
    contract.refresh_from_db()

    amendment = services.amend_contract(contract, actor=cast.buyer)

    assert _text(amendment, "liability") == "违约金为合同总金额的百分之十。"
    assert amendment.clauses.count() == contract.clauses.count()


def test_verify_contract_shows_the_signature_evidence(cast, achievement, capsys):
    contract = _draft(cast, achievement)
    for user in (cast.researcher, cast.buyer):
        services.sign_with_password(contract, actor=user, password=PASSWORD, address="10.0.0.8")

    call_command("verify_contract", str(contract.pk))

    out = capsys.readouterr().out
    assert "intact" in out and out.count("method password, address 10.0.0.8") == 2
