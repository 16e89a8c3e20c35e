"""Issue 8, points 1 and 3, in a real browser, in Dutch, on phones: Sanne stops taking part by a
mis-tap; Carla hears of it at once (her task list, and an e-mail through a real SMTP server that
holds no name and no content), records Sanne's return after a call, and Sanne consents again.
Daan asks Carla a question on his page; Carla answers in Kring; Daan reads the answer. axe-core
checks every page at phone width."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from kring.circle import actions
from kring.circle.models import Answer, Invitation, Mode, Status
from kring.testing import people
from kring.testing.circle_people import add
from tests.browser.conftest import PHONE
from tests.browser.smtp import ReceivedMail
from tests.browser.test_preparation import assigned_to, choose
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Mag mijn moeder mee naar de conferentie?"
ANSWER = "Ja, dat mag. Ik bel je deze week om het te regelen."


def on_a_phone(new_context) -> Page:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def _consent(participant, *, by):
    """Consent obtained by the coordinator on paper: nothing for her task list."""
    actions.give_consent(
        participant,
        mode=Mode.PAPER,
        legal_advice=Answer.NO,
        interpreter=Answer.NO,
        support_person=Answer.NO,
        by=by,
    )


def _prepared(carla, bram):
    """Carla's case in preparation: Daan acknowledged, accepted and consented; Sanne accepted and
    consented. Both hold a personal link (the letter's)."""
    case = actions.start_preparation(assigned_to(carla, office=bram), by=carla)
    daan = add(people.DAAN, case, by=carla)
    actions.record_acknowledgment(
        daan, acknowledges=True, given_at=timezone.now(), mode=Mode.IN_PERSON, by=carla
    )
    sanne = add(people.SANNE, case, by=carla)
    tokens = {}
    for person in (daan, sanne):
        # Both read Dutch, the language this journey is checked in.
        person = actions.update_participant(person, by=carla, language="nl")
        tokens[person.name] = actions.invite(
            person, channel=Invitation.Channel.LETTER, by=carla
        ).token
        person.refresh_from_db()
        actions.respond(person, accepts=True, mode=Mode.PHONE, by=carla)
        _consent(person, by=carla)
    return case, daan, sanne, tokens


def _mails_to(
    server, to: str, subject: str, count: int, *, timeout: float = 10.0
) -> list[ReceivedMail]:
    """The first `count` messages with `subject` delivered to `to`, waiting for them."""
    deadline = time.monotonic() + timeout
    arrived = server._inbox.arrived  # the SMTP server's own condition: no polling
    with arrived:
        while True:
            mails = [
                m for m in server._inbox.messages if to in m.envelope_to and m.subject == subject
            ]
            if len(mails) >= count or time.monotonic() >= deadline:
                assert len(mails) >= count, f"{len(mails)} of {count} mails to {to} arrived"
                return mails[:count]
            arrived.wait(deadline - time.monotonic())


def _holds_nothing(mail: ReceivedMail, *secrets: str) -> None:
    for text in (mail.subject, mail.text, mail.html):
        for secret in secrets:
            assert secret not in text, f"{secret!r} in the e-mail:\n{text}"


def test_a_participant_who_stopped_comes_back_and_a_question_is_answered(
    new_context, live_server, smtp_server, axe, authenticator, bram, carla
):
    case, daan, sanne, tokens = _prepared(carla, bram)

    # --- Sanne, on her phone, stops taking part by a mis-tap ------------------------------
    phone = axe.watch(on_a_phone(new_context))
    phone.goto(reverse("portal:enter", args=[tokens[sanne.name]]))
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        nl("Hello %(name)s", name=people.SANNE.first_name)
    )
    phone.get_by_role("link", name=nl("Stop taking part")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Stop taking part"))
    expect(phone.get_by_text(nl("your coordinator hears this and will get in touch with you;")))
    axe.check(phone)
    # The first button on the page takes her back; nothing changes.
    buttons = phone.locator("main").locator("a.button, button")
    expect(buttons.first).to_have_text(nl("No, I do not want to stop. Go back"))
    buttons.first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        nl("Hello %(name)s", name=people.SANNE.first_name)
    )
    sanne.refresh_from_db()
    assert sanne.status == Status.ACCEPTED
    # Then she does press the red button.
    phone.get_by_role("link", name=nl("Stop taking part")).click()
    phone.get_by_role("button", name=nl("Yes, I stop taking part")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        nl(
            "You have stopped taking part. This took effect at once. Your coordinator hears this "
            "and will get in touch with you. You can take part again later, if you want to."
        )
    )
    axe.check(phone)

    # --- Carla hears of it at once: an e-mail without content, and her task list ----------
    waiting_for_you = nl("Something is waiting for you in Kring")
    [mail] = _mails_to(smtp_server, carla.email, waiting_for_you, 1)
    case_path = reverse("cases:detail", args=[case.pk])
    assert case_path in mail.text
    _holds_nothing(mail, people.SANNE.name, people.SANNE.first_name, case.reference)

    staff = axe.watch(on_a_phone(new_context))
    log_in(staff, carla, authenticator(carla), axe)
    staff.goto(reverse("cases:my_cases"))
    waiting = staff.get_by_role("link", name=nl("Waiting for you: %(n)s", n=1))
    expect(waiting).to_be_visible()
    axe.check(staff)
    waiting.click()
    notices = staff.get_by_role("region", name=nl("Waiting for you"))
    expect(notices).to_contain_text(f"{people.SANNE.name}: {nl('stopped taking part')}")
    axe.check(staff)

    # --- ... calls Sanne, and records that she takes part again ---------------------------
    notices.get_by_role("link", name=nl("Record a return")).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        nl("%(name)s takes part again", name=people.SANNE.name)
    )
    axe.check(staff)
    choose(staff, "How did they tell you?", "By telephone")
    staff.get_by_role("button", name=nl("Record the return")).click()
    expect(staff.get_by_role("status")).to_contain_text(
        nl("%(name)s takes part again. Ask them for consent again.", name=people.SANNE.name)
    )
    expect(staff.get_by_role("region", name=nl("Waiting for you"))).to_have_count(0)
    # The timeline shows both.
    expect(staff.get_by_text(nl("Stopped taking part"), exact=True).first).to_be_visible()
    expect(
        staff.get_by_text(nl("Takes part again (came back after stopping or saying no)")).first
    ).to_be_visible()
    axe.check(staff)

    # --- Sanne's page asks for her consent again, and she gives it ------------------------
    phone.goto(reverse("portal:home"))
    expect(phone.get_by_text(nl("You have said that you will take part."))).to_be_visible()
    phone.get_by_role("link", name=nl("Read the information and give consent")).click()
    choose(phone, "Do you want legal advice?", "No, thank you")
    choose(phone, "Do you want an interpreter?", "No, thank you")
    choose(phone, "Do you want to bring a support person?", "No, thank you")
    phone.get_by_label(nl("I have read the explanation above and I agree to take part.")).check()
    phone.get_by_role("button", name=nl("Give consent")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        nl("Thank you. Your consent has been recorded.")
    )
    axe.check(phone)
    sanne.refresh_from_db()
    assert sanne.consents.count() == 1  # the new one; the one before her return no longer counts

    # --- Daan asks Carla a question on his page --------------------------------------------
    daan_phone = axe.watch(on_a_phone(new_context))
    daan_phone.goto(reverse("portal:enter", args=[tokens[daan.name]]))
    daan_phone.get_by_role("link", name=nl("Ask your coordinator something")).click()
    expect(daan_phone.get_by_role("heading", level=1)).to_have_text(
        nl("Ask your coordinator something")
    )
    axe.check(daan_phone)
    # An empty question gets a clear message.
    daan_phone.get_by_role("button", name=nl("Send my question")).click()
    expect(daan_phone.get_by_role("alert")).to_contain_text(nl("Type your question."))
    axe.check(daan_phone)
    daan_phone.get_by_label(nl("Your question")).fill(QUESTION)
    daan_phone.get_by_role("button", name=nl("Send my question")).click()
    expect(daan_phone.get_by_role("status")).to_contain_text(
        nl("Thank you. Your coordinator has your question and will answer you.")
    )
    expect(daan_phone.get_by_text(nl("Your coordinator has not answered yet."))).to_be_visible()
    axe.check(daan_phone)

    for mail in _mails_to(smtp_server, carla.email, waiting_for_you, 2):
        _holds_nothing(mail, "moeder", people.DAAN.first_name, people.SANNE.first_name)

    # --- Carla reads it on the case page and answers in Kring -----------------------------
    staff.goto(case_path)
    notices = staff.get_by_role("region", name=nl("Waiting for you"))
    expect(notices).to_contain_text(f"{people.DAAN.name}: {nl('asked you a question')}")
    notices.get_by_role("link", name=nl("Read and answer the question")).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        nl("Question from %(name)s", name=people.DAAN.name)
    )
    expect(staff.get_by_text(QUESTION)).to_be_visible()
    axe.check(staff)
    staff.get_by_label(nl("Your answer")).fill(ANSWER)
    staff.get_by_role("button", name=nl("Send the answer")).click()
    expect(staff.get_by_role("status")).to_contain_text(nl("Your answer is recorded."))
    # The question is handled with its answer; Sanne's new consent is still waiting: Carla has
    # seen it, and marks it handled.
    notices = staff.get_by_role("region", name=nl("Waiting for you"))
    expect(notices).not_to_contain_text(nl("asked you a question"))
    expect(notices).to_contain_text(f"{people.SANNE.name}: {nl('gave consent')}")
    axe.check(staff)
    notices.get_by_role("button", name=nl("Mark as handled")).click()
    expect(staff.get_by_role("status")).to_contain_text(nl("The notice is marked as handled."))
    expect(staff.get_by_role("region", name=nl("Waiting for you"))).to_have_count(0)
    axe.check(staff)

    # --- Daan is told there is an answer (not what it is), and reads it on his page ---------
    told = smtp_server.wait_for_mail(people.DAAN.email)
    assert told.subject == nl("Your coordinator has answered your question")
    _holds_nothing(told, ANSWER, "moeder")
    daan_phone.goto(reverse("portal:home"))
    answer = daan_phone.get_by_role("heading", name=nl("Answer from your coordinator"))
    expect(answer).to_be_visible()
    expect(daan_phone.get_by_text(re.compile(re.escape(ANSWER)))).to_be_visible()
    axe.check(daan_phone)

    axe.assert_no_violations()
