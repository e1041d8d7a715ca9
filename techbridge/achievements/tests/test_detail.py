"""The achievement detail page: public fields, the NDA-gated detail, and who sees drafts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from techbridge.achievements.models import NdaAcceptance
from techbridge.core.models import AuditEntry
from techbridge.core.workflow import ReviewStatus
from techbridge.testing.factories.achievements import SECRET, make_achievement

pytestmark = pytest.mark.django_db


def detail(client, a):
    return client.get(reverse("achievements:detail", args=[a.pk]))


def test_public_fields_show_to_anonymous_visitors(client, cast):
    a = make_achievement(
        cast,
        title="高精度北斗定位模块",
        trl=7,
        price_negotiable=False,
        price=500000,
        patent_numbers="CN202223220665.2",
        ipc_codes="G01S",
        team="李研究 教授团队",
        contact_name="李老师",
        keywords="北斗,定位",
        dual_use=True,
        fields=("beidou",),
        deal_modes=("license-ordinary",),
    )

    html = detail(client, a).content.decode()

    for text in (
        "高精度北斗定位模块",
        "CN202223220665.2",
        "G01S",
        "李研究 教授团队",
        "李老师",
        "示范大学",
        "北斗导航/卫星应用",
        "普通许可",
        "50",
    ):
        assert text in html
    assert reverse("organizations:detail", args=[cast.university.pk]) in html
    assert _("Dual-use") in html and _("Yes: civil and military use (军民两用)") in html
    assert "TRL 7" in html or "7" in html


def test_anonymous_visitor_sees_sign_in_box_not_the_secret(client, published):
    response = detail(client, published)

    html = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in html
    assert _("Sign in to view") in html
    assert reverse("accounts:login") in html
    assert reverse("achievements:accept_nda", args=[published.pk]) not in html


@pytest.mark.parametrize("who", ["outsider", "buyer", "broker"])
def test_signed_in_non_owner_sees_nda_terms_not_the_secret(client, cast, published, who):
    client.force_login(getattr(cast, who))

    html = detail(client, published).content.decode()

    assert SECRET not in html
    assert reverse("achievements:accept_nda", args=[published.pk]) in html


def test_buyer_sees_the_detail_after_accepting_the_nda(client, cast, published):
    client.force_login(cast.buyer)

    response = client.post(reverse("achievements:accept_nda", args=[published.pk]), follow=True)

    assert response.status_code == 200
    assert SECRET in response.content.decode()
    assert NdaAcceptance.objects.filter(achievement=published, user=cast.buyer).exists()
    assert (
        AuditEntry.objects.filter(
            object_id=str(published.pk), action="achievements.achievement.nda_accepted"
        ).count()
        == 1
    )
    # Accepting twice records it once.
    client.post(reverse("achievements:accept_nda", args=[published.pk]))
    assert NdaAcceptance.objects.filter(achievement=published, user=cast.buyer).count() == 1


def test_accepting_the_nda_needs_a_signed_in_user(client, published):
    response = client.post(reverse("achievements:accept_nda", args=[published.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not NdaAcceptance.objects.exists()


@pytest.mark.parametrize("who", ["researcher", "univ_admin", "reviewer", "operator"])
def test_owners_and_reviewers_see_the_detail_without_an_nda(client, cast, published, who):
    client.force_login(getattr(cast, who))

    assert SECRET in detail(client, published).content.decode()


@pytest.mark.parametrize("who", [None, "outsider", "buyer", "broker", "official"])
def test_drafts_are_not_found_by_people_outside_the_owner(client, cast, draft, who):
    if who:
        client.force_login(getattr(cast, who))

    assert detail(client, draft).status_code == 404
    assert client.post(reverse("achievements:accept_nda", args=[draft.pk])).status_code in (302, 404)
    assert not NdaAcceptance.objects.exists()


def test_owner_sees_their_draft_with_its_status_and_next_moves(client, cast, draft):
    client.force_login(cast.researcher)

    html = detail(client, draft).content.decode()

    assert "未公开的钙钛矿电池草稿" in html
    assert f'<span class="tag status-draft">{ReviewStatus.DRAFT.label}</span>' in html
    assert reverse("achievements:edit", args=[draft.pk]) in html
    assert reverse("achievements:submit", args=[draft.pk]) in html


def test_non_owner_sees_no_edit_buttons(client, cast, published):
    client.force_login(cast.buyer)

    html = detail(client, published).content.decode()

    assert reverse("achievements:edit", args=[published.pk]) not in html
    assert reverse("achievements:withdraw", args=[published.pk]) not in html


def test_demo_and_stale_records_are_marked(client, cast):
    from django.utils import timezone

    a = make_achievement(cast, is_demo=True)
    type(a).objects.filter(pk=a.pk).update(stale_since=timezone.now())

    html = detail(client, a).content.decode()

    assert _("Demo data") in html
    assert _("May be out of date") in html
    updated = timezone.localtime(a.content_updated_at).strftime("%Y-%m-%d")  # as the page shows it
    assert (
        _(
            "This listing has not been updated since %(date)s and may be out of date. Please confirm "
            "with the owner."
        )
        % {"date": updated}
        in html
    )


def test_negotiable_price_and_missing_trl_read_well(client, cast):
    a = make_achievement(cast, price_negotiable=True, price=None, trl=None)

    html = detail(client, a).content.decode()

    assert "面议" in html
