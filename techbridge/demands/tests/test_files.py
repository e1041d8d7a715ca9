"""Rich demands: images, documents and video links on a technology demand, public or for signed-in members
of organisations only, managed by the demand's editors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from techbridge.core.models import AuditEntry
from techbridge.demands.files import FILES
from techbridge.demands.models import DemandAttachment, DemandVideo
from techbridge.testing.factories.demands import make_demand
from techbridge.testing.factories.files import add_listing_file, office_bytes, png_bytes, upload
from techbridge.testing.pages import card

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(cast, media_root):
    return make_demand(cast, title="锂电池回收拆解自动化需求")


def _add(cast, demand, run_on_commit, **kw):
    with run_on_commit(execute=True):
        row = add_listing_file(FILES, demand, cast.buyer, **kw)
    row.refresh_from_db()
    return row


def test_public_images_show_to_everyone_members_files_to_organisation_members(
    client, cast, demand, run_on_commit
):
    image = _add(cast, demand, run_on_commit, caption="现有产线")
    sheet = _add(
        cast,
        demand,
        run_on_commit,
        name="工况参数.xlsx",
        data=office_bytes("xlsx"),
        kind="document",
        visibility="members",
    )
    detail = reverse("demands:detail", args=[demand.pk])
    sheet_url = reverse("demands:attachment", args=[demand.pk, sheet.pk])

    page = client.get(detail).content.decode()
    assert "现有产线" in page and reverse("demands:attachment_thumbnail", args=[demand.pk, image.pk]) in page
    assert "工况参数.xlsx" not in page and "另有 1 个文件未显示" in page
    assert client.get(sheet_url).status_code == 302  # sign in first

    client.force_login(cast.outsider)  # signed in, but no organisation
    refused = client.get(sheet_url)
    assert refused.status_code == 403 and "仅向已登录的机构成员提供" in refused.content.decode()

    client.force_login(cast.researcher)
    assert "工况参数.xlsx" in client.get(detail).content.decode()
    response = client.get(sheet_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        'attachment; filename="' in response["Content-Disposition"]
        or "filename*=" in response["Content-Disposition"]
    )


def test_owner_manages_files_and_videos_on_the_edit_page(client, cast, demand, run_on_commit):
    client.force_login(cast.buyer)
    edit = reverse("demands:edit", args=[demand.pk])
    assert "添加视频链接" in client.get(edit).content.decode()

    with run_on_commit(execute=True):
        response = client.post(
            reverse("demands:attachment_add", args=[demand.pk]),
            {
                "file": upload("现场.png", png_bytes()),
                "kind": "image",
                "visibility": "public",
                "caption": "现场",
            },
        )
    assert response.status_code == 302 and response["Location"].endswith(edit + "#files")
    row = DemandAttachment.objects.get(demand=demand)
    assert row.thumbnail and row.caption == "现场"

    client.post(
        reverse("demands:video_add", args=[demand.pk]),
        {"url": "https://www.ixigua.com/123", "title": "产线视频"},
        HTTP_HX_REQUEST="true",
    )
    assert DemandVideo.objects.get(demand=demand).title == "产线视频"
    refused = client.post(
        reverse("demands:video_add", args=[demand.pk]),
        {"url": "https://example.org/v", "title": "外站"},
        HTTP_HX_REQUEST="true",
    )
    assert "只接受来自" in refused.content.decode()
    assert DemandVideo.objects.filter(demand=demand).count() == 1
    codes = set(AuditEntry.objects.filter(object_id=str(demand.pk)).values_list("action", flat=True))
    assert {"demands.demand.attachment_added", "demands.demand.video_added"} <= codes


@pytest.mark.parametrize("who", ["researcher", "reviewer", "outsider"])
def test_others_may_not_add_files(client, cast, demand, who):
    client.force_login(getattr(cast, who))

    response = client.post(
        reverse("demands:attachment_add", args=[demand.pk]),
        {"file": upload("x.png", png_bytes()), "kind": "image", "visibility": "public"},
    )

    assert response.status_code == 403
    assert not DemandAttachment.objects.exists()


def test_a_png_renamed_pdf_is_refused(client, cast, demand):
    client.force_login(cast.buyer)

    client.post(
        reverse("demands:attachment_add", args=[demand.pk]),
        {"file": upload("需求说明.pdf", png_bytes()), "kind": "document", "visibility": "public"},
    )

    assert not DemandAttachment.objects.exists()
    page = client.get(reverse("demands:edit", args=[demand.pk])).content.decode()
    assert "只接受 PDF、Word" in page


def test_list_cards_show_the_first_public_thumbnail(client, cast, demand, run_on_commit):
    image = _add(cast, demand, run_on_commit)

    html = client.get(reverse("demands:list")).content.decode()

    assert reverse("demands:attachment_thumbnail", args=[demand.pk, image.pk]) in card(html, demand.title)


def test_api_hides_members_files_from_anonymous(api, as_user, cast, demand, run_on_commit):
    _add(cast, demand, run_on_commit, caption="公开")
    _add(cast, demand, run_on_commit, name="内部.png", visibility="members")
    url = reverse("api:demand-files", args=[demand.pk])

    assert [f["caption"] for f in api.get(url).json()] == ["公开"]
    assert len(as_user(cast.researcher).get(url).json()) == 2
    owner = as_user(cast.buyer)
    bad = owner.post(
        url, {"file": upload("a.png", png_bytes()), "kind": "image", "visibility": "nda"}, format="multipart"
    )
    assert bad.status_code == 400 and "查看范围" in bad.content.decode()


def test_api_file_list_query_count_is_pinned(api, cast, demand, run_on_commit, pinned_queries):
    for n in range(3):
        _add(cast, demand, run_on_commit, name=f"图{n}.png")

    with pinned_queries("files"):
        assert len(api.get(reverse("api:demand-files", args=[demand.pk])).json()) == 3


# ---- files added after publication wait for a reviewer ------------------------------------------------


def test_file_added_to_a_published_demand_waits_for_a_reviewer(
    client, api, as_user, cast, demand, run_on_commit
):
    with run_on_commit(execute=True):
        image = add_listing_file(FILES, demand, cast.buyer, caption="改造后产线", reviewed=False)
    files_api = reverse("api:demand-files", args=[demand.pk])
    detail = reverse("demands:detail", args=[demand.pk])

    assert image.review_status == "pending"
    assert "改造后产线" not in client.get(detail).content.decode()
    assert api.get(files_api).json() == [] and as_user(cast.researcher).get(files_api).json() == []
    assert [f["review_status"] for f in as_user(cast.buyer).get(files_api).json()] == ["pending"]
    client.force_login(cast.reviewer)
    queue = client.get(reverse("demands_console:queue")).content.decode()
    assert reverse("demands_console:files") in queue
    assert "改造后产线" in client.get(reverse("demands_console:files")).content.decode()

    refused = as_user(cast.buyer).post(reverse("api:demand-file-approve", args=[demand.pk, image.pk]))
    approved = as_user(cast.reviewer).post(reverse("api:demand-file-approve", args=[demand.pk, image.pk]))

    assert refused.status_code == 403 and "只有平台审核员和运营人员可以审核信息" in refused.json()["message"]
    assert approved.status_code == 200 and approved.json()["review_status"] == "approved"
    assert AuditEntry.objects.filter(action="demands.demandattachment.approved", actor=cast.reviewer).exists()
    client.logout()
    assert "改造后产线" in client.get(detail).content.decode()
