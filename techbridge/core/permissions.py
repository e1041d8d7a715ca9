"""One permission vocabulary for pages, the API and templates.

Two kinds of check, used the same way everywhere:

* **Role checks** — who may open a page at all: ``@role_required(is_staff_reviewer)`` on a function
  view, ``RoleRequiredMixin`` (``role_check = staticmethod(is_operator)``) on a class view and
  ``RolePermission.of(is_operator)`` in an API view. Anonymous visitors are sent to sign in (pages) or
  get 401/403 (API); signed-in users without the role get a 403 page that says why.
* **Record checks** — per app, ``permissions.py`` holds look-up-and-check helpers named for what the
  caller wants: ``room_for(user, pk)`` returns the room or raises ``Http404`` (the record is not
  visible: we do not confirm it exists) or ``PermissionDenied`` with a reason (visible, but this
  action is not allowed), and predicates ``can_<verb>(user, obj) -> bool`` for templates and buttons.
  Views, serializers, services and template tags call the same helpers, never a copy.

Refusals are raised, never returned: ``PermissionDenied(message)`` becomes the site's 403 page (or a
JSON 403 in the API) with the message; ``Http404`` becomes the 404 page. ``deny`` and ``hide`` say it
in one word.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf_permissions

from .roles import Role, is_console_user, is_operator, is_staff_reviewer

Predicate = Callable[[Any], bool]

DEFAULT_MESSAGE = _("You do not have permission to open this page.")


def deny(message: str | Promise = DEFAULT_MESSAGE) -> NoReturn:
    """Refuse: the record is visible to the user, this action is not theirs to take."""
    raise PermissionDenied(str(message))


def hide() -> NoReturn:
    """Refuse without confirming that the record exists."""
    raise Http404


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def has_organization(user: Any) -> bool:
    return signed_in(user) and getattr(user, "organization_id", None) is not None


def is_organization_member(user: Any) -> bool:
    """A member or admin acting for an organisation (not platform staff or a department official)."""
    return has_organization(user) and user.role in (Role.MEMBER, Role.ORG_ADMIN)


def _check(request: HttpRequest, predicate: Predicate, message: str | Promise) -> HttpResponseBase | None:
    if not signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    if not predicate(request.user):
        deny(message)
    return None


def role_required(
    predicate: Predicate = signed_in, *, message: str | Promise = DEFAULT_MESSAGE
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorate a view: anonymous → sign-in page; signed in without ``predicate`` → 403 with ``message``."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            refused = _check(request, predicate, message)
            return refused if refused is not None else view(request, *args, **kwargs)

        wrapped.role_check = predicate  # type: ignore[attr-defined]
        return wrapped

    return decorator


class RoleRequiredMixin:
    """The class-view twin of ``role_required``: set ``role_check`` (and ``permission_message``)."""

    role_check: Predicate = staticmethod(signed_in)
    permission_message: str | Promise = DEFAULT_MESSAGE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refused = _check(request, type(self).role_check, self.permission_message)
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class RolePermission(drf_permissions.BasePermission):
    """API twin: ``permission_classes = [RolePermission.of(is_operator)]``."""

    predicate: Predicate = staticmethod(signed_in)
    message: Any = DEFAULT_MESSAGE

    @classmethod
    def of(cls, predicate: Predicate, message: str | Promise = DEFAULT_MESSAGE) -> type[RolePermission]:
        return type(
            f"RolePermission_{getattr(predicate, '__name__', 'check')}",
            (cls,),
            {"predicate": staticmethod(predicate), "message": message},
        )

    def has_permission(self, request: Any, view: Any) -> bool:
        return signed_in(request.user) and type(self).predicate(request.user)


staff_required = role_required(
    is_staff_reviewer, message=_("Only platform reviewers and operators can open this page.")
)
operator_required = role_required(is_operator, message=_("Only platform operators can open this page."))
console_required = role_required(
    is_console_user, message=_("Only platform staff and department officials can open the console.")
)
