"""The HTML of the pages whose content Jinja2 renders, byte for byte (issue 15, ADR 0020).

The snapshots under page_markup/ were made with the Django page templates, before the pages
moved to Jinja2 (KRING_UPDATE_PAGE_SNAPSHOTS=django, which works only while those templates
exist); kring.core.pages.render_page must give the same bytes, the layout included, apart from
the CSRF tokens' values. Each page is rendered from fixed, unsaved objects (the same primary keys
and times on every database and in any order), in Dutch and English, in every state it can show.
After a deliberate change of a page's markup: KRING_UPDATE_PAGE_SNAPSHOTS=jinja2, and review the
snapshots' diff.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from kring.accounts.models import Role, User
from kring.cases.lifecycle import ENDS, State
from kring.cases.models import Assignment, Case
from kring.core.pages import render_page
from kring.referrals.models import Referral

SNAPSHOTS = Path(__file__).parent / "page_markup"
UPDATE = os.environ.get("KRING_UPDATE_PAGE_SNAPSHOTS", "")
LANGUAGES = ["nl", "en"]
# Characters that DTL escapes as &#x27; and &quot; and Jinja2's markupsafe as &#39; and &#34;.
AWKWARD = 'O\'B & "<x>"'


def _aware(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args), datetime.UTC)


def _coordinator() -> User:
    user = User(pk=7, username="carla", first_name="Carla", last_name="Jansen")
    user.role = Role.COORDINATOR
    user.is_verified = lambda: True  # as django_otp's middleware marks a verified sign-in
    return user


def _case(i: int, state: str, *, reference: str | None = None) -> Case:
    referral = Referral(pk=100 + i, reference=reference or f"K{i:03d}-7Q2M")
    case = Case(
        pk=200 + i,
        referral=referral,
        state=state,
        # 25 March 2026 and on: across the change to summer time in Europe/Amsterdam (29 March,
        # 01:00 UTC), and just before midnight UTC, which is the next day in Amsterdam.
        state_changed_at=_aware(2026, 3, 25 + i % 7, 22, 30 + i % 29),
    )
    case.ended = 1 if state in ENDS else 0
    case.waiting = [0, 1, 3][i % 3]
    case.next_step = ["Invite the circle", AWKWARD, ""][i % 3]
    return case


def _offer(i: int, reference: str) -> Assignment:
    case = _case(50 + i, State.REFERRED, reference=reference)
    return Assignment(
        pk=300 + i,
        case=case,
        coordinator_id=7,
        offered_by_id=8,
        status=Assignment.Status.OFFERED,
        offered_at=_aware(2026, 10, 24 + i, 23, 15),  # summer time ends on 25 October
    )


def _page(cases: list[Case], number: int, *, exact: bool = True):
    paginator = Paginator(cases, 25)
    paginator.exact = exact  # as BoundedPaginator says whether it counted the whole list
    return paginator.page(number)


def _my_cases(state: str) -> tuple[str, dict]:
    every_state = [_case(i, s) for i, s in enumerate(State.values)]
    if state == "empty":
        return "", {"page": _page([], 1), "offers": []}
    if state == "offers_only":
        return "", {"page": _page([], 1), "offers": [_offer(1, "Q4Z8-N2K5")]}
    if state == "every_state":
        offers = [_offer(1, "Q4Z8-N2K5"), _offer(2, AWKWARD)]
        return "", {"page": _page(every_state, 1), "offers": offers}
    many = [_case(i, State.PREPARING if i % 2 else State.CLOSED) for i in range(60)]
    if state == "page_2_of_3":
        return "?page=2", {"page": _page(many, 2), "offers": []}
    if state == "page_1_of_more":
        return "", {"page": _page(many, 1, exact=False), "offers": []}
    raise ValueError(state)


MY_CASES_STATES = ["empty", "offers_only", "every_state", "page_2_of_3", "page_1_of_more"]


def _render(url: str, template: str, context: dict, language: str) -> str:
    request = RequestFactory().get(url)
    request.user = _coordinator()
    request.LANGUAGE_CODE = language
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        if UPDATE == "django":
            response = render(request, template, context)
        else:
            response = render_page(request, template, context)
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
        return
    assert path.exists(), f"no snapshot {path.name}: make it with the Django page templates"
    expected = path.read_bytes().decode()
    assert text == expected, f"{path.name} differs from its snapshot"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", MY_CASES_STATES)
def test_my_cases_renders_as_before(state, language):
    query, context = _my_cases(state)
    html = _render(reverse("cases:my_cases") + query, "cases/my_cases.html", context, language)
    check(f"my_cases.{state}.{language}.html", html)


def test_the_snapshots_show_what_they_are_meant_to():
    # A snapshot of an empty page would compare equal to an empty page: each holds its state.
    if UPDATE:
        pytest.skip("making the snapshots")

    def read(name):
        return (SNAPSHOTS / name).read_text(encoding="utf-8")

    assert "You have no cases yet." in read("my_cases.empty.en.html")
    assert "Je hebt nog geen zaken." in read("my_cases.empty.nl.html") or "nog geen" in read(
        "my_cases.empty.nl.html"
    )
    every = read("my_cases.every_state.en.html")
    assert every.count('<span class="tag stopped">') == len(ENDS)
    assert every.count('<span class="tag current">') == len(State.values) - len(ENDS)
    assert "O&#x27;B &amp; &quot;&lt;x&gt;&quot;" in every
    assert "Waiting for you: 3" in every
    assert "Page 2 of 3" in read("my_cases.page_2_of_3.en.html")
    assert "Page 1 of more than 3" in read("my_cases.page_1_of_more.en.html")
    assert 'href="/"' in every or "Kring</a>" in every  # the layout is in the snapshot


def test_one_changed_character_fails():
    if UPDATE:
        pytest.skip("making the snapshots")
    query, context = _my_cases("every_state")
    html = _render(reverse("cases:my_cases") + query, "cases/my_cases.html", context, "en")
    check("my_cases.every_state.en.html", html)
    changed = html.replace("Waiting for you: 3", "Waiting for you: 4", 1)
    with pytest.raises(AssertionError):
        check("my_cases.every_state.en.html", changed)
