"""Operators write notices and news in the console and through the API, publish them now or at a set
time, pin and withdraw them, and store images with them; readers find them on the portal, on the home
page and in RSS, and never see raw HTML, outside images, drafts or articles whose time has not come."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from techbridge.core.models import AuditEntry
from techbridge.news import services
from techbridge.news.choices import ArticleStatus, Section
from techbridge.news.models import Article, ArticleImage
from techbridge.testing.factories.news import make_article, make_image, png_bytes, scheduled

pytestmark = pytest.mark.django_db

BODY = "# 申报须知\n\n请于**月底前**提交材料。<script>alert('x')</script>\n\n[外部链接](javascript:alert(1)) [官网](https://kxjst.jiangsu.gov.cn/)"


def _write(cast, **extra):
    data = {"section": Section.NOTICE, "title": "关于组织申报技术转移示范机构的通知", "body": BODY, **extra}
    return services.create_article(actor=cast.operator, data=data)


# ---- services ------------------------------------------------------------------------------------


def test_an_operator_writes_a_draft_that_readers_do_not_see_until_it_is_published(cast, client):
    article = _write(cast)
    assert article.status == ArticleStatus.DRAFT
    assert client.get(reverse("news:detail", args=[article.pk])).status_code == 404
    assert "关于组织申报" not in client.get(reverse("news:list")).content.decode()

    services.publish(article, actor=cast.operator)

    page = client.get(reverse("news:detail", args=[article.pk])).content.decode()
    assert "关于组织申报技术转移示范机构的通知" in page
    assert "<strong>月底前</strong>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # shown as text, never run
    assert 'href="javascript' not in page
    assert 'href="https://kxjst.jiangsu.gov.cn/" rel="noopener noreferrer"' in page
    actions = list(
        AuditEntry.objects.filter(object_id=str(article.pk), action__startswith="news.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["news.article.created", "news.article.published"]


def test_a_scheduled_article_appears_when_its_time_comes(cast, client, api):
    article = _write(cast)
    later = timezone.now() + dt.timedelta(hours=3)
    services.publish(article, actor=cast.operator, publish_at=later)
    assert article.is_scheduled
    assert client.get(reverse("news:detail", args=[article.pk])).status_code == 404
    assert api.get(reverse("api:article-list")).json()["count"] == 0
    # Staff preview it, marked as scheduled.
    client.force_login(cast.reviewer)
    assert "定时发布" in client.get(reverse("news:detail", args=[article.pk])).content.decode()

    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get(reverse("api:article-list")).json()["count"] == 1


def test_only_operators_write(cast):
    with pytest.raises(PermissionDenied):
        services.create_article(actor=cast.reviewer, data={"section": "news", "title": "x", "body": "y"})


def test_a_text_cannot_show_another_articles_image_nor_an_outside_one(cast):
    other = make_article()
    image = make_image(other)
    with pytest.raises(ValidationError) as err:
        _write(cast, body=f"![图](/news/images/{image.pk}/)")
    assert "不属于本文" in str(err.value)
    article = _write(cast, body="![外部](http://example.com/x.png)")
    assert "example.com" not in article.body_html and "<img" in article.body_html


def test_withdrawn_articles_leave_the_portal_the_feed_and_the_home_page(cast, client):
    article = make_article(title="将被撤下的通知")
    services.set_pinned(article, actor=cast.operator, pinned=True)
    assert "将被撤下的通知" in client.get("/").content.decode()
    services.withdraw(article, actor=cast.operator, reason="内容有误")
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN and not article.pinned
    assert "将被撤下的通知" not in client.get("/").content.decode()
    assert "将被撤下的通知" not in client.get(reverse("news:feed")).content.decode()
    services.redraft(article, actor=cast.operator)
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_pinned_articles_lead_and_only_published_ones_can_be_pinned(cast, client):
    old = make_article(title="置顶的旧通知", publish_at=timezone.now() - dt.timedelta(days=30))
    make_article(title="最新的通知")
    services.set_pinned(old, actor=cast.operator, pinned=True)
    page = client.get(reverse("news:list")).content.decode()
    assert page.index("置顶的旧通知") < page.index("最新的通知")
    draft = _write(cast)
    with pytest.raises(Exception) as err:
        services.set_pinned(draft, actor=cast.operator, pinned=True)
    assert "只有已发布的文章" in str(err.value)


# ---- images --------------------------------------------------------------------------------------


def test_an_image_is_stored_checked_and_served_with_its_article(cast, client):
    article = _write(cast)
    upload = SimpleUploadedFile("图.png", png_bytes(20, 10), content_type="image/png")
    image = services.add_image(article, actor=cast.operator, upload=upload, alt="流程图")
    assert (image.width, image.height, image.content_type) == (20, 10, "image/png")
    services.update_article(
        article, actor=cast.operator, data={"body": f"流程如下：\n\n{services.markdown_of(image)}"}
    )
    url = reverse("news:image", args=[image.pk])
    assert client.get(url).status_code == 404  # the article is a draft
    services.publish(article, actor=cast.operator)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert (
        f'<img src="{url}" alt="流程图">'
        in client.get(reverse("news:detail", args=[article.pk])).content.decode()
    )
    with pytest.raises(ValidationError) as err:
        services.remove_image(image, actor=cast.operator)
    assert "正文仍在显示" in str(err.value)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("假图.png", b"<html><script>alert(1)</script></html>", "不是 JPEG、PNG、GIF 或 WebP 图片"),
        ("空.png", b"", "文件为空"),
    ],
)
def test_files_that_are_not_images_are_refused(cast, name, data, message):
    article = _write(cast)
    with pytest.raises(ValidationError) as err:
        services.add_image(article, actor=cast.operator, upload=SimpleUploadedFile(name, data))
    assert message in str(err.value)
    assert not ArticleImage.objects.exists()


def test_an_image_over_the_limit_is_refused(cast, settings):
    settings.NEWS_IMAGE_MAX_MB = 0
    article = _write(cast)
    with pytest.raises(ValidationError) as err:
        services.add_image(article, actor=cast.operator, upload=SimpleUploadedFile("a.png", png_bytes()))
    assert "图片大于 0 MB" in str(err.value)


# ---- pages ---------------------------------------------------------------------------------------


def test_the_console_editor_saves_previews_publishes_and_uploads(cast, client):
    client.force_login(cast.operator)
    response = client.post(
        reverse("news_console:create"),
        {
            "section": "policy",
            "title": "政策解读：技术合同免征增值税",
            "body": "技术转让收入**免征**增值税。",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and article.section == Section.POLICY
    preview = client.post(reverse("news_console:preview"), {"body": "## 小标题"}, HTTP_HX_REQUEST="true")
    assert "<h2>小标题</h2>" in preview.content.decode()
    upload = SimpleUploadedFile("x.png", png_bytes(), content_type="image/png")
    page = client.post(
        reverse("news_console:image-upload", args=[article.pk]), {"image": upload, "alt": "示意"}, follow=True
    )
    image = ArticleImage.objects.get()
    assert f"/news/images/{image.pk}/" in page.content.decode()
    client.post(reverse("news_console:move", args=[article.pk]), {"action": "publish", "publish_at": ""})
    assert Article.objects.get().is_public


def test_the_editor_refuses_bad_input_with_messages_and_saves_nothing(cast, client):
    client.force_login(cast.operator)
    page = client.post(
        reverse("news_console:create"), {"section": "gossip", "title": "", "body": "x" * 50_001}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "未保存任何内容" in text
    assert not Article.objects.exists()
    article = _write(cast)
    response = client.post(
        reverse("news_console:move", args=[article.pk]),
        {"action": "publish", "publish_at": "明天"},
        follow=True,
    )
    assert "发布时间不是有效的日期和时间" in response.content.decode()
    response = client.post(
        reverse("news_console:move", args=[article.pk]),
        {"action": "publish", "publish_at": "2099-01-01T09:00"},
        follow=True,
    )
    assert "最多可提前 366 天定时发布" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_sections_tabs_search_and_an_unknown_section(cast, client):
    make_article(section=Section.POLICY, title="政策解读：科技成果转化法")
    make_article(section=Section.NEWS, title="南京技术合同成交额创新高")
    page = client.get(reverse("news:section", args=["policy"])).content.decode()
    assert "科技成果转化法" in page and "成交额创新高" not in page
    page = client.get(reverse("news:list"), {"q": "成交额"}).content.decode()
    assert "成交额创新高" in page and "科技成果转化法" not in page
    assert client.get("/news/gossip/").status_code == 404


def test_the_rss_feed_lists_public_articles_of_a_section(cast, client):
    make_article(section=Section.POLICY, title="政策解读：科技成果转化法")
    make_article(section=Section.NOTICE, title="一则通知")
    scheduled(section=Section.POLICY, title="尚未到时间的解读")
    response = client.get(reverse("news:section-feed", args=["policy"]))
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == ["政策解读：科技成果转化法"]
    assert root.find("channel/title").text.endswith("政策解读")


# ---- API -----------------------------------------------------------------------------------------


def test_the_api_writes_publishes_pins_and_uploads(cast, as_user, api):
    op = as_user(cast.operator)
    made = op.post(
        reverse("api:article-list"),
        {"section": "news", "title": "平台上线", "body": "平台**上线**。"},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["status"] == "draft" and "<strong>上线</strong>" in made.json()["body_html"]
    assert api.get(reverse("api:article-detail", args=[pk])).status_code == 404
    assert op.post(reverse("api:article-publish", args=[pk]), {}, format="json").status_code == 200
    assert (
        op.post(reverse("api:article-pin", args=[pk]), {"pinned": True}, format="json").json()["pinned"]
        is True
    )
    upload = io.BytesIO(png_bytes())
    upload.name = "a.png"
    image = op.post(
        reverse("api:article-images", args=[pk]), {"image": upload, "alt": "截图"}, format="multipart"
    )
    assert (
        image.status_code == 201
        and image.json()["markdown"] == f"![截图](/news/images/{image.json()['id']}/)"
    )
    listed = api.get(reverse("api:article-list"), {"section": "news"}).json()
    assert [row["title"] for row in listed["results"]] == ["平台上线"]
    assert "body" not in listed["results"][0]  # lists carry no full text


def test_the_api_answers_bad_input_with_messages(cast, as_user, api):
    op = as_user(cast.operator)
    bad = op.post(
        reverse("api:article-list"), {"section": "gossip", "title": "x" * 201, "body": "y"}, format="json"
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "gossip" in text and "200" in text
    unknown = op.post(
        reverse("api:article-list"),
        {"section": "news", "title": "x", "body": "y", "colour": 1},
        format="json",
    )
    assert unknown.status_code == 400 and "未知字段" in unknown.content.decode()
    assert not Article.objects.exists()
    article = make_article()
    fake = SimpleUploadedFile("a.png", b"not an image")
    refused = op.post(reverse("api:article-images", args=[article.pk]), {"image": fake}, format="multipart")
    assert refused.status_code == 400 and "不是 JPEG" in refused.content.decode()
    assert api.get(reverse("api:article-list"), {"section": "gossip"}).status_code == 400
    assert as_user(cast.buyer).post(reverse("api:article-publish", args=[article.pk])).status_code == 403


def test_the_demo_loader_publishes_the_action_plan_once(cast, client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=cast.operator.pk).update(username="operator")
    call_command("load_demo_news", stdout=io.StringIO())
    call_command("load_demo_news", stdout=io.StringIO())
    plan = Article.objects.get(section=Section.POLICY)
    assert plan.title == "政策解读：南京市促进科技成果转移转化行动方案" and plan.is_public and plan.pinned
    assert "<h2>三、重点任务</h2>" in plan.body_html
    assert Article.objects.filter(is_demo=True).count() == 3
    assert "演示数据" in client.get(reverse("news:detail", args=[plan.pk])).content.decode()
