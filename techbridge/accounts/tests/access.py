"""Who may open the account pages and endpoints (see techbridge.testing.access)."""

from techbridge.testing.access import BAD, HIDE, LOGIN, NOT_ALLOWED, OK, Route
from techbridge.testing.fixtures.records import notification, pk_of


def a_reset_link(cast):
    # A link with a wrong token: everyone gets the page that says the link is no longer valid.
    return {"uidb64": "MQ", "token": "set-password"}


ROUTES = [
    # Signing in, up and out and resetting a password are open to everyone; a signed-in visitor is
    # sent on (sign-in and sign-up redirect to where they belong).
    Route("accounts:login", default=OK),
    Route("accounts:logout", default=NOT_ALLOWED, note="Signing out is a POST"),
    Route("accounts:logout", method="POST", default=OK),
    Route("accounts:signup", default=OK),
    Route("accounts:signup_done", anonymous=LOGIN, default=OK),
    Route("accounts:password_reset", default=OK),
    Route("accounts:password_reset_done", default=OK),
    Route("accounts:password_reset_confirm", kwargs=a_reset_link, default=OK),
    Route("accounts:password_reset_complete", default=OK),
    # The user's own pages.
    Route("accounts:password_change", anonymous=LOGIN, default=OK),
    Route("accounts:password_change_done", anonymous=LOGIN, default=OK),
    Route("accounts:profile", anonymous=LOGIN, default=OK),
    Route("accounts:notifications", anonymous=LOGIN, default=OK),
    Route("accounts:notifications_read_all", method="POST", anonymous=LOGIN, default=OK),
    # A notification exists only for its recipient.
    Route(
        "accounts:notification_read",
        kwargs=pk_of(notification),
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        researcher=OK,
    ),
    # API: a token for a user name and password (an empty body is bad input), and "who am I".
    Route("api:token", method="POST", default=BAD),
    Route("api:me", anonymous=LOGIN, default=OK),
]
