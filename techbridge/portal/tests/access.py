"""Who may open the portal's pages (see techbridge.testing.access)."""

from techbridge.testing.access import DENY, LOGIN, OK, Route

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
