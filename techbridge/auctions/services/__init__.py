"""Writes of auctions, by topic:

- ``rules``: amounts, nonces, increments, the Dutch clock, soft close; the shared errors and results;
- ``lots``: sessions and lots (operators), legal-status screening, bidder registration and deposits;
- ``bidding``: bids and proxy bids;
- ``closing``: closing lots, settling deposits, the hand-off to contracts and deals.

(Roadshows are events: ``techbridge.events.services``.)

Callers use the package (``from techbridge.auctions import services``; ``services.place_bid``): the
public names of every topic are here.

Every function takes ``actor=``, runs inside ``transaction.atomic()`` and writes an audit entry.
Contested rows change only through conditional UPDATEs whose row count is checked, so two bids
placed at the same moment (two tabs, two app servers) cannot both win, on SQLite as on PostgreSQL.
"""

from .attempts import pending as pending_attempt
from .bidding import place_bid, set_proxy
from .closing import close_due_lots, close_lot, hand_off
from .lots import (
    cancel_session,
    confirm_deposit,
    forfeit_deposit,
    lot_seller,
    publish_session,
    refund_deposit,
    register_bidder,
    save_lot,
    save_session,
    screen_lot,
    submit_lot,
    validate_lot,
    withdraw_lot,
)
from .rules import (
    CONFLICT_RETRIES,
    MAX_AMOUNT,
    BidRefused,
    BidResult,
    clean_nonce,
    dutch_floor,
    dutch_price,
    extended_end,
    is_own_lot,
    minimum_bid,
    new_nonce,
    parse_amount,
    step_for,
)

__all__ = [
    "CONFLICT_RETRIES",
    "MAX_AMOUNT",
    "BidRefused",
    "BidResult",
    "cancel_session",
    "clean_nonce",
    "close_due_lots",
    "close_lot",
    "confirm_deposit",
    "dutch_floor",
    "dutch_price",
    "extended_end",
    "forfeit_deposit",
    "hand_off",
    "is_own_lot",
    "lot_seller",
    "minimum_bid",
    "new_nonce",
    "parse_amount",
    "pending_attempt",
    "place_bid",
    "publish_session",
    "refund_deposit",
    "register_bidder",
    "save_lot",
    "save_session",
    "screen_lot",
    "set_proxy",
    "step_for",
    "submit_lot",
    "validate_lot",
    "withdraw_lot",
]
