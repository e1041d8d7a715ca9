from django.contrib import admin

from .models import Announcement, Certificate, Objection, Publication

for model in (Announcement, Objection, Certificate, Publication):
    admin.site.register(model)
