"""Signals the catalogue sends; matching and mining listen, the catalogue never imports them."""

from django.dispatch import Signal

# Sent after a listing's search entry was brought up to date: kwargs ``pk`` and ``published``.
listing_changed = Signal()
