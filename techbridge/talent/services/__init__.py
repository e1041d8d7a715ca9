"""Every write of the talent app, by topic. Each function takes ``actor=`` (``None`` for the system),
checks who may act, validates the whole record, writes inside ``transaction.atomic()``, moves status
only through ``core.workflow.transition`` and leaves an audit entry with a dotted code
(``talent.<model>.<verb>``)."""

from .experts import save_expert
from .managers import (
    declare_certificate,
    review_manager,
    revoke_certificate,
    save_manager_profile,
    verify_certificate,
)
from .register import save_entry
from .routing import answer_routing, assess_demand, close_routing, route_demand, route_pending_demands
from .secondments import save_secondment
from .training import (
    cancel_enrolment,
    complete_session,
    create_session,
    enrol,
    record_results,
    save_base,
    save_course,
    set_registration_open,
)

__all__ = [
    "answer_routing",
    "assess_demand",
    "cancel_enrolment",
    "close_routing",
    "complete_session",
    "create_session",
    "declare_certificate",
    "enrol",
    "record_results",
    "review_manager",
    "revoke_certificate",
    "route_demand",
    "route_pending_demands",
    "save_base",
    "save_course",
    "save_entry",
    "save_expert",
    "save_manager_profile",
    "save_secondment",
    "set_registration_open",
    "verify_certificate",
]
