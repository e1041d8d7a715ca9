"""Root URL map: portal pages, console, accounts, the REST API and its schema."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from techbridge.core import pickers

urlpatterns = [
    # The API first: its requests (a bid among them) skip matching ~1,000 page patterns.
    path("api/v1/", include("techbridge.api_urls")),
    path("", include("techbridge.portal.urls")),
    path("accounts/", include("techbridge.accounts.urls")),
    path("organizations/", include("techbridge.organizations.urls")),
    path("achievements/", include("techbridge.achievements.urls")),
    path("demands/", include("techbridge.demands.urls")),
    path("match/", include("techbridge.matching.urls")),
    path("mining/", include("techbridge.mining.urls")),
    path("deals/", include("techbridge.deals.urls")),
    path("contracts/", include("techbridge.contracts.urls")),
    path("auctions/", include("techbridge.auctions.urls")),
    path("valuation/", include("techbridge.valuation.urls")),
    path("instruments/", include("techbridge.instruments.urls")),
    path("institutions/", include("techbridge.institutions.urls")),
    path("talent/", include("techbridge.talent.urls")),
    path("carriers/", include("techbridge.carriers.urls")),
    # Old roadshow addresses lead to the events that replaced them (before auctions/ takes the prefix).
    path("auctions/roadshows/", include("techbridge.events.legacy_urls")),
    path("events/", include("techbridge.events.urls")),
    path("ipservices/", include("techbridge.ipservices.urls")),
    path("tto/", include("techbridge.tto.urls")),
    path("finance/", include("techbridge.finance.urls")),
    path("governance/", include("techbridge.governance.urls")),
    path("news/", include("techbridge.news.urls")),
    path("subscriptions/", include("techbridge.subscriptions.urls")),
    path("challenges/", include("techbridge.challenges.urls")),
    path("announcements/", include("techbridge.announcements.urls")),
    path("certificates/", include("techbridge.announcements.certificate_urls")),
    path("console/", include("techbridge.portal.console_urls")),
    path("console/organizations/", include("techbridge.organizations.console_urls")),
    path("console/achievements/", include("techbridge.achievements.console_urls")),
    path("console/demands/", include("techbridge.demands.console_urls")),
    path("console/mining/", include("techbridge.mining.console_urls")),
    path("console/imports/", include("techbridge.imports.console_urls")),
    path("console/deals/", include("techbridge.deals.console_urls")),
    path("console/contracts/", include("techbridge.contracts.console_urls")),
    path("console/auctions/", include("techbridge.auctions.console_urls")),
    path("console/valuation/", include("techbridge.valuation.console_urls")),
    path("console/instruments/", include("techbridge.instruments.console_urls")),
    path("console/institutions/", include("techbridge.institutions.console_urls")),
    path("console/talent/", include("techbridge.talent.console_urls")),
    path("console/carriers/", include("techbridge.carriers.console_urls")),
    path("console/events/", include("techbridge.events.console_urls")),
    path("console/ipservices/", include("techbridge.ipservices.console_urls")),
    path("console/finance/", include("techbridge.finance.console_urls")),
    path("console/governance/", include("techbridge.governance.console_urls")),
    path("console/news/", include("techbridge.news.console_urls")),
    path("console/challenges/", include("techbridge.challenges.console_urls")),
    path("console/announcements/", include("techbridge.announcements.console_urls")),
    path("pick/<slug:kind>/", pickers.pick, name="pick"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)

handler403 = "techbridge.core.views.permission_denied"
handler404 = "techbridge.core.views.page_not_found"
handler500 = "techbridge.core.views.server_error"
