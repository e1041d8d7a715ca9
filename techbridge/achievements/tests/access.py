"""Who may open the achievement pages and endpoints (see techbridge.testing.access).

The records: 示范大学's draft and published achievements (written by the researcher; the university's
admin edits them too) and one awaiting review, with a confidential file on the published one.
"""

from techbridge.achievements.files import FILES
from techbridge.core.listing_file_views import access_routes
from techbridge.testing import access
from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    achievement_pending_image,
    achievement_video,
    attachment,
    draft_achievement,
    pk_of,
    public_image,
    published_achievement,
    submitted_achievement,
)

a_draft = pk_of(draft_achievement)
a_published = pk_of(published_achievement)
a_submitted = pk_of(submitted_achievement)


def a_file(cast):
    att = attachment(cast)
    return {"pk": att.achievement_id, "att_pk": att.pk}


def a_public_image(cast):
    image = public_image(cast)
    return {"pk": image.achievement_id, "att_pk": image.pk}


def a_pending_image(cast):
    image = achievement_pending_image(cast)
    return {"pk": image.achievement_id, "att_pk": image.pk}


def a_video(cast):
    video = achievement_video(cast)
    return {"pk": video.achievement_id, "video_pk": video.pk}


EDITORS = outcomes(researcher=OK, univ_admin=OK)
STAFF = outcomes(reviewer=OK, operator=OK)
# Who sees a draft: its organisation and the platform's reviewers; to anyone else it does not exist.
DRAFT_READERS = outcomes(**EDITORS, **STAFF)
# Members of an organisation that publishes; platform staff, officials and the outsider do not.
AUTHORS = outcomes(researcher=OK, univ_admin=OK, buyer=OK, broker=OK, stranger=OK)
NOT_AUTHORS = outcomes(reviewer=DENY, operator=DENY, official=DENY, outsider=DENY)
# Staff see a draft but never edit content.
STAFF_REFUSED = outcomes(reviewer=DENY, operator=DENY)

ROUTES = [
    Route("achievements:list", default=OK),
    Route("achievements:create", anonymous=LOGIN, **AUTHORS, **NOT_AUTHORS),
    Route("achievements:detail", kwargs=a_published, default=OK),
    Route("achievements:detail", kwargs=a_draft, default=HIDE, **DRAFT_READERS),
    Route("achievements:edit", kwargs=a_draft, anonymous=LOGIN, default=HIDE, **EDITORS, **STAFF_REFUSED),
    Route("achievements:edit", kwargs=a_published, anonymous=LOGIN, default=DENY, **EDITORS),
    Route(
        "achievements:submit",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
    ),
    # Operators may take any listing off the portal; reviewers may not.
    Route(
        "achievements:withdraw",
        kwargs=a_published,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **EDITORS,
        operator=OK,
    ),
    Route(
        "achievements:reopen",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
        note="editors get past the check; a draft is not reopened (a message)",
    ),
    Route("achievements:accept_nda", kwargs=a_published, method="POST", anonymous=LOGIN, default=OK),
    Route("achievements_console:queue", anonymous=LOGIN, default=DENY, **STAFF),
    Route("achievements_console:review", kwargs=a_submitted, anonymous=LOGIN, default=DENY, **STAFF),
    Route(
        "achievements_console:review",
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
    Route("api:achievement-list", default=OK),
    Route(
        "api:achievement-list",
        method="POST",
        anonymous=LOGIN,
        **outcomes(dict.fromkeys(AUTHORS, BAD)),
        **NOT_AUTHORS,
    ),
    Route("api:achievement-detail", kwargs=a_published, default=OK),
    Route("api:achievement-detail", kwargs=a_draft, default=HIDE, **DRAFT_READERS),
    Route(
        "api:achievement-detail",
        kwargs=a_draft,
        method="PATCH",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
    ),
    Route(
        "api:achievement-submit",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        **EDITORS,
        **STAFF_REFUSED,
    ),
    Route(
        "api:achievement-withdraw",
        kwargs=a_published,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **EDITORS,
        operator=OK,
    ),
    Route(
        "api:achievement-reopen",
        kwargs=a_draft,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=BAD,
        univ_admin=BAD,
        **STAFF_REFUSED,
        note="a draft is not reopened",
    ),
    Route(
        "api:achievement-approve",
        kwargs=a_submitted,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=DENY,
        univ_admin=DENY,
        **STAFF,
    ),
    Route(
        "api:achievement-reject",
        kwargs=a_submitted,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=DENY,
        univ_admin=DENY,
        reviewer=BAD,
        operator=BAD,
        note="a rejection needs a reason",
    ),
    Route("api:achievement-accept-nda", kwargs=a_published, method="POST", anonymous=LOGIN, default=OK),
]

# ---- files and video links (core.listing_files): approved public files for whoever sees the listing,
# files added after publication for its editors and reviewers until approved; the confidential files
# for the owner organisation and staff (others accept the NDA first).
ROUTES += access_routes(
    FILES,
    "achievement",
    access,
    records={
        "published": a_published,
        "draft": a_draft,
        "image": a_public_image,
        "pending": a_pending_image,
        "restricted": a_file,
        "video": a_video,
    },
    editors=EDITORS,
    staff=STAFF,
    restricted=outcomes(EDITORS, STAFF, anonymous=LOGIN, default=DENY),
)
