"""Console pages of events, mounted at /console/events/."""

from django.urls import path

from .views import console

app_name = "events_console"
urlpatterns = [
    path("", console.home, name="home"),
    path("new/", console.event_create, name="create"),
    path("stats/", console.stats, name="stats"),
    path("<int:pk>/", console.event_manage, name="event"),
    path("<int:pk>/move/", console.event_move, name="move"),
    path("<int:pk>/registrations/", console.registrations, name="registrations"),
    path("<int:pk>/door/", console.door, name="door"),
    path("<int:pk>/figures/", console.event_figures, name="figures"),
]
