"""Who may open the account pages and endpoints (see techbridge.testing.access)."""

from techbridge.testing.access import BAD, HIDE, LOGIN, NOT_ALLOWED, OK, Route
from techbridge.testing.fixtures.records import notification, pk_of


def a_reset_link(cast):
    # A link with a wrong token: everyone gets the page that says the link is no longer valid.
    return {"uidb64": "MQ", "token": "set-password"}


def a_token(cast):
    """A fresh API token of the researcher (revoking removes it, so every call makes a new one)."""
    from techbridge.accounts import services

    token, _key = services.issue_token(cast.researcher, name="脚本", actor=cast.researcher)
    return {"pk": token.pk}


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
    # A copy of one's own data (PIPL art. 45): the page, and the workbook by POST; only ever one's own.
    Route("accounts:my_data", anonymous=LOGIN, default=OK),
    Route("accounts:my_data", method="POST", anonymous=LOGIN, default=OK),
    # Erasing one's account (PIPL art. 47): only one's own; an empty POST shows the form's errors, a
    # cancel with nothing pending says so (both 200/302, never another user's request).
    Route("accounts:erase", anonymous=LOGIN, default=OK),
    Route("accounts:erase", method="POST", anonymous=LOGIN, default=OK),
    Route("accounts:erase_cancel", method="POST", anonymous=LOGIN, default=OK),
    # API tokens: one's own list (an empty POST shows the form again with its error); a token can be
    # revoked only by its owner.
    Route("accounts:tokens", anonymous=LOGIN, default=OK),
    Route("accounts:tokens", method="POST", anonymous=LOGIN, default=OK),
    Route(
        "accounts:token_revoke", kwargs=a_token, method="POST", anonymous=LOGIN, default=HIDE, researcher=OK
    ),
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
    Route("api:tokens", anonymous=LOGIN, default=OK),
    Route("api:my_data", anonymous=LOGIN, default=OK),
    Route("api:erasure", anonymous=LOGIN, default=OK),
    Route("api:erasure", method="POST", anonymous=LOGIN, default=BAD),
    Route("api:erasure_cancel", method="POST", anonymous=LOGIN, default=BAD),
    Route("api:token_revoke", kwargs=a_token, method="POST", anonymous=LOGIN, default=HIDE, researcher=OK),
]
