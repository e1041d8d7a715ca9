"""Platform roles. A user has one; permissions across apps are written against these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    REVIEWER = "reviewer", _("Platform reviewer")
    OFFICIAL = "official", _("Department official")
    OPERATOR = "operator", _("Platform operator")


STAFF_ROLES = frozenset({Role.REVIEWER, Role.OPERATOR})


def is_staff_reviewer(user) -> bool:
    """Reviewers and operators review listings and organisations in the console."""
    return bool(getattr(user, "is_authenticated", False) and (user.role in STAFF_ROLES or user.is_superuser))


def is_operator(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and (user.role == Role.OPERATOR or user.is_superuser)
    )


def is_console_user(user) -> bool:
    """Who may open the console at all: reviewers, operators and department officials."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.role in STAFF_ROLES or user.role == Role.OFFICIAL or user.is_superuser)
    )
