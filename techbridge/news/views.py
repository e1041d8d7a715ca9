"""Pages of notices and news: the portal (sections, an article, its images, the RSS feeds) and the
console (the editor with images and preview, publish/schedule, withdraw, pin)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techbridge.core import audit
from techbridge.core.errors import act
from techbridge.core.listing_views import add_service_errors
from techbridge.core.permissions import console_required, operator_required

from . import permissions, queries, rendering, services
from .choices import ArticleStatus, Section
from .forms import ArticleFilterForm, ArticleForm, ImageForm, PublishForm, WithdrawForm
from .models import Article

PER_PAGE = 20
CONSOLE_PER_PAGE = 50


# ---- portal -----------------------------------------------------------------------------------------


def article_list(request: HttpRequest, section: str = "") -> HttpResponse:
    """Pinned first, then the newest; a section's tab and a search."""
    if section and section not in Section.values:
        raise Http404
    data = request.GET.copy()
    if section:
        data["section"] = section
    form = ArticleFilterForm(data or None)
    qs = queries.filter_articles(queries.public_articles().defer("body", "body_html"), form.filters())
    page = Paginator(qs.order_by("-pinned", "-publish_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    current = form.filters().get("section", "")
    return render(
        request,
        "news/portal/list.html",
        {"form": form, "page": page, "sections": Section.choices, "current": current},
    )


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An article; console users also preview drafts, scheduled and withdrawn ones (marked so)."""
    article = permissions.article_for(request.user, pk)
    return render(
        request,
        "news/portal/detail.html",
        {
            "article": article,
            "can_edit": permissions.can_edit_articles(request.user),
            "related": [a for a in queries.latest(article.section, limit=6) if a.pk != article.pk][:5],
        },
    )


def article_image(request: HttpRequest, pk: int) -> FileResponse:
    """A stored image, to whoever may read its article."""
    image = permissions.image_for(request.user, pk)
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["Cache-Control"] = "public, max-age=86400" if image.article.is_public else "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# ---- console ----------------------------------------------------------------------------------------


@console_required
def console_home(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    section = request.GET.get("section", "")
    qs = Article.objects.defer("body", "body_html").order_by("-updated_at", "-pk")
    if status in ArticleStatus.values:
        qs = qs.filter(status=status)
    if section in Section.values:
        qs = qs.filter(section=section)
    page = Paginator(qs, CONSOLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/console/home.html",
        {
            "page": page,
            "status": status,
            "section": section,
            "statuses": ArticleStatus.choices,
            "sections": Section.choices,
            "can_edit": permissions.can_edit_articles(request.user),
            "now": timezone.now(),
        },
    )


def _save(request: HttpRequest, form: ArticleForm, article: Article | None) -> Article | None:
    if form.is_valid():
        try:
            if article is None:
                return services.create_article(actor=request.user, data=form.service_data())
            services.update_article(article, actor=request.user, data=form.service_data())
            return article
        except ValidationError as exc:
            add_service_errors(form, exc)
    messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return None


@operator_required
def article_create(request: HttpRequest) -> HttpResponse:
    section = request.GET.get("section", "")
    form = ArticleForm(
        request.POST or None, initial={"section": section} if section in Section.values else None
    )
    if request.method == "POST":
        article = _save(request, form, None)
        if article is not None:
            messages.success(request, _("The article was saved as a draft. Publish it when it is ready."))
            return redirect("news_console:article", article.pk)
    return render(request, "news/console/form.html", {"form": form, "page_title": _("New article")})


@console_required
def article_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor (operators), the images with the line to paste, the moves and the history."""
    article = permissions.article_for(request.user, pk)
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST":
        permissions.check_edit_articles(request.user)
        if _save(request, form, article) is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("news_console:article", article.pk)
    context: dict[str, Any] = {
        "form": form,
        "article": article,
        "page_title": article.title,
        "images": [(image, services.markdown_of(image)) for image in article.images.all()],
        "image_form": ImageForm(),
        "publish_form": PublishForm(),
        "withdraw_form": WithdrawForm(),
        "can_edit": permissions.can_edit_articles(request.user),
        "history": audit.history_rows(article, limit=30),
    }
    return render(request, "news/console/form.html", context)


@operator_required
@require_POST
def article_preview(request: HttpRequest) -> HttpResponse:
    """The text as readers will see it (htmx, while editing)."""
    body = request.POST.get("body", "")[: Article._meta.get_field("body").max_length]
    return render(request, "news/partials/preview.html", {"html": rendering.render(body)})


@operator_required
@require_POST
def article_move(request: HttpRequest, pk: int) -> HttpResponse:
    article = permissions.article_for(request.user, pk)
    action = request.POST.get("action", "")
    if action == "publish":
        form = PublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The time to publish is not a valid date and time."))
            return redirect("news_console:article", article.pk)
        when = form.cleaned_data["publish_at"]
        done = (
            _("The article is scheduled; it becomes public at the time set.")
            if when and when > timezone.now()
            else _("The article is published.")
        )
        return act(
            request,
            lambda: services.publish(article, actor=request.user, publish_at=when),
            done,
            "news_console:article",
            article.pk,
        )
    if action == "withdraw":
        reason = request.POST.get("reason", "")
        return act(
            request,
            lambda: services.withdraw(article, actor=request.user, reason=reason),
            _("The article was withdrawn from the portal."),
            "news_console:article",
            article.pk,
        )
    if action == "redraft":
        return act(
            request,
            lambda: services.redraft(article, actor=request.user),
            _("The article is a draft again."),
            "news_console:article",
            article.pk,
        )
    if action in ("pin", "unpin"):
        return act(
            request,
            lambda: services.set_pinned(article, actor=request.user, pinned=action == "pin"),
            _("Pinned to the top.") if action == "pin" else _("No longer pinned."),
            "news_console:article",
            article.pk,
        )
    messages.error(request, _("Unknown action."))
    return redirect("news_console:article", article.pk)


@operator_required
@require_POST
def image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    article = permissions.article_for(request.user, pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an image file to upload."))
        return redirect("news_console:article", article.pk)
    try:
        image = services.add_image(
            article, actor=request.user, upload=form.cleaned_data["image"], alt=form.cleaned_data["alt"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The image is stored. Paste this line where it should appear: %(line)s")
            % {"line": services.markdown_of(image)},
        )
    return redirect("news_console:article", article.pk)


@operator_required
@require_POST
def image_remove(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    article = permissions.article_for(request.user, pk)
    image = article.images.filter(pk=image_pk).first()
    if image is None:
        messages.error(request, _("This image does not belong to the article."))
        return redirect("news_console:article", article.pk)
    return act(
        request,
        lambda: services.remove_image(image, actor=request.user),
        _("The image was deleted."),
        "news_console:article",
        article.pk,
    )
