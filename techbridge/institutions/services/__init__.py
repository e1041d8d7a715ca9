"""Every write of the institutions app, by topic. Each function takes ``actor=``, checks who may act,
validates the whole record, writes inside ``transaction.atomic()``, moves status only through
``core.workflow.transition`` and leaves an audit entry with a dotted code
(``institutions.<model>.<verb>``)."""

from .credit import (
    blacklist,
    decide_appeal,
    file_appeal,
    lift_blacklisting,
    recompute_credit_grade,
    record_event,
)
from .designations import declare_designation, revoke_designation, verify_designation
from .profile import (
    approve_application,
    return_application,
    save_profile,
    set_alliance_role,
    submit_application,
    withdraw_listing,
)
from .ratings import rate_service
from .reports import accept_report, return_report, save_report, submit_report
from .scores import compute_quarter, score_last_quarter, set_weights
from .standards import publish_standard_version

__all__ = [
    "accept_report",
    "approve_application",
    "blacklist",
    "compute_quarter",
    "decide_appeal",
    "declare_designation",
    "file_appeal",
    "lift_blacklisting",
    "publish_standard_version",
    "rate_service",
    "recompute_credit_grade",
    "record_event",
    "return_application",
    "return_report",
    "revoke_designation",
    "save_profile",
    "save_report",
    "score_last_quarter",
    "set_alliance_role",
    "set_weights",
    "submit_application",
    "submit_report",
    "verify_designation",
    "withdraw_listing",
]
