"""Issue 9, the browser journey's steps 1 to 3 (the date poll), in Dutch: Carla proposes three
dates on the poll page; Sanne and Daan answer on their phones (a blank is refused, with the
date named); Joost, a supporter, does not answer; Carla sees the grid with the best date first,
the date Daan cannot make marked as not usable in words, and Joost listed as not answered.
axe reports nothing on these pages, the participant's at phone width."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from kring.circle.models import Participant
from kring.scheduling import poll
from kring.scheduling.models import Meeting, PollAnswer
from kring.scheduling.tests.poll_fixtures import invited_and_accepted, venue_of
from kring.testing.circle_people import daan, daan_acknowledged, joost, sanne
from kring.testing.people import JOOST
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

__all__ = ["daan", "daan_acknowledged", "joost", "sanne"]

pytestmark = pytest.mark.django_db(transaction=True)


def _on_a_phone(new_context) -> Page:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def _in_dutch(option) -> str:
    with translation.override("nl"):
        return poll.describe(option)


def _propose(page: Page, day, starts: str, ends: str) -> None:
    page.get_by_label(nl("Date"), exact=True).fill(day.isoformat())
    page.get_by_label(nl("Start (Dutch time)")).fill(starts)
    page.get_by_label(nl("End (Dutch time)")).fill(ends)
    page.get_by_label(nl("Venue"), exact=True).select_option(label="Buurthuis De Linde (12)")
    page.get_by_role("button", name=nl("Add this date")).click()
    expect(page.get_by_text(nl("The date has been added to the poll."))).to_be_visible()


def _answer(page: Page, option, answer: str) -> None:
    group = page.get_by_role("group", name=_in_dutch(option))
    group.get_by_label(nl(answer), exact=True).check()


def test_carla_proposes_dates_sanne_and_daan_answer_on_their_phones_and_the_grid_ranks_them(
    new_context,
    live_server,
    axe,
    authenticator,
    preparing_case,
    carla,
    team,
    daan_acknowledged,
    sanne,
    joost,
):
    daan = daan_acknowledged
    # Sanne prefers English; this journey is read in Dutch.
    Participant.objects.filter(pk=sanne.pk).update(language="nl")
    tokens = {p.name: invited_and_accepted(p, by=carla) for p in (daan, sanne, joost)}
    venue_of(team)
    first_day = timezone.localdate() + timedelta(days=10)

    # --- 1. Carla proposes three dates ------------------------------------------------------
    coordinator = axe.watch(new_context().new_page())
    log_in(coordinator, carla, authenticator(carla), axe)
    coordinator.goto(reverse("cases:detail", args=[preparing_case.pk]))
    coordinator.get_by_role("link", name=nl("Find a date")).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Finding a date for case %(reference)s", reference=preparing_case.reference)
    )
    axe.check(coordinator)
    for n in range(3):
        _propose(coordinator, first_day + timedelta(days=n), "14:00", "17:00")
    axe.check(coordinator)
    meeting = Meeting.objects.get(case=preparing_case)
    first, second, third = meeting.options.order_by("starts_at")

    # --- 2. Sanne answers on her phone; a blank is not a no ---------------------------------
    phone = axe.watch(_on_a_phone(new_context))
    phone.goto(reverse("portal:enter", args=[tokens[sanne.name]]))
    phone.get_by_role("link", name=nl("Say when you can come")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("When can you come?"))
    axe.check(phone)
    _answer(phone, first, "Yes")
    _answer(phone, second, "Yes")
    phone.get_by_role("button", name=nl("Send my answers")).click()
    expect(phone.get_by_role("group", name=_in_dutch(third))).to_contain_text(
        nl("Give an answer for %(option)s.", option=_in_dutch(third))
    )
    axe.check(phone)
    assert not PollAnswer.objects.filter(participant=sanne).exists()
    _answer(phone, third, "Yes")
    phone.get_by_role("button", name=nl("Send my answers")).click()
    expect(
        phone.get_by_text(nl("Thank you. Your coordinator can see when you can come."))
    ).to_be_visible()
    expect(phone.get_by_role("link", name=nl("Change my answers"))).to_be_visible()
    axe.check(phone)

    # --- ... and Daan on his: the third date he cannot make -----------------------------------
    phone = axe.watch(_on_a_phone(new_context))
    phone.goto(reverse("portal:enter", args=[tokens[daan.name]]))
    phone.get_by_role("link", name=nl("Say when you can come")).click()
    _answer(phone, first, "If need be")
    _answer(phone, second, "Yes")
    _answer(phone, third, "No")
    phone.get_by_role("button", name=nl("Send my answers")).click()
    expect(
        phone.get_by_text(nl("Thank you. Your coordinator can see when you can come."))
    ).to_be_visible()
    # Joost, Daan's brother, does not answer.

    # --- 3. Carla sees the grid: the best date first, the unusable one last, Joost missing ----
    coordinator.reload()
    ranking = coordinator.locator("ol.poll-ranking > li")
    expect(ranking).to_have_count(3)
    expect(ranking.nth(0)).to_have_id(f"option-{second.pk}")
    expect(ranking.nth(1)).to_have_id(f"option-{first.pk}")
    expect(ranking.nth(2)).to_have_id(f"option-{third.pk}")
    expect(ranking.nth(2)).to_contain_text(nl("Cannot be used:"))
    expect(ranking.nth(2)).to_contain_text(nl("%(names)s cannot come.", names=daan.name))
    expect(coordinator.get_by_text(nl("Not answered yet:"))).to_be_visible()
    expect(coordinator.locator("p", has_text=nl("Not answered yet:"))).to_contain_text(JOOST.name)
    axe.check(coordinator)
