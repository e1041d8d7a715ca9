"""Negotiation rooms (洽谈): messages, NDA, offers and counter-offers between the two sides of a listing."""
