"""What the technology-transfer office's workbench adds: menus, the case panel on listings, audit labels,
the docket's daily reminders and the figures the governance evaluation reads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry
from techbridge.core.permissions import has_organization
from techbridge.core.registry import Metric

from . import metrics

AUDIT_LABELS = {
    "tto.disclosure.created": _("Invention disclosure drafted"),
    "tto.disclosure.updated": _("Invention disclosure changed"),
    "tto.disclosure.file_added": _("File added to the disclosure"),
    "tto.disclosure.submitted": _("Invention disclosed to the office"),
    "tto.disclosure.withdrawn": _("Disclosure withdrawn"),
    "tto.disclosure.returned": _("Disclosure returned to the researcher"),
    "tto.disclosure.assessed": _("Disclosure assessed"),
    "tto.disclosure.protection_decided": _("Decided to protect"),
    "tto.disclosure.publication_decided": _("Decided to publish"),
    "tto.disclosure.released": _("Released to the inventors"),
    "tto.disclosure.rights_granted": _("Rights granted to the inventors (赋权)"),
    "tto.disclosure.listed": _("Case published as an achievement listing"),
    "tto.disclosure.income_recorded": _("Income recorded for the case"),
    "tto.application.filed": _("Patent application entered in the docket"),
    "tto.application.examination_requested": _("Substantive examination requested"),
    "tto.application.action_recorded": _("Office action recorded"),
    "tto.application.action_answered": _("Office action answered"),
    "tto.application.granted": _("Patent granted"),
    "tto.application.annuity_decided": _("Annual fee decided"),
    "tto.application.abandoned": _("Patent abandoned"),
    "tto.licence.declared": _("Patent declared open for licence"),
    "tto.licence.withdrawn": _("Open licence withdrawn"),
    "tto.licence.taken": _("Open licence taken by notice"),
    "tto.licence.royalties_reported": _("Royalties reported by the licensee"),
    "tto.policy.updated": _("Reward policy changed"),
    "tto.distribution.created": _("Inventor rewards computed"),
    "tto.distribution.issued": _("Reward statements issued"),
    "tto.report.generated": _("Annual report generated from the records"),
    "tto.report.updated": _("Annual report edited"),
    "tto.report.finalised": _("Annual report made final"),
    "tto.report.reopened": _("Annual report reopened"),
}


def register() -> None:
    registry.register_nav(
        "portal",
        _("Technology transfer office"),
        "tto:home",
        group="work",
        order=70,
        visible=has_organization,
    )
    registry.register_nav("portal", _("Open licences"), "tto:licences", group="market", order=60)
    registry.register_audit_labels(AUDIT_LABELS)
    from . import documents
    from .services import remind_deadlines

    documents.register()

    registry.register_daily_sweep(remind_deadlines)
    registry.register_metric(
        Metric(
            "tto.inventor_rewards",
            _("Rewards to researchers"),
            _("yuan"),
            compute=metrics.inventor_rewards,
            description=_(
                "Rewards issued to researchers out of transfer income (促进科技成果转化法 art. 45)"
            ),
            order=80,
            by_organization=metrics.inventor_rewards_by_organization,
            by_place=metrics.inventor_rewards_by_place,
        )
    )
    registry.register_metric(
        Metric(
            "tto.disclosures",
            _("Invention disclosures"),
            _("items"),
            compute=metrics.disclosures,
            order=81,
            by_organization=metrics.disclosures_by_organization,
            by_place=metrics.disclosures_by_place,
        )
    )
    registry.register_metric(
        Metric(
            "tto.spinoffs",
            _("Spin-offs stated in annual reports"),
            _("companies"),
            compute=metrics.reported_spinoffs,
            order=82,
            by_organization=metrics.reported_spinoffs_by_organization,
        )
    )
