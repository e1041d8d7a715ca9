"""What deal announcements add to the shared pages and hooks: menus, the consent panel on a contract,
the console counter, audit words, the sweep, the generated certificate and the receiver of
``core.signals.deal_concluded``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techbridge.core import registry, signals
from techbridge.core.roles import is_console_user

AUDIT_LABELS = {
    "announcements.announcement.opened": _("Deal notice opened"),
    "announcements.announcement.ended": _("Notice period ended"),
    "announcements.announcement.suspended": _("Deal notice suspended"),
    "announcements.objection.filed": _("Objection filed"),
    "announcements.objection.dismissed": _("Objection dismissed"),
    "announcements.objection.upheld": _("Objection upheld"),
    "announcements.certificate.issued": _("Transaction certificate issued"),
    "announcements.certificate.revoked": _("Transaction certificate revoked"),
    "announcements.publication.consented": _("Consent to announce the deal given"),
    "announcements.publication.withdrawn": _("Consent to announce the deal withdrawn"),
}


def _consent_panel(request: Any, contract: Any) -> dict[str, Any] | None:
    from . import permissions
    from .models import Publication

    user = getattr(request, "user", None)
    if contract is None or user is None or not permissions.can_consent(user, contract):
        return None
    side = permissions.publication_side(user, contract)
    pub = Publication.objects.filter(contract=contract).first()
    mine = getattr(pub, f"{side}_consent_at", None) if pub else None
    other = "buyer" if side == "seller" else "seller"
    return {
        "publication": pub,
        "my_consent": mine,
        "my_amount": getattr(pub, f"{side}_shows_amount", False) if pub else False,
        "other_consent": getattr(pub, f"{other}_consent_at", None) if pub else None,
    }


def _pending() -> int:
    from .choices import ObjectionStatus
    from .models import Objection

    return Objection.objects.filter(status=ObjectionStatus.PENDING).count()


def _sweep() -> dict[str, int]:
    from .services import end_due_announcements

    return end_due_announcements()


def register() -> None:
    from . import documents, services

    registry.register_nav("portal", _("Deal announcements"), "announcements:list", group="market", order=60)
    registry.register_nav(
        "portal", _("Verify a certificate"), "certificates:verify", group="information", order=60
    )
    registry.register_nav(
        "console",
        _("Deal announcements and objections"),
        "announcements_console:home",
        group="console.market",
        order=60,
        visible=is_console_user,
    )
    registry.register_panel(
        "contract.detail", "announcements/partials/consent_panel.html", order=40, context=_consent_panel
    )
    registry.register_counter(
        "announcements.objections",
        _("Objections awaiting a decision"),
        _pending,
        visible=is_console_user,
        url_name="announcements_console:home",
        attention=True,
        order=60,
    )
    registry.register_audit_labels(AUDIT_LABELS)
    registry.register_daily_sweep(_sweep)
    documents.register()
    signals.deal_concluded.connect(services.on_deal_concluded, dispatch_uid="announcements.deal_concluded")
