"""Signals of events, so that apps above it can add to who hears of an event without events importing
them (subscriptions answers with the followers of an event)."""

from django.dispatch import Signal

# Sent (``send``, not ``send_robust``) by ``events.programme`` when it tells people that an event's
# programme changed: sender the ``Event`` model, kwarg ``pk``. Each receiver returns an iterable of user
# ids who follow the event; the sender unites them with the people registered and tells each user once.
event_followers = Signal()
