"""Personal contact details (个人信息保护法): anonymous visitors see a listing's phone and e-mail masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.lib.privacy import mask_email, mask_phone
from techbridge.testing.factories.achievements import make_achievement
from techbridge.testing.factories.demands import DemandFactory

MOBILE = "13812345678"
MAIL = "zhang.san@nju.edu.cn"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "+86 1** **** 5678"),
        ("025-83591234", "025-****1234"),
        ("83591234", "****1234"),
        ("12345", "***45"),
        ("", ""),
    ],
)
def test_phone_numbers_keep_only_what_identifies_them_to_their_owner(phone, masked):
    assert mask_phone(phone) == masked


def test_emails_keep_the_first_letter_and_the_domain():
    assert mask_email(MAIL) == "z***@nju.edu.cn"
    assert mask_email("") == ""


@pytest.mark.django_db
def test_an_anonymous_visitor_sees_an_achievements_contact_masked(client, cast):
    achievement = make_achievement(cast, contact_name="张老师", contact_phone=MOBILE, contact_email=MAIL)
    url = reverse("achievements:detail", args=[achievement.pk])

    anonymous = client.get(url).content.decode()
    client.force_login(cast.buyer)
    signed_in = client.get(url).content.decode()

    assert "138****5678" in anonymous and MOBILE not in anonymous and MAIL not in anonymous
    assert "登录后查看完整联系方式" in anonymous
    assert f"tel:{MOBILE}" in signed_in and MAIL in signed_in


@pytest.mark.django_db
def test_the_api_masks_the_contact_for_anonymous_callers_only(api, as_user, cast):
    demand = DemandFactory(
        enterprise=cast.enterprise,
        created_by=cast.buyer,
        published=True,
        contact_phone=MOBILE,
        contact_email=MAIL,
    )
    achievement = make_achievement(cast, contact_phone=MOBILE, contact_email=MAIL)

    for path in (f"/api/v1/demands/{demand.pk}/", f"/api/v1/achievements/{achievement.pk}/"):
        anonymous = api.get(path).json()
        signed_in = as_user(cast.researcher).get(path).json()
        assert (anonymous["contact_phone"], anonymous["contact_email"]) == ("138****5678", "z***@nju.edu.cn")
        assert (signed_in["contact_phone"], signed_in["contact_email"]) == (MOBILE, MAIL)


# ---- phones and e-mails a user typed into free text: masked in every export and every log line ------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系人 13912345678 abc@x.cn", "联系人 139****5678 a***@x.cn"),
        ("电话：025-83591234。", "电话：025-****1234。"),
        ("请联系zhang.san@nju.edu.cn或13800001111", "请联系z***@nju.edu.cn或138****1111"),
        # Longer runs of digits are codes, not phones: they stay whole.
        ("统一社会信用代码 913201001391234567", "统一社会信用代码 913201001391234567"),
        ("专利号 CN202310123456.7，2026-12-06 13:00", "专利号 CN202310123456.7，2026-12-06 13:00"),
        ("", ""),
    ],
)
def test_phones_and_emails_inside_free_text_are_masked(text, masked):
    from techbridge.lib.privacy import mask_free_text

    assert mask_free_text(text) == masked


def test_every_excel_export_masks_free_text_unless_it_is_the_persons_own_copy():
    import io

    from openpyxl import load_workbook

    from techbridge.lib.xlsx import Sheet, workbook_bytes

    description = "需要一套隔膜检测方案。联系人 13912345678 abc@x.cn"
    content = workbook_bytes([Sheet("需求", ["编号", "描述"], [[1, description]])])
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.cell(row=2, column=2).value == "需要一套隔膜检测方案。联系人 139****5678 a***@x.cn"
    own = workbook_bytes([Sheet("账号", ["项目", "值"], [["电话", MOBILE]], mask_contacts=False)])
    assert load_workbook(io.BytesIO(own)).active.cell(row=2, column=2).value == MOBILE


def test_only_the_persons_copy_and_the_import_templates_write_contacts_whole():
    """Every other export goes through the masking default of ``lib.xlsx.Sheet``."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    unmasked = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "mask_contacts=False)" in path.read_text(encoding="utf-8")
    )
    assert unmasked == ["accounts/personal_data.py", "imports/sample_files.py"]


def test_log_lines_never_carry_a_phone_or_an_email(caplog):
    import logging

    from techbridge.lib.privacy import MaskingFilter

    handlers = [
        h for h in logging.getLogger().handlers if any(isinstance(f, MaskingFilter) for f in h.filters)
    ]
    assert handlers, "the console handler of settings.LOGGING masks contacts"
    record = logging.LogRecord(
        "techbridge.demands",
        logging.WARNING,
        __file__,
        1,
        "demand %s: %s",
        (7, "联系人 13912345678 abc@x.cn"),
        None,
    )
    for handler in handlers:
        for f in handler.filters:
            f.filter(record)
    assert record.getMessage() == "demand 7: 联系人 139****5678 a***@x.cn"
