"""Validation of organisation data."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from techbridge.lib import credit_code

_MESSAGES = {
    "length": _("A unified social credit code has exactly 18 characters."),
    "characters": _(
        "A unified social credit code uses only digits and capital letters except I, O, Z, S and V."
    ),
    "check": _("The check character of this unified social credit code is wrong; please check the code."),
}


def validate_credit_code(value: str) -> None:
    """Reject a 统一社会信用代码 that does not satisfy GB 32100-2015."""
    problem = credit_code.problem(credit_code.normalise(value))
    if problem:
        raise ValidationError(_MESSAGES[problem], code=f"credit_code_{problem}")
