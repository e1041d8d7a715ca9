"""Portal and console pages of technology demands: the shared listing views, configured."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from techbridge.core.listing_file_views import manage_context, queue_tab
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
from .files import FILES
from .filters import DemandFilterForm
from .forms import DemandForm
from .models import Demand
from .queries import visible_demands, with_cover

LISTING_APP = ListingApp(
    model=Demand,
    app="demands",
    kind="demand",
    visible=visible_demands,
    cards=with_cover,
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


class DemandFormView(ListingFormView):
    """The shared form, with the files and video links block for an existing demand."""

    listing_app = LISTING_APP

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return manage_context(FILES, obj) if obj is not None else {}


list_view = ListingListView.as_view(listing_app=LISTING_APP)
detail_view = ListingDetailView.as_view(listing_app=LISTING_APP)
form_view = DemandFormView.as_view()
submit_view = ListingActionView.as_view(listing_app=LISTING_APP, action="submit")
withdraw_view = ListingActionView.as_view(listing_app=LISTING_APP, action="withdraw")
reopen_view = ListingActionView.as_view(listing_app=LISTING_APP, action="reopen")


class QueueView(ConsoleQueueView):
    """The review queue, with a tab for files added after publication."""

    listing_app = LISTING_APP

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return queue_tab(FILES)


queue_view = QueueView.as_view()
review_view = ConsoleReviewView.as_view(listing_app=LISTING_APP)
