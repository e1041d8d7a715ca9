"""Deposits in the browser and the API: the bidder's registration page and payment details, the
operators' statement import (preview, confirm), unmatched queue and refund files, per role."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from techbridge.auctions import services
from techbridge.auctions.choices import DepositStatus, LineStatus
from techbridge.auctions.models import BankStatement, RefundBatch, StatementLine
from techbridge.core.models import AuditEntry
from techbridge.testing.factories.auctions import statement_csv, statement_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(cast, session):
    return services.register_bidder(actor=cast.buyer, session=session)


# ---- the bidder ----------------------------------------------------------------------------------------


def test_registration_page_shows_sample_account_reference_and_amount(client, cast, reg):
    client.force_login(cast.buyer)
    html = client.get(reverse("auctions:registration", args=[reg.pk])).content.decode()
    assert reg.payment_code in html
    assert "5,000.00" in html or "5000" in html
    assert "示例" in html and "这是演示用的示例账户，请勿向其转账。" in html
    # the session page links to it
    html = client.get(reverse("auctions:session", args=[reg.session_id])).content.decode()
    assert reverse("auctions:registration", args=[reg.pk]) in html and reg.payment_code in html


def test_configured_account_is_shown_without_sample_tag(client, cast, reg, settings):
    settings.DEPOSIT_ACCOUNT_NAME = "南京市技术市场管理服务中心"
    settings.DEPOSIT_ACCOUNT_BANK = "中国银行南京城南支行"
    settings.DEPOSIT_ACCOUNT_NUMBER = "5302 6622 1234"
    client.force_login(cast.buyer)
    html = client.get(reverse("auctions:registration", args=[reg.pk])).content.decode()
    assert "中国银行南京城南支行" in html and "请勿向其转账" not in html


def test_other_users_do_not_see_the_registration(client, cast, reg):
    client.force_login(cast.broker)
    assert client.get(reverse("auctions:registration", args=[reg.pk])).status_code == 404


def test_bidder_saves_refund_account_with_chinese_errors(client, cast, reg):
    client.force_login(cast.buyer)
    url = reverse("auctions:registration", args=[reg.pk])
    response = client.post(
        url,
        {"refund_account_name": "示范企业有限公司", "refund_account_number": "12-34", "refund_bank": "工行"},
    )
    assert "账号须为 8 至 30 位数字。" in response.content.decode()
    reg.refresh_from_db()
    assert reg.refund_account_number == ""
    response = client.post(
        url,
        {
            "refund_account_name": "示范企业有限公司",
            "refund_account_number": "6222 0211 0001 2345",
            "refund_bank": "工商银行南京新街口支行",
        },
    )
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.refund_account_number == "6222021100012345"


def test_payment_api_gives_account_reference_and_amount(as_user, cast, reg):
    body = as_user(cast.buyer).get(f"/api/v1/auctions/registrations/{reg.pk}/payment/").json()
    assert body["payment_reference"] == reg.payment_code
    assert body["amount_due"] == "5000.00" and body["deposit_status"] == "required"
    assert body["receiving_account"]["is_demo"] is True
    assert as_user(cast.broker).get(f"/api/v1/auctions/registrations/{reg.pk}/payment/").status_code == 404
    response = as_user(cast.buyer).put(
        f"/api/v1/auctions/registrations/{reg.pk}/refund-account/",
        {"account_name": "", "account_number": "1234", "bank": "工行"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["account_number"] == ["账号须为 8 至 30 位数字。"]
    response = as_user(cast.buyer).put(
        f"/api/v1/auctions/registrations/{reg.pk}/refund-account/",
        {"account_name": "示范企业有限公司", "account_number": "622202110001234567", "bank": "工商银行"},
        format="json",
    )
    assert (
        response.status_code == 200
        and response.json()["refund_account"]["account_number"] == "622202110001234567"
    )


# ---- operators: statements -----------------------------------------------------------------------------


def test_console_preview_then_import_confirms_the_deposit(client, cast, reg):
    other = services.register_bidder(actor=cast.broker, session=reg.session)
    content = statement_xlsx(
        [
            {"serial": "C1", "amount": "5000", "remark": f"保证金{reg.payment_code}"},
            {"serial": "C2", "amount": "4000", "remark": f"保证金{other.payment_code}"},
        ]
    )
    client.force_login(cast.operator)
    upload = SimpleUploadedFile("12月.xlsx", content)
    response = client.post(reverse("auctions_console:statement_preview"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "确认保证金" in html and "金额少于应缴保证金" in html
    assert StatementLine.objects.count() == 0 and BankStatement.objects.count() == 0  # nothing stored yet
    token = response.context["token"]
    response = client.post(reverse("auctions_console:statement_import"), {"token": token})
    statement = BankStatement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "auctions_console:statement", args=[statement.pk]
    )
    reg.refresh_from_db()
    assert reg.deposit_status == DepositStatus.PAID
    html = client.get(reverse("auctions_console:unmatched")).content.decode()
    assert "C2" in html and "金额少于应缴保证金" in html and "C1" not in html


def test_console_preview_reports_bad_rows_in_chinese(client, cast, reg):
    content = statement_csv([{"serial": "D1", "amount": "abc", "remark": "x"}], encoding="gb18030")
    client.force_login(cast.operator)
    response = client.post(
        reverse("auctions_console:statement_preview"), {"file": SimpleUploadedFile("bad.csv", content)}
    )
    assert response.status_code == 400
    assert "第 3 行：金额“abc”不是数字。" in response.content.decode()
    assert BankStatement.objects.count() == 0


def test_console_assign_and_dismiss(client, cast, reg):
    content = statement_csv(
        [
            {"serial": "E1", "amount": "5000", "remark": "保证金（忘记写识别码）"},
            {"serial": "E2", "amount": "200", "remark": "其他款项"},
        ]
    )
    client.force_login(cast.operator)
    from techbridge.auctions import deposits

    deposits.import_statement(actor=cast.operator, name="e.csv", content=content)
    e1, e2 = StatementLine.objects.order_by("serial")
    client.post(
        reverse("auctions_console:line_assign", args=[e1.pk]), {"reference": reg.payment_code.lower()}
    )
    client.post(reverse("auctions_console:line_dismiss", args=[e2.pk]), {"reason": "非保证金，已退回付款人"})
    e1.refresh_from_db()
    e2.refresh_from_db()
    reg.refresh_from_db()
    assert e1.status == LineStatus.ASSIGNED and reg.deposit_status == DepositStatus.PAID
    assert e2.status == LineStatus.DISMISSED
    response = client.post(
        reverse("auctions_console:line_dismiss", args=[e2.pk]), {"reason": "x"}, follow=True
    )
    assert "该笔流水已处理。" in response.content.decode()


def test_api_import_twice_and_resolve(as_user, cast, reg):
    operator = as_user(cast.operator)
    content = statement_csv(
        [
            {"serial": "F1", "amount": "5000", "remark": reg.payment_code},
            {"serial": "F2", "amount": "5000", "remark": "no code"},
        ]
    )
    preview = operator.post(
        "/api/v1/auctions/statements/preview/",
        {"file": SimpleUploadedFile("f.csv", content)},
        format="multipart",
    ).json()
    assert [line["result"] for line in preview["lines"]] == ["matched", "unmatched"]
    first = operator.post(
        "/api/v1/auctions/statements/", {"file": SimpleUploadedFile("f.csv", content)}, format="multipart"
    )
    assert first.status_code == 201 and first.json()["matched_count"] == 1
    again = operator.post(
        "/api/v1/auctions/statements/", {"file": SimpleUploadedFile("f.csv", content)}, format="multipart"
    ).json()
    assert again["duplicate_count"] == 2 and again["new_count"] == 0
    queue = operator.get("/api/v1/auctions/statement-lines/?status=unmatched").json()["results"]
    assert [line["serial"] for line in queue] == ["F2"]
    assert queue[0]["reason_label"] == "附言中没有付款识别码"
    response = operator.post(f"/api/v1/auctions/statement-lines/{queue[0]['id']}/dismiss/", {}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["reason"] == [
        "请填写忽略该笔流水的原因。"
    ]
    response = operator.post(
        f"/api/v1/auctions/statement-lines/{queue[0]['id']}/assign/",
        {"payment_reference": reg.payment_code},
        format="json",
    )
    assert response.status_code == 400  # already paid by F1
    bad = operator.post(
        "/api/v1/auctions/statements/",
        {"file": SimpleUploadedFile("s.csv", "交易日期,摘要,流水号\n2026-12-01,x,1\n".encode())},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["file"] == [
        "缺少“收入金额/贷方金额”列（也可写作：贷方金额、贷方发生额、收入）。"
    ]


def test_bidders_and_reviewers_cannot_import(as_user, cast, reg):
    content = statement_csv([{"serial": "G1", "amount": "5000", "remark": reg.payment_code}])
    for user in (cast.buyer, cast.reviewer):
        response = as_user(user).post(
            "/api/v1/auctions/statements/", {"file": SimpleUploadedFile("g.csv", content)}, format="multipart"
        )
        assert response.status_code == 403
    reg.refresh_from_db()
    assert reg.deposit_status == DepositStatus.REQUIRED


# ---- operators: refunds --------------------------------------------------------------------------------


def test_refund_export_in_console_and_api(client, as_user, cast, reg):
    services.confirm_deposit(actor=cast.operator, registration=reg, reference="B1")
    reg.refresh_from_db()
    client.force_login(cast.buyer)
    client.post(
        reverse("auctions:registration", args=[reg.pk]),
        {
            "refund_account_name": "示范企业有限公司",
            "refund_account_number": "6222021100012345",
            "refund_bank": "工商银行南京分行",
        },
    )
    services.refund_deposit(actor=cast.operator, registration=reg)
    client.force_login(cast.operator)
    html = client.get(reverse("auctions_console:refunds")).content.decode()
    assert "示范企业有限公司" in html and "导出付款文件（1 笔退款）" in html
    client.post(reverse("auctions_console:refund_export"), {"file_format": "xlsx"})
    batch = RefundBatch.objects.get()
    response = client.get(reverse("auctions_console:refund_download", args=[batch.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("示范企业有限公司", "6222021100012345", "工商银行南京分行")
    assert (
        AuditEntry.objects.filter(
            action="auctions.registration.refund_exported", object_id=str(reg.pk)
        ).count()
        == 1
    )
    operator = as_user(cast.operator)
    assert operator.get("/api/v1/auctions/refund-batches/waiting/").json() == []
    again = operator.post("/api/v1/auctions/refund-batches/", {"file_format": "csv"}, format="json")
    assert (
        again.status_code == 400 and again.json()["message"] == "没有已填写退款账户、等待导出的退还保证金。"
    )
    listed = operator.get("/api/v1/auctions/refund-batches/").json()["results"]
    assert listed[0]["sha256"] == batch.sha256 and listed[0]["total"] == "5000.00"
    file = operator.get(f"/api/v1/auctions/refund-batches/{batch.pk}/file/")
    assert file.status_code == 200 and b"".join(file.streaming_content if file.streaming else [file.content])
    # the bidder can no longer change the account once exported
    client.force_login(cast.buyer)
    html = client.get(reverse("auctions:registration", args=[reg.pk])).content.decode()
    assert "退款已提交银行" in html


def test_statement_lists_pin_their_queries(client, as_user, cast, session, pinned_queries):
    from techbridge.auctions import deposits

    regs = [
        services.register_bidder(actor=u, session=session) for u in (cast.buyer, cast.broker, cast.researcher)
    ]
    for n in range(3):
        content = statement_csv(
            [
                {"serial": f"Q{n}-{i}", "amount": "5000" if i == 0 else "100", "remark": regs[n].payment_code}
                for i in range(3)
            ]
        )
        deposits.import_statement(actor=cast.operator, name=f"q{n}.csv", content=content)
    client.force_login(cast.operator)
    with pinned_queries("statements"):
        assert client.get(reverse("auctions_console:statements")).status_code == 200
    with pinned_queries("unmatched"):
        html = client.get(reverse("auctions_console:unmatched")).content.decode()
    assert "Q2-2" in html
    with pinned_queries("statement_lines_api"):
        body = as_user(cast.operator).get("/api/v1/auctions/statement-lines/").json()
    assert len(body["results"]) == 9
    with pinned_queries("refunds"):
        assert client.get(reverse("auctions_console:refunds")).status_code == 200
