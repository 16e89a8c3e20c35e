"""A long list counts only a few pages ahead (issue 15, point 3; kring.core.pagination): the team
list with more cases than page 1 counts says "more than", and its next link leads on."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.cases.lifecycle import State
from kring.cases.tests.test_query_counts import _bulk_cases
from kring.core.pagination import COUNT_AHEAD, PER_PAGE

COUNTED = (1 + COUNT_AHEAD) * PER_PAGE  # what page 1 counts at most


def _get(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:team_cases"), params)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def _references(html):
    return re.findall(r">(K-B\d{3}-ASSI\d+)</a>", html)


def test_the_team_list_counts_a_few_pages_ahead_and_leads_on_past_them(as_user, mira):
    _bulk_cases(COUNTED + 30, state=State.ASSIGNED, team=mira.team)
    client = as_user(mira)
    html, queries = _get(client)
    counts = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert len(counts) == 1 and f"LIMIT {COUNTED + 1}" in counts[0]
    assert f"Page 1 of more than {1 + COUNT_AHEAD}" in html
    assert 'href="?page=2" rel="next"' in html
    assert len(_references(html)) == PER_PAGE

    total = COUNTED + 30
    last = -(-total // PER_PAGE)
    assert last > 1 + COUNT_AHEAD  # past what page 1 counted
    html, _ = _get(client, page=last - 1)
    assert f"Page {last - 1} of {last}" in html  # the end is in reach: the last page is known
    assert f'href="?page={last}" rel="next"' in html
    html, _ = _get(client, page=last)
    assert f'href="?page={last - 1}" rel="prev"' in html and 'rel="next"' not in html
    assert len(_references(html)) == total - (last - 1) * PER_PAGE


def test_a_short_list_names_its_last_page(as_user, mira):
    _bulk_cases(PER_PAGE + 1, state=State.ASSIGNED, team=mira.team)
    html, _ = _get(as_user(mira))
    assert "Page 1 of 2" in html and "more than" not in html
