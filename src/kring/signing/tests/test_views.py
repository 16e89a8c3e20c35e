"""The signing pages on the coordinator's tablet (issue 11, points 1 and 2), as they read in
Dutch: the overview of who signed, who declined (and why) and who has not yet; the page for the
person holding the tablet (the whole plan, the tick, the name); declining with a reason. Who
may: Carla (the case's coordinator) hosts; Mira (the team's manager) reads the overview; Bram
(the office) is refused and reads only counts on the case page; Olaf (another coordinator) does
not find the case."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.conference import editing, versions
from kring.conference.models import Attendance
from kring.conference.tests.mode_fixtures import said_yes
from kring.signing import actions
from kring.signing.consent import consent_text
from kring.signing.models import Declination, Role, Signature
from kring.signing.tests.pages import dutch, text

pytestmark = pytest.mark.django_db

RIA_REASON = "Ik wil eerst met mijn nicht praten over afspraak 1."


def overview_url(case):
    return reverse("signing:overview", args=[case.pk])


def sign_url(case, participant, role=Role.OWN):
    return reverse("signing:sign_in_person", args=[case.pk, participant.pk, role])


def decline_url(case, participant, role=Role.OWN):
    return reverse("signing:decline_in_person", args=[case.pk, participant.pk, role])


def as_shown(case, data: dict) -> dict:
    """The form's fields as its page sends them: with the hash of the version the page shows,
    the one to sign now (test_a_page_that_showed_version_1_... proves the page carries it)."""
    from kring.signing import queries

    version = queries.version_to_sign(case)
    return {**data, "shown_hash": version.content_hash if version is not None else ""}


def sign_on_tablet(version, participant, host, *, role=Role.OWN, signer=None):
    """A signature made through the action, as the tablet's page makes it."""
    from kring.audit.actors import Actor

    signer = signer or participant
    minor = participant if role == Role.GUARDIAN else None
    return actions.sign(
        version,
        participant.pk,
        role,
        by=Actor.in_person(signer, for_participant=minor),
        typed_name=signer.name,
        agreed=True,
        consent_text=consent_text(version, "nl"),
        shown_hash=version.content_hash,
        host=host,
    )[0]


def decline_on_tablet(version, participant, host, reason):
    """A declination made through the action, as the tablet's page makes it."""
    from kring.audit.actors import Actor

    return actions.decline(
        version,
        participant.pk,
        Role.OWN,
        by=Actor.in_person(participant),
        reason=reason,
        shown_hash=version.content_hash,
        host=host,
    )


# --- the overview -------------------------------------------------------------------------------


def test_carla_reads_the_version_and_hands_the_tablet_to_each_person(
    client, final_version, carla, daan, sanne, joost, ria
):
    case = final_version.plan.case
    page = text(dutch(client, carla).get(overview_url(case)))
    assert "Het plan ondertekenen" in page
    assert final_version.content_hash[:12] in page
    assert "Ondertekenen: 0 van 4 getekend." in page
    for person in (daan, sanne, joost, ria):
        assert f"Geef de tablet aan {person.name}" in page
        assert sign_url(case, person) in page
    assert "Nog niet getekend" in page
    event = AuditEvent.objects.filter(action="signing.overview_viewed").get()
    assert event.case_id == case.pk


def test_mira_reads_the_overview_but_hands_over_no_tablet_and_bram_and_olaf_are_refused(
    client, final_version, mira, bram, olaf, daan
):
    case = final_version.plan.case
    page = text(dutch(client, mira).get(overview_url(case)))
    assert "Ondertekenen: 0 van 4 getekend." in page
    assert "Geef de tablet aan" not in page
    assert sign_url(case, daan) not in page
    assert dutch(client, bram).get(overview_url(case)).status_code == 403
    assert dutch(client, olaf).get(overview_url(case)).status_code == 404


def test_a_plan_not_final_yet_says_it_must_be_made_final_first(client, complete_plan, carla):
    case = complete_plan.case
    page = text(dutch(client, carla).get(overview_url(case)))
    assert "eerst moet het plan worden vastgesteld" in page
    assert reverse("conference:finalise", args=[case.pk]) in page
    assert "Geef de tablet aan" not in page


def test_the_office_reads_counts_on_the_case_page_never_a_reason_or_a_link(
    client, final_version, carla, bram, daan, ria
):
    case = final_version.plan.case
    sign_on_tablet(final_version, daan, carla)

    decline_on_tablet(final_version, ria, carla, RIA_REASON)
    office = text(dutch(client, bram).get(reverse("cases:detail", args=[case.pk])))
    assert "Ondertekenen: 1 van 4 getekend." in office
    assert "Wil niet tekenen: 1." in office
    assert RIA_REASON not in office
    assert overview_url(case) not in office
    coordinator = text(dutch(client, carla).get(reverse("cases:detail", args=[case.pk])))
    assert overview_url(case) in coordinator


def test_the_reason_of_a_declination_is_read_by_the_coordinator_and_the_manager(
    client, final_version, carla, mira, ria
):

    case = final_version.plan.case
    decline_on_tablet(final_version, ria, carla, RIA_REASON)
    for user in (carla, mira):
        page = text(dutch(client, user).get(overview_url(case)))
        assert "Wil niet tekenen." in page
        # Folded away under a label that says who it is for: not read out to whoever stands by.
        folded = re.search(r"<details[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>", page)
        assert folded is not None
        assert "Waarom niet (voor de coördinator)" in folded.group(1)
        assert RIA_REASON in folded.group(2)
        assert page.count(RIA_REASON) == 1
    # Ria can still sign after all: the button stays.
    page = text(dutch(client, carla).get(overview_url(case)))
    assert f"Geef de tablet aan {ria.name}" in page


def test_a_changed_plan_says_everyone_signs_the_new_version_again(
    client, final_version, carla, daan, sanne
):
    case = final_version.plan.case
    sign_on_tablet(final_version, daan, carla)
    plan = final_version.plan
    editing.add_agreement(
        plan,
        what="Daan helpt een middag bij de fietsenmaker.",
        who=daan,
        for_whom="Sanne",
        by=carla,
    )
    plan.refresh_from_db()
    version_2 = versions.finalise(plan, by=carla)
    page = text(dutch(client, carla).get(overview_url(case)))
    assert "Het plan is veranderd. Iedereen tekent de nieuwe versie opnieuw." in page
    assert version_2.content_hash[:12] in page
    assert "Ondertekenen: 0 van 4 getekend." in page
    assert f"Geef de tablet aan {daan.name}" in page


def test_everyone_signed_says_so(client, final_version, carla, daan, sanne, joost, ria):
    case = final_version.plan.case
    for person in (daan, sanne, joost, ria):
        sign_on_tablet(final_version, person, carla)
    case.refresh_from_db()
    assert case.state == State.FOLLOWING_UP
    page = text(dutch(client, carla).get(overview_url(case)))
    assert "Iedereen heeft getekend." in page
    assert reverse("signing:copies", args=[case.pk]) in page
    assert "Geef de tablet aan" not in page


def _queries(client, case) -> int:
    client.get(overview_url(case))  # what a session reads only on its first request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(overview_url(case)).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_of_the_overview_does_not_grow_with_the_people_signing(
    client, final_version, carla, daan, sanne
):
    case = final_version.plan.case
    conference = final_version.plan.conference
    sign_on_tablet(final_version, daan, carla)
    client = dutch(client, carla)
    four = _queries(client, case)
    for i in range(11):
        person = said_yes(case, f"Steun {i:02d}", supports=daan if i % 2 else sanne)
        Attendance.objects.create(
            conference=conference,
            participant=person,
            present=True,
            recorded_at=conference.started_at,
            recorded_by=carla,
        )
    assert "Ondertekenen: 1 van 15 getekend." in text(client.get(overview_url(case)))
    assert _queries(client, case) == four


# --- signing on the tablet ----------------------------------------------------------------------


def test_the_signing_page_shows_the_whole_plan_the_consent_and_whose_turn_it_is(
    client, final_version, carla, daan
):
    case = final_version.plan.case
    page = text(dutch(client, carla).get(sign_url(case, daan)))
    assert f"{daan.name}, lees het plan. Klopt het voor jou?" in page
    assert "Daan betaalt de nieuwe fiets van Sanne terug, €20 per maand." in page
    assert "We praten opnieuw met Carla erbij." in page
    assert consent_text(final_version, "nl") in page
    assert "Typ je naam" in page
    assert 'autocomplete="off"' in page
    assert "Ondertekenen" in page
    assert decline_url(case, daan) in page
    # The drawing area is made by the script; without it the page still signs.
    assert "Dit hoeft niet. Het vinkje en je naam zijn genoeg." in page


def test_signing_on_the_tablet_records_the_participant_as_the_actor_and_carla_as_host(
    client, final_version, carla, daan
):
    case = final_version.plan.case
    client = dutch(client, carla)
    answer = client.post(
        sign_url(case, daan),
        as_shown(
            case, {"agreed": "on", "typed_name": "D. de Boer", "drawing": "M 10 10 L 40 30 L 80 12"}
        ),
    )
    assert answer.status_code == 302
    signature = Signature.objects.get()
    assert signature.signed_by == daan
    assert signature.hosted_by == carla
    assert signature.typed_name == "D. de Boer"
    assert signature.drawing == "M 10 10 L 40 30 L 80 12"
    assert signature.consent_text == consent_text(final_version, "nl")
    assert signature.content_hash == final_version.content_hash
    event = CaseEvent.objects.filter(kind="signing.signed").get()
    assert event.actor_participant_id == daan.pk
    page = text(client.get(answer["Location"]))
    assert f"Dank je wel, {daan.name}. Je hebt het plan ondertekend." in page
    assert "Geef de tablet terug aan" in page
    # Who is next: the next one by name.
    assert "Geef de tablet aan" in page


def test_a_repeated_post_makes_no_second_signature(client, final_version, carla, daan):
    case = final_version.plan.case
    client = dutch(client, carla)
    data = {"agreed": "on", "typed_name": "Daan"}
    assert client.post(sign_url(case, daan), as_shown(case, data)).status_code == 302
    assert client.post(sign_url(case, daan), as_shown(case, data)).status_code == 302
    assert Signature.objects.count() == 1
    assert CaseEvent.objects.filter(kind="signing.signed").count() == 1


def test_no_tick_or_no_name_refuses_and_keeps_what_was_typed(client, final_version, carla, daan):
    case = final_version.plan.case
    client = dutch(client, carla)
    page = text(client.post(sign_url(case, daan), as_shown(case, {"typed_name": "Daan de Boer"})))
    assert "Er is een probleem" in page
    assert "Zet een vinkje als je het eens bent met dit plan." in page
    assert 'value="Daan de Boer"' in page
    page = text(
        client.post(sign_url(case, daan), as_shown(case, {"agreed": "on", "typed_name": "   "}))
    )
    assert "Typ je naam om te tekenen." in page
    # The message is at the field, and the field points to it for a screen reader.
    name_field = re.search(r'<input[^>]*name="typed_name"[^>]*>', page).group(0)
    assert re.search(r'aria-describedby="[^"]*\bid_typed_name_error\b', name_field)
    assert re.search(r'id="id_typed_name_error"[^>]*>.*?Typ je naam om te tekenen\.', page)
    assert not Signature.objects.exists()
    # The same page with the tick and a name signs: the refusals refused something.
    assert (
        client.post(
            sign_url(case, daan), as_shown(case, {"agreed": "on", "typed_name": "Daan"})
        ).status_code
        == 302
    )
    assert Signature.objects.count() == 1


def test_a_drawing_that_is_not_path_data_is_left_out_and_the_signature_stands(
    client, final_version, carla, daan
):
    case = final_version.plan.case
    dutch(client, carla).post(
        sign_url(case, daan),
        as_shown(
            case, {"agreed": "on", "typed_name": "Daan", "drawing": "<script>alert(1)</script>"}
        ),
    )
    assert Signature.objects.get().drawing == ""


def test_only_carla_hosts_signing(client, final_version, mira, bram, olaf, daan):
    case = final_version.plan.case
    data = {"agreed": "on", "typed_name": "Daan"}
    assert dutch(client, mira).post(sign_url(case, daan), as_shown(case, data)).status_code == 403
    assert dutch(client, mira).get(sign_url(case, daan)).status_code == 403
    assert dutch(client, bram).post(sign_url(case, daan), as_shown(case, data)).status_code == 403
    assert dutch(client, olaf).post(sign_url(case, daan), as_shown(case, data)).status_code == 404
    assert not Signature.objects.exists()


def test_a_place_to_sign_that_does_not_exist_is_not_found(
    client, final_version, carla, daan, linde
):
    case = final_version.plan.case
    client = dutch(client, carla)
    assert client.get(sign_url(case, daan, role=Role.GUARDIAN)).status_code == 404
    assert client.get(sign_url(case, daan, role="boss")).status_code == 404
    assert (
        client.get(reverse("signing:sign_in_person", args=[case.pk, 999999, "own"])).status_code
        == 404
    )


def test_a_guardian_signs_along_for_a_minor(client, sanne_a_minor, carla, sanne, ellen):
    case = sanne_a_minor.plan.case
    client = dutch(client, carla)
    page = text(client.get(overview_url(case)))
    assert f"{ellen.name} tekent mee voor {sanne.name}" in page
    # Ellen's page is in her language, English (ADR 0009).
    page = text(client.get(sign_url(case, sanne, Role.GUARDIAN)))
    assert f"{ellen.name}, read the plan." in page
    assert f"You sign as parent or guardian of {sanne.name}." in page
    answer = client.post(
        sign_url(case, sanne, Role.GUARDIAN),
        as_shown(case, {"agreed": "on", "typed_name": ellen.name}),
    )
    assert answer.status_code == 302
    signature = Signature.objects.get()
    assert (signature.participant, signature.role, signature.signed_by) == (
        sanne,
        Role.GUARDIAN,
        ellen,
    )
    assert f"as parent or guardian of {sanne.name}".lower() in signature.consent_text.lower()


def test_a_signed_version_no_longer_counts_after_a_change(client, final_version, carla, daan):
    """The tablet's page signs the version to sign now: after a change, version 2."""
    case = final_version.plan.case
    sign_on_tablet(final_version, daan, carla)
    plan = final_version.plan
    editing.add_agreement(plan, what="Nog een afspraak.", who=daan, for_whom="Sanne", by=carla)
    plan.refresh_from_db()
    version_2 = versions.finalise(plan, by=carla)
    client = dutch(client, carla)
    page = text(client.get(sign_url(case, daan)))
    assert "Nog een afspraak." in page
    client.post(sign_url(case, daan), as_shown(case, {"agreed": "on", "typed_name": "Daan"}))
    assert Signature.objects.filter(version=version_2, signed_by=daan).count() == 1


# --- declining ----------------------------------------------------------------------------------


def test_declining_needs_a_reason_and_then_the_overview_shows_it(client, final_version, carla, ria):
    case = final_version.plan.case
    client = dutch(client, carla)
    page = text(client.get(decline_url(case, ria)))
    assert "Je hoeft niet te tekenen. De coördinator ziet waarom niet." in page
    assert ">Ik teken niet<" in page
    page = text(client.post(decline_url(case, ria), as_shown(case, {"reason": ""})))
    assert "Schrijf op waarom je niet tekent." in page
    assert not Declination.objects.exists()
    answer = client.post(decline_url(case, ria), as_shown(case, {"reason": RIA_REASON}))
    assert answer.status_code == 302
    assert answer["Location"] == decline_url(case, ria)
    declination = Declination.objects.get()
    assert (declination.declined_by, declination.hosted_by, declination.reason) == (
        ria,
        carla,
        RIA_REASON,
    )
    event = CaseEvent.objects.filter(kind="signing.declined").get()
    assert event.actor_participant_id == ria.pk
    assert RIA_REASON not in str(event.data)
    page = text(client.get(overview_url(case)))
    assert RIA_REASON in page
    # Declining twice is not possible: the page says so, offers no button, adds nothing.
    page = text(client.post(decline_url(case, ria), as_shown(case, {"reason": "nog eens"})))
    assert "Er staat al dat er niet wordt getekend." in page
    assert "<form" not in page.split("<main", 1)[1]
    assert ">Ik teken niet<" not in page
    assert Declination.objects.count() == 1


def test_a_reason_longer_than_1000_characters_is_refused(client, final_version, carla, ria):
    case = final_version.plan.case
    page = text(
        dutch(client, carla).post(decline_url(case, ria), as_shown(case, {"reason": "x" * 1001}))
    )
    assert "Schrijf hoogstens 1000 tekens." in page
    assert not Declination.objects.exists()


def test_only_carla_hosts_declining(client, final_version, mira, ria):
    case = final_version.plan.case
    assert (
        dutch(client, mira)
        .post(decline_url(case, ria), as_shown(case, {"reason": "nee"}))
        .status_code
        == 403
    )
    assert not Declination.objects.exists()


def test_the_tablet_page_of_a_plan_being_changed_goes_back_to_the_overview(
    client, final_version, carla, daan
):
    """Carla changed the plan after it was final: the tablet's page signs nothing and the
    overview says the plan must be made final first."""
    case = final_version.plan.case
    plan = final_version.plan
    editing.add_agreement(plan, what="Nog een afspraak.", who=daan, for_whom="Sanne", by=carla)
    client = dutch(client, carla)
    answer = client.post(
        sign_url(case, daan), as_shown(case, {"agreed": "on", "typed_name": "Daan"})
    )
    assert answer.status_code == 302
    assert answer["Location"] == overview_url(case)
    assert not Signature.objects.exists()
    page = text(client.get(answer["Location"]))
    assert "eerst moet het plan worden vastgesteld" in page
    assert client.get(decline_url(case, daan)).status_code == 302


# --- the pages for the person holding the tablet ------------------------------------------------

JOOST_REASON = "Ik wil het eerst met mijn ouders bespreken."


def _host_name(user) -> str:
    return user.get_full_name() or user.get_username()


def test_after_declining_the_tablet_says_give_it_back_and_shows_nobodys_reason(
    client, final_version, carla, joost, ria
):
    """Whoever holds the tablet after Ria declined never reads why Joost or Ria do not sign:
    the page after declining is a confirmation, not the coordinator's overview."""

    case = final_version.plan.case
    decline_on_tablet(final_version, joost, carla, JOOST_REASON)
    client = dutch(client, carla)
    answer = client.post(decline_url(case, ria), as_shown(case, {"reason": RIA_REASON}))
    page = text(client.get(answer["Location"]))
    assert f"{ria.name}, je tekent niet." in page
    assert f"Geef de tablet terug aan {_host_name(carla)}." in page
    assert RIA_REASON not in page
    assert JOOST_REASON not in page
    assert f'href="{overview_url(case)}"' not in page
    # The reasons are where Carla reads them.
    overview = text(client.get(overview_url(case)))
    assert RIA_REASON in overview
    assert JOOST_REASON in overview


def test_the_pages_for_the_person_holding_the_tablet_have_no_staff_menu(
    client, final_version, carla, daan, joost, ria
):
    case = final_version.plan.case
    client = dutch(client, carla)
    staff_page = text(client.get(overview_url(case)))
    assert 'aria-label="Hoofdmenu"' in staff_page
    assert "Uitloggen" in staff_page
    client.post(sign_url(case, daan), as_shown(case, {"agreed": "on", "typed_name": "Daan"}))
    client.post(decline_url(case, ria), as_shown(case, {"reason": RIA_REASON}))
    pages = {
        "to sign": sign_url(case, joost),
        "signed": sign_url(case, daan),
        "to decline": decline_url(case, joost),
        "declined": decline_url(case, ria),
    }
    for which, url in pages.items():
        page = text(client.get(url))
        assert 'aria-label="Hoofdmenu"' not in page, which
        assert "Uitloggen" not in page, which
        assert f'href="{reverse("accounts:account")}"' not in page, which
        assert f'href="{overview_url(case)}"' not in page, which
        assert f'href="{reverse("cases:detail", args=[case.pk])}"' not in page, which
        # What every page keeps: the skip link and the language switch.
        assert 'href="#main"' in page, which
        assert "Direct naar de inhoud" in page, which
        assert 'name="taal" value="en"' in page, which
    # The signed page no longer leads back to the overview either.
    assert "Terug naar het overzicht" not in text(client.get(pages["signed"]))


def test_who_is_next_skips_a_place_declined_and_a_guardian_who_was_not_there(
    client, sanne_a_minor, carla, daan, joost, ria, sanne, ellen
):
    """Joost declined: after Daan the tablet goes to Ria. Ellen co-signs for Sanne but was not
    at the meeting: after the last one present, nobody is next on the tablet."""

    case = sanne_a_minor.plan.case
    decline_on_tablet(sanne_a_minor, joost, carla, JOOST_REASON)
    client = dutch(client, carla)
    answer = client.post(
        sign_url(case, daan), as_shown(case, {"agreed": "on", "typed_name": "Daan"})
    )
    page = text(client.get(answer["Location"]))
    assert f"Geef de tablet aan {ria.name}" in page
    assert sign_url(case, ria) in page
    assert sign_url(case, joost) not in page
    sign_on_tablet(sanne_a_minor, ria, carla)
    answer = client.post(
        sign_url(case, sanne), as_shown(case, {"agreed": "on", "typed_name": "Sanne"})
    )
    page = text(client.get(answer["Location"]))
    assert f"Thank you, {sanne.name}. You signed the plan." in page
    assert sign_url(case, sanne, Role.GUARDIAN) not in page
    assert ellen.name not in page
    assert f"Give the tablet back to {_host_name(carla)}." in page


def test_next_to_sign_is_the_first_place_open_whose_signer_was_there(
    sanne_a_minor, carla, daan, joost, ria, sanne
):
    from kring.signing import queries

    def next_one():
        found = queries.next_to_sign(queries.slots(sanne_a_minor))
        return (found.participant, found.role) if found else None

    assert next_one() == (daan, Role.OWN)
    decline_on_tablet(sanne_a_minor, daan, carla, "Nee.")
    assert next_one() == (joost, Role.OWN)
    for person in (joost, ria, sanne):
        sign_on_tablet(sanne_a_minor, person, carla)
    # Left: Daan, who declined, and Ellen's place for Sanne; Ellen was not there.
    assert next_one() is None


def test_the_person_holding_the_tablet_reads_the_version_and_its_date_not_its_fingerprint(
    client, final_version, carla, daan
):
    case = final_version.plan.case
    page = text(dutch(client, carla).get(sign_url(case, daan)))
    with translation.override("nl"):
        day = formats.date_format(timezone.localtime(final_version.finalised_at), "j F Y")
    assert f"Versie 1 van het plan, vastgesteld op {day}" in page
    # Only the form's hidden field carries it (the version shown is the version signed).
    visible = re.sub(r"<[^>]*>", " ", page)
    assert final_version.content_hash[:12] not in visible
    assert "vingerafdruk" not in visible.lower()


def test_the_signing_page_and_the_consent_are_in_the_signers_language(
    client, final_version, carla, sanne
):
    """Sanne reads English (her preferred language): her page and the sentence she agrees to
    are in English, whatever language Carla reads Kring in; what she signed is stored so."""
    case = final_version.plan.case
    client = dutch(client, carla)
    page = text(client.get(sign_url(case, sanne)))
    assert '<html lang="en">' in page
    assert f"{sanne.name}, read the plan. Is it right for you?" in page
    assert consent_text(final_version, "en") in page
    assert (
        client.post(
            sign_url(case, sanne), as_shown(case, {"agreed": "on", "typed_name": "Sanne"})
        ).status_code
        == 302
    )
    assert Signature.objects.get().consent_text == consent_text(final_version, "en")
    # Carla's own page stays in Dutch.
    assert "Het plan ondertekenen" in text(client.get(overview_url(case)))


def test_the_person_holding_the_tablet_switches_the_language_and_signs_what_they_read(
    client, final_version, carla, sanne
):
    case = final_version.plan.case
    client = dutch(client, carla)
    page = text(client.get(sign_url(case, sanne)))
    assert 'name="taal" value="nl"' in page
    in_dutch = f"{sign_url(case, sanne)}?taal=nl"
    page = text(client.get(in_dutch))
    assert '<html lang="nl">' in page
    assert f"{sanne.name}, lees het plan. Klopt het voor jou?" in page
    assert consent_text(final_version, "nl") in page
    answer = client.post(in_dutch, as_shown(case, {"agreed": "on", "typed_name": "Sanne"}))
    assert answer["Location"] == in_dutch
    assert Signature.objects.get().consent_text == consent_text(final_version, "nl")
    page = text(client.get(answer["Location"]))
    assert f"Dank je wel, {sanne.name}. Je hebt het plan ondertekend." in page
    # A language that Kring does not speak is the signer's own.
    assert '<html lang="en">' in text(client.get(f"{sign_url(case, sanne)}?taal=xx"))


def test_declining_is_in_the_signers_language_too(client, final_version, carla, sanne):
    case = final_version.plan.case
    client = dutch(client, carla)
    page = text(client.get(decline_url(case, sanne)))
    assert f"{sanne.name}, you do not sign" in page
    answer = client.post(decline_url(case, sanne), as_shown(case, {"reason": "Not yet."}))
    page = text(client.get(answer["Location"]))
    assert f"{sanne.name}, you do not sign." in page
    assert f"Give the tablet back to {_host_name(carla)}." in page


# --- the version shown is the version signed ----------------------------------------------------


def _shown_hash(page: str) -> str:
    found = re.search(r'<input type="hidden" name="shown_hash" value="([^"]*)"', page)
    assert found is not None
    return found.group(1)


def _version_2(final_version, carla, daan):
    plan = final_version.plan
    editing.add_agreement(plan, what="Nog een afspraak.", who=daan, for_whom="Sanne", by=carla)
    plan.refresh_from_db()
    return versions.finalise(plan, by=carla)


def test_a_page_that_showed_version_1_signs_nothing_once_version_2_is_final(
    client, final_version, carla, daan
):
    """Carla opens Daan's page (version 1); meanwhile the plan is changed and made final as
    version 2: Daan's tick and name sign nothing he did not read. The page then shows version 2,
    and signing that one works."""
    case = final_version.plan.case
    client = dutch(client, carla)
    shown = _shown_hash(client.get(sign_url(case, daan)).content.decode())
    assert shown == final_version.content_hash
    version_2 = _version_2(final_version, carla, daan)
    data = {"agreed": "on", "typed_name": "Daan", "shown_hash": shown}
    page = text(client.post(sign_url(case, daan), data))
    assert "Het plan is veranderd. Lees de nieuwe versie en teken die." in page
    assert not Signature.objects.exists()
    assert "Nog een afspraak." in page
    assert _shown_hash(page) == version_2.content_hash
    data["shown_hash"] = _shown_hash(page)
    assert client.post(sign_url(case, daan), data).status_code == 302
    assert Signature.objects.get().version == version_2


def test_declining_on_a_page_that_showed_version_1_records_nothing_once_version_2_is_final(
    client, final_version, carla, daan, ria
):
    case = final_version.plan.case
    client = dutch(client, carla)
    shown = _shown_hash(client.get(decline_url(case, ria)).content.decode())
    assert shown == final_version.content_hash
    _version_2(final_version, carla, daan)
    page = text(client.post(decline_url(case, ria), {"reason": RIA_REASON, "shown_hash": shown}))
    assert "Het plan is veranderd. Lees de nieuwe versie en teken die." in page
    assert not Declination.objects.exists()
    data = {"reason": RIA_REASON, "shown_hash": _shown_hash(page)}
    assert client.post(decline_url(case, ria), data).status_code == 302
    assert Declination.objects.count() == 1


def test_a_minor_without_a_guardian_who_takes_part_has_no_button_and_says_what_to_do(
    client, final_version, carla, sanne
):
    from django.utils.translation import gettext

    from kring.circle.models import Participant

    Participant.objects.filter(pk=sanne.pk).update(is_minor=True, guardian=None)
    page = text(dutch(client, carla).get(overview_url(final_version.plan.case)))
    with translation.override("nl"):
        advice = gettext(
            "%(name)s is a minor and has no parent or guardian who takes part, so nobody can "
            "co-sign for them. One cannot be added after the conference: talk with the family "
            "and your manager about what to do."
        ) % {"name": sanne.name}
    assert advice in page
    assert "Geen ouder of voogd bekend" in page
    assert sign_url(final_version.plan.case, sanne, Role.GUARDIAN) not in page
    # Her own place still has its button.
    assert sign_url(final_version.plan.case, sanne) in page
