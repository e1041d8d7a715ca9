"""Erasing one's account (个人信息保护法 art. 47): a cooling-off period the user can cancel, then what no
law requires keeping is erased and the kept records show a stable pseudonym; refusals say what to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from techbridge.accounts import erasure, services
from techbridge.accounts.models import ApiToken, ErasureRequest, User
from techbridge.core import audit
from techbridge.core.models import AuditEntry, Notification
from techbridge.core.notifications import notify
from techbridge.testing.cast import PASSWORD

LATER = timedelta(days=16)


def _ask(user):
    return erasure.request_erasure(user, actor=user, password=PASSWORD)


def _carry_out():
    return erasure.execute_due(timezone.now() + LATER)


def test_the_page_explains_what_is_kept_and_why_and_the_request_waits_15_days(cast, client):
    client.force_login(cast.researcher)
    with translation.override("zh-hans"):
        page = client.get(reverse("accounts:erase"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "15" in page and "冷静期" in page
    assert "拍卖法" in page and "网络安全法" in page and "技术合同认定登记管理办法" in page
    assert "已注销用户#" in page
    response = client.post(
        reverse("accounts:erase"), {"password": PASSWORD, "confirm": "on"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 302
    req = ErasureRequest.objects.get(user=cast.researcher)
    assert req.status == "pending"
    assert timedelta(days=14, hours=23) < req.due_at - req.requested_at <= timedelta(days=15)
    page = client.get(reverse("accounts:erase"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="erasure-pending"' in page
    # Not yet due: nothing happens; the user can still sign in and cancel.
    assert erasure.execute_due() == 0
    cast.researcher.refresh_from_db()
    assert cast.researcher.is_active
    client.post(reverse("accounts:erase_cancel"))
    req.refresh_from_db()
    assert req.status == "cancelled"
    assert _carry_out() == 0
    cast.researcher.refresh_from_db()
    assert cast.researcher.is_active and cast.researcher.email
    assert AuditEntry.objects.filter(action="accounts.erasure.cancelled", actor=cast.researcher).exists()


def test_a_wrong_password_or_a_missing_confirmation_is_refused_with_a_message(cast, client):
    client.force_login(cast.researcher)
    page = client.post(
        reverse("accounts:erase"), {"password": "wrong", "confirm": "on"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "密码不正确" in page
    page = client.post(
        reverse("accounts:erase"), {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "这个字段是必填项" in page or "必填" in page
    assert not ErasureRequest.objects.exists()


def test_only_the_person_may_ask_or_cancel(cast, as_user):
    with pytest.raises(PermissionDenied):
        erasure.request_erasure(cast.researcher, actor=cast.operator, password=PASSWORD)
    req = _ask(cast.researcher)
    with pytest.raises(PermissionDenied):
        erasure.cancel_erasure(req, actor=cast.operator)
    # The operator's API sees their own state only: nothing pending for them, and cancelling is a 400.
    operator = as_user(cast.operator)
    assert operator.get("/api/v1/auth/erasure/").json()["pending"] is None
    assert operator.post("/api/v1/auth/erasure/cancel/").status_code == 400
    req.refresh_from_db()
    assert req.status == "pending"
    assert as_user(cast.researcher).get("/api/v1/auth/erasure/").json()["pending"]["id"] == req.pk


def test_erasure_removes_what_no_law_requires_and_pseudonymises_what_is_kept(cast, client):
    from techbridge.achievements.models import Achievement
    from techbridge.subscriptions.models import Follow
    from techbridge.subscriptions.services import follow
    from techbridge.testing.factories.achievements import make_achievement
    from techbridge.testing.factories.auctions import AuctionSessionFactory, RegistrationFactory
    from techbridge.testing.factories.contracts import make_registered_contract

    user = cast.researcher
    email, username, phone = user.email, user.username, user.phone
    user.phone = phone or "13912345678"
    user.save()
    phone = user.phone
    published = make_achievement(cast, title="已发布的隔膜成果")
    draft = make_achievement(cast, published=False, title="未发布的草稿")
    contract = make_registered_contract(cast, published)
    closed = AuctionSessionFactory(status="closed", created_by=cast.operator)
    registration = RegistrationFactory(session=closed, user=user, deposit_status="not_required")
    follow(user, kind="achievement", pk=published.pk)
    notify(user, kind="test", title="一条通知")
    services.issue_token(user, name="脚本", actor=user)
    audit.record(user, "accounts.user.profile_edited", actor=user, data={"email": email, "phone": phone})
    before = AuditEntry.objects.filter(actor=user).count()

    _ask(user)
    assert _carry_out() == 1

    user.refresh_from_db()
    pseudonym = erasure.pseudonym_of(user)
    assert pseudonym.startswith("已注销用户#") and user.display_name == pseudonym
    assert (user.email, user.phone, user.title, user.organization_id, user.is_active) == (
        "",
        "",
        "",
        None,
        False,
    )
    assert not user.has_usable_password() and user.username != username
    # Erased: notifications, follows, tokens, the never-published draft.
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Follow.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Achievement.objects.filter(pk=draft.pk).exists()
    # Kept, showing the pseudonym: the published listing, the contract's signature, the registration, the log.
    assert Achievement.objects.get(pk=published.pk).created_by.display_name == pseudonym
    assert contract.signatures.get(user=user).user.display_name == pseudonym
    registration.refresh_from_db()
    assert registration.user_id == user.pk
    assert AuditEntry.objects.filter(actor=user).count() >= before
    ct = ContentType.objects.get_for_model(User)
    about = AuditEntry.objects.filter(content_type=ct, object_id=str(user.pk))
    assert all(email not in str(e.data) and phone not in str(e.data) for e in about)
    erased = about.get(action="accounts.user.erased")
    assert (
        erased.data["erased"]["core.Notification"] >= 1
        and erased.data["erased"]["achievements.Achievement"] == 1
    )
    # The same pseudonym every time.
    assert erasure.pseudonym_of(user) == pseudonym == ErasureRequest.objects.get(user=user).pseudonym


def test_the_erased_account_cannot_sign_in_its_tokens_die_and_its_email_registers_again(cast, api, client):
    user = cast.buyer
    email, username = user.email, user.username
    _token, key = services.issue_token(user, name="脚本", actor=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/auth/me/").status_code == 200
    client.force_login(user)
    _ask(user)
    _carry_out()
    assert api.get("/api/v1/auth/me/").status_code == 401
    assert client.get(reverse("accounts:profile")).status_code == 302  # the session died with the password
    assert not client.login(username=username, password=PASSWORD)
    anonymous = api.__class__()
    signin = anonymous.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert signin.status_code in (400, 401) and "token" not in signin.json()
    again = services.sign_up(
        username=username,
        password="Another-pass-2027",
        email=email,
        real_name="新用户",
        phone="13800000000",
        organization={"name": "新注册企业有限公司", "kind": "enterprise", "district": "xuanwu"},
    )
    assert again.email == email and again.username == username


def test_the_only_admin_of_an_organisation_with_open_contracts_is_refused(cast, as_user):
    from techbridge.testing.factories.achievements import make_achievement
    from techbridge.testing.factories.contracts import make_signed_contract

    make_signed_contract(cast, make_achievement(cast))
    client = as_user(cast.univ_admin)
    with translation.override("zh-hans"):
        state = client.get("/api/v1/auth/erasure/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
        assert "唯一管理员" in state["refusal"]
        response = client.post(
            "/api/v1/auth/erasure/", {"password": PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 400 and "唯一管理员" in str(response.json())
    assert not ErasureRequest.objects.exists()


def test_the_only_admin_with_open_negotiations_is_refused_and_told_what_to_do(cast, client):
    from techbridge.testing.factories.deals import RoomFactory

    RoomFactory(achievement__owner=cast.university)
    client.force_login(cast.univ_admin)
    page = client.post(
        reverse("accounts:erase"), {"password": PASSWORD, "confirm": "on"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = client.get(reverse("accounts:erase"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert page.status_code == 200 and "洽谈" in text and "管理员" in text
    assert not ErasureRequest.objects.exists()


def test_a_live_auction_registration_refuses_at_request_and_at_execution(cast):
    from techbridge.testing.factories.auctions import AuctionSessionFactory, RegistrationFactory

    req = _ask(cast.buyer)
    # The registration appears during the cooling-off period: the erasure is refused when it falls due.
    RegistrationFactory(session=AuctionSessionFactory(created_by=cast.operator), user=cast.buyer)
    assert _carry_out() == 0
    req.refresh_from_db()
    cast.buyer.refresh_from_db()
    assert req.status == "refused" and "拍卖" in req.reason and cast.buyer.is_active
    assert Notification.objects.filter(recipient=cast.buyer, kind="account_erasure").exists()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _ask(cast.buyer)
    assert "拍卖" in str(refused.value)


def test_the_api_asks_for_the_password_and_reports_the_pending_request(cast, as_user):
    client = as_user(cast.researcher)
    with translation.override("zh-hans"):
        bad = client.post("/api/v1/auth/erasure/", {"password": "nope"}, format="json")
    assert bad.status_code == 400 and "密码不正确" in str(bad.json())
    made = client.post("/api/v1/auth/erasure/", {"password": PASSWORD}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "pending"
    state = client.get("/api/v1/auth/erasure/").json()
    assert state["cooling_off_days"] == 15 and state["pending"]["id"] == made.json()["id"]
    assert {k["key"] for k in state["kept"]} >= {"contracts", "auctions", "audit"}
    assert all(k["legal_basis"] for k in state["kept"])
    again = client.post("/api/v1/auth/erasure/", {"password": PASSWORD}, format="json")
    assert again.status_code == 400
    cancelled = client.post("/api/v1/auth/erasure/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
