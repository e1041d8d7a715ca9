"""Who may open the portal's pages (see techbridge.testing.access)."""

from techbridge.testing.access import DENY, HIDE, LOGIN, OK, Route

ROUTES = [
    Route("portal:home", default=OK),
    Route("portal:mine", anonymous=LOGIN, default=OK),
    Route(
        "console:home",
        anonymous=LOGIN,
        default=DENY,
        reviewer=OK,
        operator=OK,
        official=OK,
    ),
]
# The REST API's schema and its documentation page are public.
ROUTES += [Route("api-schema", default=OK), Route("api-docs", default=OK), Route("api:root", default=OK)]

# The search-as-you-type pickers (core.pickers): signed-in users, each finding only what they may choose.
ROUTES += [
    Route("pick", kwargs=lambda cast: {"kind": "achievements"}, query="q=锂电池", anonymous=LOGIN),
    Route("pick", kwargs=lambda cast: {"kind": "nothing"}, query="q=x", default=HIDE),
    Route("api:pick", kwargs=lambda cast: {"kind": "organizations"}, query="q=示范", anonymous=LOGIN),
    Route("api:pick", kwargs=lambda cast: {"kind": "users"}, query="q=a", anonymous=LOGIN),
]

# The public big screen (数据大屏): its page, the JSON it polls and the API.
ROUTES += [Route("portal:screen"), Route("portal:screen-data"), Route("api:screen")]
