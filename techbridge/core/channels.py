"""Notification channels behind one interface, the kind groups users choose by, and their preferences.

Every notification is a ``Notification`` row (the in-platform inbox). Outside channels — e-mail, SMS
and WeChat — each get a ``Delivery`` row per notification, sent after the commit and retried with
back-off when they fail (``core.notifications.deliver``). SMS and WeChat go through a provider named
in the settings (``NOTIFY_SMS_PROVIDER``, ``NOTIFY_WECHAT_PROVIDER``): ``console`` writes a log line
with the address masked and makes no network call (the demo), ``none`` switches the channel off. A real
gateway is one more provider class with the same ``send``.

Users choose per kind group (``GROUPS``) and channel; turning the in-platform channel of a group off
mutes the whole group (the system group cannot be muted). Quiet hours (Asia/Shanghai local time) hold
outside deliveries of non-urgent kinds until the quiet hours end; urgent kinds (``URGENT_KINDS``: an
auction won or closing without a sale, being outbid, security notices) go at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

log = logging.getLogger("techbridge.notifications")

IN_APP, EMAIL, SMS, WECHAT = "in_app", "email", "sms", "wechat"
CHANNELS = [
    (IN_APP, pgettext_lazy("notification channel", "In-platform")),
    (EMAIL, pgettext_lazy("notification channel", "E-mail")),
    (SMS, pgettext_lazy("notification channel", "SMS")),
    (WECHAT, pgettext_lazy("notification channel", "WeChat")),
]
CHANNEL_NAMES = [name for name, _label in CHANNELS]

MATCHES, DEALS, CONTRACTS, AUCTIONS, EVENTS, DIGESTS, SYSTEM = (
    "matches",
    "deals",
    "contracts",
    "auctions",
    "events",
    "digests",
    "system",
)
GROUPS = [
    (MATCHES, _("Match recommendations")),
    (DEALS, _("Negotiations and deal rooms")),
    (CONTRACTS, _("Contracts")),
    (AUCTIONS, _("Auctions")),
    (EVENTS, _("Events")),
    (DIGESTS, _("Saved searches and follows")),
    (SYSTEM, _("Reviews, accounts and other notices")),
]
GROUP_NAMES = [name for name, _label in GROUPS]

# What a user has before choosing anything: in-platform and e-mail on, SMS and WeChat opt-in.
DEFAULTS = {IN_APP: True, EMAIL: True, SMS: False, WECHAT: False}

# Kinds that never wait for the end of quiet hours.
URGENT_KINDS = frozenset(
    {"auctions.won", "auctions.reserve_not_met", "auctions.outbid", "auctions.closing", "security"}
)

_PREFIXES = [
    ("match", MATCHES),
    ("deal", DEALS),
    ("room", DEALS),
    ("contract", CONTRACTS),
    ("auction", AUCTIONS),
    ("event", EVENTS),
    ("digest", DIGESTS),
    ("follow", DIGESTS),
]


def group_of(kind: str) -> str:
    """The group a notification kind belongs to (by its prefix); anything else is a system notice."""
    for prefix, group in _PREFIXES:
        if kind.startswith(prefix):
            return group
    return SYSTEM


def is_urgent(kind: str) -> bool:
    return kind in URGENT_KINDS or kind.startswith("security")


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str = ""
    link: str = ""

    def text(self) -> str:
        return f"{self.body}\n\n{self.link}".strip()


class DeliveryError(Exception):
    """A channel could not deliver; the delivery is tried again later."""


@dataclass
class Preferences:
    """A user's choices merged over the defaults (``NotificationPreference`` or none)."""

    choices: dict[str, bool] = field(default_factory=dict)
    quiet_start: time | None = None
    quiet_end: time | None = None
    wechat_openid: str = ""

    def enabled(self, group: str, channel: str) -> bool:
        if group == SYSTEM and channel == IN_APP:
            return True
        if channel != IN_APP and not self.enabled(group, IN_APP):
            return False
        return bool(self.choices.get(f"{group}:{channel}", DEFAULTS.get(channel, False)))

    def quiet_until(self, now: datetime) -> datetime | None:
        """When the quiet hours around ``now`` end, or None outside quiet hours."""
        start, end = self.quiet_start, self.quiet_end
        if start is None or end is None or start == end:
            return None
        local = timezone.localtime(now)
        t = local.time()
        inside = start <= t < end if start < end else (t >= start or t < end)
        if not inside:
            return None
        until = datetime.combine(local.date(), end, tzinfo=local.tzinfo)
        if until <= local:
            until += timedelta(days=1)
        return until


def preferences_for(user: Any) -> Preferences:
    from .models import NotificationPreference

    pk = getattr(user, "pk", None)
    row = NotificationPreference.objects.filter(user_id=pk).first() if pk is not None else None
    if row is None:
        return Preferences()
    return Preferences(dict(row.choices or {}), row.quiet_start, row.quiet_end, row.wechat_openid)


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise one's own number, not enough to read someone else's."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_account(account: str) -> str:
    return account[:3] + "***" if len(account) > 3 else "***"


class Channel(Protocol):
    """One way of reaching a user outside the platform."""

    name: str

    def address(self, user: Any, prefs: Preferences) -> str:
        """Where to send (``""``: the user cannot be reached this way, nothing is recorded)."""

    def shown(self, address: str) -> str:
        """The address as stored and shown (masked where it is personal)."""

    def send(self, recipient: Any, message: Message) -> None:
        """Deliver or raise ``DeliveryError``."""


class EmailChannel:
    name = EMAIL

    def address(self, user: Any, prefs: Preferences) -> str:
        if not getattr(settings, "NOTIFY_BY_EMAIL", True):
            return ""
        return getattr(user, "email", "") or ""

    def shown(self, address: str) -> str:
        return address

    def send(self, recipient: Any, message: Message) -> None:
        try:
            send_mail(message.title[:200], message.text(), None, [recipient.email], fail_silently=False)
        except Exception as exc:  # any backend failure (SMTP, DNS) is retried later
            raise DeliveryError(str(exc)[:500]) from exc


class ConsoleProvider:
    """The demo provider: a log line with the address masked, no network call."""

    def __init__(self, channel: str, mask: Any) -> None:
        self.channel, self.mask = channel, mask

    def send(self, address: str, message: Message) -> None:
        log.info("%s to %s: %s", self.channel, self.mask(address), message.title[:70])


class _ProviderChannel:
    name = ""
    setting = ""

    def provider(self) -> Any:
        chosen = getattr(settings, self.setting, "none")
        return PROVIDERS.get(self.name, {}).get(chosen)

    def address(self, user: Any, prefs: Preferences) -> str:
        raise NotImplementedError

    def shown(self, address: str) -> str:
        return mask_phone(address) if self.name == SMS else mask_account(address)

    def send(self, recipient: Any, message: Message) -> None:
        provider = self.provider()
        if provider is None:
            raise DeliveryError(f"no {self.name} provider configured")
        provider.send(self.address(recipient, preferences_for(recipient)), message)


class SmsChannel(_ProviderChannel):
    name = SMS
    setting = "NOTIFY_SMS_PROVIDER"

    def address(self, user: Any, prefs: Preferences) -> str:
        if self.provider() is None:
            return ""
        return getattr(user, "phone", "") or ""


class WeChatChannel(_ProviderChannel):
    name = WECHAT
    setting = "NOTIFY_WECHAT_PROVIDER"

    def address(self, user: Any, prefs: Preferences) -> str:
        if self.provider() is None:
            return ""
        return prefs.wechat_openid


# Providers per channel by their setting's value; ``none`` (or an unknown name) switches it off.
PROVIDERS: dict[str, dict[str, Any]] = {
    SMS: {"console": ConsoleProvider(SMS, mask_phone)},
    WECHAT: {"console": ConsoleProvider(WECHAT, mask_account)},
}

OUTSIDE: dict[str, Channel] = {EMAIL: EmailChannel(), SMS: SmsChannel(), WECHAT: WeChatChannel()}


def channel(name: str) -> Channel | None:
    return OUTSIDE.get(name)
