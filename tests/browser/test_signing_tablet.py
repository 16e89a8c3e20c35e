"""Issue 11, "How it is checked": seven people present sign one after another on Carla's tablet
(1024×768), in Dutch, through the interface only. Carla opens the signing page and hands the
tablet to each in turn; each reads the whole plan, ticks that they agree and types their name.
Joost also draws a signature with the mouse; Sanne signs with the keyboard alone (Tab, Space,
typing, Enter), on a page in her own language, English. Each confirmation hands the tablet to
whoever is next, skipping who declined. Ria does not sign and says why: the page after that
tells her to give the tablet back and shows no reason, and no page anyone holds the tablet with
has the staff menu. Carla reads Ria's reason on the signing page, folded away for her: six of
seven signed. Ria changes her mind and signs after all: everyone has signed, the case is in
follow-up, and the copies page follows the PDF being made. axe-core checks every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.conference import versions
from kring.conference.models import Attendance
from kring.conference.tests.mode_fixtures import said_yes
from kring.signing.consent import consent_text
from kring.signing.models import Declination, Signature
from kring.signing.tests.conftest import complete_plan
from tests.browser.conftest import TABLET
from tests.browser.ui import log_in, nl

# The rest of the world (Carla's case, its people, the conference) is tests/browser/conftest.py's.
__all__ = ["complete_plan"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RIA_REASON = "Ik wil eerst met Sanne praten over afspraak 1."


@pytest.fixture
def seven_present(complete_plan, carla, daan, sanne):
    """Daan, Sanne, Joost and Ria, and three more of their circles present; the plan made final
    (version 1)."""
    conference = complete_plan.conference
    for name, supports in (
        ("Anton Bakker", daan),
        ("Fatima El Amrani", sanne),
        ("Wim de Boer", daan),
    ):
        person = said_yes(conference.case, name, supports=supports)
        Attendance.objects.create(
            conference=conference,
            participant=person,
            present=True,
            recorded_at=conference.started_at,
            recorded_by=carla,
        )
    return versions.finalise(complete_plan, by=carla)


def hand_over(page: Page, name: str) -> None:
    page.get_by_role("link", name=nl("Hand the tablet to %(name)s", name=name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("%(name)s, read the plan. Is it right for you?", name=name)
    )


def sign_by_tick_and_name(page: Page, consent: str, name: str, typed: str = "") -> None:
    page.get_by_label(consent).check()
    page.get_by_label(nl("Type your name")).fill(typed or name)
    page.get_by_role("button", name=nl("Sign"), exact=True).click()
    thanks(page, name)


def thanks(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Thank you, %(name)s. You signed the plan.", name=name)
    )
    held_by_a_participant(page)


def held_by_a_participant(page: Page) -> None:
    """A page for the person holding the tablet: no staff menu, no way to the coordinator's
    pages, the language switch still there."""
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.get_by_role("button", name=nl("Log out"))).to_have_count(0)
    expect(page.get_by_role("link", name=nl("Back to the case"))).to_have_count(0)
    expect(page.get_by_role("button", name="English")).to_have_count(1)


def back_to_the_overview(page: Page, case) -> None:
    """Carla, with the tablet back, opens the signing page from the case page."""
    page.goto(reverse("cases:detail", args=[case.pk]))
    page.get_by_role("link", name=nl("Open signing")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Signing the plan, case %(reference)s", reference=case.reference)
    )


def test_seven_people_sign_in_turn_on_the_tablet_one_declines_with_a_reason(
    new_context, axe, authenticator, carla, seven_present
):
    version = seven_present
    case = version.plan.case
    consent = consent_text(version, "nl")
    page = axe.watch(new_context(viewport=TABLET).new_page())
    log_in(page, carla, authenticator(carla), axe)

    # From the case page to the signing page.
    back_to_the_overview(page, case)
    expect(page.get_by_text(version.content_hash[:12], exact=True)).to_be_visible()
    expect(
        page.get_by_text(nl("Signed: %(signed)s of %(total)s.", signed=0, total=7))
    ).to_be_visible()
    axe.check(page)

    # Anton signs first: the whole plan is on his page, its version but not its hash.
    hand_over(page, "Anton Bakker")
    held_by_a_participant(page)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Daan betaalt de nieuwe fiets van Sanne terug, €20 per maand.")
    expect(main).to_contain_text("We praten opnieuw met Carla erbij.")
    expect(main).not_to_contain_text(version.content_hash[:12])
    axe.check(page)
    # Nothing ticked: the page says what is missing and keeps the typed name.
    page.get_by_label(nl("Type your name")).fill("Anton Bakker")
    page.get_by_role("button", name=nl("Sign"), exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(nl("Tick the box if you agree with this plan."))
    expect(summary).to_be_focused()
    expect(page.get_by_label(nl("Type your name"))).to_have_value("Anton Bakker")
    axe.check(page)
    page.get_by_label(consent).check()
    page.get_by_role("button", name=nl("Sign"), exact=True).click()
    thanks(page, "Anton Bakker")
    expect(
        page.get_by_text(nl("Give the tablet back to %(name)s.", name=carla.get_full_name()))
    ).to_be_visible()
    axe.check(page)

    # Each thank-you page hands the tablet to the next one by name.
    hand_over(page, "Daan de Boer")
    sign_by_tick_and_name(page, consent, "Daan de Boer")
    hand_over(page, "Fatima El Amrani")
    sign_by_tick_and_name(page, consent, "Fatima El Amrani", typed="Fatima")

    # Joost draws his signature with the mouse as well.
    hand_over(page, "Joost de Boer")
    drawing = page.get_by_role("img", name=nl("Drawing area for your signature"))
    expect(drawing).to_be_visible()
    drawing.scroll_into_view_if_needed()
    box = drawing.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 40 + (step % 3) * 15)
    page.mouse.up()
    expect(page.locator("input[name='drawing']")).to_have_value(re.compile(r"^M \d+ \d+ L "))
    axe.check(page)
    sign_by_tick_and_name(page, consent, "Joost de Boer")

    # Ria does not sign, and says why.
    hand_over(page, "Ria Jansen")
    page.get_by_role("link", name=nl("I do not sign")).click()
    held_by_a_participant(page)
    expect(
        page.get_by_text(nl("You do not have to sign. The coordinator sees why not."))
    ).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name=nl("I do not sign")).click()
    expect(page.get_by_role("alert")).to_contain_text(nl("Write why you do not sign."))
    axe.check(page)
    page.get_by_label(nl("Why do you not sign?")).fill(RIA_REASON)
    page.get_by_role("button", name=nl("I do not sign")).click()
    # She gives the tablet back; whoever holds it next reads no reason.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("%(name)s, you do not sign.", name="Ria Jansen")
    )
    expect(
        page.get_by_text(nl("Give the tablet back to %(name)s.", name=carla.get_full_name()))
    ).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(RIA_REASON)
    held_by_a_participant(page)
    axe.check(page)

    # Sanne reads and signs in her own language, English, with the keyboard alone.
    page.get_by_role("link", name=nl("Hand the tablet to %(name)s", name="Sanne Jansen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sanne Jansen, read the plan. Is it right for you?"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Nederlands")).to_have_count(1)
    expect(page.get_by_role("navigation")).to_have_count(0)
    axe.check(page)
    tick = page.get_by_label(consent_text(version, "en"))
    for _ in range(80):
        if tick.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(tick).to_be_focused()
    page.keyboard.press("Space")
    expect(tick).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Type your name")).to_be_focused()
    page.keyboard.type("Sanne Jansen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, Sanne Jansen. You signed the plan."
    )
    axe.check(page)

    page.get_by_role("link", name="Hand the tablet to Wim de Boer").click()
    sign_by_tick_and_name(page, consent, "Wim de Boer")
    # Nobody is next (Ria declined): the page only says to give the tablet back.
    expect(page.get_by_role("main").get_by_role("link")).to_have_count(0)

    # Six of seven signed; Carla opens Ria's reason, folded away for her.
    back_to_the_overview(page, case)
    expect(
        page.get_by_text(nl("Signed: %(signed)s of %(total)s.", signed=6, total=7))
    ).to_be_visible()
    expect(page.get_by_text(nl("Does not want to sign: %(declined)s.", declined=1))).to_be_visible()
    expect(page.get_by_text(RIA_REASON)).not_to_be_visible()
    page.get_by_text(nl("Why not (for the coordinator)")).click()
    expect(page.get_by_text(RIA_REASON)).to_be_visible()
    axe.check(page)

    signatures = Signature.objects.filter(version=version)
    assert signatures.count() == 6
    assert all(s.hosted_by_id == carla.pk for s in signatures)
    assert all(
        s.consent_text == consent for s in signatures.exclude(signed_by__name="Sanne Jansen")
    )
    assert signatures.get(signed_by__name="Sanne Jansen").consent_text == consent_text(
        version, "en"
    )
    assert signatures.get(signed_by__name="Joost de Boer").drawing.startswith("M ")
    assert signatures.get(signed_by__name="Fatima El Amrani").typed_name == "Fatima"
    assert Declination.objects.get().reason == RIA_REASON
    assert Case.objects.get(pk=case.pk).state == State.CONFERENCE_HELD

    # Ria changes her mind and signs after all: everyone has signed.
    hand_over(page, "Ria Jansen")
    sign_by_tick_and_name(page, consent, "Ria Jansen")
    back_to_the_overview(page, case)
    expect(page.get_by_text(nl("Everyone has signed."))).to_be_visible()
    assert Case.objects.get(pk=case.pk).state == State.FOLLOWING_UP
    axe.check(page)

    page.get_by_role("link", name=nl("The copies of the signed plan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Copies of the signed plan, case %(reference)s", reference=case.reference)
    )
    # Ria has no e-mail address: no copy yet, with her letter to print.
    ria_row = page.get_by_role("row").filter(has_text="Ria Jansen")
    expect(ria_row).to_contain_text(nl("No copy yet"))
    expect(ria_row.get_by_role("link", name=nl("Print the letter"))).to_be_visible()
    axe.check(page)
    ria_row.get_by_role("button", name=nl("Printed and handed over or posted")).click()
    expect(
        page.get_by_text(nl("Recorded: %(name)s has a printed copy.", name="Ria Jansen"))
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Ria Jansen")).not_to_contain_text(
        nl("No copy yet")
    )
    axe.check(page)
    axe.assert_no_violations()
