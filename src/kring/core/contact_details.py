"""Telephone numbers and e-mail addresses: one check for a work number, and the masks that the
portal shows of a participant's own details (issue 8, point 5).

A page reached by a reusable personal link may be opened by someone else: a partner reading the
mailbox, in a stalking or domestic-violence case. So the portal never shows a current
telephone number, e-mail address or postal address in full: enough for the person to recognise
their own, too little to find them. A postal address shows no part at all (not even the town:
a move to another town is exactly what must not be given away). See docs/security.md.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ELLIPSIS = "\u2026"

# What people type around the digits: spaces, hyphens, dots, brackets ("(0)30", "06-12 34").
_SEPARATORS = re.compile(r"[\s\-.()/]")
# A Dutch number: ten digits from the leading 0 (0800/0900 numbers have 7 to 10 after 0x00);
# an international one: + and 8 to 15 digits (E.164), "+31 (0)30" with its (0) dropped.
_DUTCH = re.compile(r"^0\d{9}$|^0[89]0[069]\d{4,7}$")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{7,14}$")


def phone_digits(value: str) -> str:
    """The number without separators; "+31 (0)30 ..." loses the (0) that is not dialled."""
    value = value.strip().replace("(0)", "")
    return _SEPARATORS.sub("", value)


def validate_phone(value: str) -> None:
    """A Dutch number (030 123 45 67, 06-12345678, 0800 1234) or an international one
    (+31 30 123 45 67); spaces, hyphens and brackets are allowed."""
    digits = phone_digits(value)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not (_DUTCH.match(digits) or _INTERNATIONAL.match(digits)):
        raise ValidationError(
            _("Enter a telephone number like 030 123 45 67, 06 12 34 56 78 or +31 30 123 45 67."),
            code="invalid_phone",
        )


def mask_phone(value: str) -> str:
    """The mask "…93": the last two digits, only when the number has enough digits to hide
    the rest; "…" for a short value, "" for none."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if not value.strip():
        return ""
    if len(digits) < 6:
        return ELLIPSIS
    return ELLIPSIS + digits[-2:]


def _keep_first(part: str) -> str:
    return part[0] + ELLIPSIS if len(part) >= 3 else ELLIPSIS


def _keep_last(part: str) -> str:
    return ELLIPSIS + part[-1] if len(part) >= 3 else ELLIPSIS


def mask_email(value: str) -> str:
    """The mask "d…@…l.nl" for daan@mail.nl: the first letter of the name, the last letter of
    the domain and its ending, each only when the part is long enough to keep the rest hidden."""
    value = value.strip()
    if not value:
        return ""
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return ELLIPSIS
    name, dot, ending = domain.rpartition(".")
    if not dot or not name:
        return _keep_first(local) + "@" + ELLIPSIS
    return f"{_keep_first(local)}@{_keep_last(name)}.{ending}"
