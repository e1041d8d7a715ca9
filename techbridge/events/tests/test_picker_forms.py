"""Issue 22 point 5, the rest: every form that picks from a list that grows (brokers in a room, lot
packages, IP service providers, innovation vouchers, experts of the pool, the roadshow's demands and lots,
carriers' organisations) stays small with 2,000 rows of what it picks, refuses a bad or forbidden value
with a Chinese message, and each picker kind gives each role only what that role may choose."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from techbridge.accounts.models import User
from techbridge.auctions.models import Lot
from techbridge.core.roles import Role
from techbridge.deals import services as deals
from techbridge.ipservices.models import AssistanceRequest, ServiceProvider
from techbridge.mining.models import AchievementPackage
from techbridge.organizations.choices import OrgKind, OrgStatus
from techbridge.organizations.models import Organization
from techbridge.talent.models import Expert
from techbridge.testing.factories.auctions import make_lot, make_session
from techbridge.testing.factories.ipservices import make_provider
from techbridge.testing.factories.talent import ExpertFactory
from techbridge.testing.factories.tto import make_case

pytestmark = pytest.mark.django_db

MANY = 2000
SMALL = 120_000  # bytes: a form page with its menus, never a list of every record
REFUSED = "不是此处可选的记录"  # “…”不是此处可选的记录：请输入名称中的几个字，再从列表中选择。


def _options(html: str) -> int:
    return len(re.findall(r"<option\b", html))


def _small(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < SMALL, len(response.content)
    assert _options(html) < 60
    return html


def _many_orgs(prefix: str, kind: str = OrgKind.SERVICE) -> list[Organization]:
    return Organization.objects.bulk_create(
        Organization(name=f"{prefix}{i}号机构", kind=kind, status=OrgStatus.APPROVED) for i in range(MANY)
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---- brokers in a negotiation room -------------------------------------------------------------------


def test_the_room_page_stays_small_with_2000_brokers_and_refuses_a_stranger(client, cast, achievement):
    service = cast.broker.organization
    User.objects.bulk_create(
        User(username=f"jl{i}", real_name=f"技术经理人{i}", organization=service, role=Role.MEMBER)
        for i in range(MANY)
    )
    room = deals.open_room(actor=cast.buyer, achievement=achievement)
    client.force_login(cast.buyer)
    html = _small(client.get(reverse("deals:room", args=[room.pk])))
    assert 'data-pick="brokers"' in html
    # A user who is not a technology manager (the buyer's own colleague, typed by number) is refused.
    r = client.post(reverse("deals:invite", args=[room.pk]), {"broker": f"#{cast.outsider.pk}"}, follow=True)
    assert any(REFUSED in m for m in _messages(r))
    assert not room.broker_invitations.exists()
    r = client.post(reverse("deals:invite", args=[room.pk]), {"broker": f"#{cast.broker.pk} 某某"})
    assert room.broker_invitations.get().broker == cast.broker


# ---- the lot form's package --------------------------------------------------------------------------


def _lot_data() -> dict[str, str]:
    return {
        "title": "锂电池成果包转让",
        "sale_kind": "assignment",
        "format": "english",
        "starting_price": "100000",
        "increment": "5000",
        "soft_close_minutes": "5",
        "extension_minutes": "5",
        "extension_cap_minutes": "60",
        "dutch_interval_seconds": "60",
        "starts_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "scheduled_end_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
    }


def test_the_lot_form_picks_a_package_by_typing_among_2000(client, cast):
    AchievementPackage.objects.bulk_create(
        AchievementPackage(title=f"批量成果包{i}", status="published") for i in range(MANY)
    )
    draft = AchievementPackage.objects.create(title="未发布的成果包", status="draft")
    wanted = AchievementPackage.objects.get(title="批量成果包7")
    session = make_session(cast)
    client.force_login(cast.operator)
    url = reverse("auctions_console:lot_create", args=[session.pk])
    html = _small(client.get(url))
    assert 'data-pick="packages"' in html and "批量成果包1999" not in html
    r = client.post(url, {**_lot_data(), "package": f"#{draft.pk} 未发布的成果包"})
    assert r.status_code == 200 and REFUSED in r.content.decode()
    r = client.post(url, {**_lot_data(), "package": "999999999"})
    assert r.status_code == 200 and REFUSED in r.content.decode()
    assert Lot.objects.count() == 0
    r = client.post(url, {**_lot_data(), "package": f"#{wanted.pk} 批量成果包7"})
    assert r.status_code == 302, r.context["form"].errors
    assert Lot.objects.get().package == wanted


# ---- IP service providers ----------------------------------------------------------------------------


def test_the_assistance_page_stays_small_with_2000_providers_and_refuses_an_inactive_one(client, cast):
    ServiceProvider.objects.bulk_create(
        ServiceProvider(organization=o, role="institution") for o in _many_orgs("知识产权服务")
    )
    provider = make_provider(cast)
    closed = ServiceProvider.objects.filter(organization__name="知识产权服务5号机构").get()
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    req = AssistanceRequest.objects.create(
        applicant=cast.enterprise,
        created_by=cast.buyer,
        kind="infringement",
        title="发现仿制产品",
        description="展会上发现仿制我司专利产品。",
    )
    client.force_login(cast.buyer)
    html = _small(client.get(reverse("ipservices:assistance", args=[req.pk])))
    assert 'data-pick="assistance-providers"' in html
    act = reverse("ipservices:assistance_act", args=[req.pk, "submit"])
    r = client.post(act, {"provider": f"#{closed.pk} 知识产权服务5号机构"}, follow=True)
    assert any(REFUSED in m for m in _messages(r))
    req.refresh_from_db()
    assert req.status == "draft"
    client.post(act, {"provider": f"#{provider.pk} {provider.organization.name}"})
    req.refresh_from_db()
    assert req.status == "submitted" and req.provider == provider


# ---- experts of the pool (the technology-transfer office's assessment) --------------------------------


def test_the_case_page_stays_small_with_2000_experts_and_refuses_an_inactive_one(client, cast):
    users = User.objects.bulk_create(
        User(username=f"zj{i}", real_name=f"评审专家{i}", role=Role.MEMBER) for i in range(MANY)
    )
    Expert.objects.bulk_create(Expert(user=u, title="研究员") for u in users)
    wanted = ExpertFactory(user__real_name="钱学森式专家")
    retired = ExpertFactory(user__real_name="已退出专家", active=False)
    case = make_case(cast)
    client.force_login(cast.univ_admin)
    html = _small(client.get(reverse("tto:case", args=[case.pk])))
    assert 'data-pick="experts"' in html and "评审专家1999" not in html
    scores = {"score_novelty": "4", "score_market": "4", "score_maturity": "4", "score_protectability": "4"}
    url = reverse("tto:assess", args=[case.pk])
    r = client.post(url, {**scores, "experts": f"#{retired.pk} 已退出专家"}, follow=True)
    assert any(REFUSED in m for m in _messages(r))
    assert not case.experts.exists()
    client.post(url, {**scores, "experts": f"#{wanted.pk} 钱学森式专家 研究员\n"})
    assert list(case.experts.all()) == [wanted]


# ---- the roadshow form's demands and lots ------------------------------------------------------------


def test_the_roadshow_form_picks_demands_and_lots_and_refuses_a_hidden_one(client, cast):
    from techbridge.testing.factories.demands import make_demand

    session = make_session(cast)
    lot = make_lot(cast, session)
    client.force_login(cast.operator)
    url = reverse("events_console:create") + "?kind=roadshow"
    html = _small(client.get(url))
    assert 'data-pick="demands"' in html and 'data-pick="lots"' in html
    draft = make_demand(cast, published=False, title="未公开的需求")
    start = timezone.localtime() + dt.timedelta(days=5)
    data = {
        "title": "集成电路成果路演",
        "kind": "roadshow",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "100",
        "demands": f"#{draft.pk} 未公开的需求\n",
    }
    r = client.post(reverse("events_console:create"), data)
    assert r.status_code == 200
    assert f"未找到或无权使用：#{draft.pk}" in r.content.decode()
    picked = client.get(reverse("pick", args=["lots"]), {"q": lot.title[:4]}).content.decode()
    assert f'data-value="#{lot.pk} ' in picked


# ---- carriers: organisations picked through the shared picker ----------------------------------------


def test_the_carrier_form_stays_small_with_2000_organisations(client, cast):
    _many_orgs("孵化载体主办", kind=OrgKind.ENTERPRISE)
    client.force_login(cast.univ_admin)
    html = _small(client.get(reverse("carriers:create")))
    assert 'data-pick="organizations"' in html and "carriers/picker.js" not in html
    assert "孵化载体主办1999号机构" not in html


# ---- each kind gives each role only what it may pick --------------------------------------------------

ROLES = [
    "researcher",
    "univ_admin",
    "buyer",
    "broker",
    "reviewer",
    "operator",
    "official",
    "outsider",
    "stranger",
]


def _found(as_user, user, kind: str, q: str) -> list[int]:
    r = as_user(user).get(reverse("api:pick", args=[kind]), {"q": q})
    assert r.status_code == 200, r.content
    return [row["id"] for row in r.json()["results"]]


@pytest.mark.parametrize("role", ROLES)
def test_brokers_packages_lots_and_providers_are_found_by_every_signed_in_role(as_user, api, cast, role):
    package = AchievementPackage.objects.create(title="储能成果包", status="published")
    AchievementPackage.objects.create(title="储能草稿包", status="draft")
    provider = make_provider(cast)
    user = getattr(cast, role)
    assert _found(as_user, user, "brokers", cast.broker.username) == [cast.broker.pk]
    assert _found(as_user, user, "brokers", cast.buyer.username) == []  # not a technology manager
    assert _found(as_user, user, "packages", "储能") == [package.pk]
    assert _found(as_user, user, "assistance-providers", cast.service.name[:4]) == [provider.pk]
    assert api.get(reverse("api:pick", args=["packages"]), {"q": "储能"}).status_code in (401, 403)


EXPERT_PICKERS = {"univ_admin", "reviewer", "operator", "official"}


@pytest.mark.parametrize("role", ROLES)
def test_experts_are_found_only_by_staff_and_organisation_admins(as_user, cast, role):
    expert = ExpertFactory(user__real_name="孙评审")
    ExpertFactory(user__real_name="孙退休", active=False)
    wanted = [expert.pk] if role in EXPERT_PICKERS else []
    assert _found(as_user, getattr(cast, role), "experts", "孙") == wanted


@pytest.mark.parametrize("role", ROLES)
def test_vouchers_are_found_only_by_their_enterprise(as_user, cast, role):
    from techbridge.testing.factories.instruments import approved_voucher, make_programme

    voucher = approved_voucher(make_programme(created_by=cast.operator), cast.enterprise, cast.buyer)
    wanted = [voucher.pk] if getattr(cast, role).organization_id == cast.enterprise.pk else []
    assert _found(as_user, getattr(cast, role), "vouchers", voucher.number) == wanted


@pytest.mark.parametrize("role", ROLES)
def test_case_records_are_found_only_by_case_writers(as_user, cast, role):
    from techbridge.carriers.permissions import can_write_cases

    user = getattr(cast, role)
    r = as_user(user).get(reverse("api:pick", args=["case-contract"]), {"q": "合同"})
    assert r.status_code == 200
    if not can_write_cases(user):
        assert r.json()["results"] == []


def test_the_booking_form_picks_a_voucher_and_refuses_another_enterprises(client, cast):
    from techbridge.instruments.models import Voucher, VoucherProgramme
    from techbridge.testing.factories.instruments import approved_voucher, make_programme

    base = make_programme(created_by=cast.operator)
    programmes = VoucherProgramme.objects.bulk_create(
        VoucherProgramme(
            **{
                f.name: getattr(base, f.name)
                for f in VoucherProgramme._meta.concrete_fields
                if f.name not in ("id", "name")
            },
            name=f"创新券第{i}批",
        )
        for i in range(MANY)
    )
    Voucher.objects.bulk_create(
        Voucher(
            programme=p,
            enterprise=cast.enterprise,
            applied_by=cast.buyer,
            purpose="委托检测",
            requested_amount=Decimal("1000"),
            quota=Decimal("1000"),
            status="approved",
            number=f"CXQT{i:06d}",
        )
        for i, p in enumerate(programmes)
    )
    other = approved_voucher(
        make_programme(name="高校创新券", created_by=cast.operator), cast.university, cast.univ_admin
    )
    from techbridge.testing.factories.instruments import InstrumentFactory, with_rates

    instrument = with_rates(
        InstrumentFactory(owner=cast.university, manager=cast.researcher, created_by=cast.researcher)
    )
    client.force_login(cast.buyer)
    html = _small(client.get(reverse("instruments:book", args=[instrument.pk])))
    assert 'data-pick="vouchers"' in html and "CXQT001999" not in html
    form = client.get(reverse("instruments:book", args=[instrument.pk])).context["form"]
    form_data = {"voucher": f"#{other.pk} {other.number}"}
    bound = type(form)(form_data, user=cast.buyer, instrument=instrument)
    bound.is_valid()
    assert any(REFUSED in str(e) for e in bound.errors.get("voucher", []))
