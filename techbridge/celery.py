"""Celery application, used only when ``CELERY_BROKER_URL`` is set (production).

On the embedded default every task runs inline; see ``techbridge.core.tasks``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")

app = Celery("techbridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
