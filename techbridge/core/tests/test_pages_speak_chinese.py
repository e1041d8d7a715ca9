"""Chinese pages show words, not codes (issue 22, point 3).

The main pages are rendered for a few roles and their visible text (not attributes, scripts or styles) is
scanned for dotted audit codes, raw state codes and a list of English words that leaked before: an
activity feed that read ``submit`` or ``draft → submitted``, package methods ``spectral / ward-hybrid``,
a contract history listing field codes, a plain-English "403 Forbidden".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from techbridge.core import registry
from techbridge.core.models import AuditEntry
from techbridge.core.views import server_error
from techbridge.mining.models import AchievementPackage
from techbridge.testing.factories.contracts import make_draft_contract

pytestmark = pytest.mark.django_db

# English that showed on Chinese pages, and codes that must be shown in words.
ENGLISH = [
    "Forbidden",
    "Not Found",
    "Server Error",
    "CSRF",
    "Open",
    "Register",
    "Registered",
    "not yet",
    "submit",
    "submitted",
    "draft",
    "spectral",
    "ward-hybrid",
    "kmeans",
    "total_amount",
    "payment_terms",
]
DOTTED_CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b")
STATE_ARROW = re.compile(r"\b[a-z_]+ → [a-z_]+\b")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.chunks)


def leaks(html: str) -> list[str]:
    text = visible_text(html)
    found = DOTTED_CODE.findall(text) + STATE_ARROW.findall(text)
    found += [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
    return found


def _feed_with_every_audit_code(record, actor) -> None:
    ct = ContentType.objects.get_for_model(record)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=ct,
                object_id=str(record.pk),
                action=code,
                actor=actor,
                from_state="draft",
                to_state="submitted",
            )
            for code in sorted(registry.audit_codes())
        ]
    )


@pytest.mark.parametrize("role", ["reviewer", "operator", "official"])
def test_console_home_and_its_activity_feed_are_in_words(client, cast, role):
    contract = make_draft_contract(cast)
    _feed_with_every_audit_code(contract, cast.researcher)
    client.force_login(getattr(cast, role))

    page = client.get(reverse("console:home"))

    assert page.status_code == 200
    assert leaks(page.content.decode()) == []


@pytest.mark.parametrize("role", ["anonymous", "researcher", "buyer"])
def test_the_main_portal_pages_are_in_words(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    for url in ["/", reverse("achievements:list"), reverse("demands:list")]:
        page = client.get(url)
        assert leaks(page.content.decode()) == [], url
    if role != "anonymous":
        page = client.get(reverse("portal:mine"))
        assert page.status_code == 200
        assert leaks(page.content.decode()) == []


def test_contract_history_names_the_changed_fields_and_states_in_words(client, cast):
    contract = make_draft_contract(cast)
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(contract),
        object_id=str(contract.pk),
        action="contracts.contract.edited",
        actor=cast.researcher,
        data={"fields": ["total_amount", "payment_terms"]},
    )
    client.force_login(cast.researcher)

    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()

    assert "合同金额（元）、支付方式" in page
    assert leaks(page) == []


def test_package_methods_are_named_in_chinese(client, cast):
    package = AchievementPackage.objects.create(
        title="集成电路封装成果包",
        is_automatic=True,
        proposal_info={"method": "ward-hybrid", "cohesion": 0.61},
    )
    client.force_login(cast.operator)

    edit = client.get(reverse("mining_console:package_edit", args=[package.pk])).content.decode()
    listing = client.get(reverse("mining_console:packages")).content.decode()

    assert "Ward 层次聚类" in edit
    assert "谱聚类" in listing
    assert leaks(edit) == [] and leaks(listing) == []


def test_error_pages_are_chinese_in_the_site_frame(cast):
    client = Client()
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert "页面不存在" in not_found.content.decode()

    client.force_login(cast.buyer)
    forbidden = client.get(reverse("console:home"))
    assert forbidden.status_code == 403

    csrf = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "buyer"})
    assert csrf.status_code == 403

    with translation.override("zh-hans"):
        request = RequestFactory().get("/")
        broken = server_error(request)
    assert broken.status_code == 500

    home = client.get("/").content.decode()
    frame = re.search(r"<header[^>]*>", home)
    assert frame is not None
    for page in (not_found, forbidden, csrf):
        html = page.content.decode()
        assert frame.group(0) in html  # the site's own header, not Django's bare error page
        assert '<html lang="zh-hans"' in html
        assert leaks(html) == []
    # The 500 page does not touch the database, so it has no signed-in header; it is still the site's own.
    html = broken.content.decode()
    assert '<html lang="zh-hans"' in html and "/static/" in html and "返回首页" in html
    assert leaks(html) == []
