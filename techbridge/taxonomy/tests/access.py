"""The vocabularies (industry fields, deal modes, disciplines) are public reference data."""

from techbridge.testing.access import OK, Route

ROUTES = [
    Route("api:industry-fields", default=OK),
    Route("api:deal-modes", default=OK),
    Route("api:disciplines", default=OK),
]
