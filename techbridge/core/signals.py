"""Signals the listing apps send; matching and mining listen, the listing apps never import them."""

from django.dispatch import Signal

# Sent after a listing's search entry was brought up to date: kwargs ``pk`` and ``published``, and
# ``bulk=True`` when it is one of many written together (an import batch).
listing_changed = Signal()

# Sent once per batch of an import, after ``listing_changed`` for each of its listings: kwarg ``pks``.
# Listeners whose work is cheaper in batches (classification) do it here and skip the ``bulk`` ones.
listings_changed_in_bulk = Signal()
