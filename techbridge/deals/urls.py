"""Portal pages of deals, mounted at /deals/."""

from django.urls import path

from . import views

app_name = "deals"
urlpatterns = [
    path("", views.room_list, name="list"),
    path("open/", views.open_room_view, name="open"),
    path("<int:pk>/", views.room_view, name="room"),
    path("<int:pk>/message/", views.message_view, name="message"),
    path("<int:pk>/messages/", views.messages_fragment, name="messages"),
    path("<int:pk>/nda/", views.nda_view, name="nda"),
    path("<int:pk>/offer/", views.offer_view, name="offer"),
    path("<int:pk>/offer/<int:offer_pk>/<str:action>/", views.offer_answer_view, name="offer_answer"),
    path("<int:pk>/invite/", views.invite_view, name="invite"),
    path("<int:pk>/dispute/", views.dispute_view, name="dispute"),
    path("<int:pk>/resolve/", views.resolve_view, name="resolve"),
    path("<int:pk>/close/", views.close_view, name="close"),
    path("<int:pk>/reopen/", views.reopen_view, name="reopen"),
    path("<int:pk>/files/<int:message_pk>/", views.attachment_view, name="attachment"),
]
