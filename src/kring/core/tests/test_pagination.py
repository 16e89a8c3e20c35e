"""Lists count cheaply (issue 15, point 3): a page counts the rows of its list only up to a few
pages past itself, so that the count costs the same with a hundred rows or a hundred million."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.core.models import RateLimitHit
from kring.core.pagination import COUNT_AHEAD, paginate

pytestmark = pytest.mark.django_db

PER_PAGE = 5
# Page 1 counts up to this many rows (and one more, to know whether there are more).
LIMIT = (1 + COUNT_AHEAD) * PER_PAGE


def _rows(n):
    now = timezone.now()
    RateLimitHit.objects.bulk_create(
        RateLimitHit(key=f"k{i:05d}", window_start=now) for i in range(n)
    )
    return RateLimitHit.objects.order_by("key")


def _page(rows, number=None):
    request = RequestFactory().get("/", {} if number is None else {"page": number})
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(request, rows, per_page=PER_PAGE)
        keys = [row.key for row in page]
    return page, keys, [q["sql"] for q in ctx.captured_queries]


def test_a_short_list_is_counted_exactly():
    page, keys, _ = _page(_rows(12), 2)
    assert page.paginator.exact and page.paginator.count == 12
    assert page.paginator.num_pages == 3
    assert keys == ["k00005", "k00006", "k00007", "k00008", "k00009"]
    assert page.has_next() and page.has_previous()


def test_the_count_stops_a_few_pages_past_the_page_asked_for():
    page, keys, queries = _page(_rows(LIMIT + 40))
    count = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert len(count) == 1 and f"LIMIT {LIMIT + 1}" in count[0]
    assert not page.paginator.exact
    assert page.paginator.num_pages == 1 + COUNT_AHEAD  # "more than" this many pages
    assert keys == [f"k{i:05d}" for i in range(PER_PAGE)]
    assert page.has_next() and page.next_page_number() == 2


def test_the_next_link_leads_on_past_what_page_1_counted():
    rows = _rows(LIMIT + 40)
    number = COUNT_AHEAD + 3  # past the first page's count
    page, keys, _ = _page(rows, number)
    assert page.number == number
    assert keys == [f"k{i:05d}" for i in range((number - 1) * PER_PAGE, number * PER_PAGE)]
    assert page.has_next() and page.has_previous()


def test_near_the_end_the_last_page_is_known_again():
    total = LIMIT + 40
    rows = _rows(total)
    last = -(-total // PER_PAGE)
    page, keys, _ = _page(rows, last - 1)
    assert page.paginator.exact and page.paginator.num_pages == last
    assert page.has_next()
    page, keys, _ = _page(rows, last)
    assert not page.has_next() and keys == [
        f"k{i:05d}" for i in range((last - 1) * PER_PAGE, total)
    ]


@pytest.mark.parametrize("number", ["-1", "0", "abc", "1e9", "last", "99999999999999999999"])
def test_any_page_number_gives_a_page(number):
    rows = _rows(LIMIT + 40)
    page, keys, _ = _page(rows, number)
    assert keys  # a bad or too high number gives the nearest page that exists, as in Django
    if number == "99999999999999999999":
        assert not page.has_next() and page.paginator.exact
    else:
        assert page.number == 1
