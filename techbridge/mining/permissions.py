"""Who may see and do what in mining: pages, the API, services and templates ask these.

- Achievement packages (科技成果包) and catalogues (成果目录): published ones are public; reviewers
  and operators see drafts, build, publish and promote them.
- Classification: anyone who sees a listing sees its labels (the listing is looked up with
  ``matching.permissions.listing_for``); reviewers and operators correct them and review the
  classifier's least certain predictions.
- Supply–demand analysis: a console page for reviewers, operators and department officials;
  reviewers and operators recompute it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from techbridge.core.permissions import deny, hide
from techbridge.core.roles import is_console_user, is_staff_reviewer

from .models import AchievementPackage, Catalogue

# ---- packages ------------------------------------------------------------------------------------

MANAGE_PACKAGES = gettext_lazy("Only platform reviewers and operators may manage achievement packages.")


def can_manage_packages(user: Any) -> bool:
    """Platform reviewers and operators generate, edit, publish and promote packages (and see drafts)."""
    return is_staff_reviewer(user)


def check_manage_packages(user: Any) -> None:
    if not can_manage_packages(user):
        deny(MANAGE_PACKAGES)


def package_for(user: Any, pk: Any) -> AchievementPackage:
    """The package ``pk`` if ``user`` may see it (published, or any for staff), else ``Http404``."""
    from .queries import visible_packages  # queries read the predicates above

    package = visible_packages(user).filter(pk=pk).first()
    if package is None:
        hide()
    return package


# ---- catalogues ----------------------------------------------------------------------------------

MANAGE_CATALOGUES = gettext_lazy("Only platform staff may edit catalogues.")


def can_manage_catalogues(user: Any) -> bool:
    """Reviewers and operators build and publish catalogues (and see drafts)."""
    return is_staff_reviewer(user)


def check_manage_catalogues(user: Any) -> None:
    if not can_manage_catalogues(user):
        deny(MANAGE_CATALOGUES)


def catalogue_for(user: Any, pk: Any) -> Catalogue:
    """The catalogue ``pk`` if ``user`` may see it (published, or any for staff), else ``Http404``."""
    from .catalogues import visible_catalogues  # the catalogue reads use the predicates above

    catalogue = visible_catalogues(user).filter(pk=pk).first()
    if catalogue is None:
        hide()
    return catalogue


# ---- classification ------------------------------------------------------------------------------

CORRECT_CLASSIFICATION = gettext_lazy("Only platform reviewers may correct a classification.")


def can_correct_classification(user: Any) -> bool:
    """Reviewers and operators correct a listing's labels and review the classifier's predictions."""
    return is_staff_reviewer(user)


def check_correct_classification(user: Any) -> None:
    if not can_correct_classification(user):
        deny(CORRECT_CLASSIFICATION)


# ---- supply–demand analysis ----------------------------------------------------------------------

SEE_ANALYSIS = gettext_lazy("Only platform staff and department officials may see the analysis.")
RECOMPUTE_ANALYSIS = gettext_lazy("Only platform reviewers and operators may recompute the analysis.")


def can_see_analysis(user: Any) -> bool:
    return is_console_user(user)


def can_recompute_analysis(user: Any) -> bool:
    return is_staff_reviewer(user)


def check_recompute_analysis(user: Any) -> None:
    if not can_recompute_analysis(user):
        deny(RECOMPUTE_ANALYSIS)
