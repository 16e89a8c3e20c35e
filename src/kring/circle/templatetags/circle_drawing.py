"""The circle drawing's numbers (circle/_drawing.html): `tenths` writes a coordinate as
Django's `floatformat:"1u"` does (one decimal, half up, no locale), at a fraction of its cost:
the drawing writes some five hundred numbers a page (issue 15)."""

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

_TENTH = Decimal("0.1")


@register.filter(is_safe=True)
def tenths(value) -> str:
    """`value|floatformat:"1u"`, the same text (circle/tests/test_drawing.py compares them)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return floatformat(value, "1u")
    try:
        rounded = Decimal(str(value)).quantize(_TENTH, ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: floatformat copes
        return floatformat(value, "1u")
    return f"{rounded if rounded else abs(rounded):f}"  # no "-0.0", as floatformat
