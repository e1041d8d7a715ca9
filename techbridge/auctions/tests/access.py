"""Who may open the auction pages and endpoints (see techbridge.testing.access).

The records: a published session with 示范大学's achievement listed as a lot, the buyer registered
as a bidder (deposit to pay) and a session still in preparation. Roadshows are events
(``events/tests/access.py``).
"""

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    auction_session,
    bidder_registration,
    draft_session,
    lot,
    pk_of,
)

a_session = pk_of(auction_session)
a_draft_session = pk_of(draft_session)
a_lot = pk_of(lot)
a_registration = pk_of(bidder_registration)


def new_lot_in_session(cast):
    return {"session_pk": auction_session(cast).pk}


def buyers_attempt(cast):
    """A refused attempt the buyer sent (deposit unpaid): only the buyer may look it up by nonce."""
    from techbridge.auctions.models import BidAttempt

    the_lot = lot(cast)
    BidAttempt.objects.get_or_create(
        lot=the_lot,
        user=cast.buyer,
        nonce="access-nonce-0001",
        defaults={"amount": "100000", "outcome": "refused", "reason": "deposit", "message": "保证金未缴纳"},
    )
    return {"pk": the_lot.pk, "nonce": "access-nonce-0001"}


def buyers_attempt_list(cast):
    return {"lot_pk": buyers_attempt(cast)["pk"]}


def an_unmatched_line(cast):
    """A line of an imported statement that named no payment reference: the operators' queue."""
    from datetime import date

    from techbridge.auctions.models import BankStatement, StatementLine

    statement, _ = BankStatement.objects.get_or_create(
        file_name="access.csv", defaults={"sha256": "0" * 64, "uploaded_by": cast.operator}
    )
    line, _ = StatementLine.objects.get_or_create(
        serial="ACCESS-1",
        defaults={
            "statement": statement,
            "row_number": 2,
            "booked_on": date(2026, 12, 1),
            "amount": "5000",
            "reason": "no_reference",
        },
    )
    return {"pk": line.pk}


def a_statement(cast):
    from techbridge.auctions.models import StatementLine

    return {"pk": StatementLine.objects.get(pk=an_unmatched_line(cast)["pk"]).statement_id}


def a_refund_batch(cast):
    """A payment file already exported (one refund of the broker, who registered and was refunded)."""
    from django.core.files.base import ContentFile

    from techbridge.auctions.models import RefundBatch

    batch = RefundBatch.objects.filter(sha256="1" * 64).first()
    if batch is None:
        batch = RefundBatch(created_by=cast.operator, sha256="1" * 64, item_count=1, total="5000")
        batch.file.save("access.csv", ContentFile("收款户名\n".encode()), save=False)
        batch.save()
    return {"pk": batch.pk}


def confirm_deposit(cast):
    return {"action": "paid", "reference": "BANK-20260101"}


# The bidder's own registration page: the bidder and operators; nobody else learns it exists.
REGISTRATION_READERS = outcomes(anonymous=LOGIN, default=HIDE, buyer=OK, operator=OK)

# Bidders: members of approved organisations; never platform staff, officials or the outsider.
BIDDERS = outcomes(researcher=OK, univ_admin=OK, buyer=OK, broker=OK, stranger=OK)
NOT_BIDDERS = outcomes(reviewer=DENY, operator=DENY, official=DENY, outsider=DENY)
STAFF = outcomes(anonymous=LOGIN, default=DENY, reviewer=OK, operator=OK)
OPERATOR = outcomes(anonymous=LOGIN, default=DENY, operator=OK)
DRAFT_READERS = outcomes(default=HIDE, reviewer=OK, operator=OK)

ROUTES = [
    Route("auctions:index", default=OK),
    Route("auctions:session", kwargs=a_session, default=OK),
    Route("auctions:session", kwargs=a_draft_session, **DRAFT_READERS),
    Route(
        "auctions:session_register",
        kwargs=a_session,
        method="POST",
        anonymous=LOGIN,
        **BIDDERS,
        **NOT_BIDDERS,
    ),
    Route("auctions:lot", kwargs=a_lot, default=OK),
    Route("auctions:lot_status", kwargs=a_lot, default=OK),
    Route(
        "auctions:lot_bid",
        kwargs=a_lot,
        method="POST",
        anonymous=LOGIN,
        **BIDDERS,
        **NOT_BIDDERS,
        note="bidders get past the check; an unregistered bidder is told to register (a message)",
    ),
    Route("auctions:lot_proxy", kwargs=a_lot, method="POST", anonymous=LOGIN, **BIDDERS, **NOT_BIDDERS),
    # Console: reviewers screen and read; operators run the sessions, lots and deposits.
    Route("auctions_console:home", **STAFF),
    Route("auctions_console:session_create", **OPERATOR),
    Route("auctions_console:session", kwargs=a_session, **STAFF),
    Route("auctions_console:session", kwargs=a_draft_session, method="POST", **OPERATOR),
    Route("auctions_console:session_edit", kwargs=a_draft_session, **OPERATOR),
    Route("auctions_console:lot_create", kwargs=new_lot_in_session, **OPERATOR),
    Route("auctions_console:lot", kwargs=a_lot, **STAFF),
    Route("auctions_console:lot_edit", kwargs=a_lot, **OPERATOR),
    Route("auctions_console:deposit", kwargs=a_registration, method="POST", data=confirm_deposit, **OPERATOR),
]

# ---- API
ROUTES += [
    Route("api:auction-session-list", default=OK),
    Route("api:auction-session-list", method="POST", **outcomes(OPERATOR, operator=BAD)),
    Route("api:auction-session-detail", kwargs=a_session, default=OK),
    Route("api:auction-session-detail", kwargs=a_draft_session, **DRAFT_READERS),
    Route(
        "api:auction-session-publish",
        kwargs=a_draft_session,
        method="POST",
        anonymous=LOGIN,
        default=HIDE,
        reviewer=DENY,
        operator=OK,
    ),
    Route(
        "api:auction-session-register",
        kwargs=a_session,
        method="POST",
        anonymous=LOGIN,
        **BIDDERS,
        **NOT_BIDDERS,
    ),
    Route("api:auction-lot-list", default=OK),
    Route("api:auction-lot-list", method="POST", **outcomes(OPERATOR, operator=BAD)),
    Route("api:auction-lot-detail", kwargs=a_lot, default=OK),
    Route(
        "api:auction-lot-submit",
        kwargs=a_lot,
        method="POST",
        **outcomes(OPERATOR, operator=BAD),
        note="a listed lot is not sent to screening again",
    ),
    Route(
        "api:auction-lot-screen", kwargs=a_lot, method="POST", **outcomes(STAFF, reviewer=BAD, operator=BAD)
    ),
    Route("api:auction-lot-bids", kwargs=a_lot, default=OK),
    Route(
        "api:auction-lot-bids",
        kwargs=a_lot,
        method="POST",
        anonymous=LOGIN,
        **outcomes(dict.fromkeys(BIDDERS, BAD)),
        **NOT_BIDDERS,
        note="bidders get past the check; an empty bid is malformed",
    ),
    # The same address under the fast lane's name (fastbid routes it ahead of the router).
    Route("api:auction-lot-bids-fast", kwargs=a_lot, default=OK),
    Route(
        "api:auction-lot-bids-fast",
        kwargs=a_lot,
        method="POST",
        anonymous=LOGIN,
        **outcomes(dict.fromkeys(BIDDERS, BAD)),
        **NOT_BIDDERS,
        note="token-less requests fall through to the DRF view: the same answers",
    ),
    Route(
        "api:auction-lot-attempt",
        kwargs=buyers_attempt,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        note="only the bidder who sent the attempt sees it",
    ),
    Route(
        "api:auction-lot-proxy",
        kwargs=a_lot,
        method="POST",
        anonymous=LOGIN,
        **outcomes(dict.fromkeys(BIDDERS, BAD)),
        **NOT_BIDDERS,
    ),
    Route(
        "api:auction-lot-attempt-list",
        kwargs=buyers_attempt_list,
        anonymous=LOGIN,
        **BIDDERS,
        **outcomes(NOT_BIDDERS, reviewer=OK, operator=OK),
        note="staff list every attempt, a bidder their own; officials and the outsider are refused",
    ),
    Route("api:auction-registration-list", anonymous=LOGIN, default=OK),
    Route(
        "api:auction-registration-detail",
        kwargs=a_registration,
        anonymous=LOGIN,
        default=HIDE,
        buyer=OK,
        operator=OK,
    ),
    Route(
        "api:auction-registration-deposit",
        kwargs=a_registration,
        method="POST",
        **outcomes(OPERATOR, operator=BAD),
    ),
    # ---- deposits paid by bank transfer --------------------------------------------------------------
    Route("auctions:registration", kwargs=a_registration, **REGISTRATION_READERS),
    Route(
        "auctions:registration",
        kwargs=a_registration,
        method="POST",
        **outcomes(REGISTRATION_READERS, operator=DENY),
        note="the empty form is re-shown to the bidder; operators read but never change a refund account",
    ),
    Route("auctions_console:statements", **OPERATOR),
    Route("auctions_console:statement_preview", method="POST", **outcomes(OPERATOR, operator=BAD)),
    Route("auctions_console:statement_import", method="POST", **OPERATOR, note="no token: back to the list"),
    Route("auctions_console:statement", kwargs=a_statement, **OPERATOR),
    Route("auctions_console:unmatched", **OPERATOR),
    Route("auctions_console:line_assign", kwargs=an_unmatched_line, method="POST", **OPERATOR),
    Route("auctions_console:line_dismiss", kwargs=an_unmatched_line, method="POST", **OPERATOR),
    Route("auctions_console:refunds", **OPERATOR),
    Route("auctions_console:refund_export", method="POST", **OPERATOR),
    Route("auctions_console:refund_download", kwargs=a_refund_batch, **OPERATOR),
    Route("api:auction-registration-payment", kwargs=a_registration, **REGISTRATION_READERS),
    Route(
        "api:auction-registration-refund-account",
        kwargs=a_registration,
        method="PUT",
        **outcomes(REGISTRATION_READERS, buyer=BAD, operator=DENY),
    ),
    Route("api:auction-statement-list", **OPERATOR),
    Route("api:auction-statement-list", method="POST", **outcomes(OPERATOR, operator=BAD)),
    Route("api:auction-statement-preview", method="POST", **outcomes(OPERATOR, operator=BAD)),
    Route("api:auction-statement-detail", kwargs=a_statement, **OPERATOR),
    Route("api:auction-statement-line-list", **OPERATOR),
    Route("api:auction-statement-line-detail", kwargs=an_unmatched_line, **OPERATOR),
    Route(
        "api:auction-statement-line-assign",
        kwargs=an_unmatched_line,
        method="POST",
        **outcomes(OPERATOR, operator=BAD),
    ),
    Route(
        "api:auction-statement-line-dismiss",
        kwargs=an_unmatched_line,
        method="POST",
        **outcomes(OPERATOR, operator=BAD),
    ),
    Route("api:auction-refund-batch-list", **OPERATOR),
    Route("api:auction-refund-batch-list", method="POST", **outcomes(OPERATOR, operator=BAD)),
    Route("api:auction-refund-batch-detail", kwargs=a_refund_batch, **OPERATOR),
    Route("api:auction-refund-batch-file", kwargs=a_refund_batch, **OPERATOR),
    Route("api:auction-refund-batch-waiting", **OPERATOR),
]
