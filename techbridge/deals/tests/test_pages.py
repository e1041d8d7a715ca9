"""Room pages in the browser without JavaScript: open, NDA, offers, messages, per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.contracts.models import Contract
from techbridge.deals import services
from techbridge.deals.models import Room

pytestmark = pytest.mark.django_db


def test_achievement_page_shows_the_open_negotiation_button_to_other_organisations(client, cast, achievement):
    url = reverse("achievements:detail", args=[achievement.pk])
    client.force_login(cast.buyer)
    assert reverse("deals:open") in client.get(url).content.decode()
    client.force_login(cast.researcher)
    assert reverse("deals:open") not in client.get(url).content.decode()


def test_demand_page_offers_a_negotiation_to_universities(client, cast):
    from techbridge.testing.factories.demands import make_demand

    demand = make_demand(cast)
    client.force_login(cast.researcher)
    assert reverse("deals:open") in client.get(reverse("demands:detail", args=[demand.pk])).content.decode()


def test_full_negotiation_through_the_pages(client, cast, achievement):
    client.force_login(cast.buyer)
    resp = client.post(reverse("deals:open"), {"achievement": achievement.pk})
    room = Room.objects.get()
    assert resp.url == reverse("deals:room", args=[room.pk])
    assert client.get(resp.url).status_code == 200
    client.post(reverse("deals:nda", args=[room.pk]))
    client.post(reverse("deals:message", args=[room.pk]), {"body": "您好，想了解授权方式"})
    client.post(
        reverse("deals:offer", args=[room.pk]),
        {"deal_mode": "assignment", "price": "500000", "payment_terms": "lump_sum", "exclusivity": ""},
    )
    client.force_login(cast.researcher)
    client.post(reverse("deals:nda", args=[room.pk]))
    page = client.get(reverse("deals:room", args=[room.pk])).content.decode()
    assert achievement.detail in page
    assert "您好，想了解授权方式" in page
    offer = room.offers.get()
    resp = client.post(reverse("deals:offer_answer", args=[room.pk, offer.pk, "accept"]))
    contract = Contract.objects.get()
    assert resp.url == reverse("contracts:detail", args=[contract.pk])


def test_bad_offer_shows_a_message_and_saves_nothing(client, cast, achievement):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    client.force_login(cast.buyer)
    resp = client.post(
        reverse("deals:offer", args=[room.pk]),
        {"deal_mode": "assignment", "price": "-5", "payment_terms": "lump_sum"},
        follow=True,
    )
    assert resp.status_code == 200
    assert list(resp.context["messages"])
    assert not room.offers.exists()


@pytest.mark.parametrize("who", ["broker", "outsider", "reviewer", "official"])
def test_non_participants_get_404_for_a_room(client, cast, achievement, who):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    client.force_login(getattr(cast, who))
    assert client.get(reverse("deals:room", args=[room.pk])).status_code == 404
    assert client.post(reverse("deals:message", args=[room.pk]), {"body": "x"}).status_code == 404


def test_reviewer_reads_and_resolves_a_disputed_room(client, cast, achievement):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    services.raise_dispute(room, actor=cast.buyer, reason="对方不回复")
    client.force_login(cast.reviewer)
    assert room.title in client.get(reverse("deals_console:disputes")).content.decode()
    assert client.get(reverse("deals:room", args=[room.pk])).status_code == 200
    client.post(reverse("deals:resolve", args=[room.pk]), {"reason": "已联系双方"})
    assert room.disputes.get().status == "resolved"


def test_room_list_query_count_is_pinned(client, cast, achievement, pinned_queries):
    from techbridge.testing.factories.achievements import make_achievement

    for n in range(5):
        services.open_room(actor=cast.buyer, achievement=make_achievement(cast, title=f"洽谈成果{n}"))
    client.force_login(cast.buyer)
    with pinned_queries("rooms"):
        resp = client.get(reverse("deals:list"))
    assert len(resp.context["rooms"]) == 5
    assert all(f"洽谈成果{n}" in resp.content.decode() for n in range(5))


def test_match_result_offers_a_negotiation_that_links_both_listings(rf, cast, achievement):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from techbridge.testing.factories.demands import make_demand

    demand = make_demand(cast)
    request = rf.get("/")
    request.user = cast.researcher
    html = render_to_string(
        "deals/partials/match_action.html",
        {
            "m": SimpleNamespace(kind="demand", obj=demand),
            "obj": achievement,
            "kind": "achievement",
            "user": cast.researcher,
        },
        request=request,
    )
    assert (
        f'name="achievement" value="{achievement.pk}"' in html
        and f'name="demand" value="{demand.pk}"' in html
    )
    request.user = cast.buyer
    html = render_to_string(
        "deals/partials/match_action.html",
        {"m": SimpleNamespace(kind="achievement", obj=achievement), "user": cast.buyer},
        request=request,
    )
    assert f'name="achievement" value="{achievement.pk}"' in html and 'name="demand"' not in html


@pytest.mark.parametrize("who", ["reviewer", "operator", "official", "outsider"])
def test_staff_officials_and_users_without_organisation_get_no_negotiation_button(
    client, cast, achievement, who
):
    client.force_login(getattr(cast, who))
    page = client.get(reverse("achievements:detail", args=[achievement.pk])).content.decode()
    assert 'data-testid="open-room"' not in page


def test_anonymous_visitor_is_invited_to_sign_in(client, achievement):
    page = client.get(reverse("achievements:detail", args=[achievement.pk])).content.decode()
    assert reverse("accounts:login") in page and 'data-testid="open-room"' not in page


def test_message_attachments_are_served_to_participants_only(client, cast, achievement):
    from django.core.files.uploadedfile import SimpleUploadedFile

    room = services.open_room(actor=cast.buyer, achievement=achievement)
    msg = services.post_message(
        room, actor=cast.buyer, body="附件", attachment=SimpleUploadedFile("规格.txt", "耐温 180℃".encode())
    )
    url = reverse("deals:attachment", args=[room.pk, msg.pk])
    client.force_login(cast.researcher)
    resp = client.get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == "耐温 180℃".encode()
    client.force_login(cast.broker)
    assert client.get(url).status_code == 404


def test_htmx_message_post_returns_the_refreshed_list_and_errors_inline(client, cast, achievement):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    client.force_login(cast.buyer)
    url = reverse("deals:message", args=[room.pk])
    resp = client.post(url, {"body": "请提供中试数据"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "请提供中试数据" in resp.content.decode()
    resp = client.post(url, {"body": "  "}, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in resp.content.decode()
    client.force_login(cast.researcher)
    assert "请提供中试数据" in client.get(reverse("deals:messages", args=[room.pk])).content.decode()
    client.force_login(cast.outsider)
    assert client.get(reverse("deals:messages", args=[room.pk])).status_code == 404


def test_room_page_query_count_does_not_grow_with_messages_and_offers(
    client, cast, achievement, pinned_queries
):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    for i in range(10):
        services.post_message(room, actor=cast.buyer if i % 2 else cast.researcher, body=f"消息{i}")
    for price in ("100", "200", "300"):
        services.make_offer(
            room,
            actor=cast.buyer,
            data={"deal_mode": "assignment", "price": price, "payment_terms": "lump_sum"},
        )
    client.force_login(cast.buyer)
    with pinned_queries("room"):
        resp = client.get(reverse("deals:room", args=[room.pk]))
    page = resp.content.decode()
    assert "消息0" in page and "消息9" in page
    assert "¥300.00" in page or "300.00" in page


def test_a_side_invites_a_technology_manager_from_the_list(client, cast, achievement):
    room = services.open_room(actor=cast.buyer, achievement=achievement)
    client.force_login(cast.buyer)
    page = client.get(reverse("deals:room", args=[room.pk])).content.decode()
    # Picked by typing (issue 22 point 5): the page never lists every technology manager.
    assert 'data-pick="brokers"' in page and cast.broker.display_name not in page
    client.post(reverse("deals:invite", args=[room.pk]), {"broker": cast.broker.pk})
    assert room.broker_invitations.get().broker == cast.broker
    client.force_login(cast.broker)
    assert client.get(reverse("deals:room", args=[room.pk])).status_code == 200
    # A broker advises but invites nobody: refused with the reason, before the form is read.
    resp = client.post(reverse("deals:invite", args=[room.pk]), {"broker": cast.outsider.pk})
    page = resp.content.decode()
    assert resp.status_code == 403
    assert "Only the seller or the buyer" in page or "只有卖方或买方" in page
