"""Who may open the negotiation pages and endpoints (see techbridge.testing.access).

The records: the buyer's room about 示范大学's published achievement (seller: researcher and
univ_admin; buyer: buyer; the broker invited), with the university's open offer and a message with a
file; and a room about the enterprise's demand in which the buyer raised a dispute.
"""

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import disputed_room, pk_of, room, room_message, room_offer

a_room = pk_of(room)
a_disputed_room = pk_of(disputed_room)


def the_offer(cast):
    return {"pk": room(cast).pk, "offer_pk": room_offer(cast).pk}


def decline_offer(cast):
    return {**the_offer(cast), "action": "decline"}


def api_decline_offer(cast):
    return {**the_offer(cast), "verb": "decline"}


def a_file(cast):
    return {"pk": room(cast).pk, "message_pk": room_message(cast).pk}


# Who trades: members and admins of organisations; staff, officials and the outsider do not.
TRADERS = outcomes(researcher=OK, univ_admin=OK, buyer=OK, broker=OK, stranger=OK)
NOT_TRADERS = outcomes(reviewer=DENY, operator=DENY, official=DENY, outsider=DENY)
# The room: the two sides and the invited broker read and write; nobody else knows it exists.
PARTICIPANTS = outcomes(anonymous=LOGIN, default=HIDE, researcher=OK, univ_admin=OK, buyer=OK, broker=OK)
# What only the two sides do (the NDA, offers, brokers, closing): the broker advises.
PARTIES = outcomes(PARTICIPANTS, broker=DENY)
# The disputed room: its two sides, and the platform's reviewers while the dispute is open.
DISPUTE_READERS = outcomes(
    anonymous=LOGIN, default=HIDE, researcher=OK, univ_admin=OK, buyer=OK, reviewer=OK, operator=OK
)

ROUTES = [
    Route("deals:list", anonymous=LOGIN, default=OK),
    Route(
        "deals:open",
        method="POST",
        anonymous=LOGIN,
        **TRADERS,
        **NOT_TRADERS,
        note="traders get past the check; without a subject the page says to choose one",
    ),
    Route("deals:room", kwargs=a_room, **PARTICIPANTS),
    Route("deals:room", kwargs=a_disputed_room, **DISPUTE_READERS),
    Route("deals:messages", kwargs=a_room, **PARTICIPANTS),
    Route("deals:message", kwargs=a_room, method="POST", **PARTICIPANTS),
    # A reviewer reads a disputed room but takes no part in the negotiation.
    Route(
        "deals:message",
        kwargs=a_disputed_room,
        method="POST",
        **outcomes(DISPUTE_READERS, reviewer=DENY, operator=DENY),
    ),
    Route("deals:attachment", kwargs=a_file, **PARTICIPANTS),
    # A broker accepts the NDA for himself (issue 20 point 10).
    Route("deals:nda", kwargs=a_room, method="POST", **PARTICIPANTS),
    Route("deals:offer", kwargs=a_room, method="POST", **PARTIES),
    # The university made the offer: the buyer answers it; the university may only withdraw it.
    Route(
        "deals:offer_answer",
        kwargs=decline_offer,
        method="POST",
        **outcomes(PARTIES, researcher=DENY, univ_admin=DENY),
    ),
    Route("deals:invite", kwargs=a_room, method="POST", **PARTIES),
    Route("deals:dispute", kwargs=a_room, method="POST", **PARTICIPANTS),
    Route("deals:close", kwargs=a_room, method="POST", **PARTIES),
    Route("deals:reopen", kwargs=a_room, method="POST", **PARTIES),
    # Reviewers resolve a dispute; the sides may not resolve their own.
    Route(
        "deals:resolve",
        kwargs=a_disputed_room,
        method="POST",
        **outcomes(DISPUTE_READERS, researcher=DENY, univ_admin=DENY, buyer=DENY),
    ),
    Route(
        "deals:resolve",
        kwargs=a_room,
        method="POST",
        **outcomes(PARTICIPANTS, researcher=DENY, univ_admin=DENY, buyer=DENY, broker=DENY),
        note="no dispute open: reviewers do not see the room",
    ),
    Route("deals_console:disputes", anonymous=LOGIN, default=DENY, reviewer=OK, operator=OK),
]

# ---- API
ROUTES += [
    Route("api:deal-room-list", anonymous=LOGIN, default=OK),
    Route(
        "api:deal-room-list",
        method="POST",
        anonymous=LOGIN,
        **outcomes(dict.fromkeys(TRADERS, BAD)),
        **NOT_TRADERS,
    ),
    Route("api:deal-room-detail", kwargs=a_room, **PARTICIPANTS),
    Route("api:deal-room-detail", kwargs=a_disputed_room, **DISPUTE_READERS),
    Route("api:deal-room-messages", kwargs=a_room, **PARTICIPANTS),
    Route(
        "api:deal-room-messages",
        kwargs=a_room,
        method="POST",
        **outcomes(PARTICIPANTS, dict.fromkeys(("researcher", "univ_admin", "buyer", "broker"), BAD)),
    ),
    Route("api:deal-room-nda", kwargs=a_room, method="POST", **PARTICIPANTS),
    Route(
        "api:deal-room-offers",
        kwargs=a_room,
        method="POST",
        **outcomes(PARTIES, researcher=BAD, univ_admin=BAD, buyer=BAD),
    ),
    Route(
        "api:deal-room-answer",
        kwargs=api_decline_offer,
        method="POST",
        **outcomes(PARTIES, researcher=DENY, univ_admin=DENY),
    ),
    Route(
        "api:deal-room-brokers",
        kwargs=a_room,
        method="POST",
        **outcomes(PARTIES, researcher=BAD, univ_admin=BAD, buyer=BAD),
    ),
    Route(
        "api:deal-room-disputes",
        kwargs=a_room,
        method="POST",
        **outcomes(PARTICIPANTS, dict.fromkeys(("researcher", "univ_admin", "buyer", "broker"), BAD)),
        note="a dispute needs a reason",
    ),
    Route("api:deal-room-close", kwargs=a_room, method="POST", **PARTIES),
]
