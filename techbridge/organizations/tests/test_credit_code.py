"""The unified social credit code (GB 32100-2015) helpers and validator."""

import pytest
from django.core.exceptions import ValidationError

from techbridge.lib import credit_code
from techbridge.organizations.validators import validate_credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_real_world_codes_are_valid(code):
    assert credit_code.problem(code) is None
    assert credit_code.is_valid(code)
    assert credit_code.check_character(code[:17]) == code[17]
    validate_credit_code(code)


def test_normalise_drops_spaces_and_dashes_and_upper_cases():
    assert credit_code.normalise(" 9135 0100-m000 100y43 ") == "91350100M000100Y43"
    assert credit_code.is_valid("9135 0100 m000 100y43")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y431", "length"),
        ("", "length"),
        ("91350100M000100I43", "characters"),
        ("91350100M000100O43", "characters"),
        ("9135010ZM000100Y43", "characters"),
        ("91350100M000100Y44", "check"),
        ("91110000802100433C", "check"),
    ],
)
def test_bad_codes_say_what_is_wrong(code, problem):
    assert credit_code.problem(code) == problem
    assert not credit_code.is_valid(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "exactly 18 characters"),
        ("91350100M000100I43", "except I, O, Z, S and V"),
        ("91350100M000100Y44", "check character"),
    ],
)
def test_validator_message_is_plain(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert message in exc.value.messages[0]


def test_check_character_of_zero_remainder_is_zero():
    # A body whose weighted sum is a multiple of 31 gets "0", not an out-of-range index.
    assert credit_code.check_character("0" * 17) == "0"
