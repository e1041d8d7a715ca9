from django.contrib import admin

from .models import Application, Challenge, Milestone, PanelSeat, Score

for model in (Challenge, Application, PanelSeat, Score, Milestone):
    admin.site.register(model)
