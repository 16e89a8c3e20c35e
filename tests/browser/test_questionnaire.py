"""Issue 13, point 1, in a real browser, in Dutch. Sanne (harmed), on her phone, opens her
personal page after the conference, finds the questionnaire waiting, sends it empty (the error
summary, nothing stored), then answers by tapping the labels and is thanked; the panel is gone
from her page. Carla prints the blank questionnaire of the person harmed (the menu hidden in
print) and types in Ria's from paper; the case panel says "op papier ingevuld". axe reports
nothing on any page (the personal pages at phone width and at 320 px); every control on the
personal page is at least 24 px and nothing scrolls sideways. The pages are plain forms and
load no script of their own (the Django client's tests post them without JavaScript)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from kring.circle import links
from kring.circle.models import Participant
from kring.followup.tests.conftest import (  # noqa: F401  (fixtures: pytest finds them by name)
    complete_plan,
    final_version,
    following_up,
)
from kring.research.models import Answer, AnswerRole, Invitation, Remark
from tests.browser.conftest import PHONE
from tests.browser.followup import fits_the_width, targets_are_big_enough
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
REMARK = "Het was spannend, maar ik ben blij dat ik ben gegaan."


def checked(page: Page, axe) -> None:
    axe.check(page)
    targets_are_big_enough(page)
    fits_the_width(page)


def test_sanne_fills_in_the_questionnaire_on_her_phone(
    following_up,  # noqa: F811
    sanne,
    carla,
    new_context,
    axe,
):
    Participant.objects.filter(pk=sanne.pk).update(language="nl")
    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    phone.goto(reverse("portal:enter", args=[links.issue(sanne, by=carla).token]))
    panel = phone.get_by_role("region", name=nl("A short questionnaire waits for you"))
    expect(panel).to_be_visible()
    panel.get_by_role("link", name=nl("Fill in the questionnaire")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Questionnaire"))
    checked(phone, axe)
    phone.set_viewport_size(NARROW)
    checked(phone, axe)
    phone.set_viewport_size(PHONE)

    # Sent empty: the error summary says what to do; nothing is stored.
    phone.get_by_role("button", name=nl("Send my answers")).click()
    expect(phone.get_by_role("alert")).to_contain_text(
        nl("Fill in at least one question before you send the questionnaire.")
    )
    checked(phone, axe)
    assert not Answer.objects.exists()

    satisfied = phone.get_by_role(
        "group", name=nl("Looking back on the conference: how satisfied are you?")
    )
    satisfied.get_by_label(f"5: {nl('very satisfied')}").check()
    phone.get_by_role("group", name=nl("Has the situation been put right?")).get_by_label(
        "4", exact=True
    ).check()
    phone.get_by_role("group", name=nl("I am less afraid.")).get_by_label(nl("Yes")).check()
    phone.get_by_label(
        nl("Is there anything else you want to tell us? (You do not have to.)")
    ).fill(REMARK)
    # The promise under it is true: the manager reads it, with the case.
    expect(
        phone.get_by_text(
            nl(
                "The team's manager reads this and knows which case it is about. "
                "Please do not write anyone's name."
            )
        )
    ).to_be_visible()
    phone.get_by_role("button", name=nl("Send my answers")).click()

    expect(
        phone.get_by_text(nl("You have filled in this questionnaire already. Thank you."))
    ).to_be_visible()
    checked(phone, axe)
    answer = Answer.objects.get()
    assert (answer.satisfied, answer.situation_restored, answer.less_afraid) == (5, 4, "yes")
    assert Remark.objects.get().text == REMARK
    assert Invitation.objects.get(participant=sanne).answered_at is not None

    phone.goto(reverse("portal:home"))
    expect(
        phone.get_by_role("region", name=nl("A short questionnaire waits for you"))
    ).to_have_count(0)
    checked(phone, axe)
    axe.assert_no_violations()


def test_carla_prints_the_blank_questionnaire_and_types_in_rias(
    following_up,  # noqa: F811
    ria,
    carla,
    page: Page,
    axe,
    authenticator,
):
    page = axe.watch(page)
    log_in(page, carla, authenticator(carla), axe)
    page.goto(reverse("cases:detail", args=[following_up.pk]))
    panel = page.get_by_role("region", name=nl("Questionnaires"))
    expect(panel).to_contain_text("Ria Jansen")
    axe.check(page)

    panel.get_by_role("link", name=str(nl(AnswerRole.HARMED.label)), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Questionnaire"))
    expect(page.get_by_text(nl("Has the situation been put right?"))).to_be_visible()
    axe.check(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation").first).to_be_hidden()
    page.emulate_media(media="screen")

    # The second questionnaire, some months later, prints with its own introduction.
    page.goto(reverse("cases:detail", args=[following_up.pk]))
    second = f"{nl(AnswerRole.HARMED.label)} ({nl('second questionnaire')})"
    page.get_by_role("region", name=nl("Questionnaires")).get_by_role("link", name=second).click()
    expect(
        page.get_by_text(nl("A few months ago you were at the conference. How is it now?"))
    ).to_be_visible()
    axe.check(page)

    page.goto(reverse("cases:detail", args=[following_up.pk]))
    page.get_by_role("link", name=re.compile(rf"{nl('Type in from paper')}\W+Ria Jansen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Type in a questionnaire from paper")
    )
    axe.check(page)
    page.get_by_role(
        "group", name=nl("Looking back on the conference: how satisfied are you?")
    ).get_by_label("3", exact=True).check()
    page.get_by_role("button", name=nl("Store the questionnaire")).click()
    expect(page.get_by_role("region", name=nl("Questionnaires"))).to_contain_text(
        nl("filled in on paper")
    )
    axe.check(page)
    invitation = Invitation.objects.get(participant=ria)
    assert invitation.on_paper and Answer.objects.get().satisfied == 3
    axe.assert_no_violations()
