"""The live page at scale: unchanged polls answered 204 from one query, the shared fragment rendered
once per lot state and language (cached), the viewer's own parts only for them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from techbridge.auctions import live, services
from techbridge.auctions.choices import LotFormat, LotStatus
from techbridge.auctions.models import Lot
from techbridge.testing.factories.auctions import bid, make_lot, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _token(response) -> str:
    return response.content.decode().split('"v": "')[1].split('"')[0]


def _url(lot) -> str:
    return reverse("auctions:lot_status", args=[lot.pk])


def test_an_unchanged_poll_is_one_query_and_renders_nothing(client, cast, lot, bidders, pinned_queries):
    bid(cast.buyer, lot, "100000")
    anonymous = _token(client.get(_url(lot)))
    with pinned_queries("unchanged_anonymous"):  # the probe alone
        assert client.get(_url(lot), {"v": anonymous}).status_code == 204

    client.force_login(cast.broker)
    member = _token(client.get(_url(lot)))
    assert member != anonymous  # the viewer's own state is part of the token
    with pinned_queries("unchanged_member"):  # session, user, probe
        response = client.get(_url(lot), {"v": member})
    assert response.status_code == 204 and response.content == b""


def test_a_changed_poll_pins_its_queries(client, cast, lot, bidders, pinned_queries):
    client.force_login(cast.broker)
    token = _token(client.get(_url(lot)))
    for i in range(6):
        bid(cast.buyer if i % 2 == 0 else cast.broker, lot, str(100000 + i * 1000))
    client.get(_url(lot), {"v": token})  # the first viewer renders the shared part
    with pinned_queries("changed"):  # the shared part comes from the cache: no bid history query
        html = client.get(_url(lot), {"v": token}).content.decode()
    assert "¥105,000.00" in html and "¥106,000.00" in html  # price and minimum next bid


def test_the_shared_part_is_rendered_once_per_version_for_all_viewers(
    client, cast, lot, bidders, monkeypatch, django_assert_num_queries
):
    rendered = []
    real = live.render_to_string
    monkeypatch.setattr(live, "render_to_string", lambda *a, **k: rendered.append(a[0]) or real(*a, **k))
    bid(cast.buyer, lot, "100000")
    for user in (cast.buyer, cast.broker, cast.researcher, None):
        if user:
            client.force_login(user)
        else:
            client.logout()
        assert "¥100,000.00" in client.get(_url(lot), {"v": "old"}).content.decode()
    assert len(rendered) == 2  # head and history, once for four viewers
    bid(cast.broker, lot, "110000")
    assert "¥110,000.00" in client.get(_url(lot), {"v": "old"}).content.decode()
    assert len(rendered) == 4
    # Another language is another fragment.
    assert "Current price" in client.get(_url(lot), {"v": "old"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(rendered) == 6


def test_own_parts_only_for_the_viewer_and_none_for_anonymous(client, cast, lot, bidders):
    bid(cast.buyer, lot, "100000")
    bid(cast.broker, lot, "101000")
    anonymous = client.get(_url(lot)).content.decode()
    assert "我的状态" not in anonymous and 'id="bid-panel"' not in anonymous
    assert "hidden> (" in anonymous  # every "(you)" flag stays hidden for an anonymous viewer

    client.force_login(cast.buyer)
    mine = client.get(_url(lot)).content.decode()
    buyer_reg = bidders[0].pk
    assert f'data-reg="{buyer_reg}">' in mine  # the buyer's own bid is marked
    assert f'data-reg="{bidders[1].pk}" hidden' in mine  # the broker's is not
    assert "我的状态" in mine and "您的出价已被超过" in mine and 'id="bid-panel"' in mine


def test_the_viewers_own_changes_move_their_token(client, cast, session, lot, bidders):
    client.force_login(cast.buyer)
    token = _token(client.get(_url(lot)))
    services.set_proxy(actor=cast.buyer, lot_id=lot.pk, max_amount="150000")
    # The proxy's first bid moved the version too; the ceiling shows in "my status".
    html = client.get(_url(lot), {"v": token}).content.decode()
    assert "您的代理最高限价：¥150,000.00" in html

    from techbridge.testing.factories.auctions import paid

    other = make_session(cast)
    other_lot = make_lot(cast, other)
    reg = services.register_bidder(actor=cast.buyer, session=other)
    token = _token(client.get(_url(other_lot)))
    assert reg.deposit_status == "required"
    paid(cast.buyer, other, cast)  # the operator confirms the deposit: no lot version moved
    assert Lot.objects.get(pk=other_lot.pk).version == other_lot.version
    after = client.get(_url(other_lot), {"v": token})
    assert after.status_code == 200 and "保证金已缴" in after.content.decode()


def test_the_dutch_clock_moves_the_token_with_time(client, cast, session, bidders, monkeypatch):
    now = timezone.now()
    dutch = make_lot(
        cast,
        session,
        format=LotFormat.DUTCH,
        starting_price=Decimal("200000"),
        dutch_decrement=Decimal("10000"),
        dutch_interval_seconds=60,
        starts_at=now - timedelta(seconds=30),
    )
    token = _token(client.get(_url(dutch)))
    assert client.get(_url(dutch), {"v": token}).status_code == 204
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=31))
    moved = client.get(_url(dutch), {"v": token})
    assert moved.status_code == 200 and "¥190,000.00" in moved.content.decode()


def test_the_deadline_and_soft_close_still_show(client, cast, session, bidders, monkeypatch):
    now = timezone.now()
    lot = make_lot(
        cast, session, ends_at=now + timedelta(minutes=2), soft_close_minutes=5, extension_minutes=5
    )
    token = _token(client.get(_url(lot)))
    bid(cast.buyer, lot, "100000")  # inside the soft-close window: the end moves 5 minutes later
    lot.refresh_from_db()
    extended = client.get(_url(lot), {"v": token}).content.decode()
    assert lot.ends_at > now + timedelta(minutes=6)
    assert timezone.localtime(lot.ends_at).strftime("%H:%M:%S") in extended and "已延时 1 次" in extended
    token = _token(client.get(_url(lot)))
    assert client.get(_url(lot), {"v": token}).status_code == 204

    monkeypatch.setattr(timezone, "now", lambda: lot.ends_at + timedelta(seconds=1))
    closed = client.get(_url(lot), {"v": token})
    assert closed.status_code == 200 and "已成交" in closed.content.decode()
    assert 'hx-trigger="every 1s"' not in closed.content.decode()  # polling stops at the close
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.SOLD


def test_a_hidden_lot_polls_404(client, cast, session):
    draft = make_lot(cast, session, status=LotStatus.SCREENING)
    assert client.get(_url(draft), {"v": "x"}).status_code == 404


def test_viewers_without_a_registration_share_one_whole_fragment(
    client, cast, lot, bidders, django_assert_num_queries, monkeypatch
):
    """Anonymous viewers (and signed-in ones who did not register) have no parts of their own: after the
    first of them, a changed poll is the probe and a cache read, with the server's clock fresh."""
    old = _token(client.get(_url(lot)))
    bid(cast.buyer, lot, "100000")
    first = client.get(_url(lot), {"v": old}).content.decode()
    assert "¥100,000.00" in first and live.NOW_SLOT not in first

    later = timezone.now() + timedelta(seconds=7)
    monkeypatch.setattr(live.timezone, "now", lambda: later)
    with django_assert_num_queries(1):  # the probe; nothing rendered, nothing else read
        second = client.get(_url(lot), {"v": old}).content.decode()
    assert second.replace(_data_now(second), _data_now(first)) == first
    assert _data_now(second) == timezone.localtime(later).isoformat()

    # a signed-in visitor without a registration gets the same fragment under their own token
    client.force_login(cast.researcher)
    member = client.get(_url(lot), {"v": "stale"}).content.decode()
    assert "¥100,000.00" in member and "my-status" not in member
    assert _token(client.get(_url(lot))).endswith("~-")


def _data_now(html: str) -> str:
    return html.split('data-now="')[1].split('"')[0]
