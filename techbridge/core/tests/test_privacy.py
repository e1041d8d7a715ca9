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
