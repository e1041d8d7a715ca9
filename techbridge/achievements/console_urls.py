"""Console pages of achievements (reviewers and operators), mounted at /console/achievements/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from techbridge.core.listing_file_views import console_urls

from . import views
from .files import FILES

app_name = "achievements_console"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("<int:pk>/", views.review_view, name="review"),
    *console_urls(FILES, _("Files of achievements awaiting review")),
]
