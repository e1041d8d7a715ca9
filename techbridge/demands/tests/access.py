"""Who may open the demand pages and endpoints (see techbridge.testing.access).

The records: 示范企业's draft and published demands (written by the buyer) and one awaiting review.
"""

from techbridge.core.listing_file_views import access_routes
from techbridge.demands.files import FILES
from techbridge.testing import access
from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    demand_image,
    demand_members_file,
    demand_pending_image,
    demand_video,
    draft_demand,
    pk_of,
    published_demand,
    submitted_demand,
)

a_draft = pk_of(draft_demand)
a_published = pk_of(published_demand)
a_submitted = pk_of(submitted_demand)


def a_image(cast):
    image = demand_image(cast)
    return {"pk": image.demand_id, "att_pk": image.pk}


def a_members_file(cast):
    row = demand_members_file(cast)
    return {"pk": row.demand_id, "att_pk": row.pk}


def a_pending_image(cast):
    image = demand_pending_image(cast)
    return {"pk": image.demand_id, "att_pk": image.pk}


def a_video(cast):
    video = demand_video(cast)
    return {"pk": video.demand_id, "video_pk": video.pk}


EDITORS = outcomes(buyer=OK)
STAFF = outcomes(reviewer=OK, operator=OK)
DRAFT_READERS = outcomes(**EDITORS, **STAFF)
# Members of organisations state demands; platform staff, officials and the outsider do not.
AUTHORS = outcomes(researcher=OK, univ_admin=OK, buyer=OK, broker=OK, stranger=OK)
NOT_AUTHORS = outcomes(reviewer=DENY, operator=DENY, official=DENY, outsider=DENY)
STAFF_REFUSED = outcomes(reviewer=DENY, operator=DENY)

ROUTES = [
    Route("demands:list", default=OK),
    Route("demands:create", anonymous=LOGIN, **AUTHORS, **NOT_AUTHORS),
    Route("demands:detail", kwargs=a_published, default=OK),
    Route("demands:detail", kwargs=a_draft, default=HIDE, **DRAFT_READERS),
    Route("demands:edit", kwargs=a_draft, anonymous=LOGIN, default=HIDE, **EDITORS, **STAFF_REFUSED),
    Route("demands:edit", kwargs=a_published, anonymous=LOGIN, default=DENY, **EDITORS),
    Route(
        "demands:submit",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
    ),
    Route(
        "demands:withdraw",
        kwargs=a_published,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **EDITORS,
        operator=OK,
    ),
    Route(
        "demands:reopen",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
    ),
    Route("demands_console:queue", anonymous=LOGIN, default=DENY, **STAFF),
    Route("demands_console:review", kwargs=a_submitted, anonymous=LOGIN, default=DENY, **STAFF),
    Route(
        "demands_console:review",
        kwargs=a_submitted,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=HIDE,
        operator=HIDE,
        note="staff get past the check; a POST without approve/reject is not a page (404)",
    ),
]

# ---- API
ROUTES += [
    Route("api:demand-list", default=OK),
    Route(
        "api:demand-list",
        method="POST",
        anonymous=LOGIN,
        **outcomes(dict.fromkeys(AUTHORS, BAD)),
        **NOT_AUTHORS,
    ),
    Route("api:demand-detail", kwargs=a_published, default=OK),
    Route("api:demand-detail", kwargs=a_draft, default=HIDE, **DRAFT_READERS),
    Route(
        "api:demand-detail",
        kwargs=a_draft,
        method="PATCH",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
    ),
    Route(
        "api:demand-submit",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
    ),
    Route(
        "api:demand-withdraw",
        kwargs=a_published,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **EDITORS,
        operator=OK,
    ),
    Route(
        "api:demand-reopen",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=BAD,
        **STAFF_REFUSED,
        note="a draft is not reopened",
    ),
    Route(
        "api:demand-approve",
        kwargs=a_submitted,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        **STAFF,
    ),
    Route(
        "api:demand-reject",
        kwargs=a_submitted,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        buyer=DENY,
        reviewer=BAD,
        operator=BAD,
        note="a rejection needs a reason",
    ),
]

# ---- files and video links (core.listing_files): approved public files to everyone, files added after
# publication to the demand's editors and reviewers until approved; members-only files to signed-in
# members of organisations and the platform's staff (the outsider has no organisation).
ROUTES += access_routes(
    FILES,
    "demand",
    access,
    records={
        "published": a_published,
        "draft": a_draft,
        "image": a_image,
        "pending": a_pending_image,
        "restricted": a_members_file,
        "video": a_video,
    },
    editors=EDITORS,
    staff=STAFF,
    restricted=outcomes(anonymous=LOGIN, default=OK, outsider=DENY),
)
