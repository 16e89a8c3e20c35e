"""The agreement tracker (issue 12, points 1-3; R15), as Carla and Mira use it: every agreement of
the signed plan with its owner, date, state and history, the overdue one standing out; Carla sets
a state, answers Sanne's invocation, confirms or asks back about Daan's report of done, records the
follow-up contact; Mira reads all of it without a single form; Olaf (another coordinator) does not
find the case and Bram (the office) is refused. Bad input changes nothing and says why; the
contact appears on the case page and in "Mijn zaken" from its day on, not before; the page's
query count does not grow with the agreements."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.circle.models import Notice
from kring.followup import actions, queries
from kring.followup.models import (
    AgreementChange,
    AgreementState,
    ChangeKind,
    Contact,
    Report,
    TrackedAgreement,
)
from kring.signing.tests.pages import dutch, text
from kring.testing.auth import force_verified_login
from kring.testing.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, case, *args):
    return reverse(f"followup:{name}", args=[case.pk, *args])


def page_of(client, user, case) -> str:
    force_verified_login(client, user)
    return text(client.get(url("tracker", case)))


def refused(response) -> str:
    """A form sent and refused (bad input, or a rule that refuses now): the tracker again with
    status 400, its whitespace collapsed."""
    assert response.status_code == 400, response.status_code
    return " ".join(response.content.decode().split())


def card(page: str, number: int) -> str:
    """The card of agreement `number` on the tracker."""
    return page.split(f"Agreement {number} ", 1)[1].split("</article>", 1)[0]


def invoked(bike, sanne, words="The money for the bike has not come.") -> Report:
    return actions.invoke(bike, by=Actor.in_portal(sanne), participant=sanne, text=words)


def reported_done(school, daan, words="I cycle the other way every day.") -> Report:
    return actions.report_done(school, by=Actor.in_portal(daan), participant=daan, text=words)


# --- reading ------------------------------------------------------------------------------------


def test_carla_reads_every_agreement_with_its_owner_date_state_and_check(
    client, following_up, bike, school, carla
):
    page = page_of(client, carla, following_up)
    assert f"Agreements, case {following_up.reference}" in page
    bike_card = card(page, 1)
    assert bike.what in bike_card
    assert "Daan de Boer" in bike_card
    assert "1 December 2027" in bike_card
    assert "Open" in bike_card
    assert "Past the date" not in bike_card
    assert "No date" in card(page, 2)
    # Every form of the coordinator, for each agreement and the contact.
    assert url("set_state", following_up, bike.pk) in page
    assert url("set_state", following_up, school.pk) in page
    contact = Contact.objects.get(case=following_up)
    assert url("contact", following_up, contact.pk) in page
    assert reverse("conference:plan", args=[following_up.pk]) in page
    assert "everyone who signed signs the new version again" in page
    assert AuditEvent.objects.filter(action="followup.tracker_viewed", case=following_up).exists()


def test_the_tracker_is_never_cached(client, following_up, carla):
    force_verified_login(client, carla)
    response = client.get(url("tracker", following_up))
    assert "no-store" in response["Cache-Control"]


def test_an_agreement_past_its_date_stands_out_in_words(client, following_up, bike, carla):
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=queries.today() - timedelta(days=1))
    page = page_of(client, carla, following_up)
    assert "Past the date" in card(page, 1)
    assert "Past the date" not in card(page, 2)
    assert 'class="agreement overdue"' in page
    assert "Past the date: 1" in page
    # Done, it no longer stands out.
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.DONE)
    assert "Past the date" not in page_of(client, carla, following_up)


def test_the_tracker_speaks_dutch_in_neutral_words(client, following_up, bike, carla):
    TrackedAgreement.objects.filter(pk=bike.pk).update(
        due=queries.today() - timedelta(days=3), state=AgreementState.NOT_KEPT
    )
    TrackedAgreement.objects.filter(pk=bike.pk).update(state=AgreementState.PARTLY_DONE)
    page = text(dutch(client, carla).get(url("tracker", following_up)))
    assert "Afspraak 1" in page
    assert "Over de datum" in page
    assert "Deels gedaan" in page
    for word in ("fout", "schuld", "overtreding", "in gebreke", "slachtoffer", "dader"):
        assert word not in page.lower()


def test_mira_reads_everything_without_a_single_form(
    client, following_up, bike, school, sanne, daan, mira
):
    report = invoked(bike, sanne)
    done = reported_done(school, daan)
    page = page_of(client, mira, following_up)
    assert bike.what in page and report.text in page and done.text in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<textarea" not in page and "<select" not in page
    for name, arg in (("set_state", bike.pk), ("answer", report.pk), ("confirm", done.pk)):
        assert url(name, following_up, arg) not in page
    contact = Contact.objects.get(case=following_up)
    assert url("contact", following_up, contact.pk) not in page
    assert reverse("conference:plan", args=[following_up.pk]) not in page


def test_olaf_does_not_find_the_case_and_bram_is_refused(client, following_up, olaf, bram):
    force_verified_login(client, olaf)
    assert client.get(url("tracker", following_up)).status_code == 404
    force_verified_login(client, bram)
    assert client.get(url("tracker", following_up)).status_code == 403


def test_a_coordinator_of_another_team_does_not_find_the_case(client, following_up, other_team):
    noor = UserFactory(username="noor", role=Role.COORDINATOR, team=other_team)
    force_verified_login(client, noor)
    assert client.get(url("tracker", following_up)).status_code == 404


def test_before_follow_up_the_tracker_says_there_is_nothing_yet(client, preparing_case, carla):
    page = page_of(client, carla, preparing_case)
    assert "The agreements are followed here once everyone present has signed the plan." in page
    assert "/afspraken/" not in page.split("<main", 1)[1]


# --- setting a state ----------------------------------------------------------------------------


def test_carla_sets_a_state_with_a_note_and_it_shows_in_the_history(
    client, following_up, bike, carla
):
    force_verified_login(client, carla)
    response = client.post(
        url("set_state", following_up, bike.pk),
        {"state": "partly_done", "note": "Half of the money is paid."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#agreement-{bike.pk}")
    bike.refresh_from_db()
    assert bike.state == AgreementState.PARTLY_DONE
    page = text(client.get(response["Location"]))
    assert "Agreement 1: the state is now “Partly done”." in page
    history = card(page, 1)
    assert "Carla" in history and "Half of the money is paid." in history
    assert "Open → Partly done" in history


def test_the_state_form_offers_only_the_other_states_the_coordinator_may_set(
    client, following_up, carla
):
    page = page_of(client, carla, following_up)
    state_form = card(page, 1).split("set-state", 1)[1]
    assert 'value="done"' in state_form and 'value="not_kept"' in state_form
    assert 'value="open"' not in state_form  # its state now
    assert 'value="changed"' not in state_form  # only through a new version


def test_mira_cannot_set_a_state(client, following_up, bike, mira):
    force_verified_login(client, mira)
    response = client.post(url("set_state", following_up, bike.pk), {"state": "done"})
    assert response.status_code == 403
    bike.refresh_from_db()
    assert bike.state == AgreementState.OPEN
    assert not AgreementChange.objects.filter(tracked=bike, kind=ChangeKind.STATE).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"state": "", "note": "x"}, "Choose the state of the agreement."),
        ({"state": "exploded"}, "Choose one of the states in the list."),
        ({"state": "changed"}, "Choose one of the states in the list."),
        ({"state": "open"}, "The agreement has this state already."),
        ({"state": "done", "note": "x" * 501}, "Make the text shorter: at most 500 characters."),
        ({"state": "done", "note": "paid\x00"}, "Remove the invisible character from the text."),
    ],
    ids=["empty", "unknown", "changed", "same", "too_long", "nul"],
)
def test_bad_input_for_a_state_says_why_and_changes_nothing(
    client, following_up, bike, carla, data, message
):
    force_verified_login(client, carla)
    response = client.post(url("set_state", following_up, bike.pk), data)
    page = refused(response)
    assert "There is a problem" in page
    assert message in page
    bike.refresh_from_db()
    assert bike.state == AgreementState.OPEN
    assert not AgreementChange.objects.filter(tracked=bike, kind=ChangeKind.STATE).exists()
    # What was typed is still there.
    if data.get("note") == "x":
        assert "> x</textarea>" in page


def test_a_state_set_meanwhile_in_another_tab_is_refused_in_words(
    client, following_up, bike, carla
):
    force_verified_login(client, carla)
    page = text(client.get(url("tracker", following_up)))
    assert 'value="done"' in card(page, 1)
    actions.set_state(bike, AgreementState.DONE, by=carla, note="Paid in full.")
    response = client.post(
        url("set_state", following_up, bike.pk), {"state": "done", "note": "Paid."}
    )
    page = refused(response)
    assert "The agreement has this state already." in page
    assert "> Paid.</textarea>" in page
    assert AgreementChange.objects.filter(tracked=bike, kind=ChangeKind.STATE).count() == 1


def test_an_agreement_of_another_case_is_not_found(client, following_up, bike, carla, team):
    other = CaseFactory(state=State.FOLLOWING_UP, team=team, coordinator=carla)
    force_verified_login(client, carla)
    response = client.post(url("set_state", other, bike.pk), {"state": "done"})
    assert response.status_code == 404
    bike.refresh_from_db()
    assert bike.state == AgreementState.OPEN


# --- reports: answering an invocation, confirming or asking back ----------------------------------


def test_carla_answers_sanne_invocation_and_sets_the_state(
    client, following_up, bike, sanne, carla
):
    report = invoked(bike, sanne)
    page = page_of(client, carla, following_up)
    assert "Reports waiting for an answer: 1" in page
    bike_card = card(page, 1)
    assert "Sanne Jansen says this agreement is not kept" in bike_card
    assert report.text in bike_card
    assert url("answer", following_up, report.pk) in bike_card
    # An invocation is answered; it is not confirmed.
    assert url("confirm", following_up, report.pk) not in bike_card
    response = client.post(
        url("answer", following_up, report.pk),
        {"text": "I called Daan; he pays next week.", "state": "not_kept"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    bike.refresh_from_db()
    assert report.outcome == Report.Outcome.ANSWERED and report.answered_by == carla
    assert bike.state == AgreementState.NOT_KEPT
    assert not Notice.objects.filter(case=following_up, handled_at__isnull=True).exists()
    page = text(client.get(response["Location"]))
    assert "Your answer is saved. Sanne Jansen reads it on their personal page." in page
    assert "I called Daan; he pays next week." in card(page, 1)
    assert url("answer", following_up, report.pk) not in page


def test_an_empty_answer_says_why_and_keeps_the_report_open(
    client, following_up, bike, sanne, carla
):
    report = invoked(bike, sanne)
    force_verified_login(client, carla)
    page = refused(client.post(url("answer", following_up, report.pk), {"text": "  "}))
    assert "Type your answer." in page
    report.refresh_from_db()
    assert report.answered_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "x" * 2001}, "Make the text shorter: at most 2000 characters."),
        ({"text": "I called\x00"}, "Remove the invisible character from the text."),
        ({"text": "I called.", "state": "changed"}, "Choose one of the states in the list."),
    ],
    ids=["too_long", "nul", "changed"],
)
def test_bad_input_for_an_answer_says_why_and_changes_nothing(
    client, following_up, bike, sanne, carla, data, message
):
    report = invoked(bike, sanne)
    force_verified_login(client, carla)
    page = refused(client.post(url("answer", following_up, report.pk), data))
    assert "There is a problem" in page and message in page
    report.refresh_from_db()
    bike.refresh_from_db()
    assert report.answered_at is None and bike.state == AgreementState.OPEN


def test_an_answer_to_a_report_answered_meanwhile_is_refused_in_words(
    client, following_up, bike, sanne, carla
):
    report = invoked(bike, sanne)
    actions.answer(report, by=carla, text="First answer.")
    force_verified_login(client, carla)
    response = client.post(url("answer", following_up, report.pk), {"text": "Second answer."})
    page = refused(response)
    assert "This report has been answered already." in page
    report.refresh_from_db()
    assert report.answer == "First answer."


def test_carla_confirms_daan_report_of_done(client, following_up, school, daan, carla):
    report = reported_done(school, daan)
    page = page_of(client, carla, following_up)
    school_card = card(page, 2)
    assert "Daan de Boer reports this agreement done" in school_card
    assert url("confirm", following_up, report.pk) in school_card
    assert url("ask_back", following_up, report.pk) in school_card
    assert url("answer", following_up, report.pk) not in school_card
    response = client.post(url("confirm", following_up, report.pk), {"note": ""})
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.state == AgreementState.DONE
    page = text(client.get(response["Location"]))
    assert "Confirmed: agreement 2 is done." in page


def test_carla_asks_back_and_the_agreement_keeps_its_state(
    client, following_up, school, daan, carla
):
    report = reported_done(school, daan)
    force_verified_login(client, carla)
    assert "Type what you want to ask." in refused(
        client.post(url("ask_back", following_up, report.pk), {"text": ""})
    )
    response = client.post(
        url("ask_back", following_up, report.pk), {"text": "Which way do you cycle now?"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    school.refresh_from_db()
    assert report.outcome == Report.Outcome.ASKED_BACK
    assert school.state == AgreementState.OPEN


def test_mira_cannot_answer_and_a_report_of_another_case_is_not_found(
    client, following_up, bike, sanne, carla, mira, team
):
    report = invoked(bike, sanne)
    force_verified_login(client, mira)
    assert client.post(url("answer", following_up, report.pk), {"text": "x"}).status_code == 403
    other = CaseFactory(state=State.FOLLOWING_UP, team=team, coordinator=carla)
    force_verified_login(client, carla)
    for name in ("answer", "confirm", "ask_back"):
        response = client.post(url(name, other, report.pk), {"text": "x", "note": "x"})
        assert response.status_code == 404
    report.refresh_from_db()
    assert report.answered_at is None


def test_each_kind_of_report_has_its_own_answers(
    client, following_up, bike, school, sanne, daan, carla
):
    """An invocation is answered, never confirmed; a report of done is confirmed or asked back
    about, never answered with a new state: the other URLs do not find it."""
    invocation, done = invoked(bike, sanne), reported_done(school, daan)
    force_verified_login(client, carla)
    for name, report in (
        ("confirm", invocation),
        ("ask_back", invocation),
        ("answer", done),
    ):
        response = client.post(url(name, following_up, report.pk), {"text": "x", "state": "done"})
        assert response.status_code == 404
    assert not Report.objects.filter(answered_at__isnull=False).exists()
    bike.refresh_from_db()
    school.refresh_from_db()
    assert bike.state == school.state == AgreementState.OPEN


# --- the follow-up contact ----------------------------------------------------------------------


def test_carla_records_the_follow_up_contact(client, following_up, carla, mira):
    contact = Contact.objects.get(case=following_up)
    force_verified_login(client, mira)
    assert client.post(url("contact", following_up, contact.pk), {"note": "x"}).status_code == 403
    force_verified_login(client, carla)
    response = client.post(
        url("contact", following_up, contact.pk), {"note": "Everyone is doing well."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#contact-{contact.pk}")
    contact.refresh_from_db()
    assert contact.done_by == carla and contact.note == "Everyone is doing well."
    page = text(client.get(response["Location"]))
    assert "The follow-up contact is recorded." in page
    assert "Everyone is doing well." in page
    assert url("contact", following_up, contact.pk) not in page


def test_a_contact_of_another_case_is_not_found(client, following_up, carla, team):
    contact = Contact.objects.get(case=following_up)
    other = CaseFactory(state=State.FOLLOWING_UP, team=team, coordinator=carla)
    force_verified_login(client, carla)
    assert client.post(url("contact", other, contact.pk), {"note": "x"}).status_code == 404
    contact.refresh_from_db()
    assert contact.done_at is None


CONTACT_TASK = "Follow-up contact: get in touch with the participants"


def _case_page(client, case) -> str:
    return text(client.get(reverse("cases:detail", args=[case.pk])))


def _waiting_in_my_cases(client, case) -> str:
    page = text(client.get(reverse("cases:my_cases")))
    return page.split(case.reference, 1)[1].split("</tr>", 1)[0]


def test_the_contact_appears_on_the_case_page_and_in_my_cases_from_its_day_on(
    client, following_up, carla
):
    contact = Contact.objects.get(case=following_up)
    force_verified_login(client, carla)
    Contact.objects.filter(pk=contact.pk).update(due_on=queries.today() + timedelta(days=1))
    page = _case_page(client, following_up)
    assert CONTACT_TASK not in page
    assert "Follow-up contact with the participants planned for" in page
    assert "Waiting for you" not in _waiting_in_my_cases(client, following_up)
    # Its day.
    Contact.objects.filter(pk=contact.pk).update(due_on=queries.today())
    assert CONTACT_TASK in _case_page(client, following_up)
    assert "Waiting for you: 1" in _waiting_in_my_cases(client, following_up)
    # Recorded: it is off the list.
    actions.record_contact(contact, by=carla, note="")
    assert CONTACT_TASK not in _case_page(client, following_up)
    assert "Waiting for you" not in _waiting_in_my_cases(client, following_up)


def test_the_case_panel_counts_the_agreements_and_links_to_the_tracker(
    client, following_up, bike, sanne, carla, mira, bram
):
    TrackedAgreement.objects.filter(pk=bike.pk).update(due=queries.today() - timedelta(days=2))
    invoked(bike, sanne)
    for user in (carla, mira):
        force_verified_login(client, user)
        page = _case_page(client, following_up)
        assert 'id="followup-panel-title"' in page
        assert "Agreements in the signed plan: 2" in page
        assert "Open: 2" in page and "Past the date: 1" in page
        assert "Reports waiting for an answer: 1" in page
        assert url("tracker", following_up) in page
    force_verified_login(client, bram)
    page = _case_page(client, following_up)
    assert "followup-panel-title" not in page
    assert url("tracker", following_up) not in page


def test_after_closing_the_panel_counts_nothing_past_its_date(following_up, bike, carla):
    """Past the date, and the contact to do, only while the agreements are followed
    (policy.TRACKING_STATES): a closed case's panel asks for no work, and says so in a flag."""
    from kring.followup import closing, panel
    from kring.followup.models import Outcome

    TrackedAgreement.objects.filter(pk=bike.pk).update(due=queries.today() - timedelta(days=2))
    Contact.objects.filter(case=following_up).update(due_on=queries.today())
    _, before = panel.case_panel(following_up, carla)
    assert before["tracking"] and before["counts"]["overdue"] == 1 and before["contact_due"]
    closing.close(following_up, by=carla, outcome=Outcome.OTHER, note="Ended.")
    following_up.refresh_from_db()
    _, after = panel.case_panel(following_up, carla)
    assert not after["tracking"] and after["counts"]["overdue"] == 0
    assert after["contact"] is None and not after["contact_due"]
    assert after["counts"]["open"] == 2  # the agreements themselves are still shown


# --- a closed case ------------------------------------------------------------------------------


def test_a_closed_case_is_read_only_on_the_tracker(client, following_up, bike, carla):
    Case.objects.filter(pk=following_up.pk).update(state=State.CLOSED)
    page = page_of(client, carla, following_up)
    assert bike.what in page
    assert "This case is closed." in page
    assert '<form method="post" action="/zaken' not in page
    assert reverse("conference:plan", args=[following_up.pk]) not in page
    response = client.post(url("set_state", following_up, bike.pk), {"state": "done"})
    assert "There is a problem" in refused(response)
    bike.refresh_from_db()
    assert bike.state == AgreementState.OPEN


# --- the query count ----------------------------------------------------------------------------


def _agreements(case, n: int, sanne, daan, carla) -> None:
    """`n` more agreements on the case, in every shape the tracker shows: current ones, open or
    partly done, some past their date, and every fifth changed by mutual consent (half of those
    replaced by another row, half dropped); each with history lines by Kring, by Carla (with a
    note) and by a participant from their personal page; open and answered reports of both
    kinds, also on changed rows."""
    first = TrackedAgreement.objects.filter(case=case).first()
    now = timezone.now()
    made = TrackedAgreement.objects.bulk_create(
        TrackedAgreement(
            case=case,
            version=first.version,
            number=100 + i,
            what=f"Agreement made for the count {i}",
            owner=first.owner,
            due=date(2020, 1, 1) if i % 2 else None,
            state=(
                AgreementState.CHANGED
                if i % 5 == 4
                else AgreementState.PARTLY_DONE
                if i % 5 == 3
                else AgreementState.OPEN
            ),
        )
        for i in range(n)
    )
    replaced = [t for i, t in enumerate(made) if i % 10 == 4]
    for old in replaced:
        old.replaced_by = made[made.index(old) - 1]
    TrackedAgreement.objects.bulk_update(replaced, ["replaced_by"])
    AgreementChange.objects.bulk_create(
        change
        for t in made
        for change in (
            AgreementChange(tracked=t, kind=ChangeKind.VERSION, at=now, to_state="open"),
            AgreementChange(
                tracked=t,
                kind=ChangeKind.STATE,
                at=now,
                by=carla,
                from_state="open",
                to_state="partly_done",
                note="Half of it.",
            ),
            AgreementChange(tracked=t, kind=ChangeKind.INVOKED, at=now, by_participant=sanne),
        )
    )

    def report(t, who, kind, **answered) -> Report:
        return Report(
            case=case,
            tracked=t,
            participant=who,
            kind=kind,
            text="In my words.",
            made_at=now,
            **answered,
        )

    answer = {"answered_at": now, "answered_by": carla, "answer": "Thank you."}
    Report.objects.bulk_create(
        [
            *(report(t, sanne, Report.Kind.NOT_KEPT) for t in made[0::10]),
            *(report(t, daan, Report.Kind.DONE) for t in made[1::10]),
            *(
                report(t, sanne, Report.Kind.NOT_KEPT, outcome=Report.Outcome.ANSWERED, **answer)
                for t in made[2::10]
            ),
            *(
                report(t, daan, Report.Kind.DONE, outcome=Report.Outcome.CONFIRMED, **answer)
                for t in made[3::10]
            ),
            *(
                report(t, daan, Report.Kind.DONE, outcome=Report.Outcome.ASKED_BACK, **answer)
                for t in made[4::10]  # on a changed row
            ),
            *(report(t, sanne, Report.Kind.NOT_KEPT) for t in made[9::10]),  # changed, open
        ]
    )


def _queries(client, case) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("tracker", case)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["carla", "mira"])
def test_the_tracker_makes_as_many_queries_for_1000_agreements_as_for_10(
    client, following_up, sanne, daan, carla, request, who
):
    force_verified_login(client, request.getfixturevalue(who))
    _agreements(following_up, 10, sanne, daan, carla)
    # Every branch of the page is on it: changed rows (replaced and dropped), reports of both
    # kinds open and answered, history lines by Kring, by Carla and by a participant.
    page = text(client.get(url("tracker", following_up)))  # (the first request reads more)
    for shown in (
        "Replaced by agreement",
        "Dropped in the new version.",
        "Sanne Jansen says this agreement is not kept",
        "Daan de Boer reports this agreement done",
        "Sanne Jansen said this agreement is not kept",
        "Daan de Boer reported this agreement done",
        "Half of it.",
        "Past the date",
    ):
        assert shown in page, shown
    few = _queries(client, following_up)
    _agreements(following_up, 990, sanne, daan, carla)
    assert TrackedAgreement.objects.filter(case=following_up).count() == 1002
    assert _queries(client, following_up) == few


# --- a follow-up meeting (issue 12, point 4) ----------------------------------------------------


def test_the_tracker_offers_a_follow_up_meeting_until_its_poll_is_open(
    client, following_up, carla, mira
):
    """Carla is offered to plan a follow-up meeting with the date poll; once its poll is open
    (scheduling's may_open_poll refuses a second one) the offer is gone. Mira never gets it."""
    from kring.scheduling import poll

    poll_url = reverse("scheduling:poll", args=[following_up.pk])
    assert poll_url in page_of(client, carla, following_up)
    assert poll_url not in page_of(client, mira, following_up)
    meeting = poll.open_poll(following_up, by=carla)
    assert meeting.is_follow_up
    assert poll_url not in page_of(client, carla, following_up)
