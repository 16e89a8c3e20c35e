"""The portal pages (issue 3, points 6, 8, 12): a participant sees their own data and the
information, answers, consents, names people and withdraws; nothing of anyone else."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.circle import actions, information
from kring.circle.models import Consent, Mode, Nomination, Participant, Side, Status
from kring.portal.tests.conftest import enter_url, invite
from kring.testing.circle_people import add
from kring.testing.people import (
    DAAN,
    ELLEN,
    JOOST,
    SANNE,
    SANNE_ADDRESS,
    SANNE_EMAIL,
    SANNE_PHONE,
)

PAGES = ("portal:home", "portal:consent", "portal:nominate", "portal:withdraw")
CONSENT = {
    "legal_advice": "yes",
    "interpreter": "no",
    "support_person": "later",
    "agree": "on",
}


def _text(response) -> str:
    return response.content.decode()


def _checked(page: str, input_id: str) -> bool:
    tag = re.search(rf'<input[^>]*id="{input_id}"[^>]*>', page)
    assert tag, f"no input {input_id}"
    return " checked" in tag.group(0)


def _refreshed(participant):
    return Participant.objects.get(pk=participant.pk)


def test_home_shows_the_information_rights_and_own_details(as_daan, daan):
    response = as_daan.get(reverse("portal:home"))
    page = _text(response)

    assert response.status_code == 200
    assert "Hello Daan" in page
    for heading, _paragraph in information.sections():
        assert str(heading) in page
    assert "legal advice" in page and "interpreter" in page and "support person" in page
    assert reverse("referrals:privacy") in page
    # His own details, masked (issue 8, point 5): enough to recognise, not to find him.
    assert DAAN.email not in page and DAAN.phone not in page
    assert "d…@…e.org" in page and "ending in …22" in page
    assert "Your coordinator is Carla" in page
    assert "Will you take part in the conference?" in page


def test_viewing_the_portal_is_audited_without_a_staff_actor(as_daan, daan):
    before = AuditEvent.objects.filter(action="portal.viewed").count()

    as_daan.get(reverse("portal:home"))

    event = AuditEvent.objects.filter(action="portal.viewed").latest("pk")
    assert AuditEvent.objects.filter(action="portal.viewed").count() == before + 1
    assert event.actor is None
    assert (event.actor_kind, event.actor_participant_id) == ("participant", daan.pk)
    assert event.case_id == daan.case_id
    assert event.object_id == str(daan.pk)


@pytest.mark.parametrize("name", PAGES)
def test_daan_never_sees_sannes_or_anyone_elses_contact_details(as_daan, name, sanne, joost):
    actions.nominate(sanne, name="Ria Jansen", relation="tante", by=Actor.in_portal(sanne))

    page = _text(as_daan.get(reverse(name)))

    others = (SANNE_PHONE, SANNE_EMAIL, *SANNE_ADDRESS.splitlines(), JOOST.email, JOOST.phone)
    for planted in others:
        assert planted not in page
    assert "Sanne" not in page
    assert "Ria Jansen" not in page  # someone else's nomination
    assert SANNE.wishes not in page


def test_sanne_sees_her_own_contact_details_but_not_daans(as_sanne):
    page = _text(as_sanne.get(reverse("portal:home")))

    assert SANNE_PHONE not in page and "ending in …32" in page  # masked (issue 8, point 5)
    assert DAAN.email not in page and DAAN.phone not in page


def test_accepting_the_invitation(as_daan, daan):
    response = as_daan.post(reverse("portal:respond"), {"answer": "accept"})

    assert response.status_code == 303
    assert _refreshed(daan).status == Status.ACCEPTED
    event = CaseEvent.objects.filter(case=daan.case, kind="circle.accepted").get()
    assert event.actor is None and event.data["mode"] == Mode.PORTAL
    page = _text(as_daan.get(response["Location"]))
    assert "You have said that you will take part." in page


def test_declining_the_invitation(as_daan, daan):
    as_daan.post(reverse("portal:respond"), {"answer": "decline"})

    assert _refreshed(daan).status == Status.DECLINED
    page = _text(as_daan.get(reverse("portal:home")))
    assert "You have said that you will not take part." in page
    assert "I want to take part after all" in page


def test_an_answer_without_a_choice_changes_nothing_and_says_so(as_daan, daan):
    response = as_daan.post(reverse("portal:respond"), {"answer": "maybe"}, follow=True)

    assert _refreshed(daan).status == Status.INVITED
    assert "Choose whether you take part or not." in _text(response)


def test_a_refused_answer_is_a_message_not_an_error(as_daan, daan):
    Case.objects.filter(pk=daan.case_id).update(state=State.SCHEDULED)

    response = as_daan.post(reverse("portal:respond"), {"answer": "accept"}, follow=True)

    assert response.status_code == 200
    assert "This is possible only while the case is being prepared." in _text(response)
    assert _refreshed(daan).status == Status.INVITED


def test_consent_records_the_version_the_answers_and_the_portal(as_daan, daan):
    response = as_daan.post(reverse("portal:consent"), CONSENT)

    assert response.status_code == 303
    consent = Consent.objects.get(participant=daan)
    assert consent.given_by == daan
    assert consent.information_version == information.CURRENT_VERSION
    assert consent.mode == Mode.PORTAL
    assert consent.obtained_by is None
    assert (consent.legal_advice, consent.interpreter, consent.support_person) == (
        "yes",
        "no",
        "later",
    )
    page = _text(as_daan.get(reverse("portal:home")))
    assert "You gave your consent on" in page
    assert "information version" not in page  # an internal word (issue 8, point 6)


def test_the_consent_page_shows_the_information_and_no_version_code(as_daan):
    page = _text(as_daan.get(reverse("portal:consent")))

    assert "I have read the explanation above and I agree to take part." in page
    assert information.CURRENT_VERSION not in page  # recorded with the consent, not shown
    for heading, _paragraph in information.sections():
        assert str(heading) in page


def test_consent_without_the_tick_keeps_the_answers_and_says_what_is_missing(as_daan, daan):
    data = {**CONSENT, "agree": ""}

    response = as_daan.post(reverse("portal:consent"), data)
    page = _text(response)

    assert response.status_code == 200
    assert "data-error-summary" in page
    assert "Tick the box to say you have read the information and agree." in page
    assert 'href="#id_agree"' in page
    assert _checked(page, "id_legal_advice_0")
    assert _checked(page, "id_interpreter_1")
    assert _checked(page, "id_support_person_2")
    assert not _checked(page, "id_agree")
    assert not Consent.objects.filter(participant=daan).exists()


def test_consent_without_answers_names_each_missing_answer(as_daan):
    page = _text(as_daan.post(reverse("portal:consent"), {"agree": "on"}))

    assert "Choose whether you want legal advice." in page
    assert "Choose whether you want an interpreter." in page
    assert "Choose whether you want a support person." in page
    assert _checked(page, "id_agree")


@pytest.fixture
def mother_and_minor(sanne, daan_acknowledged, carla):
    """Sanne is a minor; her mother Ellen, in her circle, is her guardian. Daan has
    acknowledged his part, so the harmed side can be invited (R4)."""
    ellen = add(ELLEN, sanne.case, by=carla, supports=sanne)
    actions.update_participant(sanne, by=carla, is_minor=True, guardian=ellen)
    return ellen, _refreshed(sanne)


def test_a_guardian_consents_for_the_minor(client, mother_and_minor, carla):
    ellen, sanne = mother_and_minor
    client.get(enter_url(invite(ellen, by=carla)))
    page = _text(client.get(reverse("portal:consent")))
    assert "Sanne Jansen, as their parent or guardian" in page

    response = client.post(reverse("portal:consent"), {**CONSENT, "person": sanne.pk})

    assert response.status_code == 303
    consent = Consent.objects.get(participant=sanne)
    assert consent.given_by == ellen
    assert consent.mode == Mode.PORTAL
    assert not Consent.objects.filter(participant=ellen).exists()
    home = _text(client.get(reverse("portal:home")))
    assert "Sanne Jansen: you gave consent as parent or guardian on" in home


def test_a_guardian_consents_for_themself_by_choosing_myself(client, mother_and_minor, carla):
    ellen, sanne = mother_and_minor
    client.get(enter_url(invite(ellen, by=carla)))

    client.post(reverse("portal:consent"), {**CONSENT, "person": ellen.pk})

    assert Consent.objects.get(participant=ellen).given_by == ellen
    assert not Consent.objects.filter(participant=sanne).exists()


def test_a_guardian_cannot_consent_for_someone_who_is_not_their_ward(
    client, mother_and_minor, daan, carla
):
    ellen, _sanne = mother_and_minor
    client.get(enter_url(invite(ellen, by=carla)))

    response = client.post(reverse("portal:consent"), {**CONSENT, "person": daan.pk})

    assert response.status_code == 200
    assert "Choose who you consent for." in _text(response)
    assert not Consent.objects.exists()


def test_a_minor_gives_their_own_consent(client, mother_and_minor, carla):
    _ellen, sanne = mother_and_minor
    client.get(enter_url(invite(sanne, by=carla)))
    page = _text(client.get(reverse("portal:consent")))
    assert "Because you are under 18, your parent or guardian gives consent as well." in page
    assert "Who do you give consent for?" not in page

    client.post(reverse("portal:consent"), CONSENT)

    assert Consent.objects.get(participant=sanne).given_by == sanne


def test_nominating_someone_and_seeing_own_nominations(as_sanne, sanne):
    response = as_sanne.post(
        reverse("portal:nominate"), {"name": "Ria Jansen", "relation": "my aunt"}
    )

    assert response.status_code == 303
    nomination = Nomination.objects.get(nominated_by=sanne)
    assert (nomination.name, nomination.relation, nomination.via) == (
        "Ria Jansen",
        "my aunt",
        Mode.PORTAL,
    )
    assert nomination.decision == Nomination.Decision.PENDING
    page = _text(as_sanne.get(response["Location"]))
    assert "Ria Jansen (my aunt)" in page
    assert "Ria Jansen (my aunt)" in _text(as_sanne.get(reverse("portal:home")))


def test_nominating_without_a_name_keeps_what_was_typed(as_sanne, sanne):
    response = as_sanne.post(reverse("portal:nominate"), {"name": "  ", "relation": "my aunt"})
    page = _text(response)

    assert response.status_code == 200
    assert "data-error-summary" in page
    assert "Write the name of the person you want to be there." in page
    assert 'value="my aunt"' in page
    assert re.search(r'<input[^>]*aria-describedby="id_name_error"[^>]*id="id_name"', page)
    assert not Nomination.objects.exists()


def test_nominating_a_too_long_name_keeps_it(as_sanne):
    long_name = "R" * 201

    page = _text(as_sanne.post(reverse("portal:nominate"), {"name": long_name}))

    assert "Write the name in at most 200 characters." in page
    assert f'value="{long_name}"' in page
    assert not Nomination.objects.exists()


def test_the_withdraw_page_asks_first_and_changes_nothing(as_sanne, sanne):
    page = _text(as_sanne.get(reverse("portal:withdraw")))

    assert "you do not have to give a reason;" in page
    assert "your coordinator hears this and will get in touch with you;" in page
    assert "you can take part again later, if you want to." in page
    # The way back comes first; the button that stops comes after "Are you sure?".
    assert page.index("No, I do not want to stop. Go back") < page.index("Yes, I stop taking part")
    assert _refreshed(sanne).status == Status.INVITED


def test_withdrawing_takes_effect_at_once(as_sanne, sanne):
    as_sanne.post(reverse("portal:respond"), {"answer": "accept"})

    response = as_sanne.post(reverse("portal:withdraw"))

    assert response.status_code == 303
    sanne = _refreshed(sanne)
    assert sanne.status == Status.WITHDRAWN
    assert sanne.withdrawal_mode == Mode.PORTAL
    assert CaseEvent.objects.filter(case=sanne.case, kind="circle.withdrawn").exists()
    page = _text(as_sanne.get(reverse("portal:home")))
    assert "You have withdrawn. You no longer take part." in page
    assert "Yes, I will take part" not in page
    assert reverse("portal:consent") not in page


def test_withdrawing_is_possible_once_the_conference_is_scheduled(as_sanne, sanne):
    Case.objects.filter(pk=sanne.case_id).update(state=State.SCHEDULED)

    as_sanne.post(reverse("portal:withdraw"))

    assert _refreshed(sanne).status == Status.WITHDRAWN


def test_withdrawing_is_refused_after_the_conference_with_a_message(as_sanne, sanne):
    Case.objects.filter(pk=sanne.case_id).update(state=State.CONFERENCE_HELD)
    assert "Stopping here is no longer possible" in _text(as_sanne.get(reverse("portal:withdraw")))

    response = as_sanne.post(reverse("portal:withdraw"), follow=True)

    assert response.status_code == 200
    assert "Withdrawing is possible until the plan is signed." in _text(response)
    assert _refreshed(sanne).status == Status.INVITED


@pytest.mark.usefixtures("daan_acknowledged")
def test_the_portal_speaks_the_participants_language(client, daan, carla, sanne, joost):
    actions.update_participant(daan, by=carla, language="nl")  # the client asks for English
    response = client.get(enter_url(invite(daan, by=carla)))

    assert response.cookies["django_language"].value == "nl"
    assert '<html lang="nl">' in _text(client.get(reverse("portal:home")))


@pytest.mark.usefixtures("daan_acknowledged")
def test_the_language_switch_overrides_the_preferred_language(client, daan, carla):
    actions.update_participant(daan, by=carla, language="nl")  # Daan prefers Dutch
    client.get(enter_url(invite(daan, by=carla)))
    assert '<html lang="nl">' in _text(client.get(reverse("portal:home")))

    client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:home")})

    assert '<html lang="en">' in _text(client.get(reverse("portal:home")))


@pytest.mark.usefixtures("daan_acknowledged")
def test_without_a_language_cookie_the_preferred_language_is_used(client, daan, carla):
    actions.update_participant(daan, by=carla, language="en")
    client.get(enter_url(invite(daan, by=carla)))
    client.cookies.pop("django_language")

    page = _text(client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="nl"))

    assert '<html lang="en">' in page


def _grow_circle(case, daan, n):
    """n more people in Daan's circle, with contact details, consents and nominations."""
    now = timezone.now()
    people = Participant.objects.bulk_create(
        Participant(
            case=case,
            name=f"Supporter {i}",
            side=Side.SUPPORTER,
            supports=daan,
            email=f"s{i}@example.org",
            status=Status.INVITED,
            status_changed_at=now,
        )
        for i in range(n)
    )
    Consent.objects.bulk_create(
        Consent(
            participant=p,
            given_by=p,
            information_version=information.CURRENT_VERSION,
            given_at=now,
            mode=Mode.PAPER,
            legal_advice="no",
            interpreter="no",
            support_person="no",
        )
        for p in people
    )
    Nomination.objects.bulk_create(
        Nomination(case=case, nominated_by=p, name="N", via=Mode.PHONE) for p in people
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_of_the_portal_is_the_same_for_a_circle_of_5_and_of_40(
    as_daan, daan, sanne, joost
):
    actions.nominate(daan, name="Oom Kees", relation="oom", by=Actor.in_portal(daan))
    as_daan.post(reverse("portal:consent"), CONSENT)
    url = reverse("portal:home")
    _grow_circle(daan.case, daan, 2)  # 5 people
    as_daan.get(url)  # warm up: session, translations
    small = _count(as_daan, url)

    _grow_circle(daan.case, daan, 35)

    assert daan.case.participants.count() == 40
    assert _count(as_daan, url) == small
