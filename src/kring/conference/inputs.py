"""What the conference's pages accept from a request, checked once (issue 10 review): a whole
number from a form field or the address, and typed text without a NUL character (which
PostgreSQL cannot store: a 500 instead of a message at the field). The plan's saves check their
text with `nul_refused`; the round note (conference.actions.mark_round_done) may call it too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

NUL = "\x00"
NUL_MESSAGE = gettext_lazy("This text contains a character that cannot be saved. Remove it.")


def whole_number(raw: object) -> int | None:
    """`raw` as a whole number (0-9 only, as typed or sent), or None for anything else: a
    missing value, letters, a sign, or digits of other scripts ("²", "٣") that str.isdigit
    accepts but int() does not."""
    if not isinstance(raw, str) or not raw or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)


def nul_refused(value: object) -> bool:
    """True when the text carries a NUL character."""
    return isinstance(value, str) and NUL in value
