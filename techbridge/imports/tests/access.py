"""Who may open the import console and the import endpoints (see techbridge.testing.access).

Bulk imports are the operators' (they write many records under the platform's name); reviewers and
operators download the Excel templates and decide on possible duplicates. Nobody else sees any of it.
"""

from techbridge.testing.access import BAD, DENY, LOGIN, OK, Route, outcomes
from techbridge.testing.fixtures.records import duplicate_pair, import_batch, pk_of

NS = "imports_console"
a_batch = pk_of(import_batch)
a_pair = pk_of(duplicate_pair)


def achievements_template(cast):
    return {"kind": "achievements"}


OPERATOR = outcomes(anonymous=LOGIN, default=DENY, operator=OK)
STAFF = outcomes(anonymous=LOGIN, default=DENY, reviewer=OK, operator=OK)

ROUTES = [
    Route(f"{NS}:list", **OPERATOR),
    Route(f"{NS}:list", method="POST", **outcomes(OPERATOR, operator=BAD), note="an upload without a file"),
    Route(f"{NS}:detail", kwargs=a_batch, **OPERATOR),
    Route(f"{NS}:confirm", kwargs=a_batch, method="POST", **OPERATOR),
    Route(f"{NS}:cancel", kwargs=a_batch, method="POST", **OPERATOR),
    Route(f"{NS}:resume", kwargs=a_batch, method="POST", **OPERATOR, note="refused with a message"),
    Route(f"{NS}:refused", kwargs=a_batch, **OPERATOR),
    Route(f"{NS}:template", kwargs=achievements_template, **STAFF),
    Route(f"{NS}:duplicates", **STAFF),
    Route(f"{NS}:duplicate_scan", method="POST", **STAFF),
    Route(f"{NS}:duplicate_decide", kwargs=a_pair, method="POST", **STAFF),
]

# ---- API
ROUTES += [
    Route("api:import-batch-list", **OPERATOR),
    Route("api:import-batch-list", method="POST", **outcomes(OPERATOR, operator=BAD)),
    Route("api:import-batch-detail", kwargs=a_batch, **OPERATOR),
    Route("api:import-batch-confirm", kwargs=a_batch, method="POST", **OPERATOR),
    Route("api:import-batch-cancel", kwargs=a_batch, method="POST", **OPERATOR),
    Route(
        "api:import-batch-resume",
        kwargs=a_batch,
        method="POST",
        **outcomes(OPERATOR, operator=BAD),
        note="only an interrupted import is resumed",
    ),
    Route("api:import-duplicate-list", **STAFF),
    Route("api:import-duplicate-detail", kwargs=a_pair, **STAFF),
    Route("api:import-duplicate-scan", method="POST", **STAFF),
    Route(
        "api:import-duplicate-decide",
        kwargs=a_pair,
        method="POST",
        **outcomes(STAFF, reviewer=BAD, operator=BAD),
        note="merge or dismiss must be said",
    ),
]
