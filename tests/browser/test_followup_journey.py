"""Issue 12, "How it is checked", in a real browser, in Dutch: Carla's case after everyone signed
the plan. Sanne, on her phone, reports on her personal page that an agreement is not kept;
Carla hears of it at once (an e-mail through a real SMTP server without content, "Wacht op jou"
on the case page) and answers on the tracker; Sanne is told that an answer waits (again without
content) and reads the answer and the agreement's state. Daan reports another agreement done on
his page and Carla confirms it: it is "Gedaan" on the tracker and on his page. Carla closes the
case with its outcome; afterwards the tracker has no forms and a POST made anyway (a state,
closing again) is refused and changes nothing. axe reports nothing on any page, the personal
pages at phone width (and at 320 px) included; controls are at least 24 px, reachable with the
keyboard."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext
from playwright.sync_api import Page, expect

from kring.cases.lifecycle import State
from kring.circle import links
from kring.circle.models import Participant
from kring.followup import queries
from kring.followup.models import AgreementState, Closure, Outcome, Report, TrackedAgreement
from kring.followup.tests.conftest import (  # noqa: F401  (fixtures: pytest finds them by name)
    bike,
    complete_plan,
    final_version,
    following_up,
    school,
)
from kring.testing import people
from tests.browser.conftest import PHONE
from tests.browser.followup import (
    fits_the_width,
    neutral,
    post_as_the_page,
    targets_are_big_enough,
)
from tests.browser.smtp import ReceivedMail
from tests.browser.test_keyboard import tab_to
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
INVOKED = "Daan fietste gisteren weer langs mijn school. Ik schrok ervan."
ANSWER = "Ik bel Daan vandaag en spreek met hem af welke weg hij fietst."
DONE = "Ik heb Sanne het geld voor de fiets overgemaakt."
CONFIRMED = "Sanne heeft het geld gekregen. Dank je wel."
CLOSING_NOTE = "De fiets is terugbetaald; over de school praten Daan en Sanne nog met elkaar."


def nl_button(msgid: str) -> str:
    """A button's words in Dutch (its msgid has the context "button")."""
    with translation.override("nl"):
        return pgettext("button", msgid)


def on_a_phone(new_context) -> Page:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def holds_nothing(mail: ReceivedMail, *secrets: str) -> None:
    for text in (mail.subject, mail.text, mail.html):
        for secret in secrets:
            assert secret not in text, f"{secret!r} in the e-mail:\n{text}"


def checked(page: Page, axe) -> None:
    """axe, the size of the targets, no sideways scrolling and neutral words (R15), on the page
    as it is now."""
    axe.check(page)
    targets_are_big_enough(page)
    fits_the_width(page)
    neutral(page)


def agreement(page: Page, number: int, role: str = "region"):
    """Agreement `number` on the page: a region on the personal page, an article on the
    tracker, named by its heading."""
    return page.get_by_role(role, name=nl("Agreement %(number)s", number=number))


def test_an_agreement_invoked_and_one_done_then_the_case_closed(
    following_up,  # noqa: F811
    bike,  # noqa: F811
    school,  # noqa: F811
    daan,
    sanne,
    carla,
    mira,
    smtp_server,
    new_context,
    axe,
    authenticator,
):
    case = following_up
    # Sanne reads English elsewhere (the signing journey); this journey is read in Dutch.
    Participant.objects.filter(pk=sanne.pk).update(language="nl")
    case_path = reverse("cases:detail", args=[case.pk])
    tracker_path = reverse("followup:tracker", args=[case.pk])
    not_kept = str(nl(AgreementState.NOT_KEPT.label))
    done = str(nl(AgreementState.DONE.label))

    # --- Sanne, on her phone, says that the agreement about her school is not kept ----------
    phone = axe.watch(on_a_phone(new_context))
    phone.goto(reverse("portal:enter", args=[links.issue(sanne, by=carla).token]))
    panel = phone.get_by_role("region", name=nl("The agreements"))
    expect(panel).to_be_visible()
    checked(phone, axe)
    panel.get_by_role("link", name=nl("See the agreements")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("The agreements"))
    checked(phone, axe)
    phone.set_viewport_size(NARROW)
    checked(phone, axe)
    phone.set_viewport_size(PHONE)
    card = agreement(phone, school.number)
    expect(card).to_contain_text(school.what)
    # Not hers to report done; hers to invoke, with the keyboard alone.
    expect(card.get_by_text(nl("I have done this"))).to_have_count(0)
    tab_to(phone, card.get_by_text(nl("Say that this does not happen as agreed")))
    phone.keyboard.press("Enter")
    # Sent empty: a clear message, and nothing reaches Carla.
    tab_to(phone, card.get_by_role("button", name=nl("Send to your coordinator")))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("alert")).to_contain_text(
        nl("Tell in your own words what is not going well.")
    )
    checked(phone, axe)
    assert not Report.objects.exists()
    card = agreement(phone, school.number)
    tab_to(phone, card.get_by_label(nl("Tell in your own words what is not going well")))
    phone.keyboard.type(INVOKED)
    checked(phone, axe)
    tab_to(phone, card.get_by_role("button", name=nl("Send to your coordinator")))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("status")).to_contain_text(
        nl("Your coordinator has received your message.")
    )
    card = agreement(phone, school.number)
    expect(card).to_contain_text(INVOKED)
    expect(card).to_contain_text(nl("No answer yet."))
    checked(phone, axe)
    [report] = Report.objects.filter(tracked=school, kind=Report.Kind.NOT_KEPT)
    assert (report.participant, report.text) == (sanne, INVOKED)

    # --- Carla hears of it at once: an e-mail without content, and "Wacht op jou" -----------
    mail = smtp_server.wait_for_subject(carla.email, nl("Something is waiting for you in Kring"))
    assert case_path in mail.text
    holds_nothing(mail, INVOKED, people.SANNE.name, people.SANNE.first_name, case.reference)

    staff = axe.watch(new_context().new_page())
    log_in(staff, carla, authenticator(carla), axe)
    staff.goto(reverse("cases:my_cases"))
    waiting = staff.get_by_role("link", name=nl("Waiting for you: %(n)s", n=1))
    expect(waiting).to_be_visible()
    checked(staff, axe)
    waiting.click()
    notices = staff.get_by_role("region", name=nl("Waiting for you"))
    expect(notices).to_contain_text(people.SANNE.name)
    checked(staff, axe)
    staff.get_by_role("link", name=nl("Open the agreements")).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        nl("Agreements, case %(reference)s", reference=case.reference)
    )
    checked(staff, axe)
    row = agreement(staff, school.number, "article")
    expect(row).to_contain_text(INVOKED)

    # --- ... and answers, recording the agreement's state as well -------------------------
    # Without an answer: a clear message, and the report still waits.
    row.get_by_role("button", name=nl_button("Answer"), exact=True).click()
    expect(staff.get_by_role("alert")).to_contain_text(nl("Type your answer."))
    checked(staff, axe)
    report.refresh_from_db()
    assert report.answered_at is None
    row = agreement(staff, school.number, "article")
    tab_to(staff, row.get_by_label(nl("Your answer")))
    staff.keyboard.type(ANSWER)
    row.get_by_label(nl("State of the agreement")).select_option(label=not_kept)
    tab_to(staff, row.get_by_role("button", name=nl_button("Answer"), exact=True))
    staff.keyboard.press("Enter")
    expect(staff.get_by_role("status")).to_contain_text(
        nl("Your answer is saved. %(name)s reads it on their personal page.", name=sanne.name)
    )
    expect(agreement(staff, school.number, "article")).to_contain_text(not_kept)
    checked(staff, axe)
    staff.goto(case_path)
    expect(staff.get_by_role("region", name=nl("Waiting for you"))).to_have_count(0)
    checked(staff, axe)

    # --- Mira, the team's manager, reads the agreements past their date, on her phone too ----
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=queries.today() - timedelta(days=3))
    manager = axe.watch(new_context().new_page())
    log_in(manager, mira, authenticator(mira), axe)
    manager.goto(reverse("followup:overdue"))
    expect(manager.get_by_role("heading", level=1)).to_have_text(nl("Agreements past their date"))
    overdue = manager.get_by_role("table", name=nl("Agreements past their date"))
    expect(overdue.get_by_role("link", name=case.reference)).to_be_visible()
    expect(overdue).to_contain_text(str(nl(AgreementState.OPEN.label)))
    checked(manager, axe)
    manager.set_viewport_size(PHONE)
    checked(manager, axe)
    manager.set_viewport_size(NARROW)
    checked(manager, axe)

    # --- Sanne is told that an answer waits, and reads it with the state ------------------
    told = smtp_server.wait_for_subject(people.SANNE.email, nl("Your coordinator has answered you"))
    holds_nothing(told, ANSWER, INVOKED, people.DAAN.first_name)
    phone.goto(reverse("portal:home"))
    phone.get_by_role("region", name=nl("The agreements")).get_by_role(
        "link", name=nl("Read the answer")
    ).click()
    card = agreement(phone, school.number)
    expect(card).to_contain_text(ANSWER)
    expect(card).to_contain_text(not_kept)
    checked(phone, axe)

    # --- Daan reports on his phone that he repaid the bike ---------------------------------
    daan_phone = axe.watch(on_a_phone(new_context))
    daan_phone.goto(reverse("portal:enter", args=[links.issue(daan, by=carla).token]))
    daan_phone.get_by_role("region", name=nl("The agreements")).get_by_role(
        "link", name=nl("See the agreements")
    ).click()
    checked(daan_phone, axe)
    card = agreement(daan_phone, bike.number)
    # His own agreement: he reports it done, he does not invoke it.
    expect(card.get_by_text(nl("Say that this does not happen as agreed"))).to_have_count(0)
    card.get_by_text(nl("I have done this")).click()
    card.get_by_label(nl("Tell briefly what you have done")).fill(DONE)
    checked(daan_phone, axe)
    card.get_by_role("button", name=nl("Send to your coordinator")).click()
    expect(daan_phone.get_by_role("status")).to_contain_text(
        nl("Your coordinator has received your message.")
    )
    checked(daan_phone, axe)

    # --- Carla confirms it: the agreement is done --------------------------------------------
    staff.goto(tracker_path)
    row = agreement(staff, bike.number, "article")
    expect(row).to_contain_text(DONE)
    row.get_by_label(nl("A few words for the participant")).fill(CONFIRMED)
    row.get_by_role("button", name=nl("Confirm"), exact=True).click()
    expect(staff.get_by_role("status")).to_contain_text(
        nl("Confirmed: agreement %(number)s is done.", number=bike.number)
    )
    expect(agreement(staff, bike.number, "article")).to_contain_text(done)
    checked(staff, axe)
    daan_phone.goto(reverse("followup:portal"))
    card = agreement(daan_phone, bike.number)
    expect(card).to_contain_text(done)
    expect(card).to_contain_text(CONFIRMED)
    checked(daan_phone, axe)

    # --- Carla closes the case with its outcome --------------------------------------------
    staff.goto(case_path)
    staff.get_by_role("link", name=nl("Close the case")).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        nl("Close case %(reference)s", reference=case.reference)
    )
    checked(staff, axe)
    staff.get_by_role("radio", name=str(nl(Outcome.PARTLY_KEPT.label))).check()
    staff.get_by_label(nl("Closing note")).fill(CLOSING_NOTE)
    staff.get_by_role("button", name=nl("Close the case")).click()
    expect(staff.get_by_role("status")).to_contain_text(
        nl("The case is closed: %(outcome)s.", outcome=nl(Outcome.PARTLY_KEPT.label))
    )
    closed = staff.get_by_role("region", name=nl("Closed"))
    expect(closed).to_contain_text(str(nl(Outcome.PARTLY_KEPT.label)))
    expect(closed).to_contain_text(CLOSING_NOTE)
    checked(staff, axe)
    closure = Closure.objects.get(case=case)
    assert (closure.outcome, closure.note) == (Outcome.PARTLY_KEPT, CLOSING_NOTE)

    # --- ... and cannot change it afterwards: no forms, and a POST anyway is refused --------
    staff.goto(tracker_path)
    expect(
        staff.get_by_text(
            nl("This case is closed. The agreements can be read; nothing can be changed any more.")
        )
    ).to_be_visible()
    expect(staff.locator("main form")).to_have_count(0)
    checked(staff, axe)
    # Before closing, Carla could have set the bike back to open; now the action refuses, and
    # the page says why.
    why = nl(
        "This step is not possible while the case is “%(state)s”.",
        state=nl(State.CLOSED.label),
    )
    refused = post_as_the_page(
        staff,
        reverse("followup:set_state", args=[case.pk, bike.pk]),
        {"state": AgreementState.OPEN, "note": "Toch nog niet klaar."},
    )
    assert refused.status == 400 and why in unescape(refused.text())
    # What she typed is not lost: the page shows it, read-only.
    assert "Toch nog niet klaar." in unescape(refused.text())
    again = post_as_the_page(
        staff,
        reverse("followup:close", args=[case.pk]),
        {"outcome": Outcome.ALL_KEPT, "note": "Toch alles nagekomen."},
    )
    assert again.status == 200 and why in unescape(again.text())
    bike.refresh_from_db()
    closure.refresh_from_db()
    assert bike.state == AgreementState.DONE
    assert (closure.outcome, closure.note) == (Outcome.PARTLY_KEPT, CLOSING_NOTE)
    # Sanne's page still shows the agreements, without forms.
    phone.goto(reverse("followup:portal"))
    expect(agreement(phone, school.number)).to_contain_text(ANSWER)
    expect(phone.locator("main form")).to_have_count(0)
    checked(phone, axe)

    axe.assert_no_violations()
