"""Console pages of notices and news, mounted at /console/news/."""

from django.urls import path

from . import views

app_name = "news_console"
urlpatterns = [
    path("", views.console_home, name="home"),
    path("new/", views.article_create, name="create"),
    path("preview/", views.article_preview, name="preview"),
    path("<int:pk>/", views.article_manage, name="article"),
    path("<int:pk>/move/", views.article_move, name="move"),
    path("<int:pk>/images/", views.image_upload, name="image-upload"),
    path("<int:pk>/images/<int:image_pk>/delete/", views.image_remove, name="image-remove"),
]
