"""Portal pages of events, mounted at /events/."""

from django.urls import path

from .views import portal

app_name = "events"
urlpatterns = [
    path("", portal.event_list, name="list"),
    path("calendar.ics", portal.calendar_feed, name="calendar"),
    path("tickets/", portal.my_tickets, name="tickets"),
    path("tickets/<str:code>/", portal.ticket, name="ticket"),
    path("<int:pk>/", portal.event_detail, name="detail"),
    path("<int:pk>/event.ics", portal.event_ical, name="ical"),
    path("<int:pk>/register/", portal.event_register, name="register"),
    path("<int:pk>/cancel/", portal.event_cancel_registration, name="cancel"),
]
