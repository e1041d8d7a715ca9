"""Who may open the valuation pages and endpoints (see techbridge.testing.access).

The records: the researcher's request to value 示范大学's published achievement, its panel drawn with
the broker as the expert; an issued valuation of the same achievement with its report.
"""

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    expert,
    pk_of,
    published_achievement,
    valuation,
    valuation_request,
)

an_achievement = pk_of(published_achievement)
a_request = pk_of(valuation_request)
a_valuation = pk_of(valuation)
an_expert = pk_of(expert)


def a_seat(cast):
    return {"pk": valuation_request(cast).panel.get().pk}


# A request is seen by its requester (researcher), the owner organisation (univ_admin), the expert on its
# panel (broker) and platform staff; it does not exist for anyone else.
READERS = outcomes(
    anonymous=LOGIN, default=HIDE, researcher=OK, univ_admin=OK, broker=OK, reviewer=OK, operator=OK
)
# Issued figures follow the achievement's NDA: its organisation and staff; others accept the NDA first.
NDA = outcomes(anonymous=LOGIN, default=DENY, researcher=OK, univ_admin=OK, reviewer=OK, operator=OK)
DESK = outcomes(anonymous=LOGIN, default=DENY, operator=OK)
# Requesting for an achievement: its owner organisation and operators (buyers request from their room).
REQUESTERS = outcomes(anonymous=LOGIN, default=DENY, researcher=OK, univ_admin=OK, operator=OK)
# Once the panel is drawn only operators change the assumptions; others who see the request may not.
PANEL_DRAWN = outcomes(READERS, researcher=DENY, univ_admin=DENY, broker=DENY, reviewer=DENY)

ROUTES = [
    Route("valuation:home", anonymous=LOGIN, default=OK),
    Route("valuation:screening", default=OK),
    Route("valuation:request_create", kwargs=an_achievement, **REQUESTERS),
    Route("valuation:scorecard", kwargs=an_achievement, default=OK, note="public, like the grade"),
    Route("valuation:scorecard", kwargs=an_achievement, method="POST", **REQUESTERS),
    Route("valuation:request", kwargs=a_request, **READERS),
    Route("valuation:request_edit", kwargs=a_request, **PANEL_DRAWN),
    # The requester or an operator cancels.
    Route(
        "valuation:request_cancel",
        kwargs=a_request,
        method="POST",
        **outcomes(READERS, univ_admin=DENY, broker=DENY, reviewer=DENY),
    ),
    Route("valuation:assignment", kwargs=a_request, anonymous=LOGIN, default=HIDE, broker=OK),
    Route("valuation:valuation", kwargs=a_valuation, **NDA),
    Route("valuation:report", kwargs=a_valuation, **NDA),
    Route("valuation_console:queue", **DESK),
    Route("valuation_console:request", kwargs=a_request, **DESK),
    # The expert pool moved to talent's console; the old addresses redirect there (talent guards it).
    Route("valuation_console:experts", default=OK, note="permanent redirect to talent_console:experts"),
    Route(
        "valuation_console:expert",
        kwargs=an_expert,
        default=OK,
        note="permanent redirect to talent_console:expert",
    ),
    Route("valuation_console:weights", **DESK),
]

# ---- API
ROUTES += [
    Route("api:valuation-request-list", anonymous=LOGIN, default=OK),
    Route("api:valuation-request-list", method="POST", anonymous=LOGIN, default=BAD),
    Route("api:valuation-request-detail", kwargs=a_request, **READERS),
    Route("api:valuation-request-detail", kwargs=a_request, method="PATCH", **PANEL_DRAWN),
    Route(
        "api:valuation-request-assign-panel",
        kwargs=a_request,
        method="POST",
        **outcomes(PANEL_DRAWN, operator=BAD),
    ),
    Route(
        "api:valuation-request-replace-expert",
        kwargs=a_request,
        method="POST",
        **outcomes(PANEL_DRAWN, operator=BAD),
    ),
    Route(
        "api:valuation-request-issue", kwargs=a_request, method="POST", **outcomes(PANEL_DRAWN, operator=BAD)
    ),
    Route(
        "api:valuation-request-cancel",
        kwargs=a_request,
        method="POST",
        **outcomes(READERS, univ_admin=DENY, broker=DENY, reviewer=DENY),
    ),
    Route("api:valuation-assignment-list", anonymous=LOGIN, default=OK),
    Route(
        "api:valuation-assignment-score",
        kwargs=a_seat,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        broker=BAD,
    ),
    Route("api:valuation-valuation-detail", kwargs=a_valuation, **NDA),
    Route("api:valuation-valuation-report", kwargs=a_valuation, **NDA),
    Route("api:valuation-scorecard", kwargs=an_achievement, default=OK),
    Route(
        "api:valuation-scorecard",
        kwargs=an_achievement,
        method="PUT",
        **REQUESTERS,
        note="every input is optional",
    ),
    Route("api:valuation-screening", default=OK),
    Route("api:valuation-weights", default=OK),
    Route("api:valuation-weights", method="POST", **outcomes(DESK, operator=BAD)),
]
