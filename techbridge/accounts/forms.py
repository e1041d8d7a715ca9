"""Forms of the accounts pages: sign-up, sign-in with a throttle, profile."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from techbridge.core.client import client_address
from techbridge.lib import credit_code as cc
from techbridge.organizations.choices import District, OrgKind
from techbridge.organizations.forms import ZoneChoiceField
from techbridge.organizations.models import Organization
from techbridge.organizations.validators import validate_credit_code

from . import services
from .models import User

# Government departments and the platform operator are created by operators in the admin.
SIGNUP_KINDS = [(value, label) for value, label in OrgKind.choices if value not in {"government", "operator"}]

ORGANIZATION_FIELDS = ("name", "kind", "credit_code", "district", "zone", "address", "contact_phone")
ACCOUNT_FIELDS = ("username", "real_name", "email", "phone")


def client_ip(request: Any) -> str:
    """The address the sign-in counters count against (behind ``TRUSTED_PROXY_COUNT`` proxies)."""
    return client_address(request)


def lockout_minutes() -> int:
    return max(1, math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60))


class SignUpForm(forms.Form):
    """A new organisation and its first user, who becomes its administrator."""

    name = forms.CharField(label=_("Organisation name"), max_length=200)
    kind = forms.ChoiceField(label=_("Organisation type"), choices=[("", "---------"), *SIGNUP_KINDS])
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("The 18 characters printed on the business licence or registration certificate."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    district = forms.ChoiceField(label=_("District"), choices=[("", "---------"), *District.choices])
    zone = ZoneChoiceField()
    address = forms.CharField(label=_("Address"), max_length=200)
    contact_phone = forms.CharField(
        label=_("Organisation phone"), max_length=40, widget=forms.TextInput(attrs={"type": "tel"})
    )

    username = UsernameField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only; used to sign in."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Password reset links and review results are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not entirely numeric, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def organization_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ORGANIZATION_FIELDS]

    def account_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*ACCOUNT_FIELDS, "password1", "password2")]

    def clean_credit_code(self) -> str:
        code = cc.normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        if Organization.objects.filter(credit_code=code).exists():
            raise ValidationError(
                _(
                    "An organisation with this unified social credit code is already registered; "
                    "ask its administrator to add you."
                ),
                code="credit_code_taken",
            )
        return code

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken; please choose another."), code="username_taken")
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        name, kind = data.get("name"), data.get("kind")
        if name and kind and Organization.objects.filter(name=name.strip(), kind=kind).exists():
            self.add_error(
                "name",
                ValidationError(
                    _(
                        "An organisation of this type with this name is already registered; "
                        "ask its administrator to add you."
                    ),
                    code="organization_taken",
                ),
            )
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error(
                "password2", ValidationError(_("The two passwords differ."), code="password_mismatch")
            )
        elif p2:
            probe = User(
                username=data.get("username") or "",
                email=data.get("email") or "",
                real_name=data.get("real_name") or "",
            )
            try:
                password_validation.validate_password(p2, probe)
            except ValidationError as exc:
                self.add_error("password2", exc)
        return data

    def service_arguments(self) -> dict[str, Any]:
        """What ``accounts.services.sign_up`` takes, from the cleaned data."""
        data = self.cleaned_data
        return {
            "username": data["username"],
            "password": data["password1"],
            "email": data["email"],
            "real_name": data["real_name"],
            "phone": data["phone"],
            "organization": {name: data[name] for name in ORGANIZATION_FIELDS},
        }

    def add_service_error(self, exc: ValidationError) -> None:
        """Show a validation error raised by the service next to the field it concerns."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class LoginForm(AuthenticationForm):
    """Django's sign-in form behind a throttle per username and per client address.

    After ``LOGIN_MAX_ATTEMPTS`` failures for a username even the right password is refused until the
    lockout ends. An address is never locked: past ``LOGIN_MAX_ATTEMPTS_PER_ADDRESS`` failures its further
    failures are answered slowly, and a right password from it still signs in.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "locked": _("Too many failed sign-in attempts. Please try again in %(minutes)s minutes."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if services.login_blocked(username, ip):
            raise self._locked()
        try:
            super().clean()
        except ValidationError as exc:
            if exc.code == "invalid_login":
                services.record_login_failure(username, ip)
                if services.login_blocked(username, ip):
                    raise self._locked() from exc
                services.slow_down(ip)
            raise
        if self.user_cache is not None:
            services.clear_login_failures(username, ip)
        return self.cleaned_data

    def _locked(self) -> ValidationError:
        return ValidationError(
            self.error_messages["locked"], code="locked", params={"minutes": lockout_minutes()}
        )


class ProfileForm(forms.Form):
    """The details a user keeps up to date about themself."""

    real_name = forms.CharField(label=_("Real name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    title = forms.CharField(label=_("Position"), max_length=50, required=False)

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> ProfileForm:
        return cls(data=data, initial={name: getattr(user, name) for name in cls.base_fields})


class ApiTokenForm(forms.Form):
    """Issue a named API token from the account page."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("For example the script or system that will use it."),
    )


class ErasureForm(forms.Form):
    """Ask for one's account to be erased: the password again, and an explicit confirmation."""

    password = forms.CharField(label=_("Your password"), max_length=128, widget=forms.PasswordInput)
    confirm = forms.BooleanField(
        label=_(
            "I understand that after the cooling-off period my account is erased and cannot be restored."
        ),
    )
