"""Console pages of contracts, mounted at /console/contracts/.

Registry officers register; officials read statistics.
"""

from django.urls import path

from . import views

app_name = "contracts_console"
urlpatterns = [
    path("", views.console_queue, name="queue"),
    path("<int:pk>/", views.console_review, name="review"),
    path("statistics/", views.console_stats, name="stats"),
    path("statistics.xlsx", views.console_stats_xlsx, name="stats_xlsx"),
]
