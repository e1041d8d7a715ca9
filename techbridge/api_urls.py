"""REST API v1 routes (mounted at ``/api/v1/``; URL names in the ``api`` namespace).

The OpenAPI schema in ``docs/openapi.json`` is generated from these views: ``make openapi``.
"""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from techbridge.accounts.api import (
    ErasureCancelView,
    ErasureView,
    MeView,
    PersonalDataView,
    TokenListView,
    TokenRevokeView,
    TokenView,
)
from techbridge.achievements.api import AchievementViewSet
from techbridge.achievements.files import FILES as ACHIEVEMENT_FILES
from techbridge.auctions import fastbid
from techbridge.core.api_root import ApiRootView
from techbridge.core.listing_file_views import api_urls as file_api_urls
from techbridge.core.pickers import PickView
from techbridge.demands.api import DemandViewSet
from techbridge.demands.files import FILES as DEMAND_FILES
from techbridge.matching.api import AchievementMatchesView, DemandMatchesView, MatchView
from techbridge.organizations.api import (
    MembershipRequestViewSet,
    OrganizationMembershipViewSet,
    OrganizationViewSet,
    ZoneList,
)
from techbridge.taxonomy.api import DealModeList, DisciplineList, IndustryFieldList

app_name = "api"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("organizations", OrganizationMembershipViewSet, basename="organization-membership")
router.register("membership-requests", MembershipRequestViewSet, basename="membership-request")
router.register("achievements", AchievementViewSet, basename="achievement")
router.register("demands", DemandViewSet, basename="demand")

urlpatterns = [
    # First, so a bid matches one pattern: token-authenticated JSON bids skip DRF's dispatch (fastbid).
    path("auctions/lots/<int:pk>/bids/", fastbid.bids, name="auction-lot-bids-fast"),
    path("", ApiRootView.as_view(), name="root"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/me/", MeView.as_view(), name="me"),
    path("pick/<slug:kind>/", PickView.as_view(), name="pick"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("auth/my-data/", PersonalDataView.as_view(), name="my_data"),
    path("auth/erasure/", ErasureView.as_view(), name="erasure"),
    path("auth/erasure/cancel/", ErasureCancelView.as_view(), name="erasure_cancel"),
    path("auth/tokens/<int:pk>/revoke/", TokenRevokeView.as_view(), name="token_revoke"),
    path("taxonomy/fields/", IndustryFieldList.as_view(), name="industry-fields"),
    path("taxonomy/deal-modes/", DealModeList.as_view(), name="deal-modes"),
    path("taxonomy/disciplines/", DisciplineList.as_view(), name="disciplines"),
    path("taxonomy/zones/", ZoneList.as_view(), name="zones"),
    path("match/", MatchView.as_view(), name="match"),
    path("achievements/<int:pk>/matches/", AchievementMatchesView.as_view(), name="achievement-matches"),
    path("demands/<int:pk>/matches/", DemandMatchesView.as_view(), name="demand-matches"),
    *file_api_urls(ACHIEVEMENT_FILES, "achievements", "achievement"),
    *file_api_urls(DEMAND_FILES, "demands", "demand"),
    *router.urls,
    path("", include("techbridge.imports.api_urls")),
    path("", include("techbridge.mining.api_urls")),
    path("", include("techbridge.deals.api_urls")),
    path("", include("techbridge.contracts.api_urls")),
    path("", include("techbridge.auctions.api_urls")),
    path("", include("techbridge.valuation.api_urls")),
    path("", include("techbridge.instruments.api_urls")),
    path("", include("techbridge.institutions.api_urls")),
    path("", include("techbridge.talent.api_urls")),
    path("", include("techbridge.carriers.api_urls")),
    path("", include("techbridge.events.api_urls")),
    path("", include("techbridge.ipservices.api_urls")),
    path("", include("techbridge.tto.api_urls")),
    path("", include("techbridge.finance.api_urls")),
    path("", include("techbridge.news.api_urls")),
    path("", include("techbridge.subscriptions.api_urls")),
    path("", include("techbridge.challenges.api_urls")),
    path("", include("techbridge.announcements.api_urls")),
    path("", include("techbridge.portal.api_urls")),
    path("", include("techbridge.governance.api_urls")),
]
