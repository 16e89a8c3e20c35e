"""The agreements on the participant's personal page (issue 12, point 2; R15): everyone in the
plan reads the agreements and their state; the owner reports one done, anyone else in the plan
says one does not happen as agreed, in their own words; they read the coordinator's answer. A
refused report stores nothing and keeps what was typed; an agreement of another case is not
found; a closed case is read only. Pages are read as the participant would, in Dutch."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.circle import links
from kring.circle.models import Notice
from kring.followup import actions, closing, policy
from kring.followup.models import Outcome, Report, TrackedAgreement
from kring.testing.factories import CaseFactory

PAGE = "followup:portal"
DONE_TEXT = "Ik heb de eerste €20 overgemaakt."
INVOKE_TEXT = "Daan fietste gisteren weer langs mijn school."
NEW_SCHOOL = "Daan neemt een andere route naar zijn werk, niet langs Sannes school."


def enter(client, participant, carla):
    """`client` on `participant`'s personal page, reading it in Dutch."""
    token = links.issue(participant, by=carla).token
    assert client.get(reverse("portal:enter", args=[token])).status_code == 303
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return client


class Seen(str):
    """What the participant reads on a page (its words, whitespace collapsed); `.html` is its
    markup, for the links and forms a test looks for."""

    html: str


def text(response) -> Seen:
    assert response.status_code in (200, 400), response.status_code
    markup = response.content.decode()
    body = markup.split("</head>", 1)[-1]
    words = html.unescape(re.sub(r"<[^>]+>", " ", body))
    seen = Seen(" ".join(words.split()))
    seen.html = " ".join(markup.split())
    return seen


def page(client) -> str:
    return text(client.get(reverse(PAGE)))


def report_done(client, tracked, words=DONE_TEXT):
    url = reverse("followup:portal_report_done", args=[tracked.pk])
    return client.post(url, {f"done-{tracked.pk}-text": words})


def invoke(client, tracked, words=INVOKE_TEXT):
    url = reverse("followup:portal_invoke", args=[tracked.pk])
    return client.post(url, {f"not_kept-{tracked.pk}-text": words})


@pytest.fixture
def ellen(preparing_case, carla, sanne):
    """Sanne's mother: in Sanne's circle since the preparation, not at the conference, owner of
    nothing. (Ask for her before the case reaches follow-up.)"""
    from kring.testing.circle_people import add
    from kring.testing.people import ELLEN

    return add(ELLEN, preparing_case, by=carla, supports=sanne)


# --- what each participant sees -------------------------------------------------------------------


def test_the_owner_can_report_his_agreements_done_and_cannot_invoke_them(
    client, bike, school, daan, carla
):
    enter(client, daan, carla)
    response = client.get(reverse(PAGE))
    shown = text(response)
    assert "De afspraken" in shown
    assert "Afspraak 1" in shown and "Afspraak 2" in shown
    assert "Daan betaalt de nieuwe fiets van Sanne terug, €20 per maand." in shown
    assert "Wie doet het? Jij" in shown
    assert "Wanneer klaar? 1 december 2027" in shown
    assert "Wanneer klaar? Geen datum afgesproken" in shown
    assert shown.count("Ik heb dit gedaan") == 2
    assert "Vertel kort wat je gedaan hebt" in shown
    assert "Heb je gedaan wat je hebt afgesproken?" in shown
    assert "Laat weten dat dit niet gebeurt zoals afgesproken" not in shown
    assert reverse("followup:portal_invoke", args=[bike.pk]) not in shown.html
    assert response["Cache-Control"].startswith("max-age=0")
    assert AuditEvent.objects.filter(
        action="followup.portal_viewed", actor_participant_id=daan.pk
    ).exists()


def test_the_person_harmed_can_invoke_an_agreement_and_cannot_report_it_done(
    client, bike, school, sanne, carla
):
    enter(client, sanne, carla)
    shown = page(client)
    assert "Wie doet het? Daan de Boer" in shown
    assert shown.count("Laat weten dat dit niet gebeurt zoals afgesproken") == 2
    assert "Vertel in je eigen woorden wat er niet goed gaat" in shown
    assert "Ik heb dit gedaan" not in shown
    assert "Heb je gedaan wat je hebt afgesproken?" not in shown  # she agreed to nothing
    assert "Gebeurt er iets niet zoals afgesproken?" in shown
    assert reverse("followup:portal_report_done", args=[bike.pk]) not in shown.html


def test_the_states_are_said_in_neutral_words(client, bike, school, sanne, carla):
    actions.set_state(bike, "not_kept", by=carla, note="Nog niets betaald.")
    enter(client, sanne, carla)
    shown = page(client)
    assert "Hoe staat het ervoor? Niet nagekomen" in shown
    assert "Hoe staat het ervoor? Open" in shown
    for word in ("fout", "schuld", "overtreding", "in gebreke", "Over de datum"):
        assert word not in shown


def test_the_panel_on_the_personal_page_leads_to_the_agreements(client, bike, sanne, carla):
    enter(client, sanne, carla)
    home = text(client.get(reverse("portal:home")))
    assert "De afspraken" in home
    assert "Afspraken in het plan: 2" in home
    assert "Bekijk de afspraken" in home
    assert reverse(PAGE) in home.html
    assert "Je coördinator heeft je geantwoord." not in home


def test_someone_not_at_the_conference_has_no_agreements_and_cannot_invoke_one(
    client, ellen, bike, carla
):
    enter(client, ellen, carla)
    home = text(client.get(reverse("portal:home")))
    assert reverse(PAGE) not in home.html
    response = client.get(reverse(PAGE))
    assert response.status_code == 303
    assert response["Location"] == reverse("portal:home")
    assert invoke(client, bike).status_code == 403
    assert not Report.objects.exists()


def test_without_a_portal_session_there_is_nothing_to_see(client, bike):
    response = client.get(reverse(PAGE))
    assert response.status_code == 404
    assert "Daan betaalt" not in response.content.decode()
    assert invoke(client, bike).status_code == 404
    assert not Report.objects.exists()


# --- reporting --------------------------------------------------------------------------------


def test_invoking_an_agreement_reaches_the_coordinator_and_shows_on_the_page(
    client, bike, sanne, carla
):
    enter(client, sanne, carla)
    response = invoke(client, bike)
    assert response.status_code == 303
    assert response["Location"] == reverse(PAGE)
    report = Report.objects.get()
    assert (report.participant, report.tracked, report.kind) == (sanne, bike, "not_kept")
    assert report.text == INVOKE_TEXT
    assert Notice.objects.filter(case=bike.case, kind=actions.INVOKED).exists()
    shown = page(client)
    assert "Je coördinator heeft je bericht gekregen." in shown
    assert "Wat je aan je coördinator hebt laten weten" in shown
    assert "liet je weten dat dit niet gebeurt zoals afgesproken" in shown
    assert INVOKE_TEXT in shown
    assert "Nog geen antwoord." in shown


def test_reporting_an_agreement_done_stores_the_owners_words(client, bike, daan, carla):
    enter(client, daan, carla)
    assert report_done(client, bike).status_code == 303
    report = Report.objects.get()
    assert (report.participant, report.kind, report.text) == (daan, "done", DONE_TEXT)
    shown = page(client)
    assert "liet je weten dat je dit gedaan hebt" in shown
    assert DONE_TEXT in shown


def test_a_second_report_waits_for_the_answer_and_keeps_the_words(client, bike, sanne, carla):
    enter(client, sanne, carla)
    invoke(client, bike)
    shown = page(client)
    waiting = policy.may_invoke(Actor.in_portal(sanne), sanne, bike)
    assert waiting is not None and waiting.code == "report_waiting"
    with translation.override("nl"):
        assert str(waiting.message) in shown  # "you reported this already"
    assert reverse("followup:portal_invoke", args=[bike.pk]) not in shown.html
    response = invoke(client, bike, words="Ook vandaag weer.")
    assert response.status_code == 400
    shown = text(response)
    assert "Er is een probleem" in shown
    assert "Je bericht is niet verstuurd. Dit had je geschreven:" in shown
    assert "Ook vandaag weer." in shown
    assert Report.objects.count() == 1


def test_the_owner_cannot_invoke_his_own_agreement(client, bike, daan, carla):
    enter(client, daan, carla)
    response = invoke(client, bike)
    assert response.status_code == 400
    assert "Ik heb dit gedaan" in text(response)  # the page, with the refusal above it
    assert not Report.objects.exists()


def test_someone_else_cannot_report_an_agreement_done(client, bike, sanne, carla):
    enter(client, sanne, carla)
    response = report_done(client, bike, words="Daan heeft betaald.")
    assert response.status_code == 400
    shown = text(response)
    assert "Er is een probleem" in shown
    assert "Daan heeft betaald." in shown
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "words, message",
    [
        ("", "Vertel in je eigen woorden wat er niet goed gaat."),
        ("   ", "Vertel in je eigen woorden wat er niet goed gaat."),
        ("x" * (actions.TEXT_MAX + 1), "Maak de tekst korter: hoogstens 2000 tekens."),
    ],
    ids=["empty", "blank", "too long"],
)
def test_an_empty_or_too_long_message_is_refused_at_the_field(
    client, bike, sanne, carla, words, message
):
    enter(client, sanne, carla)
    response = invoke(client, bike, words=words)
    assert response.status_code == 400
    shown = text(response)
    assert "Er is een probleem" in shown
    assert shown.count(message) == 2  # in the summary and at the field
    assert f'href="#id_not_kept-{bike.pk}-text"' in shown.html
    assert '<details class="report" open>' in shown.html  # the form stays open
    if words.strip():
        assert words in shown  # what was typed is kept
    assert not Report.objects.exists()


def test_a_report_on_an_agreement_of_another_case_is_not_found(
    client, bike, sanne, carla, final_version
):
    from kring.cases.lifecycle import State

    other = TrackedAgreement.objects.create(
        case=CaseFactory(state=State.FOLLOWING_UP, team=bike.case.team),
        version=final_version,
        number=1,
        what="Een afspraak van een andere zaak.",
    )
    enter(client, sanne, carla)
    assert invoke(client, other).status_code == 404
    assert report_done(client, other).status_code == 404
    assert not Report.objects.exists()
    assert invoke(client, bike).status_code == 303  # the same post on her own case is taken


# --- the answer ---------------------------------------------------------------------------------


def test_the_coordinators_answer_shows_once_as_new(client, bike, sanne, carla):
    enter(client, sanne, carla)
    invoke(client, bike)
    report = Report.objects.get()
    actions.answer(report, by=carla, text="Ik bel Daan deze week en laat het je weten.")
    home = text(client.get(reverse("portal:home")))
    assert "Je coördinator heeft je geantwoord." in home
    assert "Lees het antwoord" in home
    shown = page(client)
    assert "Je coördinator heeft geantwoord: Ik bel Daan deze week en laat het je weten." in shown
    assert "Nieuw" in shown
    assert "Nog geen antwoord." not in shown
    report.refresh_from_db()
    assert report.answer_read_at is not None
    assert "Nieuw" not in page(client)
    assert "Je coördinator heeft je geantwoord." not in text(client.get(reverse("portal:home")))
    # Answered: she may say it again, if it still does not happen as agreed.
    assert reverse("followup:portal_invoke", args=[bike.pk]) in page(client).html


def test_a_confirmed_report_shows_the_agreement_done(client, bike, daan, carla):
    enter(client, daan, carla)
    report_done(client, bike)
    actions.confirm_done(Report.objects.get(), by=carla)
    shown = page(client)
    assert "Je coördinator heeft bevestigd dat deze afspraak gedaan is." in shown
    assert "Hoe staat het ervoor? Gedaan" in shown
    assert reverse("followup:portal_report_done", args=[bike.pk]) not in shown.html


# --- a closed case ----------------------------------------------------------------------------


def test_a_closed_case_can_be_read_and_nothing_can_be_sent(client, bike, school, sanne, carla):
    closing.close(bike.case, by=carla, outcome=Outcome.ALL_KEPT, note="")
    enter(client, sanne, carla)
    shown = page(client)
    assert "Daan betaalt de nieuwe fiets van Sanne terug" in shown
    assert "De nazorg is afgelopen." in shown
    assert f'action="{reverse(PAGE)}' not in shown.html  # no form to report anything
    assert "Laat weten dat dit niet gebeurt zoals afgesproken" not in shown
    home = text(client.get(reverse("portal:home")))
    assert "De nazorg is afgelopen. Je kunt de afspraken nog lezen." in home
    response = invoke(client, bike)
    assert response.status_code == 400
    assert INVOKE_TEXT in text(response)
    assert not Report.objects.exists()


# --- an agreement changed by mutual consent -------------------------------------------------------


def test_a_report_on_an_agreement_changed_later_stays_readable(
    client, final_version, school, sanne, carla
):
    """Sanne said the school agreement is not kept; then everyone signed a version 2 that words
    it anew (R14): the old one is listed apart, with her words and the answer, and nothing can
    be sent on it; the new one is current."""
    from kring.conference import editing, versions
    from kring.conference.models import Agreement
    from kring.followup.tests.conftest import sign_everyone

    enter(client, sanne, carla)
    invoke(client, school)
    actions.answer(Report.objects.get(), by=carla, text="We spreken samen iets nieuws af.")
    row = Agreement.objects.get(plan=final_version.plan, position=2)
    editing.save_agreement(row, revision=row.revision, by=carla, what=NEW_SCHOOL)
    sign_everyone(versions.finalise(final_version.plan, by=carla), carla)
    school.refresh_from_db()
    assert school.state == "changed"

    shown = page(client)
    now, changed = shown.split("Afspraken die in overleg zijn veranderd", 1)
    assert NEW_SCHOOL in now and NEW_SCHOOL not in changed
    assert school.what in changed
    assert "In overleg veranderd" in changed
    assert INVOKE_TEXT in changed
    assert "We spreken samen iets nieuws af." in changed
    assert reverse("followup:portal_invoke", args=[school.pk]) not in shown.html
    response = invoke(client, school, words="Het gebeurt nog steeds.")
    assert response.status_code == 400
    assert "Het gebeurt nog steeds." in text(response)  # kept, not sent
    assert Report.objects.count() == 1
