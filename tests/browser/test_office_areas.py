"""Issue 8, point 7, in a real browser at phone width: a request from Zwolle reaches Team Zwolle's
inbox and Bram of Team Utrecht never sees it; Wim, Team Zwolle's office, declines it with a note
on what help fits better, and the note reaches the requester's mailbox through a real SMTP
server. axe-core checks every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.accounts.models import Role, TeamArea
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.testing.factories import UserFactory
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHAT_HAPPENED = "Rick heeft mijn schuur in brand gestoken, vorige week zaterdag."
REQUESTER_EMAIL = "jeroen@example.org"
NOTE = "Slachtofferhulp Nederland helpt je verder: bel 0900-0101."
PRIVACY_CONSENT = "I have read the privacy statement and agree that Kring stores my request."


@pytest.fixture
def wim(other_team):
    return UserFactory(username="wim", first_name="Wim", role=Role.OFFICE, team=other_team)


def test_a_request_from_zwolle_is_for_team_zwolle_which_declines_it_with_a_note(
    new_context, live_server, smtp_server, axe, authenticator, bram, wim, team, other_team
):
    TeamArea.objects.create(team=team, municipality="Utrecht")
    TeamArea.objects.create(
        team=other_team, municipality="Zwolle", postcode_from=8000, postcode_to=8049
    )
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True}

    # --- Jeroen asks for a conference on his phone, from Zwolle ----------------------------
    jeroen = axe.watch(new_context(**phone).new_page())
    jeroen.goto(reverse("referrals:new"))
    jeroen.get_by_label(nl("I was harmed"), exact=True).check()
    jeroen.get_by_label(nl("What happened, briefly?")).fill(WHAT_HAPPENED)
    place = jeroen.get_by_label(nl("Place or postcode"))
    expect(place).to_be_visible()
    place.fill("8011 AB Zwolle")
    jeroen.get_by_label(nl("Yes, all of them"), exact=True).check()
    jeroen.get_by_label(nl("Your name")).fill("Jeroen Brink")
    jeroen.get_by_label(nl("Your e-mail address")).fill(REQUESTER_EMAIL)
    jeroen.get_by_label(nl(PRIVACY_CONSENT)).check()
    axe.check(jeroen)
    jeroen.get_by_role("button", name=nl("Send request")).click()
    expect(jeroen.get_by_role("heading", level=1)).to_have_text(nl("Your request has been sent"))
    axe.check(jeroen)
    case = Case.objects.get(referral__requester_email=REQUESTER_EMAIL)
    assert case.team == other_team
    # Only Team Zwolle's office is told.
    smtp_server.wait_for_mail(wim.email)
    assert bram.email not in {m.message["To"] for m in smtp_server.messages}

    # --- Bram, Team Utrecht: not in his inbox, and its address does not open ----------------
    utrecht = axe.watch(new_context(**phone).new_page())
    log_in(utrecht, bram, authenticator(bram), axe)
    expect(utrecht.get_by_role("heading", level=1)).to_have_text(nl("New requests"))
    expect(utrecht.get_by_text(case.reference)).to_have_count(0)
    axe.check(utrecht)
    response = utrecht.goto(reverse("cases:request_detail", args=[case.pk]))
    assert response is not None and response.status == 404
    expect(utrecht.get_by_text(WHAT_HAPPENED)).to_have_count(0)
    axe.check(utrecht)

    # --- Wim, Team Zwolle: in his inbox; he declines it with a note -------------------------
    zwolle = axe.watch(new_context(**phone).new_page())
    log_in(zwolle, wim, authenticator(wim), axe)
    expect(zwolle.get_by_role("heading", level=1)).to_have_text(nl("New requests"))
    axe.check(zwolle)
    zwolle.get_by_role("link", name=case.reference).click()
    expect(zwolle.get_by_text(WHAT_HAPPENED)).to_be_visible()
    expect(zwolle.get_by_text("8011 AB Zwolle")).to_be_visible()
    axe.check(zwolle)
    zwolle.get_by_role("link", name=nl("Decline"), exact=True).click()
    zwolle.get_by_label(nl("Other help fits better")).check()
    note = zwolle.get_by_label(nl("A note to the requester (optional)"))
    # A note that repeats the account is refused, with the reason.
    note.fill(f"Je schreef: {WHAT_HAPPENED}")
    zwolle.get_by_role("button", name=nl("Decline the request")).click()
    expect(zwolle.get_by_role("alert")).to_contain_text(
        nl(
            "The note repeats what the request says about what happened. Leave that out: "
            "write only what help fits better."
        )
    )
    axe.check(zwolle)
    note = zwolle.get_by_label(nl("A note to the requester (optional)"))
    note.fill(NOTE)
    zwolle.get_by_role("button", name=nl("Decline the request")).click()
    expect(zwolle.get_by_role("status")).to_contain_text(
        nl("The request is declined; the requester is informed.")
    )
    axe.check(zwolle)
    case.refresh_from_db()
    assert case.state == State.DECLINED

    # --- The note reaches Jeroen's mailbox, and nothing of what he wrote -----------------
    subject = nl("About your request %(ref)s", ref=case.reference)
    declined = smtp_server.wait_for_subject(REQUESTER_EMAIL, subject)
    assert NOTE in declined.text
    assert NOTE in declined.html
    assert "schuur" not in declined.text
    axe.assert_no_violations()
