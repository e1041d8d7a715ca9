"""One-word msgids read right on the pages where a user meets them (issue 22, point 2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.testing.factories.contracts import make_registered_contract
from techbridge.testing.factories.events import make_event
from techbridge.testing.fixtures.records import room as open_room

pytestmark = pytest.mark.django_db


def test_a_new_room_reads_in_negotiation_and_nda_not_signed(client, cast, media_root):
    room = open_room(cast)
    client.force_login(cast.buyer)
    page = client.get(reverse("deals:room", args=[room.pk])).content.decode()

    assert "洽谈中" in page
    assert "尚未签署" in page
    assert "尚未评分" not in page  # the valuation panel's "not yet", not an NDA's
    assert ">查看<" not in page


def test_a_registered_contract_reads_registered_not_signed_up(client, cast, achievement):
    contract = make_registered_contract(cast, achievement)
    client.force_login(cast.buyer)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()

    assert "已认定登记" in page
    assert "注册" not in page.split("<main", 1)[-1]


def test_sign_up_says_register_an_account_and_an_event_says_take_a_seat(client, cast):
    home = client.get("/").content.decode()
    assert ">注册</a>" in home

    event = make_event()
    client.force_login(cast.buyer)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert ">报名</button>" in page
    assert ">注册</button>" not in page
