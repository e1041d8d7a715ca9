"""``make demo`` seeds every section: each load_demo_* loader, run on a small demo database, puts
records a visitor sees on the pages (tagged as demo data), and a second run changes nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from techbridge.core.models import AuditEntry

LOADERS = [
    "load_demo_deals",
    "load_demo_institutions",
    "load_demo_talent",
    ("load_demo_ipservices", "--limit", "40"),
    "load_demo_auctions",
    "load_demo_mining",
    "load_demo_carriers",
]


def _run_loaders() -> None:
    for loader in LOADERS:
        args = (loader,) if isinstance(loader, str) else loader
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """One small demo database for the module (the loaders take a while): 60 rows of each demo file.

    The loaders commit (hand-offs and index updates run after commit, as in ``make demo``), so the
    module ends by emptying the database and putting back what the migrations had loaded.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        reference = connection.creation.serialize_db_to_string()
        data = str(Path(settings.BASE_DIR) / "data")
        call_command("load_demo", "--data-dir", data, "--limit", "60", "--no-progress", stdout=io.StringIO())
        call_command("demo_accounts", stdout=io.StringIO())
        _run_loaders()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(reference)


@pytest.fixture
def as_demo(client, demo_db, db):
    def login(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return login


def page(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


def test_running_the_loaders_again_changes_nothing(demo_db, db):
    records = AuditEntry.objects.exclude(action__startswith="imports.batch.")  # each import run is logged
    before = records.count()

    _run_loaders()

    assert records.count() == before


def test_auctions_show_a_live_session_with_bids_and_a_closed_one_with_a_winner(client, demo_db, db):
    index = page(client, "auctions:index")

    assert "示例·2026年高校院所专利网上拍卖专场" in index
    assert "示例·新材料专利降价拍卖专场（已成交）" in index
    closed_pk = re.search(r'href="/auctions/sessions/(\d+)/"[^>]*>示例·新材料', index)
    live_pk = re.search(r'href="/auctions/sessions/(\d+)/"[^>]*>示例·2026', index)
    assert closed_pk and live_pk
    closed = page(client, "auctions:session", int(closed_pk.group(1)))
    assert "已成交" in closed
    live = page(client, "auctions:session", int(live_pk.group(1)))
    assert live.count("（专利权转让）") >= 2 and "已成交" not in live


def test_the_demo_contract_is_registered_and_in_the_statistics(as_demo):
    client = as_demo("researcher")

    listing = page(client, "contracts:list")

    assert "已认定登记" in listing
    pk = re.findall(r'href="/contracts/(\d+)/"', listing)
    details = [page(client, "contracts:detail", int(p)) for p in dict.fromkeys(pk)]
    assert any(re.search(r"登记号\s*\d{4}3201\d{6}|\d{4}3201\d{6}", d) for d in details)
    assert "技术开发" in page(client, "contracts:stats")


def test_catalogues_and_packages_are_published(client, demo_db, db):
    assert "领域科技成果目录" in page(client, "mining:catalogues")
    assert "科技成果包" in page(client, "mining:packages")


def test_carriers_alliance_and_case_are_public(client, demo_db, db):
    assert "示例·江北新区集成电路科技企业孵化器" in page(client, "carriers:list")
    assert "示例·南京集成电路产学研协同创新联盟" in page(client, "carriers:alliances")
    assert "示例·高校课题组与集成电路设计企业的委托开发合作" in page(client, "carriers:cases")


def test_the_expert_pool_has_demo_experts(as_demo):
    html = page(as_demo("operator"), "talent_console:experts")

    assert "演示专家·陈" in html and "示例专家" in html


def test_the_demo_broker_institution_is_designated_and_rated(client, demo_db, db):
    directory = page(client, "institutions:directory")
    assert "示例技术转移服务中心" in directory
    pk = re.search(r'href="/institutions/(\d+)/"[^>]*>\s*示例技术转移服务中心', directory)
    assert pk
    detail = page(client, "institutions:detail", int(pk.group(1)))
    assert "市级技术转移示范机构" in detail or "示范机构" in detail


def test_the_demo_enterprise_watches_a_product_and_has_an_assistance_request(as_demo):
    client = as_demo("enterprise")

    assert "示例·农业植保无人机" in page(client, "ipservices:warning")
    assert "示例·涉嫌侵犯专利" in page(client, "ipservices:requests")


def test_home_page_leads_with_described_achievements(client, demo_db, db):
    html = page(client, "portal:home")

    sections = [part.split("</section>")[0] for part in html.split('<section class="home-half">')[1:]]
    newest = next(s for s in sections if 'href="/achievements/' in s and "card listing" in s)
    assert newest.count("<article") == 6
    assert "专利著录记录" not in newest  # title-only patent records follow the described ones
