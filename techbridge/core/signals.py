"""Signals the listing apps send; matching and mining listen, the listing apps never import them."""

from django.dispatch import Signal

# Sent after a listing's search entry was brought up to date: kwargs ``pk`` and ``published``, and
# ``bulk=True`` when it is one of many written together (an import batch).
listing_changed = Signal()

# Sent once per batch of an import, after ``listing_changed`` for each of its listings: kwarg ``pks``.
# Listeners whose work is cheaper in batches (classification) do it here and skip the ``bulk`` ones.
listings_changed_in_bulk = Signal()

# Sent after the transaction that concluded a deal has committed: an offer accepted in a negotiation room
# (``sender`` the ``Offer`` model) or an auction lot sold (``sender`` the ``Lot`` model); kwarg ``pk``.
# The announcements app opens the public notice (成交公示) for it; the sender never names its listeners.
deal_concluded = Signal()
