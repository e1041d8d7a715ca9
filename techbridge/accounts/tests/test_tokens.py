"""API tokens: named, expiring, listed, revocable, and revoked by a password change or reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from rest_framework.test import APIClient

from techbridge.accounts.models import ApiToken
from techbridge.core.models import AuditEntry
from techbridge.testing.cast import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
ME = "/api/v1/auth/me/"


def chinese_client(key: str | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def sign_in(name: str = "") -> str:
    body = {"username": "buyer", "password": PASSWORD, **({"name": name} if name else {})}
    response = chinese_client().post(TOKEN, body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_a_token_expires_after_the_configured_days_with_a_chinese_message(cast):
    key = sign_in()
    token = ApiToken.objects.get(user=cast.buyer)
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert chinese_client(key).get(ME).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = chinese_client(key).get(ME)

    assert response.status_code == 401
    assert response.json()["message"] == "此令牌已过期，请重新登录获取新令牌。"


def test_only_the_digest_of_a_key_is_stored(cast):
    key = sign_in()

    token = ApiToken.objects.get(user=cast.buyer)
    assert key not in {token.digest, token.prefix}
    assert token.prefix == key[:8]


def test_several_named_tokens_are_listed_with_their_dates_and_the_current_one_marked(cast):
    first = sign_in("数据同步脚本")
    sign_in("竞价终端")

    response = chinese_client(first).get(TOKENS)

    assert response.status_code == 200
    rows = response.json()
    assert [r["name"] for r in rows] == ["竞价终端", "数据同步脚本"]
    assert [r["current"] for r in rows] == [False, True]
    assert rows[1]["last_used_at"] is not None and rows[0]["last_used_at"] is None
    assert all(r["expires_at"] and r["created_at"] for r in rows)
    assert "token" not in rows[0] and first not in str(rows)


def test_the_token_endpoint_keeps_its_contract_for_form_posts(cast):
    body = urlencode({"username": "buyer", "password": PASSWORD})
    response = APIClient().post(TOKEN, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_at", "user"}


def test_a_revoked_token_stops_working_and_only_its_owner_can_revoke_it(cast):
    keep, drop = sign_in("保留"), sign_in("吊销")
    target = ApiToken.objects.get(name="吊销")
    stranger = APIClient()
    stranger.force_authenticate(cast.researcher)
    assert stranger.post(f"{TOKENS}{target.pk}/revoke/").status_code == 404

    response = chinese_client(keep).post(f"{TOKENS}{target.pk}/revoke/")

    assert response.status_code == 204
    refused = chinese_client(drop).get(ME)
    assert refused.status_code == 401
    assert refused.json()["message"] == "令牌无效或已被吊销，请重新登录。"
    assert chinese_client(keep).get(ME).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.user.token_revoked", actor=cast.buyer).exists()


def test_last_used_is_written_at_most_once_a_minute(cast):
    key = sign_in()
    client = chinese_client(key)
    client.get(ME)  # first use: written
    first = ApiToken.objects.get(user=cast.buyer).last_used_at

    client.get(ME)

    assert ApiToken.objects.get(user=cast.buyer).last_used_at == first


def test_a_user_holds_a_bounded_number_of_tokens(cast, settings):
    settings.API_TOKEN_MAX_PER_USER = 3
    keys = [sign_in(f"t{i}") for i in range(5)]

    assert ApiToken.objects.filter(user=cast.buyer).count() == 3
    assert chinese_client(keys[0]).get(ME).status_code == 401
    assert chinese_client(keys[-1]).get(ME).status_code == 200


def test_changing_the_password_revokes_every_token(client, cast):
    keys = [sign_in("a"), sign_in("b")]
    client.force_login(cast.buyer)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "New-bridge-2026", "new_password2": "New-bridge-2026"},
    )

    assert response.status_code == 302
    assert all(chinese_client(k).get(ME).status_code == 401 for k in keys)
    entry = AuditEntry.objects.get(action="accounts.user.tokens_revoked")
    assert entry.data == {"count": 2, "reason": "password_change"}


def test_resetting_the_password_revokes_every_token(client, cast, mailoutbox):
    key = sign_in()
    client.post(reverse("accounts:password_reset"), {"email": "buyer@example.cn"})
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]

    done = client.post(set_url, {"new_password1": "New-bridge-2026", "new_password2": "New-bridge-2026"})

    assert done.status_code == 302
    assert chinese_client(key).get(ME).status_code == 401


def test_the_tokens_page_issues_a_named_token_once_lists_and_revokes(client, cast):
    client.force_login(cast.buyer)

    issued = client.post(reverse("accounts:tokens"), {"name": "ERP 对接"})

    assert issued.status_code == 200
    key = issued.context["new_key"]
    assert key in issued.content.decode() and "ERP 对接" in issued.content.decode()
    assert chinese_client(key).get(ME).status_code == 200
    again = client.get(reverse("accounts:tokens"))
    assert key not in again.content.decode() and "ERP 对接" in again.content.decode()
    token = ApiToken.objects.get(user=cast.buyer)

    revoked = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)

    assert "ERP 对接" in revoked.content.decode()  # the message names it
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert chinese_client(key).get(ME).status_code == 401


def test_the_tokens_page_refuses_an_over_long_name(client, cast):
    client.force_login(cast.buyer)

    response = client.post(reverse("accounts:tokens"), {"name": "名" * 101})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_token_from_before_the_upgrade_keeps_working_and_gets_an_expiry():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0002_rename_audit_codes"), ("authtoken", "0004_alter_tokenproxy_options")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("accounts", "User").objects.create(username="old_client", role="member")
    old.get_model("authtoken", "Token").objects.create(
        user=user, key="0123456789abcdef0123456789abcdef01234567"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    token = ApiToken.objects.get(user__username="old_client")
    assert token.expires_at > timezone.now() + timedelta(days=settings.API_TOKEN_DAYS - 1)
    me = chinese_client("0123456789abcdef0123456789abcdef01234567").get(ME)
    assert me.status_code == 200 and me.json()["username"] == "old_client"


def test_token_lists_have_a_fixed_query_count(client, cast, pinned_queries):
    keys = [sign_in(f"脚本{i}") for i in range(5)]
    api = chinese_client(keys[0])
    api.get(ME)  # last-used written now: the pinned request below writes nothing
    client.force_login(cast.buyer)

    with pinned_queries("api list"):
        response = api.get(TOKENS)
    assert len(response.json()) == 5
    with pinned_queries("page"):
        page = client.get(reverse("accounts:tokens"))
    assert page.content.decode().count("脚本") == 5
