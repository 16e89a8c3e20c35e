"""The days Kring knows, defined once (issue 14, finding 3): every date or date and time that
someone types or puts in a URL (a filter, a conversation, an acknowledgment, a return, the
figures, an imported conference) lies between FIRST_DAY and LAST_DAY. Kring's method is younger
than 1990, and a date after 2100 is a typing mistake. Outside them a date is refused with a
message at the field, never handed to date arithmetic or the database: the year 1 at midnight in
Amsterdam lies before the year 1 in UTC, and 9999-12-31 has no next day (an OverflowError, a
500)."""

from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)

# The messages name the years of FIRST_DAY and LAST_DAY (test_dates.py keeps them in step).
DAY_OUT_OF_RANGE = _("Enter a date between 1990 and 2100, for example 2026-11-26.")
MOMENT_OUT_OF_RANGE = _(
    "Enter a date and time between 1990 and 2100, for example 14-03-2026 15:30."
)


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months (fewer when negative); a day the month lacks becomes
    its last day (31 March plus one month is 30 April; 29 February plus a year is 28 February).
    Retention, the second questionnaire and the closure's retention date count with it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def known_day(day: date) -> bool:
    """Whether `day` (or the day of a date and time) lies within Kring's days."""
    if isinstance(day, datetime):
        day = day.date()
    return FIRST_DAY <= day <= LAST_DAY


def check_day(day: date | None) -> date | None:
    """A form's clean step for a date: the day itself, or a ValidationError at the field."""
    if day is not None and not known_day(day):
        raise forms.ValidationError(DAY_OUT_OF_RANGE, code="range")
    return day


def check_moment(moment: datetime | None) -> datetime | None:
    """The same for a date and time, as typed (before it is turned into UTC)."""
    if moment is not None and not known_day(moment):
        raise forms.ValidationError(MOMENT_OUT_OF_RANGE, code="range")
    return moment


def day_input_attrs() -> dict[str, str]:
    """What an <input type="date"> says of the bounds, so that a browser's date picker keeps to
    them too (the server checks anyway)."""
    return {"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
