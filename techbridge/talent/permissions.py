"""Who may see and change what in the talent app (one vocabulary: ``core/permissions.py``).

- Anyone sees the directory of listed technology managers (level, institution, fields, verified
  certificates, rooms brokered), the training calendar and the public figures.
- A signed-in person manages their own manager profile, certificates and training registrations.
- Platform reviewers and operators review profiles, verify certificates, run training (bases, courses,
  sessions, results, certificates), record secondments and keep the talent register; operators manage
  the expert pool. Department officials read the console.
- A hard demand's routing is shown to the demand's enterprise, the routed manager and the console.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from techbridge.core.permissions import signed_in
from techbridge.core.roles import is_console_user

from .models import Routing, TechnologyManager


def manager_for(user: Any, pk: int) -> TechnologyManager:
    """A manager's profile: public once listed; else only for the manager and the console (404)."""
    manager = (
        TechnologyManager.objects.select_related("user__organization", "institution__organization")
        .filter(pk=pk)
        .first()
    )
    if manager is None:
        raise Http404
    if not (manager.is_listed or getattr(user, "pk", None) == manager.user_id or is_console_user(user)):
        raise Http404
    return manager


def can_see_routing(user: Any, routing: Routing) -> bool:
    if not signed_in(user):
        return False
    return (
        is_console_user(user)
        or routing.manager.user_id == user.pk
        or (user.organization_id is not None and user.organization_id == routing.demand.enterprise_id)
    )


def routing_for(user: Any, pk: int) -> Routing:
    routing = Routing.objects.select_related("demand__enterprise", "manager__user").filter(pk=pk).first()
    if routing is None or not can_see_routing(user, routing):
        raise Http404
    return routing
