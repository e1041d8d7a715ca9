"""Who may open the matching pages and endpoints (see techbridge.testing.access).

The match page is public (it returns published listings only); the matches of one listing show to
whoever may see the listing — a draft's only to its organisation and to staff.
"""

from techbridge.testing.access import BAD, HIDE, OK, Route, outcomes
from techbridge.testing.fixtures.records import draft_achievement, pk_of, published_demand

a_draft = pk_of(draft_achievement)
a_demand = pk_of(published_demand)
DRAFT_READERS = outcomes(researcher=OK, univ_admin=OK, reviewer=OK, operator=OK)

ROUTES = [
    Route("matching:match", default=OK),
    Route("matching:achievement", kwargs=a_draft, default=HIDE, **DRAFT_READERS),
    Route("matching:demand", kwargs=a_demand, default=OK),
    Route("api:match", default=BAD, note="a match needs the words of a need (q)"),
    Route("api:achievement-matches", kwargs=a_draft, default=HIDE, **DRAFT_READERS),
    Route("api:demand-matches", kwargs=a_demand, default=OK),
]
