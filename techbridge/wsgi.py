"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")
application = get_wsgi_application()

from techbridge.core.tasks import serve_in_background  # noqa: E402

# A web server process: without a broker, slow work runs on its task thread, not in the request.
serve_in_background()
