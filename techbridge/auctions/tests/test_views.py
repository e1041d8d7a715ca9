"""Pages: the live lot page and its polling fragment, bidding from the page, console per role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from techbridge.auctions import services
from techbridge.auctions.choices import LotStatus, SessionStatus
from techbridge.auctions.models import AuctionSession, Lot
from techbridge.testing.factories import AchievementFactory, publish
from techbridge.testing.factories.auctions import AuctionSessionFactory, bid, make_lot

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_live_page_shows_price_history_by_number_not_name(client, cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    client.force_login(cast.broker)
    html = client.get(reverse("auctions:lot", args=[lot.pk]), **EN).content.decode()
    assert "¥100,000.00" in html and "¥101,000.00" in html  # price and minimum next bid
    assert "Bidder 001" in html
    assert "张采购" not in html and "示范企业有限公司" not in html
    assert 'hx-trigger="every 1s"' in html


def test_status_fragment_answers_204_until_the_lot_changes(client, cast, lot, bidders):
    client.force_login(cast.broker)
    url = reverse("auctions:lot_status", args=[lot.pk])
    first = client.get(url)
    assert first.status_code == 200
    token = first.content.decode().split('"v": "')[1].split('"')[0]
    assert client.get(url, {"v": token}).status_code == 204
    bid(cast.buyer, lot, "100000")
    changed = client.get(url, {"v": token})
    assert changed.status_code == 200 and "¥100,000.00" in changed.content.decode()


def test_status_fragment_query_count_is_pinned(client, cast, lot, bidders, pinned_queries):
    for i in range(6):
        bid(cast.buyer if i % 2 == 0 else cast.broker, lot, str(100000 + i * 1000))
    client.force_login(cast.broker)
    with pinned_queries("status"):
        fragment = client.get(reverse("auctions:lot_status", args=[lot.pk])).content.decode()
    assert "¥105,000.00" in fragment


def test_bid_from_the_page_with_htmx_and_without_js(client, cast, lot, bidders):
    client.force_login(cast.buyer)
    url = reverse("auctions:lot_bid", args=[lot.pk])
    r = client.post(url, {"amount": "100000", "nonce": "page-nonce-0001"}, HTTP_HX_REQUEST="true", **EN)
    assert r.status_code == 200 and "accepted" in r.content.decode()
    assert 'hx-swap-oob="true"' in r.content.decode()
    client.force_login(cast.broker)
    r = client.post(url, {"amount": "100500", "nonce": "page-nonce-0002"}, **EN)
    assert r.status_code == 302
    lot.refresh_from_db()
    assert lot.current_price == Decimal("100000")
    page = client.get(r["Location"], **EN).content.decode()
    assert "101,000.00" in page  # the refusal names the minimum


def test_anonymous_cannot_bid(client, lot):
    r = client.post(
        reverse("auctions:lot_bid", args=[lot.pk]), {"amount": "100000", "nonce": "anon-nonce-001"}
    )
    assert r.status_code == 302 and "login" in r["Location"]
    assert Lot.objects.get(pk=lot.pk).bid_count == 0


def test_register_from_the_session_page(client, cast, session):
    client.force_login(cast.buyer)
    r = client.post(reverse("auctions:session_register", args=[session.pk]), **EN)
    reg = session.registrations.get()
    assert reg.deposit_status == "required"
    # the bidder lands on the page that says where to pay and with which reference
    assert r.status_code == 302 and r["Location"] == reverse("auctions:registration", args=[reg.pk])


def test_draft_session_and_unlisted_lot_are_hidden_from_the_public(client, cast, session):
    draft = AuctionSessionFactory(title="草稿专场", status=SessionStatus.DRAFT, created_by=cast.operator)
    lot = make_lot(cast, session, status=LotStatus.SCREENING)
    client.force_login(cast.buyer)
    assert client.get(reverse("auctions:session", args=[draft.pk])).status_code == 404
    assert client.get(reverse("auctions:lot", args=[lot.pk])).status_code == 404
    client.force_login(cast.reviewer)
    assert client.get(reverse("auctions:lot", args=[lot.pk])).status_code == 200


def test_index_lists_open_lots_with_pinned_queries(client, cast, session, pinned_queries):
    lots = [make_lot(cast, session, title=f"锂电池隔膜专利{n}") for n in range(5)]
    with pinned_queries("index"):
        r = client.get(reverse("auctions:index"))
    html = r.content.decode()
    assert all(lot.title in html and reverse("auctions:lot", args=[lot.pk]) in html for lot in lots)


def test_console_is_for_staff_only(client, cast):
    url = reverse("auctions_console:home")
    for user, code in [(cast.buyer, 403), (cast.official, 403), (cast.reviewer, 200), (cast.operator, 200)]:
        client.force_login(user)
        assert client.get(url).status_code == code, user
    client.force_login(cast.reviewer)
    assert client.get(reverse("auctions_console:session_create")).status_code == 403


def test_operator_sets_up_a_lot_and_reviewer_screens_it(client, cast):
    achievement = AchievementFactory(owner=cast.university, created_by=cast.researcher)
    publish(achievement)
    client.force_login(cast.operator)
    start = timezone.localtime() + timedelta(hours=1)
    r = client.post(
        reverse("auctions_console:session_create"),
        {"title": "秋季专场", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "deposit_amount": "10000"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    session = AuctionSession.objects.get(title="秋季专场")
    assert session.organizer_id == cast.platform.pk
    client.post(reverse("auctions_console:session", args=[session.pk]), {"action": "publish"})
    form = {
        "title": "隔膜专利",
        "achievement": achievement.pk,
        "sale_kind": "licence",
        "licence_type": "license-exclusive",
        "format": "english",
        "starting_price": "50000",
        "reserve_price": "80000",
        "increment": "1000",
        "increment_ladder": "100000 5000",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "scheduled_end_at": (start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "soft_close_minutes": "5",
        "extension_minutes": "5",
        "extension_cap_minutes": "60",
        "dutch_interval_seconds": "60",
        "and_submit": "1",
    }
    r = client.post(reverse("auctions_console:lot_create", args=[session.pk]), form)
    assert r.status_code == 302, r.content.decode()[:3000]
    lot = Lot.objects.get(title="隔膜专利")
    assert lot.status == LotStatus.SCREENING and lot.seller_id == cast.university.pk
    assert lot.increment_ladder == [["100000", "5000"]] and lot.deal_mode_code == "license-exclusive"
    page = client.get(reverse("auctions_console:lot", args=[lot.pk]))
    assert page.status_code == 200
    client.force_login(cast.reviewer)
    url = reverse("auctions_console:lot", args=[lot.pk])
    client.post(url, {"action": "approve", "rights_verified": "on"})  # incomplete checks: refused
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.SCREENING
    client.post(
        url, {"action": "approve", "rights_verified": "on", "rights_in_force": "on", "no_encumbrance": "on"}
    )
    lot.refresh_from_db()
    assert lot.status == LotStatus.LISTED and lot.screened_by_id == cast.reviewer.pk
    history = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # The history speaks words: the action from auctions' label table, the states from the lot's choices.
    assert "审查通过并上拍" in history and "auctions.lot.listed" not in history
    assert "待法律状态审查 → 已上拍" in history and "screening →" not in history


def test_members_cannot_use_console_actions(client, cast, session, bidders):
    reg = bidders[0]
    client.force_login(cast.buyer)
    r = client.post(reverse("auctions_console:deposit", args=[reg.pk]), {"action": "refund"})
    assert r.status_code == 403


def test_operator_confirms_a_deposit_in_the_console(client, cast, session):
    reg = services.register_bidder(actor=cast.buyer, session=session)
    client.force_login(cast.operator)
    client.post(reverse("auctions_console:deposit", args=[reg.pk]), {"action": "paid", "reference": "TX-88"})
    reg.refresh_from_db()
    assert reg.deposit_status == "paid" and reg.deposit_reference == "TX-88"
    with override("en"):
        page = client.get(reverse("auctions_console:session", args=[session.pk])).content.decode()
    assert "TX-88" in page


def test_achievement_page_shows_its_lots(client, cast, lot):
    r = client.get(reverse("achievements:detail", args=[lot.achievement_id]))
    assert r.status_code == 200
    assert reverse("auctions:lot", args=[lot.pk]) in r.content.decode()


def test_session_cancel_withdraws_lots_and_refunds_deposits(cast, session, lot, bidders):
    services.cancel_session(actor=cast.operator, session=session)
    lot.refresh_from_db()
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and lot.status == LotStatus.WITHDRAWN
    assert set(session.registrations.values_list("deposit_status", flat=True)) == {"refunded"}


def test_console_home_and_session_pages_pin_queries(client, cast, session, bidders, pinned_queries):
    lots = [make_lot(cast, session, status=LotStatus.SCREENING, title=f"待筛查专利{n}") for n in range(4)]
    client.force_login(cast.operator)
    with pinned_queries("home"):
        home = client.get(reverse("auctions_console:home")).content.decode()
    with pinned_queries("session"):
        page = client.get(reverse("auctions_console:session", args=[session.pk])).content.decode()
    assert session.title in home
    assert all(lot.title in page for lot in lots)


def test_lot_edit_page_shows_the_valuation_suggestion_slot(client, cast, session):
    lot = make_lot(cast, session, status=LotStatus.DRAFT, title="待定价的隔膜专利")
    client.force_login(cast.operator)
    edit = client.get(reverse("auctions_console:lot_edit", args=[lot.pk]))
    assert edit.context["form"].instance == lot and "待定价的隔膜专利" in edit.content.decode()
    page = client.get(reverse("auctions_console:lot", args=[lot.pk])).content.decode()
    # No valuation has been issued for the achievement, so the slot says why there is no suggestion.
    assert 'id="valuation-suggestion"' in page


def test_sealed_live_page_hides_amounts_and_dutch_page_shows_the_clock(client, cast, session, bidders):
    from techbridge.auctions.choices import LotFormat

    sealed = make_lot(cast, session, format=LotFormat.SEALED_FIRST)
    bid(cast.buyer, sealed, "155555")
    client.force_login(cast.broker)
    html = client.get(reverse("auctions:lot", args=[sealed.pk]), **EN).content.decode()
    assert "155,555" not in html and "Sealed bids received" in html
    client.force_login(cast.operator)
    console = client.get(reverse("auctions_console:lot", args=[sealed.pk])).content.decode()
    assert "155,555" not in console  # sealed for staff too until the close
    dutch = make_lot(
        cast,
        session,
        format=LotFormat.DUTCH,
        starting_price=Decimal("200000"),
        dutch_decrement=Decimal("10000"),
        dutch_interval_seconds=3600,
    )
    client.force_login(cast.broker)
    html = client.get(reverse("auctions:lot", args=[dutch.pk]), **EN).content.decode()
    assert "Buy now at ¥200,000.00" in html


def test_lot_page_query_count_is_pinned(client, cast, lot, bidders, pinned_queries):
    for i in range(8):
        bid(cast.buyer if i % 2 == 0 else cast.broker, lot, str(100000 + i * 1000))
    client.force_login(cast.broker)
    with pinned_queries("lot"):
        html = client.get(reverse("auctions:lot", args=[lot.pk]), **EN).content.decode()
    assert "¥107,000.00" in html and "Bidder 001" in html and "Bidder 002" in html


def test_an_outbid_bidder_gets_a_fresh_bid_box_without_the_old_answer(client, cast, lot, bidders):
    """After being outbid, the bid box shows the new minimum and says so; the earlier "accepted" goes."""
    client.force_login(cast.buyer)
    accepted = client.post(
        reverse("auctions:lot_bid", args=[lot.pk]),
        {"amount": "100000", "nonce": "outbid-nonce-0001"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "已接受" in accepted
    url = reverse("auctions:lot_status", args=[lot.pk])
    token = client.get(url).content.decode().split('"v": "')[1].split('"')[0]

    bid(cast.broker, lot, "105000")
    fragment = client.get(url, {"v": token}).content.decode()

    panel = fragment[fragment.index('id="bid-panel"') :]
    assert 'hx-swap-oob="true"' in panel[:80]
    assert 'value="106000.00"' in panel  # the new minimum, not the amount bid before
    assert "您的出价已被超过" in panel and "106,000.00" in panel
    assert "已接受" not in panel
