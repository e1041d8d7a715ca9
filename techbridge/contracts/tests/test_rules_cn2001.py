"""The national registration rules (技术合同认定规则 2001, 技术合同认定登记管理办法 2000), one worked case per
rule: inputs, the hand-computed result and the article it follows (docs/deals-contracts.md, issue 18)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from techbridge.contracts import services
from techbridge.contracts.models import Contract
from techbridge.contracts.rules import Subject, get_rules, rule_set_name
from techbridge.contracts.rules.cn2001 import RULES, VERSION
from techbridge.mining.models import AchievementPackage
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.contracts import make_signed_contract

INV, UM, DESIGN = "invention_patent", "utility_model", "design"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the Chinese catalogue is tested by the i18n tests)."""
    with translation.override("en"):
        yield


def cls(deal_mode="", subjects=(), **kw):
    c = RULES.classify(deal_mode=deal_mode, subjects=list(subjects), **kw)
    return (c.contract_type, c.sub_type)


# ---- classification (认定规则; 民法典 art. 851, 862–863, 878) ------------------------------------------


def test_the_rules_in_force_are_named_by_the_texts_they_implement():
    assert get_rules() is RULES and RULES.version == VERSION == "CN-2001"
    assert "国科发政字〔2001〕253号" in RULES.name and "技术合同认定登记管理办法" in RULES.name
    # Contracts registered before issue 18 carry the old code; it names the same texts.
    assert rule_set_name("MIIT-2026") == RULES.name and rule_set_name("X-1") == "X-1"


@pytest.mark.parametrize(
    ("deal_mode", "expected_type"),
    [
        ("assignment", "transfer"),
        ("equity", "transfer"),  # 作价投资: the rights pass to the company — a transfer
        ("license-exclusive", "license"),
        ("license-sole", "license"),
        ("license-ordinary", "license"),
        ("open-license", "license"),
        ("development", "development"),
        ("service", "service"),
        ("consulting", "consulting"),
    ],
)
def test_every_deal_mode_decides_its_contract_type(deal_mode, expected_type):
    assert RULES.classify(deal_mode=deal_mode).contract_type == expected_type


@pytest.mark.parametrize("deal_mode", ["", "barter", "unknown-mode"])
def test_a_blank_or_unknown_deal_mode_is_not_silently_a_transfer(deal_mode):
    c = RULES.classify(deal_mode=deal_mode, subjects=[Subject(INV, "granted")])
    assert (c.contract_type, c.sub_type, c.decided) == ("", "", False)
    assert "choose" in c.question


def test_an_explicit_type_wins_over_the_deal_mode_and_a_foreign_sub_type_is_ignored():
    assert cls("assignment", contract_type="consulting") == ("consulting", "consulting")
    assert cls("assignment", contract_type="development", sub_type="cooperative") == (
        "development",
        "cooperative",
    )
    # patent_right is not a development sub-type: it is ignored, and the deal mode decides.
    assert cls("development", sub_type="patent_right") == ("development", "commissioned")
    assert cls("", contract_type="development", sub_type="patent_right") == ("development", "")


@pytest.mark.parametrize(
    ("deal_mode", "subject", "expected"),
    [
        # Patents by legal status (民法典 art. 863): an application is not yet a patent right.
        ("assignment", Subject(INV, "pending"), "patent_application"),
        ("assignment", Subject(UM, "granted"), "patent_right"),
        ("license-sole", Subject(INV, "pending"), "application_license"),
        ("license-sole", Subject(INV, "granted"), "patent_license"),
        # A patent that left protection keeps its sub-type; the check refuses it (below).
        ("assignment", Subject(INV, "expired"), "patent_right"),
        ("license-ordinary", Subject(UM, "invalidated"), "patent_license"),
        # Other subjects by kind.
        ("assignment", Subject("technical_secret"), "technical_secret"),
        ("license-exclusive", Subject("technical_secret"), "secret_license"),
        ("assignment", Subject("software"), "software_copyright"),
        ("license-ordinary", Subject("software"), "other_license"),
        ("assignment", Subject("ic_layout"), "other_transfer"),
        ("license-ordinary", Subject("plant_variety"), "other_license"),
    ],
)
def test_transfer_and_licence_sub_type_follows_the_subject(deal_mode, subject, expected):
    assert cls(deal_mode, [subject])[1] == expected


@pytest.mark.parametrize(
    ("deal_mode", "subjects", "asks"),
    [
        ("assignment", [], "what is transferred"),
        ("assignment", [Subject(INV, "")], "legal status"),
        ("assignment", [Subject("biomedicine")], "what is transferred"),
        ("license-ordinary", [Subject("other")], "what is transferred"),
        ("assignment", [Subject(INV, "granted"), Subject("technical_secret")], "different kinds"),
        ("assignment", [Subject(INV, "granted"), Subject(DESIGN, "granted")], "design patents"),
        ("", [], "sub-type"),  # an explicit development: 委托 or 合作 — the parties say which
    ],
)
def test_the_rules_ask_instead_of_guessing(deal_mode, subjects, asks):
    explicit = "development" if not deal_mode else ""
    c = RULES.classify(deal_mode=deal_mode, subjects=subjects, contract_type=explicit)
    assert c.contract_type and not c.sub_type and asks in c.question


def test_deal_modes_that_name_a_sub_type():
    # A priced development offer is a commission (民法典 art. 851–852); 技术服务 names its sub-type.
    assert cls("development") == ("development", "commissioned")
    assert cls("service") == ("service", "service")
    assert cls("consulting") == ("consulting", "consulting")  # the type's only sub-type
    assert cls("", contract_type="service") == ("service", "")  # 服务, 培训 or 中介: chosen


def test_a_package_takes_the_sub_type_its_members_agree_on():
    # An invention and a utility model, both granted: 专利权转让 for the package.
    assert cls("assignment", [Subject(INV, "granted"), Subject(UM, "granted")]) == (
        "transfer",
        "patent_right",
    )
    # One granted, one pending: 专利权 and 专利申请权 differ — the parties choose.
    assert cls("assignment", [Subject(INV, "granted"), Subject(INV, "pending")]) == ("transfer", "")


# ---- checks an officer sees (民法典 art. 865; 专利法 art. 2) -------------------------------------------


def _contract(**kw):
    values = {
        "contract_type": "transfer",
        "sub_type": "patent_right",
        "subject_kind": INV,
        "subject_legal_status": "granted",
        "total_amount": Decimal("100"),
        "seller_credit_code": "x",
        "buyer_credit_code": "y",
        "origin": "external",
    }
    values.update(kw)
    return Contract(**values)


def _failed(contract):
    return {c.code for c in RULES.checks(contract) if c.blocking and not c.passed}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["lapsed", "expired", "invalidated"])
def test_a_patent_in_the_public_domain_cannot_be_transferred_or_licensed(status):
    assert _failed(_contract(subject_legal_status=status, signed_at=None)) >= {"subject_in_force"}
    licence = _contract(contract_type="license", sub_type="patent_license", subject_legal_status=status)
    assert "subject_in_force" in _failed(licence)


@pytest.mark.django_db
def test_sub_type_must_match_the_legal_status():
    assert "sub_type_status" in _failed(_contract(subject_legal_status="pending"))
    assert "sub_type_status" in _failed(_contract(sub_type="patent_application"))
    assert "sub_type_status" not in _failed(
        _contract(sub_type="patent_application", subject_legal_status="pending")
    )


@pytest.mark.django_db
def test_a_design_patent_is_not_a_technical_subject():
    # 专利法 art. 2: a design is not a technical solution; its transfer or licence is not registered.
    assert "technical_subject" in _failed(_contract(subject_kind=DESIGN))
    assert "technical_subject" not in _failed(_contract(subject_kind=UM))
    # A design developed to order is a service to the design, not a transfer of it: not concerned.
    dev = _contract(contract_type="development", sub_type="commissioned", subject_kind=DESIGN)
    assert "technical_subject" not in _failed(dev)


@pytest.mark.django_db
def test_a_patent_sub_type_needs_a_stated_legal_status_even_without_a_declared_kind():
    assert "legal_status" in _failed(_contract(subject_kind="", subject_legal_status=""))
    assert "legal_status" not in _failed(_contract(subject_kind="", sub_type="technical_secret"))


# ---- technology transaction amount (认定规则: 技术交易额; 民法典 art. 862 para. 3) -------------------


@pytest.mark.django_db
def test_items_carrying_the_technology_are_not_deducted_as_non_technical():
    # 1,000,000 contract; equipment 200,000 (of which prototypes 50,000), materials 100,000, other 30,000.
    c = _contract(
        total_amount=Decimal("1000000"),
        equipment_amount=Decimal("200000"),
        materials_amount=Decimal("100000"),
        other_non_tech_amount=Decimal("30000"),
        carrier_amount=Decimal("50000"),
    )
    # declared: 1,000,000 − (330,000 − 50,000) = 720,000
    assert c.declared_technology_amount == RULES.certify_amount(c) == Decimal("720000.00")
    # the officer accepts 20,000 only: 1,000,000 − (330,000 − 20,000) = 690,000
    assert RULES.certify_amount(c, carrier_amount=Decimal("20000")) == Decimal("690000.00")
    # never more than the equipment and materials it is part of: 1,000,000 − 30,000 = 970,000
    assert RULES.certify_amount(c, carrier_amount=Decimal("999999")) == Decimal("970000.00")
    c.carrier_amount = Decimal("300001")
    assert "carrier" in _failed(c)
    with pytest.raises(ValidationError) as exc:
        c.clean()
    assert "carrier_amount" in exc.value.message_dict


# ---- through the services and pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pending_application_becomes_a_patent_application_transfer(cast):
    pending = make_achievement(cast, title="待授权的隔膜专利申请", legal_status="pending")
    draft = services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="专利申请权转让合同",
        amount=Decimal("300000"),
        achievement=pending,
        deal_mode="assignment",
    )
    assert (draft.contract_type, draft.sub_type) == ("transfer", "patent_application")
    assert (draft.subject_kind, draft.subject_legal_status) == (INV, "pending")


@pytest.mark.django_db
def test_registration_of_a_lapsed_patent_is_refused_with_the_reason(client, cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    # The officer finds in the CNIPA register that the annual fees went unpaid (终止).
    with pytest.raises(ValidationError) as exc:
        services.register_contract(contract, actor=cast.reviewer, subject_legal_status="lapsed")
    assert any("public domain" in m for m in exc.value.message_dict["checks"])
    contract.refresh_from_db()
    assert contract.status == "submitted" and contract.subject_legal_status == "granted"
    # On the review page the failed checks are the reason offered for 未予登记.
    Contract.objects.filter(pk=contract.pk).update(subject_legal_status="lapsed")
    client.force_login(cast.reviewer)
    page = client.get(
        reverse("contracts_console:review", args=[contract.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "public domain" in page.split('name="reason"')[1].split("</textarea>")[0]


@pytest.mark.django_db
def test_officer_records_the_legal_status_and_accepts_the_carrier_cost(cast, achievement):
    contract = make_signed_contract(
        cast,
        achievement,
        amount="1000000.00",
        equipment_amount=Decimal("200000"),
        carrier_amount=Decimal("50000"),
    )
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer, carrier_amount="20000")
    contract.refresh_from_db()
    # 1,000,000 − (200,000 − 20,000) = 820,000
    assert contract.technology_amount == Decimal("820000.00")
    assert contract.carrier_amount_accepted == Decimal("20000.00") and contract.rules_version == "CN-2001"


@pytest.mark.django_db
def test_a_draft_with_an_unknown_deal_mode_cannot_be_signed_until_its_type_is_chosen(cast, achievement):
    draft = services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="方式未定的合同",
        amount=Decimal("1000"),
        achievement=achievement,
    )
    assert (draft.contract_type, draft.sub_type) == ("", "")
    with pytest.raises(ValidationError) as exc:
        services.sign_contract(draft, actor=cast.buyer)
    assert "Decide the contract type" in exc.value.messages[0]
    # Choosing a licence lets the rules decide the sub-type from the granted patent.
    services.update_draft(draft, actor=cast.buyer, data={"contract_type": "license"})
    draft.refresh_from_db()
    assert (draft.contract_type, draft.sub_type) == ("license", "patent_license")
    services.sign_contract(draft, actor=cast.buyer)


@pytest.mark.django_db
def test_a_package_whose_members_differ_asks_for_the_sub_type(cast, achievement):
    secret = make_achievement(cast, title="隔膜涂布工艺", kind="technical_secret", legal_status="")
    package = AchievementPackage.objects.create(title="隔膜成果包")
    package.achievements.add(achievement, secret)
    draft = services.create_draft_contract(
        actor=None,
        seller=cast.university,
        buyer=cast.enterprise,
        title="成果包转让",
        amount=Decimal("1000"),
        package=package,
        deal_mode="assignment",
    )
    assert (draft.contract_type, draft.sub_type, draft.subject_kind) == ("transfer", "", "")


@pytest.mark.django_db
def test_an_outside_contract_must_declare_what_the_rules_cannot_decide(cast):
    data = {
        "seller": cast.university,
        "buyer": cast.enterprise,
        "title": "线下技术开发合同",
        "contract_type": "development",
        "total_amount": Decimal("100000"),
    }
    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:
        services.enter_external_contract(actor=cast.researcher, data=data, signed_on=timezone.localdate())
    assert "sub_type" in exc.value.message_dict
    contract = services.enter_external_contract(
        actor=cast.researcher, data={**data, "sub_type": "cooperative"}, signed_on=timezone.localdate()
    )
    assert contract.sub_type == "cooperative"


# ---- the data migration ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_existing_contracts_gain_their_subject_without_losing_their_classification(cast, achievement):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("techbridge.contracts.migrations.0003_add_subject_and_carrier_cost")
    contract = make_signed_contract(cast, achievement)
    secret = make_achievement(cast, title="工艺", kind="technical_secret", legal_status="")
    package = AchievementPackage.objects.create(title="混合包")
    package.achievements.add(achievement, secret)
    mixed = Contract.objects.create(
        number="HT-OLD-2",
        title="旧成果包合同",
        contract_type="transfer",
        sub_type="other_transfer",
        seller=cast.university,
        buyer=cast.enterprise,
        package=package,
        total_amount=Decimal("10"),
    )
    # As before the migration: no subject recorded.
    Contract.objects.update(subject_kind="", subject_legal_status="")
    migration.fill_subjects(apps, None)
    contract.refresh_from_db()
    mixed.refresh_from_db()
    assert (contract.subject_kind, contract.subject_legal_status, contract.sub_type) == (
        INV,
        "granted",
        "patent_right",
    )
    assert (mixed.subject_kind, mixed.sub_type, mixed.total_amount) == ("", "other_transfer", Decimal("10"))


# ---- natural persons and parties abroad (认定规则; 技术进出口管理条例) ------------------------------------

PERSON_ID = "11010519491231002X"  # GB 11643: Σ d_i × w_i of the 17 digits = 167; 167 mod 11 = 2 → "X"


def _outside(cast, **buyer):
    from django.utils import timezone

    data = {
        "seller": cast.university,
        "buyer": None,
        "title": "向个人转让技术秘密",
        "contract_type": "transfer",
        "sub_type": "technical_secret",
        "total_amount": Decimal("200000"),
        **buyer,
    }
    return services.enter_external_contract(actor=cast.researcher, data=data, signed_on=timezone.localdate())


@pytest.mark.django_db
def test_a_natural_person_buys_with_an_identity_document_shown_masked(client, cast):
    from techbridge.contracts.parties import id_number_ok, mask_id

    assert id_number_ok("resident_id", PERSON_ID) and not id_number_ok("resident_id", "110105194912310021")
    assert mask_id(PERSON_ID) == "1101**********002X"
    with pytest.raises(ValidationError) as exc:
        _outside(
            cast,
            buyer_party_kind="person",
            buyer_name="王某",
            buyer_id_type="resident_id",
            buyer_id_number="110105194912310021",
        )
    assert "buyer_id_number" in exc.value.message_dict
    contract = _outside(
        cast,
        buyer_party_kind="person",
        buyer_name="王某",
        buyer_id_type="resident_id",
        buyer_id_number=PERSON_ID.lower(),
    )
    assert (contract.buyer, contract.buyer_id_number, contract.buyer_credit_code) == (None, PERSON_ID, "")
    assert "parties" not in _failed(contract) and not contract.is_cross_border
    # Registered like any other; the number is masked on the pages, the PDF and the API.
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer)
    client.force_login(cast.researcher)
    for url in (reverse("contracts:detail", args=[contract.pk]), f"/api/v1/contracts/{contract.pk}/"):
        body = client.get(url).content.decode()
        assert "1101**********002X" in body and PERSON_ID not in body
    client.force_login(cast.reviewer)
    page = client.get(reverse("contracts_console:review", args=[contract.pk])).content.decode()
    assert PERSON_ID not in page


@pytest.mark.django_db
def test_an_organisation_abroad_is_flagged_as_a_technology_export(client, cast):
    with pytest.raises(ValidationError) as exc:
        _outside(cast, buyer_party_kind="foreign", buyer_name="Acme GmbH")
    assert "buyer_country" in exc.value.message_dict
    contract = _outside(cast, buyer_party_kind="foreign", buyer_name="Acme GmbH", buyer_country="德国")
    assert contract.is_cross_border
    checks = {c.code: c for c in RULES.checks(contract)}
    assert checks["parties"].passed and not checks["export"].passed and not checks["export"].blocking
    client.force_login(cast.researcher)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-testid="export-flag"' in page


@pytest.mark.django_db
def test_outside_contract_form_takes_a_natural_person(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(cast.researcher)
    data = {
        "title": "个人受让软件著作权",
        "contract_type": "transfer",
        "sub_type": "software_copyright",
        "total_amount": "50000",
        "equipment_amount": "0",
        "materials_amount": "0",
        "other_non_tech_amount": "0",
        "exclusivity": "",
        "buyer_party_kind": "person",
        "buyer_name": "李某",
        "buyer_id_type": "resident_id",
        "buyer_id_number": "110105194912310021",
        "signed_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
    }
    page = client.post(reverse("contracts:external"), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not a valid number" in page and not Contract.objects.exists()
    resp = client.post(reverse("contracts:external"), {**data, "buyer_id_number": PERSON_ID})
    contract = Contract.objects.get()
    assert resp.url == reverse("contracts:detail", args=[contract.pk])
    assert (contract.buyer_party_kind, contract.buyer_name, contract.buyer) == ("person", "李某", None)
