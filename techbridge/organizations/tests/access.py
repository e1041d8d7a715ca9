"""Who may open the organisation pages and endpoints (see techbridge.testing.access)."""

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import join_request, pending_organization, pk_of


def the_university(cast):
    return {"pk": cast.university.pk}


a_pending_org = pk_of(pending_organization)
a_join_request = pk_of(join_request)

# Who is refused joining: anyone who already belongs to an organisation, platform staff, officials.
JOIN_REFUSED = outcomes(
    researcher=DENY, univ_admin=DENY, buyer=DENY, broker=DENY, reviewer=DENY,
    operator=DENY, official=DENY, stranger=DENY,
)  # fmt: skip
STAFF = outcomes(reviewer=OK, operator=OK)

ROUTES = [
    # The directory and approved profiles are public; a registration under review exists only for
    # the reviewers (its own members are not in the cast).
    Route("organizations:list", default=OK),
    Route("organizations:detail", kwargs=the_university, default=OK),
    Route("organizations:detail", kwargs=a_pending_org, default=HIDE, **STAFF),
    # Its admins edit it and manage its members; everyone else sees the profile but may not.
    Route("organizations:edit", kwargs=the_university, anonymous=LOGIN, default=DENY, univ_admin=OK),
    Route(
        "organizations:edit",
        kwargs=a_pending_org,
        anonymous=LOGIN,
        default=HIDE,
        reviewer=DENY,
        operator=DENY,
    ),
    Route("organizations:members", kwargs=the_university, anonymous=LOGIN, default=DENY, univ_admin=OK),
    Route(
        "organizations:members",
        kwargs=the_university,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
    ),
    # Only a member without an organisation asks to join; only the applicant withdraws.
    Route(
        "organizations:join",
        kwargs=the_university,
        method="POST",
        anonymous=LOGIN,
        outsider=OK,
        **JOIN_REFUSED,
    ),
    Route(
        "organizations:join_cancel",
        kwargs=a_join_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        outsider=OK,
    ),
    # The review console.
    Route("organizations_console:queue", anonymous=LOGIN, default=DENY, **STAFF),
    Route("organizations_console:review", kwargs=a_pending_org, anonymous=LOGIN, default=DENY, **STAFF),
    Route(
        "organizations_console:review",
        kwargs=a_pending_org,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
    ),
]

# ---- API
ROUTES += [
    Route("api:organization-list", default=OK),
    Route("api:zones", default=OK, note="zones (江北新区, 高新区 and its parks) are public reference data"),
    # Registering an organisation: a user who already belongs to one is refused; the outsider's empty
    # registration is bad input.
    Route("api:organization-list", method="POST", anonymous=LOGIN, default=DENY, outsider=BAD),
    Route("api:organization-detail", kwargs=the_university, default=OK),
    Route("api:organization-detail", kwargs=a_pending_org, default=HIDE, **STAFF),
    Route(
        "api:organization-detail",
        kwargs=the_university,
        method="PATCH",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
    ),
    Route(
        "api:organization-approve",
        kwargs=a_pending_org,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        **STAFF,
    ),
    Route(
        "api:organization-reject",
        kwargs=a_pending_org,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        reviewer=BAD,
        operator=BAD,
        note="a rejection needs a reason",
    ),
    Route(
        "api:organization-resubmit",
        kwargs=the_university,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=BAD,
        note="an approved organisation is not resubmitted",
    ),
    Route(
        "api:organization-membership-join",
        kwargs=the_university,
        method="POST",
        anonymous=LOGIN,
        outsider=BAD,
        note="the outsider gets past the checks; the empty body lacks the message",
        **JOIN_REFUSED,
    ),
    Route(
        "api:organization-membership-members",
        kwargs=the_university,
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
    ),
    Route(
        "api:organization-membership-members",
        kwargs=the_university,
        method="POST",
        anonymous=LOGIN,
        default=DENY,
        univ_admin=BAD,
    ),
    Route(
        "api:organization-membership-join-requests",
        kwargs=the_university,
        anonymous=LOGIN,
        default=DENY,
        univ_admin=OK,
    ),
    Route("api:membership-request-list", anonymous=LOGIN, default=OK),
    Route(
        "api:membership-request-detail",
        kwargs=a_join_request,
        anonymous=LOGIN,
        default=HIDE,
        outsider=OK,
        univ_admin=OK,
    ),
    Route(
        "api:membership-request-approve",
        kwargs=a_join_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=OK,
        outsider=DENY,
    ),
    Route(
        "api:membership-request-reject",
        kwargs=a_join_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        univ_admin=OK,
        outsider=DENY,
    ),
    Route(
        "api:membership-request-withdraw",
        kwargs=a_join_request,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        outsider=OK,
        univ_admin=DENY,
    ),
]
