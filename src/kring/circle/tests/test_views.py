"""The coordinator's circle pages over HTTP, as each role sees them (issue 3, points 1-5, 8, 9, 12)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.cases import actions as case_actions
from kring.cases.lifecycle import State
from kring.circle import actions, information
from kring.circle.models import (
    Acknowledgment,
    Consent,
    Conversation,
    Invitation,
    Mode,
    Nomination,
    Participant,
    PersonalLink,
    RiskFlag,
    Side,
    Status,
)
from kring.testing.circle_people import acknowledge
from kring.testing.factories import ReferralFactory
from kring.testing.people import DAAN, SANNE, SANNE_ADDRESS, SANNE_EMAIL, SANNE_PHONE

NOTE = "Daan vertelde over zijn schulden bij de buurman."
ASSESSMENT = "Vader van Sanne dreigt Daan op te wachten na school."


def overview_url(case):
    return reverse("circle:overview", args=[case.pk])


def person_url(name, case, participant):
    return reverse(f"circle:{name}", args=[case.pk, participant.pk])


@pytest.fixture
def planted(preparing_case, daan, sanne, carla):
    """A conversation note, a risk assessment and Sanne's contact details in the circle."""
    actions.record_conversation(
        daan, held_at=timezone.now(), mode=Mode.IN_PERSON, notes=NOTE, by=carla
    )
    acknowledge(daan, by=carla)
    actions.flag_risk(
        preparing_case, kind="intimidation", level="high", assessment=ASSESSMENT, by=carla
    )
    return preparing_case


# --- who sees what ----------------------------------------------------------------------------


def test_coordinator_sees_notes_assessments_and_contact_details(as_user, carla, planted):
    html = as_user(carla).get(overview_url(planted)).content.decode()
    for secret in (NOTE, ASSESSMENT, SANNE_PHONE, SANNE_EMAIL, *SANNE_ADDRESS.splitlines()):
        assert secret in html
    assert "Acknowledges their part" in html


@pytest.mark.parametrize("who", ["bram", "mira"])
def test_office_and_manager_see_people_and_states_but_no_notes_or_contact_details(
    as_user, request, who, planted
):
    response = as_user(request.getfixturevalue(who)).get(overview_url(planted))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Daan de Boer" in html and "Sanne Jansen" in html
    assert "To invite" in html
    sannes = (SANNE_PHONE, SANNE_EMAIL, *SANNE_ADDRESS.splitlines(), SANNE.wishes)
    for secret in (NOTE, ASSESSMENT, *sannes):
        assert secret not in html
    assert "Acknowledges their part" not in html
    assert reverse("circle:add", args=[planted.pk]) not in html


def test_a_read_of_the_circle_is_logged(as_user, bram, planted):
    as_user(bram).get(overview_url(planted))
    assert AuditEvent.objects.filter(actor=bram, action="circle.viewed", case=planted).exists()


def test_other_coordinator_gets_404_everywhere(as_user, olaf, preparing_case, daan):
    client = as_user(olaf)
    assert client.get(overview_url(preparing_case)).status_code == 404
    for name in ("edit", "conversation", "invite", "consent", "withdraw"):
        assert client.get(person_url(name, preparing_case, daan)).status_code == 404
    response = client.post(person_url("withdraw", preparing_case, daan), {"confirm": "on"})
    assert response.status_code == 404
    daan.refresh_from_db()
    assert daan.status == Status.TO_INVITE


@pytest.mark.parametrize("who", ["ruud", "admin_user"])
def test_researcher_and_administrator_see_no_circle(as_user, request, who, preparing_case, daan):
    client = as_user(request.getfixturevalue(who))
    assert client.get(overview_url(preparing_case)).status_code in (403, 404)
    assert client.get(person_url("edit", preparing_case, daan)).status_code in (403, 404)


@pytest.mark.parametrize("who", ["bram", "mira"])
def test_office_and_manager_cannot_change_the_circle(as_user, request, who, preparing_case, daan):
    client = as_user(request.getfixturevalue(who))
    assert client.get(reverse("circle:add", args=[preparing_case.pk])).status_code == 403
    response = client.post(
        person_url("acknowledgment", preparing_case, daan),
        {"acknowledges": "yes", "given_at": "2026-01-05T10:00", "mode": "phone"},
    )
    assert response.status_code == 403
    assert not Acknowledgment.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, preparing_case):
    response = client.get(overview_url(preparing_case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- starting -----------------------------------------------------------------------------------


def test_coordinator_starts_the_preparation(as_user, carla, carlas_case):
    client = as_user(carla)
    url = reverse("circle:start", args=[carlas_case.pk])
    assert "Start the preparation" in client.get(overview_url(carlas_case)).content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == overview_url(carlas_case)
    carlas_case.refresh_from_db()
    assert carlas_case.state == State.PREPARING


def test_starting_twice_says_why_and_does_not_fail(as_user, carla, preparing_case):
    response = as_user(carla).post(reverse("circle:start", args=[preparing_case.pk]), follow=True)
    assert response.status_code == 200
    assert "This step is not possible while the case is" in response.content.decode()


def test_office_cannot_start_the_preparation(as_user, bram, carlas_case):
    response = as_user(bram).post(reverse("circle:start", args=[carlas_case.pk]))
    assert response.status_code == 403
    carlas_case.refresh_from_db()
    assert carlas_case.state == State.ASSIGNED


# --- acknowledgment first (R3, R4) ----------------------------------------------------------------


def test_overview_says_the_harmed_side_cannot_be_invited_before_an_acknowledgment(
    as_user, carla, preparing_case, daan, sanne
):
    client = as_user(carla)
    notice = "No one on the harmed side can be invited yet."
    assert notice in client.get(overview_url(preparing_case)).content.decode()
    acknowledge(daan, by=carla)
    assert notice not in client.get(overview_url(preparing_case)).content.decode()


def test_inviting_the_victim_before_acknowledgment_is_refused_with_the_reason(
    as_user, carla, preparing_case, daan, sanne
):
    client = as_user(carla)
    url = person_url("invite", preparing_case, sanne)
    reason = "until at least one person responsible has acknowledged their part."
    assert reason in client.get(url).content.decode()
    response = client.post(url, {"channel": "email"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and reason in html
    sanne.refresh_from_db()
    assert sanne.status == Status.TO_INVITE
    assert not Invitation.objects.exists()


def test_recording_an_acknowledgment_opens_the_harmed_side(
    as_user, carla, preparing_case, daan, sanne
):
    client = as_user(carla)
    response = client.post(
        person_url("acknowledgment", preparing_case, daan),
        {"acknowledges": "yes", "given_at": "2026-01-05T10:00", "mode": "in_person"},
        follow=True,
    )
    html = response.content.decode()
    assert "Daan de Boer acknowledges their part" in html
    assert "5 januari 2026, 10:00" in html or "5 January 2026, 10:00" in html
    latest = Acknowledgment.objects.get()
    assert latest.acknowledges and latest.recorded_by == carla
    assert timezone.localtime(latest.given_at).hour == 10  # typed in Dutch time


# --- invitations ----------------------------------------------------------------------------------


def test_invitation_by_email_sends_the_personal_link(
    as_user, carla, preparing_case, daan, django_capture_on_commit_callbacks
):
    acknowledge(daan, by=carla)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(carla).post(
            person_url("invite", preparing_case, daan), {"channel": "email"}
        )
    assert response.status_code == 302
    daan.refresh_from_db()
    assert daan.status == Status.INVITED
    assert [m.to for m in mail.outbox] == [[DAAN.email]]
    assert "/p/" in mail.outbox[0].body or "http" in mail.outbox[0].body
    assert "Daan" not in mail.outbox[0].subject


def test_invitation_by_letter_is_a_pdf_download_that_is_not_stored(
    as_user, carla, preparing_case, daan
):
    acknowledge(daan, by=carla)
    response = as_user(carla).post(
        person_url("invite", preparing_case, daan), {"channel": "letter"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    # Named per person and date (issue 8, point 4), ASCII only.
    assert re.fullmatch(
        r'attachment; filename="uitnodiging-daan-de-boer-\d{4}-\d{2}-\d{2}\.pdf"',
        response["Content-Disposition"],
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert Invitation.objects.get().channel == Invitation.Channel.LETTER


def test_email_is_not_offered_without_an_address(as_user, carla, preparing_case, daan):
    acknowledge(daan, by=carla)
    actions.update_participant(daan, email="", by=carla)
    html = as_user(carla).get(person_url("invite", preparing_case, daan)).content.decode()
    assert 'value="letter"' in html and 'value="email"' not in html


def test_new_link_revokes_the_old_one_and_gives_a_letter(as_user, carla, preparing_case, daan):
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    response = as_user(carla).post(person_url("reissue", preparing_case, daan))
    assert response["Content-Type"] == "application/pdf"
    links = PersonalLink.objects.filter(participant=daan).order_by("pk")
    assert links.count() == 2
    assert links[0].revoked_at is not None and links[1].revoked_at is None


# --- answers, consent, withdrawal -----------------------------------------------------------------


def test_answer_by_phone(as_user, carla, preparing_case, daan):
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    response = as_user(carla).post(
        person_url("respond", preparing_case, daan), {"accepts": "no"}, follow=True
    )
    assert "Daan de Boer declines the invitation." in response.content.decode()
    daan.refresh_from_db()
    assert daan.status == Status.DECLINED


def test_answer_without_an_invitation_is_refused_on_the_form(as_user, carla, preparing_case, daan):
    response = as_user(carla).post(person_url("respond", preparing_case, daan), {"accepts": "yes"})
    assert response.status_code == 200
    assert "There is no open invitation to answer." in response.content.decode()


def test_consent_page_shows_the_information_to_read_out(as_user, carla, preparing_case, daan):
    html = as_user(carla).get(person_url("consent", preparing_case, daan)).content.decode()
    assert information.CURRENT_VERSION in html
    for heading, text in information.sections():
        assert str(heading) in html
        assert str(text) in html


def test_consent_on_paper_records_version_and_rights(as_user, carla, preparing_case, daan):
    response = as_user(carla).post(
        person_url("consent", preparing_case, daan),
        {
            "given_by": daan.pk,
            "mode": "paper",
            "informed": "on",
            "legal_advice": "no",
            "interpreter": "no",
            "support_person": "yes",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.given_by == daan and consent.obtained_by == carla
    assert consent.information_version == information.CURRENT_VERSION
    assert consent.support_person == "yes"


def test_minor_consents_with_the_guardian(as_user, carla, preparing_case, daan_acknowledged, sanne):
    lotte = actions.add_participant(
        preparing_case,
        by=carla,
        name="Lotte Jansen",
        side=Side.SUPPORTER,
        supports=sanne,
        is_minor=True,
        guardian=sanne,
    )
    client = as_user(carla)
    url = person_url("consent", preparing_case, lotte)
    assert "Sanne Jansen, parent or guardian" in client.get(url).content.decode()
    data = {
        "mode": "in_person",
        "informed": "on",
        "legal_advice": "no",
        "interpreter": "no",
        "support_person": "no",
    }
    client.post(url, {**data, "given_by": lotte.pk})
    html = client.get(overview_url(preparing_case)).content.decode()
    assert "Parent or guardian Sanne Jansen:" in html
    client.post(url, {**data, "given_by": sanne.pk})
    assert set(Consent.objects.values_list("given_by", flat=True)) == {lotte.pk, sanne.pk}


def test_someone_else_cannot_be_chosen_to_consent_for_a_participant(
    as_user, carla, preparing_case, daan, joost
):
    response = as_user(carla).post(
        person_url("consent", preparing_case, daan),
        {
            "given_by": joost.pk,
            "mode": "paper",
            "informed": "on",
            "legal_advice": "no",
            "interpreter": "no",
            "support_person": "no",
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Consent.objects.exists()


def test_withdrawal_by_phone_takes_effect_at_once(as_user, carla, preparing_case, daan):
    client = as_user(carla)
    response = client.post(
        person_url("withdraw", preparing_case, daan), {"confirm": "on"}, follow=True
    )
    assert "Daan de Boer has withdrawn." in response.content.decode()
    daan.refresh_from_db()
    assert daan.status == Status.WITHDRAWN and daan.withdrawal_mode == Mode.PHONE


# --- nominations (R6) -------------------------------------------------------------------------------


def test_nomination_on_the_harmed_side_shows_the_wishes_of_the_person_harmed(
    as_user, carla, preparing_case, daan, daan_acknowledged, sanne, ria
):
    actions.nominate(ria, name="Oom Kees", via=Mode.PHONE, by=carla)
    actions.nominate(daan, name="Buurman Piet", via=Mode.PHONE, by=carla)
    client = as_user(carla)
    html = client.get(overview_url(preparing_case)).content.decode()
    table = html[html.index('id="nominations"') : html.index('id="safety"')]
    kees = table[table.index("Oom Kees") : table.index("Buurman Piet")]
    piet = table[table.index("Buurman Piet") :]
    assert "mijn oom niet" in kees
    assert "mijn oom niet" not in piet
    nomination = Nomination.objects.get(name="Oom Kees")
    page = client.get(reverse("circle:nomination", args=[preparing_case.pk, nomination.pk]))
    assert "mijn oom niet" in page.content.decode()


def test_nominee_invited_joins_the_circle_of_who_named_them(
    as_user, carla, preparing_case, daan_acknowledged, sanne, ria
):
    client = as_user(carla)
    response = client.post(
        person_url("nominate", preparing_case, ria),
        {"name": "Tante Els", "relation": "aunt", "via": "phone"},
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.nominated_by == ria and nomination.via == Mode.PHONE
    response = client.post(
        reverse("circle:nomination", args=[preparing_case.pk, nomination.pk]), {"invite": "yes"}
    )
    els = Participant.objects.get(name="Tante Els")
    assert response["Location"] == person_url("edit", preparing_case, els)
    assert els.supports == sanne and els.side == Side.SUPPORTER


# --- participants --------------------------------------------------------------------------------


def test_add_a_supporter_to_a_circle(as_user, carla, preparing_case, daan):
    client = as_user(carla)
    page = client.get(reverse("circle:add", args=[preparing_case.pk]) + f"?supports={daan.pk}")
    assert f'<option value="{daan.pk}" selected>' in page.content.decode()
    response = client.post(
        reverse("circle:add", args=[preparing_case.pk]),
        {
            "name": "Moeder de Boer",
            "side": "supporter",
            "supports": daan.pk,
            "language": "nl",
            "relation": "mother of Daan",
        },
    )
    assert response.status_code == 302
    mother = Participant.objects.get(name="Moeder de Boer")
    assert mother.supports == daan and mother.status == Status.TO_INVITE


def test_circle_choices_are_limited_to_this_case(
    as_user, carla, preparing_case, daan, joost, other_case_participant
):
    html = as_user(carla).get(reverse("circle:add", args=[preparing_case.pk])).content.decode()
    assert "Daan de Boer" in html
    assert "Vreemde" not in html
    response = as_user(carla).post(
        reverse("circle:add", args=[preparing_case.pk]),
        {"name": "Els", "side": "supporter", "supports": joost.pk, "language": "nl"},
    )
    assert "Choose a person harmed or responsible in this case." in response.content.decode()


@pytest.fixture
def other_case_participant(db, bram, carla, olaf):
    case = case_actions.open_case(ReferralFactory())
    case_actions.take_on(case, by=bram)
    case_actions.offer_to_coordinator(case, coordinator=olaf, by=bram)
    offer = case.assignments.get()
    case_actions.accept_assignment(offer, declares_independence=True, by=olaf)
    actions.start_preparation(case, by=olaf)
    return actions.add_participant(case, by=olaf, name="Vreemde Persoon", side=Side.HARMED)


def test_edit_keeps_the_side_and_saves_contact_details(as_user, carla, preparing_case, joost):
    response = as_user(carla).post(
        person_url("edit", preparing_case, joost),
        {
            "name": "Joost de Boer",
            "supports": joost.supports_id,
            "language": "en",
            "phone": "06 3333 4444",
            "interpreter_language": "Pools",
        },
    )
    assert response.status_code == 302
    joost.refresh_from_db()
    assert joost.phone == "06 3333 4444" and joost.language == "en"
    assert joost.side == Side.SUPPORTER
    assert joost.interpreter_needed  # an interpreter language means one is needed


# --- safety check (R7) ------------------------------------------------------------------------------


def test_flag_and_resolve_a_risk_through_the_pages(as_user, carla, preparing_case):
    client = as_user(carla)
    client.post(
        reverse("circle:risk_add", args=[preparing_case.pk]),
        {"kind": "stalking", "level": "high", "assessment": "Berichten via app."},
    )
    flag = RiskFlag.objects.get()
    html = client.get(overview_url(preparing_case)).content.decode()
    assert "A high risk in the safety check is not resolved." in html
    client.post(
        reverse("circle:risk_resolve", args=[preparing_case.pk, flag.pk]),
        {"resolution": "Contactverbod; tweede coördinator aanwezig."},
    )
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    html = client.get(overview_url(preparing_case)).content.decode()
    assert "A high risk in the safety check is not resolved." not in html
    assert "Contactverbod" in html


# --- bad input at every form: a clear message, nothing lost -----------------------------------------


def _bad(case, daan, sanne, nomination, flag):
    future = (timezone.localtime() + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return [
        (
            reverse("circle:add", args=[case.pk]),
            {"name": "", "side": "harmed", "email": "geen-adres", "phone": "06 5555 6666"},
            ["Enter the person&#x27;s name.", "Enter an e-mail address like"],
            ["geen-adres", "06 5555 6666"],
        ),
        (
            reverse("circle:add", args=[case.pk]),
            {"name": "Els Bakker", "side": "supporter", "language": "nl"},
            ["Say in whose circle this supporter stands."],
            ["Els Bakker"],
        ),
        (
            person_url("edit", case, daan),
            {"name": "", "email": "daan@", "language": "nl", "relation": "zoon van"},
            ["Enter the person&#x27;s name."],
            ["daan@", "zoon van"],
        ),
        (
            person_url("conversation", case, daan),
            {"held_at": future, "mode": "phone", "notes": "Belangrijke notitie"},
            ["The date and time cannot be in the future."],
            ["Belangrijke notitie", future],
        ),
        (
            person_url("conversation", case, daan),
            {"held_at": "gisteren", "notes": "Notitie twee"},
            ["Enter a real date and time", "Choose how the conversation took place."],
            ["Notitie twee", "gisteren"],
        ),
        (
            person_url("acknowledgment", case, daan),
            {"given_at": "2026-01-05T10:00", "mode": "phone"},
            ["Choose whether the person acknowledges their part."],
            ['value="2026-01-05T10:00"', ("checked", "mode", "phone")],
        ),
        (
            person_url("acknowledgment", case, sanne),
            {"acknowledges": "yes", "given_at": "2026-01-05T10:00", "mode": "phone"},
            ["Only a person responsible acknowledges their part."],
            ['value="2026-01-05T10:00"'],
        ),
        (
            person_url("consent", case, daan),
            {"given_by": daan.pk, "mode": "paper", "legal_advice": "yes"},
            ["Confirm that the information was given.", "Choose the person&#x27;s answer."],
            [("checked", "mode", "paper")],
        ),
        (
            person_url("respond", case, daan),
            {},
            ["Choose the person&#x27;s answer."],
            [],
        ),
        (
            person_url("withdraw", case, daan),
            {},
            ["Confirm the withdrawal."],
            [],
        ),
        (
            person_url("nominate", case, daan),
            {"name": "", "relation": "buurman van drie huizen verder", "via": "phone"},
            ["Enter the name of the person named."],
            ["buurman van drie huizen verder"],
        ),
        (
            reverse("circle:nomination", args=[case.pk, nomination.pk]),
            {"invite": "no", "reason": ""},
            ["Say why this person is not invited."],
            [("checked", "invite", "no")],
        ),
        (
            reverse("circle:risk_add", args=[case.pk]),
            {"kind": "stalking", "level": "", "assessment": "Mijn eerste inschatting"},
            ["Choose the level of the risk."],
            ["Mijn eerste inschatting", ("checked", "kind", "stalking")],
        ),
        (
            reverse("circle:risk_resolve", args=[case.pk, flag.pk]),
            {"resolution": ""},
            ["Say what makes it safe now."],
            [],
        ),
        (
            person_url("invite", case, sanne),
            {"channel": "letter"},
            ["until at least one person responsible has acknowledged their part."],
            [("checked", "channel", "letter")],
        ),
    ]


def test_every_form_with_bad_input_gives_a_clear_message_and_keeps_the_input(
    as_user, carla, preparing_case, daan, sanne
):
    # Daan has not acknowledged (the R4 row below): the nomination is his, not Sanne's.
    nomination = actions.nominate(daan, name="Oom Kees", via=Mode.PHONE, by=carla)
    flag = actions.flag_risk(preparing_case, kind="other", level="low", assessment="x", by=carla)
    client = as_user(carla)
    before = (Participant.objects.count(), Conversation.objects.count(), Consent.objects.count())
    for url, data, messages, kept in _bad(preparing_case, daan, sanne, nomination, flag):
        response = client.post(url, data)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="error-summary"' in html, url
        for message in messages:
            assert message in html, (url, message)
        for value in kept:
            if isinstance(value, tuple):
                _kind, name, choice = value
                pattern = rf'<input[^>]*name="{name}" value="{choice}"[^>]*checked'
                assert re.search(pattern, html), (url, value)
            else:
                assert value in html, (url, value)
    after = (Participant.objects.count(), Conversation.objects.count(), Consent.objects.count())
    assert after == before
    daan.refresh_from_db()
    assert daan.status == Status.TO_INVITE


# --- the overview costs the same for a circle of 5 and of 40 ----------------------------------------


def _grow(case, n, *, by):
    """n more people: half harmed, half responsible, each with a supporter, with the records
    the overview shows (acknowledgment, conversation, consent, invitation, nomination, risk)."""
    now = timezone.now()
    mains = Participant.objects.bulk_create(
        Participant(
            case=case,
            name=f"Hoofd {i}",
            side=Side.HARMED if i % 2 else Side.RESPONSIBLE,
            email=f"h{i}@example.org",
            wishes="wens" if i % 2 else "",
            status_changed_at=now,
        )
        for i in range(n // 2)
    )
    supporters = Participant.objects.bulk_create(
        Participant(
            case=case,
            name=f"Steun {m.pk}",
            side=Side.SUPPORTER,
            supports=m,
            is_minor=True,
            guardian=m,
            status_changed_at=now,
        )
        for m in mains
    )
    people = mains + supporters
    Acknowledgment.objects.bulk_create(
        Acknowledgment(participant=m, acknowledges=True, given_at=now, mode="phone", recorded_by=by)
        for m in mains
        if m.side == Side.RESPONSIBLE
    )
    Conversation.objects.bulk_create(
        Conversation(participant=p, held_at=now, mode="phone", notes="n", recorded_by=by)
        for p in people
    )
    Consent.objects.bulk_create(
        Consent(
            participant=p,
            given_by=p,
            information_version="2026-1",
            given_at=now,
            mode="paper",
            obtained_by=by,
            legal_advice="no",
            interpreter="no",
            support_person="no",
        )
        for p in people
    )
    Invitation.objects.bulk_create(
        Invitation(participant=p, channel="letter", sent_at=now, sent_by=by) for p in people
    )
    Nomination.objects.bulk_create(
        Nomination(case=case, nominated_by=p, name=f"Genoemd {p.pk}", via="phone")
        for p in supporters
    )
    RiskFlag.objects.bulk_create(
        RiskFlag(case=case, kind="other", level="low", assessment="a", recorded_by=by)
        for _ in range(n // 10)
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The circle page's queries (issue 15, point 3), as an upper bound: a query that comes back
# fails here. The coordinator: the session, the user and the second factor, the case, the
# participants with their acknowledgments, consents, conversations and invitations, the
# nominations, the risks, the open high risk, the request's people and the audit row, which on
# PostgreSQL takes the chain's advisory lock with one query more (ADR 0012).
@pytest.mark.parametrize(("who", "most"), [("carla", 14), ("bram", 6)])
def test_overview_query_count_is_the_same_for_5_and_40_people(
    as_user, request, who, most, carla, preparing_case
):
    from django.db import connection

    client = as_user(request.getfixturevalue(who))
    url = overview_url(preparing_case)
    _grow(preparing_case, 4, by=carla)
    actions.add_participant(preparing_case, by=carla, name="Vijfde", side=Side.OTHER)
    assert preparing_case.participants.count() == 5
    client.get(url)  # warm up: session, translations
    small = _count(client, url)
    assert small <= most + (connection.vendor == "postgresql")
    _grow(preparing_case, 36, by=carla)
    assert preparing_case.participants.count() == 41
    assert _count(client, url) == small


def test_taking_a_person_out_of_the_circle_asks_first_and_then_removes(
    as_user, carla, preparing_case
):
    from django.urls import reverse

    from kring.circle import actions as circle_actions
    from kring.circle.models import Side as S

    person = circle_actions.add_participant(preparing_case, by=carla, name="Dubbel", side=S.HARMED)
    url = reverse("circle:remove", args=[preparing_case.pk, person.pk])
    client = as_user(carla)
    assert "Take Dubbel out of the circle" in client.get(url).content.decode()
    assert preparing_case.participants.filter(pk=person.pk).exists()  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not preparing_case.participants.filter(pk=person.pk).exists()


def test_a_refused_removal_shows_the_reason(
    as_user, carla, preparing_case, daan_acknowledged, sanne
):
    from django.urls import reverse

    from kring.circle import actions as circle_actions
    from kring.circle.models import Mode as M

    circle_actions.record_conversation(sanne, held_at=timezone.now(), mode=M.PHONE, by=carla)
    url = reverse("circle:remove", args=[preparing_case.pk, sanne.pk])
    html = as_user(carla).post(url).content.decode()
    assert "error-summary" in html and "on record" in html
    assert preparing_case.participants.filter(pk=sanne.pk).exists()


def test_the_circle_page_loads_the_people_of_the_circle_once(
    as_user, carla, preparing_case, daan_acknowledged, sanne
):
    """Issue 15, point 3: the coordinator's circle page loads the participants with what they
    said and agreed to once, and the readiness to schedule reads those instead of its own."""
    client = as_user(carla)
    url = overview_url(preparing_case)
    client.get(url)  # warm up: session, translations
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    people = [q["sql"] for q in ctx.captured_queries if 'FROM "circle_participant"' in q["sql"]]
    consents = [q["sql"] for q in ctx.captured_queries if 'FROM "circle_consent"' in q["sql"]]
    assert len(people) == 1 and len(consents) == 1
