"""Contract pages: signing, submission, the registry console, PDFs, statistics and exports, per role."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from unittest.mock import patch

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.contracts import services
from techbridge.contracts.models import Contract
from techbridge.core.models import GeneratedDocument
from techbridge.lib.pdf import pdf_fonts, pdf_text
from techbridge.testing.cast import PASSWORD
from techbridge.testing.factories.contracts import make_registered_contract, make_signed_contract

pytestmark = pytest.mark.django_db


def test_parties_sign_and_the_seller_submits_through_the_pages(client, cast, achievement):
    contract = services.create_draft_contract(
        actor=cast.buyer,
        seller=cast.university,
        buyer=cast.enterprise,
        title="隔膜技术转让",
        amount=Decimal("600000"),
    )
    client.force_login(cast.buyer)
    resp = client.post(
        reverse("contracts:edit", args=[contract.pk]),
        {
            "title": "隔膜技术转让合同",
            "contract_type": "transfer",
            "sub_type": "patent_right",
            "total_amount": "600000",
            "equipment_amount": "100000",
            "materials_amount": "0",
            "other_non_tech_amount": "0",
            "payment_terms": "instalments",
            "exclusivity": "",
            "lines": "2026-12-01 | 300000 | 首付款\n | | 完成技术交底",
        },
    )
    assert resp.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "隔膜技术转让合同" and contract.instalments.count() == 2
    client.post(reverse("contracts:sign", args=[contract.pk]), {"confirm": "on", "password": PASSWORD})
    client.force_login(cast.researcher)
    client.post(reverse("contracts:sign", args=[contract.pk]), {"confirm": "on", "password": PASSWORD})
    client.post(reverse("contracts:submit", args=[contract.pk]))
    contract.refresh_from_db()
    assert contract.status == "submitted"
    client.force_login(cast.reviewer)
    assert contract.title in client.get(reverse("contracts_console:queue")).content.decode()
    resp = client.post(
        reverse("contracts_console:review", args=[contract.pk]),
        {
            "action": "register",
            "contract_type": "transfer",
            "sub_type": "patent_right",
            "subject_legal_status": "granted",
            "technology_amount": "500000",
        },
    )
    contract.refresh_from_db()
    assert contract.status == "registered" and contract.technology_amount == Decimal("500000.00")


def test_signed_contract_edit_page_refuses(client, cast, achievement):
    contract = make_signed_contract(cast, achievement)
    client.force_login(cast.buyer)
    resp = client.get(reverse("contracts:edit", args=[contract.pk]))
    assert resp.status_code == 302


@pytest.mark.parametrize("who", ["broker", "outsider", "official", "reviewer"])
def test_others_cannot_read_a_draft_contract(client, cast, achievement, who):
    contract = make_signed_contract(cast, achievement)
    client.force_login(getattr(cast, who))
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 404


def test_officials_and_parties_cannot_open_the_registry_console(client, cast, achievement):
    contract = make_signed_contract(cast, achievement)
    services.submit_for_registration(contract, actor=cast.researcher)
    for who in ("official", "researcher", "buyer"):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("contracts_console:queue")).status_code == 403
        resp = client.post(reverse("contracts_console:review", args=[contract.pk]), {"action": "register"})
        assert resp.status_code == 403
    contract.refresh_from_db()
    assert contract.status == "submitted"


def test_rejection_reason_and_overdue_marker_reach_the_seller(client, cast, achievement):
    rejected = make_signed_contract(cast, achievement)
    services.submit_for_registration(rejected, actor=cast.researcher)
    client.force_login(cast.reviewer)
    client.post(
        reverse("contracts_console:review", args=[rejected.pk]),
        {"action": "reject", "reason": "缺少附件清单"},
    )
    late = make_signed_contract(cast, achievement)
    services.submit_for_registration(late, actor=cast.researcher)
    Contract.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=40))
    client.force_login(cast.researcher)
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("contracts:list")).content.decode()
    assert "缺少附件清单" in listing
    assert listing.count("Overdue (over 30 days)") == 1


def _generated(client, url, capture):
    """Ask for a generated PDF (queued, then made by the task after the request commits), then download it."""
    with capture(execute=True):
        first = client.get(url)
    assert first.status_code == 202 and "正在生成" in first.content.decode()
    resp = client.get(url)
    return resp, b"".join(resp.streaming_content)


def test_contract_pdf_is_chinese_with_an_embedded_cjk_font(
    client, cast, achievement, django_capture_on_commit_callbacks
):
    contract = make_signed_contract(cast, achievement)
    client.force_login(cast.buyer)
    resp, content = _generated(
        client, reverse("contracts:pdf", args=[contract.pk]), django_capture_on_commit_callbacks
    )
    assert resp["Content-Type"] == "application/pdf"
    text = pdf_text(content)
    assert "技术合同" in text and cast.university.name in text and cast.enterprise.name in text
    assert any("CJK" in f for f in pdf_fonts(content))
    doc = GeneratedDocument.objects.get(kind="contracts.contract", object_id=contract.pk)
    assert doc.sha256 == hashlib.sha256(content).hexdigest()


def test_a_stored_contract_pdf_is_served_without_typesetting_and_a_change_makes_a_new_version(
    client, cast, achievement, django_capture_on_commit_callbacks
):
    contract = make_signed_contract(cast, achievement)
    url = reverse("contracts:pdf", args=[contract.pk])
    client.force_login(cast.buyer)
    _generated(client, url, django_capture_on_commit_callbacks)
    client.force_login(cast.researcher)  # the other party gets the same stored file
    with patch("techbridge.lib.pdf.html_to_pdf", side_effect=AssertionError("typeset in the request")):
        resp = client.get(url)
        assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"%PDF")
    services.submit_for_registration(contract, actor=cast.researcher)
    _generated(client, url, django_capture_on_commit_callbacks)
    assert GeneratedDocument.objects.filter(kind="contracts.contract", object_id=contract.pk).count() == 2
    client.force_login(cast.outsider)
    assert client.get(url).status_code in (403, 404)


def test_registration_certificate_only_for_registered_contracts(
    client, cast, achievement, django_capture_on_commit_callbacks
):
    contract = make_signed_contract(cast, achievement)
    client.force_login(cast.researcher)
    assert client.get(reverse("contracts:certificate", args=[contract.pk])).status_code == 404
    services.submit_for_registration(contract, actor=cast.researcher)
    services.register_contract(contract, actor=cast.reviewer)
    contract.refresh_from_db()
    url = reverse("contracts:certificate", args=[contract.pk])
    _resp, content = _generated(client, url, django_capture_on_commit_callbacks)
    assert contract.registration_number in pdf_text(content)


def test_public_statistics_move_when_a_contract_is_registered(client, cast, achievement):
    url = reverse("contracts:stats")
    assert client.get(url).context["summary"]["count"] == 0
    make_registered_contract(cast, achievement, "3000000", equipment_amount=Decimal("1000000"))
    resp = client.get(url)
    summary = resp.context["summary"]
    assert (summary["count"], summary["turnover"], summary["technology"]) == (
        1,
        Decimal("3000000.00"),
        Decimal("2000000.00"),
    )
    assert summary["period_end"] == timezone.localdate()
    # Aggregates only: no party or contract title on the public page, and a group of one contract
    # shows its count but not its amount — the headline included (it is a group of one too).
    page = resp.content.decode()
    assert "锂电池隔膜技术转让合同" not in page and cast.enterprise.name not in page
    assert "3,000,000.00" not in page and "2,000,000.00" not in page
    assert 'data-testid="stat-turnover" class="muted">*<' in page
    make_registered_contract(cast, achievement, "1000")
    make_registered_contract(cast, achievement, "1000")
    page = client.get(url).content.decode()
    assert "3,002,000.00" in page.split("stat-turnover")[1][:80]  # three contracts: the total shows
    assert "3,002,000.00" in page.split('data-testid="stats-type"')[1]


def test_statistics_break_down_by_every_dimension(cast, achievement):
    from techbridge.contracts import queries

    make_registered_contract(cast, achievement, "100")
    make_registered_contract(cast, achievement, "200")
    assert [(r["count"], r["turnover"]) for r in queries.breakdown("month")] == [(2, Decimal("300.00"))]
    assert queries.breakdown("type")[0]["key"] == "transfer"
    assert queries.breakdown("field")[0]["label"] == "新能源汽车"
    assert queries.breakdown("district")[0]["key"] == "gulou"
    assert queries.breakdown("seller_kind")[0]["key"] == "university"
    assert queries.breakdown("buyer_kind")[0]["key"] == "enterprise"
    assert queries.summary(timezone.localdate().year - 1)["count"] == 0


def test_officials_read_console_statistics_and_export_excel(client, cast, achievement, pinned_queries):
    from openpyxl import load_workbook

    make_registered_contract(cast, achievement, "1000")
    client.force_login(cast.official)
    with pinned_queries("stats"):
        page = client.get(reverse("contracts_console:stats")).content.decode()
    assert "1,000.00" in page
    resp = client.get(reverse("contracts_console:stats_xlsx"))
    wb = load_workbook(BytesIO(resp.content))
    assert len(wb.sheetnames) == 7
    assert wb.worksheets[0].cell(row=2, column=3).value == 1000
    client.force_login(cast.buyer)
    assert client.get(reverse("contracts_console:stats")).status_code == 403


def test_contract_list_query_count_is_pinned(client, cast, achievement, pinned_queries):
    for n in range(4):
        make_signed_contract(cast, achievement, title=f"隔膜技术转让合同{n}")
    client.force_login(cast.buyer)
    with pinned_queries("contracts"):
        resp = client.get(reverse("contracts:list"))
    assert len(resp.context["contracts"]) == 4
    assert all(f"隔膜技术转让合同{n}" in resp.content.decode() for n in range(4))


def test_import_saves_good_rows_and_reports_bad_ones_with_line_numbers(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = (
        "合同名称,合同类型,合同子类型,卖方统一社会信用代码,买方统一社会信用代码,合同金额（元）,"
        "设备费（元）,签订日期\n"
    )
    parties = f"{cast.university.credit_code},{cast.enterprise.credit_code}"
    good = f"线下技术服务合同,技术服务,技术服务,{parties},200000,0,2026-01-10\n"
    bad_amount = f"坏金额,技术服务,技术服务,{parties},abc,0,2026-01-10\n"
    bad_org = (
        f"无此买方,技术开发,委托开发,{cast.university.credit_code},91320000MA00000000,100,0,2026-01-10\n"
    )
    upload = SimpleUploadedFile("contracts.csv", (header + good + bad_amount + bad_org).encode("utf-8"))
    client.force_login(cast.researcher)
    resp = client.post(reverse("contracts:import"), {"file": upload})
    report = resp.context["report"]
    assert [c.title for c in report.created] == ["线下技术服务合同"]
    assert [line for line, _reason in report.errors] == [3, 4]
    assert Contract.objects.count() == 1


def test_import_template_downloads(client, cast):
    from openpyxl import load_workbook

    client.force_login(cast.researcher)  # those who may import download the template
    resp = client.get(reverse("contracts:import_template"))
    ws = load_workbook(BytesIO(resp.content)).active
    assert ws.cell(row=1, column=1).value == "合同名称*"  # the kind's template, as in the import console


def test_contract_page_query_count_is_pinned(client, cast, achievement, pinned_queries):
    contract = make_signed_contract(cast, achievement)
    for day in range(1, 6):
        services.record_payment(
            contract, actor=cast.buyer, paid_on=timezone.localdate() - timedelta(days=day), amount="10"
        )
    client.force_login(cast.buyer)
    with pinned_queries("contract"):
        resp = client.get(reverse("contracts:detail", args=[contract.pk]))
    assert len(resp.context["payments"]) == 5


def test_seller_enters_an_outside_contract_through_the_form(client, cast):
    client.force_login(cast.researcher)
    data = {
        "title": "线下专利转让合同",
        "contract_type": "transfer",
        "sub_type": "patent_right",
        "total_amount": "300000",
        "equipment_amount": "0",
        "materials_amount": "0",
        "other_non_tech_amount": "0",
        "exclusivity": "",
        "buyer_credit_code": cast.enterprise.credit_code,
        "signed_on": (timezone.localdate() - timedelta(days=5)).isoformat(),
    }
    resp = client.post(reverse("contracts:external"), data)
    contract = Contract.objects.get()
    assert resp.url == reverse("contracts:detail", args=[contract.pk])
    assert (contract.seller, contract.buyer, contract.status) == (cast.university, cast.enterprise, "signed")
    resp = client.post(reverse("contracts:external"), {**data, "buyer_credit_code": "91320000MA00000000"})
    assert resp.status_code == 200 and resp.context["form"].errors
    assert Contract.objects.count() == 1


def test_unreadable_import_file_is_reported_not_crashed(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.researcher)
    resp = client.post(
        reverse("contracts:import"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}, follow=True
    )
    assert resp.status_code == 200 and list(resp.context["messages"])
    assert not Contract.objects.exists()


def test_the_payment_date_is_pre_filled_in_the_format_a_date_field_accepts(client, cast, achievement):
    """Chinese pages wrote 2026/12/06 into <input type="date">, which browsers reject (empty field)."""
    contract = make_signed_contract(cast, achievement)
    client.force_login(cast.buyer)

    html = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()

    today = timezone.localdate().isoformat()
    assert f'type="date" name="paid_on" value="{today}"' in html
    response = client.post(
        reverse("contracts:payment", args=[contract.pk]),
        {"paid_on": timezone.localdate().strftime("%Y/%m/%d"), "amount": "1000"},
    )
    assert response.status_code == 302
    assert contract.payments.get().paid_on == timezone.localdate()  # the old format is still read
