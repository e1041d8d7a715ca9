"""Portal and console pages of technology demands: the shared listing views, configured."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from techbridge.core.listing_views import (
    ConsoleQueueView,
    ConsoleReviewView,
    ListingActionView,
    ListingApp,
    ListingDetailView,
    ListingFormView,
    ListingListView,
)

from . import permissions, services
from .filters import DemandFilterForm
from .forms import DemandForm
from .models import Demand
from .queries import visible_demands

LISTING_APP = ListingApp(
    model=Demand,
    app="demands",
    kind="demand",
    visible=visible_demands,
    filter_form=DemandFilterForm,
    form=DemandForm,
    create=services.create_demand,
    update=services.update_demand,
    submit=services.submit_demand,
    withdraw=services.withdraw_demand,
    reopen=services.reopen_demand,
    approve=services.approve_demand,
    reject=services.reject_demand,
    # The service's own rule, so the page refuses before the user fills in the form.
    check_author=permissions.check_author,
    can_author=permissions.can_author,
    title=gettext_lazy("Technology demands"),
    new_label=gettext_lazy("Publish a demand"),
)

list_view = ListingListView.as_view(listing_app=LISTING_APP)
detail_view = ListingDetailView.as_view(listing_app=LISTING_APP)
form_view = ListingFormView.as_view(listing_app=LISTING_APP)
submit_view = ListingActionView.as_view(listing_app=LISTING_APP, action="submit")
withdraw_view = ListingActionView.as_view(listing_app=LISTING_APP, action="withdraw")
reopen_view = ListingActionView.as_view(listing_app=LISTING_APP, action="reopen")
queue_view = ConsoleQueueView.as_view(listing_app=LISTING_APP)
review_view = ConsoleReviewView.as_view(listing_app=LISTING_APP)
