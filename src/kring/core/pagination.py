"""Pages of a list (issue 15, point 3: lists count cheaply; docs/adr/0018-lists-count-ahead.md).

Django's Paginator counts the whole list on every page view (`SELECT COUNT(*)` over every row
the filters let through): on the access log of a large team, tens of millions of rows. Here a
page counts at most up to COUNT_AHEAD pages past itself, with one `COUNT(*)` over a
`LIMIT` subquery. A list that ends within that reach shows its last page ("Page 3 of 7"); a
longer one shows "Page 3 of more than 13" and a next link, which leads on. The count's cost is
then bounded by the page asked for, as is the `OFFSET` of the page's own query, never by the
size of the list.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PER_PAGE = 25
# How many pages past the one asked for are counted.
COUNT_AHEAD = 10
# A page number so high that counting up to it would overflow SQL's 64-bit LIMIT counts the
# whole list instead (and gives its last page, as Django does for a number past the end).
_MOST = 10**15


class BoundedPaginator(Paginator):
    """A Paginator whose count stops `ahead` pages past page `number`: `exact` says whether
    the count (and so `num_pages`) is the whole list's; otherwise it is a lower bound."""

    def __init__(self, object_list, per_page: int, *, number: int, ahead: int = COUNT_AHEAD):
        super().__init__(object_list, per_page)
        self.limit = min((number + ahead) * per_page, _MOST)
        self.exact = True

    @cached_property
    def count(self) -> int:
        # SELECT COUNT(*) FROM (SELECT ... LIMIT limit + 1): one row more says there are more.
        # Unordered: how many rows there are does not depend on their order, and without the
        # ORDER BY the database stops reading at the limit instead of sorting every row first.
        counted = self.object_list.order_by()[: self.limit + 1].count()
        if counted > self.limit:
            self.exact = False
            return self.limit
        return counted


def _asked(number) -> int:
    """The page number asked for; 1 when it is not one, or below 1 (Django would give the last
    page, which a bounded count does not know)."""
    try:
        return max(1, int(number))
    except (TypeError, ValueError):
        return 1


def paginate(request, queryset, per_page: int = PER_PAGE):
    """One page of `queryset`; a bad or too high page number gives the nearest valid page."""
    number = _asked(request.GET.get("page"))
    return BoundedPaginator(queryset, per_page, number=number).get_page(number)
