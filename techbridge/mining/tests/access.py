"""Who may open the mining pages and endpoints (see techbridge.testing.access).

Published packages and catalogues are public; drafts exist only for reviewers and operators, who
build, publish and promote them and correct classifications. The supply–demand analysis is a
console page for staff and department officials; only staff recompute it.
"""

from techbridge.testing.access import BAD, DENY, HIDE, LOGIN, NOT_ALLOWED, OK, Route, outcomes
from techbridge.testing.fixtures.records import (
    catalogue_entry,
    draft_catalogue,
    draft_package,
    pk_of,
    published_achievement,
    published_catalogue,
    published_package,
)

a_catalogue = pk_of(published_catalogue)
a_draft_catalogue = pk_of(draft_catalogue)
a_package = pk_of(published_package)
a_draft_package = pk_of(draft_package)


def an_achievement(cast):
    return {"kind": "achievement", "pk": published_achievement(cast).pk}


STAFF = outcomes(anonymous=LOGIN, default=DENY, reviewer=OK, operator=OK)
STAFF_BAD = outcomes(anonymous=LOGIN, default=DENY, reviewer=BAD, operator=BAD)
DRAFT_READERS = outcomes(default=HIDE, reviewer=OK, operator=OK)
CONSOLE = outcomes(anonymous=LOGIN, default=DENY, reviewer=OK, operator=OK, official=OK)

ROUTES = [
    Route("mining:catalogues", default=OK),
    Route("mining:catalogue_detail", kwargs=a_catalogue, default=OK),
    Route("mining:catalogue_detail", kwargs=a_draft_catalogue, **DRAFT_READERS),
    Route("mining:catalogue_pdf", kwargs=a_catalogue, default=OK),
    Route("mining:catalogue_xlsx", kwargs=a_catalogue, default=OK),
    Route("mining:catalogue_xlsx", kwargs=a_draft_catalogue, **DRAFT_READERS),
    Route("mining:packages", default=OK),
    Route("mining:package_detail", kwargs=a_package, default=OK),
    Route("mining:package_detail", kwargs=a_draft_package, **DRAFT_READERS),
    Route("mining:classification_correct", kwargs=an_achievement, method="POST", **STAFF),
    # Console: the analysis for staff and officials, the rest for staff.
    Route("mining_console:analysis", **CONSOLE),
    Route("mining_console:analysis_export", **CONSOLE),
    Route("mining_console:analysis_recompute", method="POST", **STAFF),
    Route("mining_console:catalogues", **STAFF),
    Route("mining_console:catalogue_edit", kwargs=a_draft_catalogue, **STAFF),
    Route("mining_console:catalogue_add", kwargs=a_draft_catalogue, method="POST", **STAFF),
    Route("mining_console:catalogue_entry", kwargs=catalogue_entry, method="POST", **STAFF),
    Route("mining_console:catalogue_publish", kwargs=a_draft_catalogue, method="POST", **STAFF),
    Route("mining_console:classification", **STAFF),
    Route("mining_console:packages", **STAFF),
    Route("mining_console:package_generate", method="POST", **STAFF),
    Route("mining_console:package_edit", kwargs=a_draft_package, **STAFF),
    Route("mining_console:package_state", kwargs=a_draft_package, method="POST", **STAFF),
    Route("mining_console:package_promote", kwargs=a_draft_package, method="POST", **STAFF),
]

# ---- API
ROUTES += [
    Route("api:mining-catalogue-list", default=OK),
    Route("api:mining-catalogue-list", method="POST", **STAFF_BAD),
    Route("api:mining-catalogue-detail", kwargs=a_catalogue, default=OK),
    Route("api:mining-catalogue-detail", kwargs=a_draft_catalogue, **DRAFT_READERS),
    Route("api:mining-catalogue-entries", kwargs=a_draft_catalogue, method="POST", **STAFF_BAD),
    Route("api:mining-catalogue-publish", kwargs=a_draft_catalogue, method="POST", **STAFF),
    Route("api:mining-catalogue-unpublish", kwargs=a_catalogue, method="POST", **STAFF),
    Route("api:mining-classification", kwargs=an_achievement, default=OK),
    Route("api:mining-classification-correct", kwargs=an_achievement, method="POST", **STAFF_BAD),
    Route("api:mining-package-list", default=OK),
    Route("api:mining-package-list", method="POST", **STAFF_BAD),
    Route("api:mining-package-detail", kwargs=a_package, default=OK),
    Route("api:mining-package-detail", kwargs=a_draft_package, **DRAFT_READERS),
    Route("api:mining-package-detail", kwargs=a_draft_package, method="PATCH", **STAFF),
    Route(
        "api:mining-package-detail",
        kwargs=a_draft_package,
        method="DELETE",
        **outcomes(STAFF, reviewer=NOT_ALLOWED, operator=NOT_ALLOWED),
        note="packages are archived, never deleted",
    ),
    Route("api:mining-package-publish", kwargs=a_draft_package, method="POST", **STAFF),
    Route("api:mining-package-archive", kwargs=a_draft_package, method="POST", **STAFF),
    Route("api:mining-package-restore", kwargs=a_draft_package, method="POST", **STAFF_BAD),
    Route("api:mining-package-promote", kwargs=a_draft_package, method="POST", **STAFF_BAD),
    Route("api:mining-package-generate", method="POST", **STAFF),
    Route("api:mining-supply-demand", **CONSOLE),
    Route("api:mining-supply-demand-recompute", method="POST", **STAFF),
]
