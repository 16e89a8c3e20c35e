"""Issue 3's journey, in a real browser: Carla prepares the circle in the order the method
demands (the responsible side acknowledges first, R3-R5), invites everyone by e-mail, and the
participants answer in the portal on their phones. axe-core checks every page, the portal's at
phone width."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from kring.cases import actions as case_actions
from kring.circle.models import Participant, Status
from kring.testing import people
from kring.testing.factories import ReferralFactory
from tests.browser.conftest import PHONE
from tests.browser.smtp import ReceivedMail
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The people of kring.testing.people: their names, e-mail addresses, relations and wishes. Carla
# leaves everyone's language at Dutch, the language this journey is checked in.
DAAN, JOOST = people.DAAN.name, people.JOOST.name
SANNE, ELLEN, RIA = people.SANNE.name, people.ELLEN.name, people.RIA.name
CONVERSATION_NOTES = "Daan wil uitleggen hoe het kwam en de fiets vergoeden."
R4 = (
    "No one on the harmed side can be invited until at least one person responsible "
    "has acknowledged their part."
)
PERSONAL_LINK = re.compile(r"https?://\S+?(/p/[A-Za-z0-9_-]{40,}/)")


def test_the_circle_is_prepared_in_the_order_of_the_method_and_answered_in_the_portal(
    new_context, live_server, smtp_server, axe, authenticator, bram, carla
):
    case = assigned_to(carla, office=bram)

    # --- Carla starts the preparation from the case page --------------------------------
    coordinator = axe.watch(new_context().new_page())
    log_in(coordinator, carla, authenticator(carla), axe)
    coordinator.goto(reverse("cases:detail", args=[case.pk]))
    axe.check(coordinator)
    coordinator.get_by_role("button", name=nl("Start the preparation")).click()

    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("The circle of case %(ref)s", ref=case.reference)
    )
    expect(coordinator.get_by_role("status")).to_contain_text(
        nl("The preparation has started. Begin with the person responsible.")
    )
    axe.check(coordinator)

    # --- Daan, Sanne and their circles --------------------------------------------------
    add_person(coordinator, axe, people.DAAN, side="Responsible")
    add_to_circle_of(coordinator, axe, DAAN, people.JOOST)
    add_person(coordinator, axe, people.SANNE, side="Harmed")
    add_to_circle_of(coordinator, axe, SANNE, people.ELLEN)
    # Until Daan acknowledges, the page says that the harmed side must wait.
    expect(coordinator.get_by_role("note")).to_contain_text(
        nl("No one on the harmed side can be invited yet.")
    )

    # --- Inviting Sanne before Daan has acknowledged is not offered: her panel says why (R4);
    # the invitation page itself, opened anyway, refuses with the same reason ---
    expect(person_link(coordinator, "Invite", SANNE)).to_have_count(0)
    sanne_panel = coordinator.locator(".panel", has_text=SANNE).filter(
        has=coordinator.get_by_role("heading", name=SANNE)
    )
    expect(sanne_panel.first).to_contain_text(nl("Not possible yet:"))
    expect(sanne_panel.first).to_contain_text(nl(R4))
    sanne_id = case.participants.get(name=SANNE).pk
    coordinator.goto(live_server.url + reverse("circle:invite", args=[case.pk, sanne_id]))
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Invite %(name)s", name=SANNE)
    )
    expect(coordinator.get_by_role("note")).to_contain_text(nl(R4))
    expect(coordinator.get_by_role("button", name=nl("Send the invitation"))).to_have_count(0)
    axe.check(coordinator)
    coordinator.get_by_role("link", name=nl("Back to the circle")).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("The circle of case %(ref)s", ref=case.reference)
    )
    axe.check(coordinator)
    assert_status(coordinator, SANNE, Status.TO_INVITE)

    # --- A preparatory conversation with Daan, and his acknowledgment (R7, R3) ----------
    person_link(coordinator, "Record a conversation", DAAN).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Preparatory conversation with %(name)s", name=DAAN)
    )
    axe.check(coordinator)
    choose(coordinator, "How", "In person")
    coordinator.get_by_label(nl("Short notes")).fill(CONVERSATION_NOTES)
    coordinator.get_by_role("button", name=nl("Record the conversation")).click()
    expect(coordinator.get_by_role("status")).to_contain_text(
        nl("The conversation with %(name)s is recorded.", name=DAAN)
    )
    axe.check(coordinator)

    person_link(coordinator, "Record acknowledgment", DAAN).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Acknowledgment of %(name)s", name=DAAN)
    )
    axe.check(coordinator)
    choose(coordinator, "Does the person acknowledge their part?", "Yes, acknowledges their part")
    choose(coordinator, "How", "In person")
    coordinator.get_by_role("button", name=nl("Record"), exact=True).click()
    expect(coordinator.get_by_role("status")).to_contain_text(
        nl("%(name)s acknowledges their part: they can now be invited.", name=DAAN)
    )
    expect(
        coordinator.get_by_text(nl("No one on the harmed side can be invited yet."))
    ).to_have_count(0)
    axe.check(coordinator)

    # --- Everyone is invited by e-mail --------------------------------------------------
    for name in (DAAN, JOOST, SANNE, ELLEN):
        person_link(coordinator, "Invite", name).click()
        expect(coordinator.get_by_role("heading", level=1)).to_have_text(
            nl("Invite %(name)s", name=name)
        )
        axe.check(coordinator)
        choose(coordinator, "How do you send the invitation?", "By e-mail, with the personal link")
        coordinator.get_by_role("button", name=nl("Send the invitation")).click()
        expect(coordinator.get_by_role("status")).to_contain_text(
            nl("The invitation is sent to %(name)s by e-mail.", name=name)
        )
        axe.check(coordinator)
        assert_status(coordinator, name, Status.INVITED)

    # Sanne's invitation reaches her mailbox with her personal link; the subject says
    # nothing about her or the case.
    invitation = smtp_server.wait_for_mail(people.SANNE.email)
    for secret in (*SANNE.split(), people.DAAN.first_name, case.reference):
        assert secret not in invitation.subject
    sanne_link = personal_link(invitation)

    # --- Sanne, on her phone: accepts, consents, names her aunt -------------------------
    sanne = axe.watch(on_a_phone(new_context))
    sanne.goto(sanne_link)
    # The token is exchanged for a session and leaves the address bar.
    assert urlsplit(sanne.url).path == reverse("portal:home")
    assert sanne_link.strip("/").split("/")[-1] not in sanne.url
    expect(sanne.get_by_role("heading", level=1)).to_have_text(
        nl("Hello %(name)s", name=people.SANNE.first_name)
    )
    axe.check(sanne)
    sanne.get_by_role("button", name=nl("Yes, I will take part")).click()
    expect(sanne.get_by_role("status")).to_contain_text(
        nl("Thank you. You have said that you will take part.")
    )
    axe.check(sanne)

    sanne.get_by_role("link", name=nl("Read the information and give consent")).click()
    expect(sanne.get_by_role("heading", level=1)).to_have_text(nl("Information and consent"))
    axe.check(sanne)
    # She forgets the box: a clear message, at the top and at the field, nothing lost.
    choose(sanne, "Do you want legal advice?", "No, thank you")
    choose(sanne, "Do you want an interpreter?", "No, thank you")
    choose(sanne, "Do you want to bring a support person?", "Yes, I want this")
    sanne.get_by_role("button", name=nl("Give consent")).click()
    problem = nl("Tick the box to say you have read the information and agree.")
    expect(sanne.get_by_role("alert")).to_contain_text(problem)
    expect(sanne.get_by_role("alert")).to_be_focused()
    axe.check(sanne)
    group = sanne.get_by_role("group", name=nl("Do you want to bring a support person?"))
    expect(group.get_by_label(nl("Yes, I want this"))).to_be_checked()
    agree = sanne.get_by_label(nl("I have read the explanation above and I agree to take part."))
    expect(agree).to_have_accessible_description(re.compile(re.escape(problem)))
    agree.check()
    sanne.get_by_role("button", name=nl("Give consent")).click()
    expect(sanne.get_by_role("status")).to_contain_text(
        nl("Thank you. Your consent has been recorded.")
    )
    axe.check(sanne)

    sanne.get_by_role("link", name=nl("Name someone")).click()
    expect(sanne.get_by_role("heading", level=1)).to_have_text(nl("Who else should be there?"))
    axe.check(sanne)
    sanne.get_by_label(nl("Name"), exact=True).fill(RIA)
    sanne.get_by_label(nl("Who is this person to you?")).fill("mijn tante")
    sanne.get_by_role("button", name=nl("Add this person")).click()
    expect(sanne.get_by_role("status")).to_contain_text(
        nl("Thank you. Your coordinator will talk with you about this person.")
    )
    expect(sanne.get_by_role("listitem").filter(has_text=RIA)).to_contain_text("mijn tante")
    axe.check(sanne)
    assert_fits_the_screen(sanne)

    # --- Joost, Daan's brother, declines through the link in his mail -------------------
    joost = axe.watch(on_a_phone(new_context))
    joost.goto(personal_link(smtp_server.wait_for_mail(people.JOOST.email)))
    expect(joost.get_by_role("heading", level=1)).to_have_text(
        nl("Hello %(name)s", name=people.JOOST.first_name)
    )
    axe.check(joost)
    joost.get_by_role("button", name=nl("No, I will not take part")).click()
    expect(joost.get_by_role("status")).to_contain_text(
        nl(
            "You have said that you will not take part. Your coordinator hears this and will "
            "get in touch with you. You can still take part later, if you want to."
        )
    )
    axe.check(joost)

    # --- Ellen, Sanne's mother, withdraws in the portal: no reason asked (R9) -----------
    ellen = axe.watch(on_a_phone(new_context))
    ellen.goto(personal_link(smtp_server.wait_for_mail(people.ELLEN.email)))
    expect(ellen.get_by_role("heading", level=1)).to_have_text(
        nl("Hello %(name)s", name=people.ELLEN.first_name)
    )
    axe.check(ellen)
    ellen.get_by_role("link", name=nl("Stop taking part")).click()
    expect(ellen.get_by_role("heading", level=1)).to_have_text(nl("Stop taking part"))
    expect(ellen.get_by_role("textbox")).to_have_count(0)
    axe.check(ellen)
    ellen.get_by_role("button", name=nl("Yes, I stop taking part")).click()
    expect(ellen.get_by_role("status")).to_contain_text(
        nl(
            "You have stopped taking part. This took effect at once. Your coordinator hears this "
            "and will get in touch with you. You can take part again later, if you want to."
        )
    )
    expect(
        ellen.get_by_text(nl("You have withdrawn. You no longer take part."), exact=True)
    ).to_be_visible()
    axe.check(ellen)

    # --- Back with Carla: the circle drawn, and in words, shows all of it ---------------
    coordinator.reload()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("The circle of case %(ref)s", ref=case.reference)
    )
    axe.check(coordinator)
    expected = {
        DAAN: Status.INVITED,
        JOOST: Status.DECLINED,
        SANNE: Status.ACCEPTED,
        ELLEN: Status.WITHDRAWN,
    }
    picture = coordinator.get_by_role(
        "img", name=re.compile(re.escape(nl("The circle of this case")))
    )
    expect(picture).to_be_visible()
    for name, status in expected.items():
        node = picture.locator("g[data-state]").filter(has_text=name)
        expect(node).to_have_attribute("data-state", status.value)
        expect(node).to_contain_text(nl(status.label))

    coordinator.locator("summary", has_text=nl("The circle as a list")).click()
    for side, names in (("Harmed side", (SANNE, ELLEN)), ("Responsible side", (DAAN, JOOST))):
        table = coordinator.get_by_role("table", name=nl(side))
        for name in names:
            expect(row_of(table, name)).to_contain_text(nl(expected[name].label))
    # Each supporter in the circle of the person they support.
    expect(row_of(coordinator.get_by_role("table", name=nl("Harmed side")), ELLEN)).to_contain_text(
        SANNE
    )
    expect(
        row_of(coordinator.get_by_role("table", name=nl("Responsible side")), JOOST)
    ).to_contain_text(DAAN)

    # The aunt Sanne named waits for Carla's decision, beside Sanne's wishes (R6).
    nominee = coordinator.locator("#nominations + table").get_by_role("row").filter(has_text=RIA)
    expect(nominee).to_contain_text(nl("Not decided yet"))
    expect(nominee).to_contain_text(people.SANNE.wishes)
    expect(nominee.get_by_role("link")).to_have_accessible_name(
        f"{nl('Invite or record why not')} – {RIA}"
    )
    axe.check(coordinator)

    # The same page on a phone.
    coordinator.set_viewport_size(PHONE)
    axe.check(coordinator)
    assert_fits_the_screen(coordinator)

    axe.assert_no_violations()


# --- helpers ------------------------------------------------------------------------------


def assigned_to(coordinator, *, office):
    """A case that Carla accepted with her declaration of independence (issue 2's journey)."""
    case = case_actions.open_case(ReferralFactory())
    case_actions.take_on(case, by=office)
    case_actions.offer_to_coordinator(case, coordinator=coordinator, by=office)
    offer = case.assignments.get(coordinator=coordinator, status="offered")
    return case_actions.accept_assignment(offer, declares_independence=True, by=coordinator)


def on_a_phone(new_context) -> Page:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def choose(page: Page, question: str, answer: str) -> None:
    """Tick `answer` among the radio buttons of `question` (a fieldset and its legend)."""
    page.get_by_role("group", name=nl(question)).get_by_label(nl(answer), exact=True).check()


def person_link(page: Page, action: str, name: str):
    """A per-person link on the circle page, e.g. "Invite – Sanne Jansen"."""
    return page.get_by_role("link", name=f"{nl(action)} – {name}", exact=True)


def field_label(name: str) -> str:
    """The label of a participant's field, as the form shows it (the model's verbose name)."""
    return capfirst(nl(Participant._meta.get_field(name).verbose_name))


def add_person(page: Page, axe, person: people.Person, *, side):
    page.get_by_role("link", name=nl("Add a person to the circle"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Add a person to the circle"))
    axe.check(page)
    page.get_by_label(field_label("name"), exact=True).fill(person.name)
    choose(page, "Side", side)
    page.get_by_label(field_label("email")).fill(person.email)
    if person.wishes:
        page.get_by_label(field_label("wishes")).fill(person.wishes)
    page.get_by_role("button", name=nl("Add to the circle")).click()
    expect(page.get_by_role("status")).to_contain_text(
        nl("%(name)s is added to the circle.", name=person.name)
    )
    axe.check(page)


def add_to_circle_of(page: Page, axe, main: str, person: people.Person):
    page.get_by_role("link", name=nl("Add someone to the circle of %(name)s", name=main)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Add a person to the circle"))
    axe.check(page)
    expect(
        page.get_by_role("group", name=nl("Side")).get_by_label(
            nl("Family, friend or acquaintance"), exact=True
        )
    ).to_be_checked()
    expect(page.get_by_label(field_label("supports"))).to_have_value(re.compile(r"^\d+$"))
    page.get_by_label(field_label("name"), exact=True).fill(person.name)
    page.get_by_label(field_label("relation")).fill(person.relation)
    page.get_by_label(field_label("email")).fill(person.email)
    page.get_by_role("button", name=nl("Add to the circle")).click()
    expect(page.get_by_role("status")).to_contain_text(
        nl("%(name)s is added to the circle.", name=person.name)
    )
    axe.check(page)


def row_of(table, name: str):
    """The row of a table whose row header is `name`."""
    return table.get_by_role("row").filter(
        has=table.page.get_by_role("rowheader", name=name, exact=True)
    )


def assert_status(page: Page, name: str, status: Status) -> None:
    heading = page.get_by_role("heading").filter(has_text=name).first
    expect(heading).to_contain_text(nl(status.label))


def personal_link(mail: ReceivedMail) -> str:
    """The path of the personal link in an invitation (the live server has its own host)."""
    found = PERSONAL_LINK.search(mail.text)
    assert found, f"no personal link in the invitation:\n{mail.text}"
    return found.group(1)


def assert_fits_the_screen(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
