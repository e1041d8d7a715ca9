"""Portal pages of notices and news, mounted at /news/."""

from django.urls import path

from . import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("rss/", feeds.ArticleFeed(), name="feed"),
    path("images/<int:pk>/", views.article_image, name="image"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<slug:section>/", views.article_list, name="section"),
    path("<slug:section>/rss/", feeds.ArticleFeed(), name="section-feed"),
]
