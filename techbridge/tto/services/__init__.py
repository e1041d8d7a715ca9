"""Every write of the technology-transfer office's workbench (actor keyword, atomic, audited)."""

from .cases import (
    add_file,
    assess_disclosure,
    create_disclosure,
    decide_disclosure,
    publish_listing,
    return_disclosure,
    submit_disclosure,
    update_disclosure,
    withdraw_disclosure,
)
from .docket import (
    answer_office_action,
    deadlines,
    decide_annuity,
    file_application,
    portfolio_costs,
    record_grant,
    record_office_action,
    remind_deadlines,
    request_examination,
)
from .licensing import declare_open_licence, report_royalties, take_licence, withdraw_open_licence
from .reports import finalise_report, generate_report, reopen_report, report_figures, save_report
from .rewards import create_distribution, issue_distribution, record_income, save_policy

__all__ = [
    "add_file",
    "answer_office_action",
    "assess_disclosure",
    "create_disclosure",
    "create_distribution",
    "deadlines",
    "decide_annuity",
    "decide_disclosure",
    "declare_open_licence",
    "file_application",
    "finalise_report",
    "generate_report",
    "issue_distribution",
    "portfolio_costs",
    "publish_listing",
    "record_grant",
    "record_income",
    "record_office_action",
    "remind_deadlines",
    "reopen_report",
    "report_figures",
    "report_royalties",
    "request_examination",
    "return_disclosure",
    "save_policy",
    "save_report",
    "submit_disclosure",
    "take_licence",
    "update_disclosure",
    "withdraw_disclosure",
    "withdraw_open_licence",
]
