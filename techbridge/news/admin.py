from django.contrib import admin

from .models import Article, ArticleImage


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "section", "status", "publish_at", "pinned")
    list_filter = ("section", "status", "pinned")
    search_fields = ("title",)
    readonly_fields = ("body_html",)


@admin.register(ArticleImage)
class ArticleImageAdmin(admin.ModelAdmin):
    list_display = ("article", "alt", "content_type", "width", "height", "size")
