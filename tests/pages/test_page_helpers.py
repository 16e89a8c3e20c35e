"""kring.core.pages' own ways of writing a URL and a date give what reverse() and Django's |date
filter give (ADR 0020): the snapshots cover the values of their pages, these cover the edges."""

import datetime
import itertools

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from kring.core import pages

AMSTERDAM_EDGES = [
    # summer time begins (29 March 2026, 01:00 UTC) and ends (25 October 2026, 01:00 UTC)
    datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),
    # the last minute of a year in UTC is the next year in Amsterdam; microseconds; a year < 1000
    datetime.datetime(2026, 12, 31, 23, 59, 30, 123456, tzinfo=datetime.UTC),
    datetime.datetime(999, 5, 2, 7, 5, tzinfo=datetime.UTC),
    datetime.datetime(2026, 5, 1, 9, 7),  # naive
    datetime.date(2026, 2, 3),
    None,
    "",
]
FORMATS = ["c", "j F Y", "j F Y, H:i", "Y-m-d", "DATE_FORMAT", None]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_date_writes_what_the_django_filter_writes(language):
    django_engine = engines["django"]
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        for value, fmt in itertools.product(AMSTERDAM_EDGES, FORMATS):
            source = "{{ value|date }}" if fmt is None else "{{ value|date:fmt }}"
            try:
                expected = django_engine.from_string(source).render({"value": value, "fmt": fmt})
            except TypeError:  # a date formatted with a time: both refuse it the same way
                with pytest.raises(TypeError):
                    pages.date(value, fmt)
                continue
            assert str(pages.date(value, fmt)) == expected, (value, fmt)


def test_the_fast_dates_are_the_ones_used():
    # Otherwise the test above compares Django's filter with itself.
    assert {"c", "j F Y", "j F Y, H:i"} <= set(pages._FORMATS)


URLS = [
    ("cases:detail", (1,)),
    ("cases:detail", (987654321,)),
    ("cases:offer", (42,)),
    ("cases:my_cases", ()),
    ("circle:answer", (3, 17)),
    ("circle:answer", (17, 3)),
    ("circle:answer", (5, 5)),
]


def test_url_writes_what_reverse_writes():
    for name, args in URLS * 2:  # the second time from the pattern kept
        assert pages.url(name, *args) == reverse(name, args=args or None), (name, args)


def test_url_takes_anything_else_to_reverse():
    assert pages.url("cases:detail", "12") == reverse("cases:detail", args=["12"])
    for wrong in (True, -1):  # no number reverse() accepts for <int:pk>: the same refusal
        with pytest.raises(NoReverseMatch):
            reverse("cases:detail", args=[wrong])
        with pytest.raises(NoReverseMatch):
            pages.url("cases:detail", wrong)
