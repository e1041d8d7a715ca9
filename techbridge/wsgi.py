"""WSGI entry point: the Django application behind the auctions' bid lane (``auctions.fastbid.BidLane``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")
django_application = get_wsgi_application()

from techbridge.auctions.fastbid import BidLane  # noqa: E402
from techbridge.core.tasks import serve_in_background  # noqa: E402

application = BidLane(django_application)

# A web server process: without a broker, slow work runs on its task thread, not in the request.
serve_in_background()
