"""Password rules with messages in the platform's catalogue.

Django 5.2 words the minimum-length message "… at least %d characters", which Django's own Chinese
catalogue does not have yet (it has the older "%(min_length)d" wording), so Chinese readers were told in
English (issue 20 point 12). This validator keeps Django's rule and says it in our words.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min)d character.",
            "This password is too short: it must have at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must have at least %(min)d character.",
            "Your password must have at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}
