"""Portal and console pages of achievements: the shared listing views plus the NDA and attachments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core.listing_file_views import manage_context, queue_tab
from techbridge.core.listing_files import shown_rows
from techbridge.core.listing_views import (
    ConsoleQueueView,
    ConsoleReviewView,
    ListingActionView,
    ListingApp,
    ListingAppView,
    ListingDetailView,
    ListingFormView,
    ListingListView,
)
from techbridge.core.permissions import RoleRequiredMixin
from techbridge.core.workflow import TransitionError

from . import permissions, services
from .choices import AttachmentVisibility
from .files import FILES
from .filters import AchievementFilterForm
from .forms import AchievementForm
from .models import Achievement
from .queries import visible_achievements, with_cover

LISTING_APP = ListingApp(
    model=Achievement,
    app="achievements",
    kind="achievement",
    visible=visible_achievements,
    cards=with_cover,
    filter_form=AchievementFilterForm,
    form=AchievementForm,
    create=services.create_achievement,
    update=services.update_achievement,
    submit=services.submit_achievement,
    withdraw=services.withdraw_achievement,
    reopen=services.reopen_achievement,
    approve=services.approve_achievement,
    reject=services.reject_achievement,
    # The service's own rule, so the page refuses before the user fills in the form.
    check_author=permissions.check_author,
    can_author=permissions.can_author,
    title=gettext_lazy("Sci-tech achievements"),
    new_label=gettext_lazy("Publish an achievement"),
)


def confidential_context(request: HttpRequest, achievement: Any) -> dict[str, Any]:
    """The confidential part: detail and files, or the NDA box for everyone else."""
    allowed = permissions.can_see_detail(request.user, achievement)
    return {
        "can_see_detail": allowed,
        "can_accept_nda": permissions.can_accept_nda(request.user, achievement),
        "attachments": shown_rows(
            list(achievement.attachments.exclude(visibility=AttachmentVisibility.PUBLIC)),
            request.user,
            achievement,
        )
        if allowed
        else [],
        "confidential_template": "achievements/partials/confidential.html",
    }


class AchievementDetailView(ListingDetailView):
    listing_app = LISTING_APP

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return confidential_context(request, obj)


class AchievementFormView(ListingFormView):
    listing_app = LISTING_APP

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return manage_context(FILES, obj) if obj is not None else {}


class AchievementReviewView(ConsoleReviewView):
    listing_app = LISTING_APP

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return confidential_context(request, obj)


class AcceptNdaView(RoleRequiredMixin, ListingAppView):
    """Accept the non-disclosure terms of a published achievement, then show its detail."""

    listing_app = LISTING_APP
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        achievement = permissions.achievement_for(request.user, pk)
        try:
            services.accept_nda(achievement, actor=request.user)
        except TransitionError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("You accepted the non-disclosure terms. The confidential part is shown below.")
            )
        return redirect(LISTING_APP.url("detail", pk) + "#confidential")


list_view = ListingListView.as_view(listing_app=LISTING_APP)
detail_view = AchievementDetailView.as_view()
form_view = AchievementFormView.as_view()
submit_view = ListingActionView.as_view(listing_app=LISTING_APP, action="submit")
withdraw_view = ListingActionView.as_view(listing_app=LISTING_APP, action="withdraw")
reopen_view = ListingActionView.as_view(listing_app=LISTING_APP, action="reopen")
accept_nda_view = AcceptNdaView.as_view()


class QueueView(ConsoleQueueView):
    """The review queue, with a tab for files added after publication."""

    listing_app = LISTING_APP

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return queue_tab(FILES)


queue_view = QueueView.as_view()
review_view = AchievementReviewView.as_view()
