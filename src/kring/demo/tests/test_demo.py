import csv
import re
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import kring
from kring.accounts.models import Role, Team, User
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import MOVES, State
from kring.cases.models import Assignment, Case, CaseEvent
from kring.circle import guards
from kring.circle.models import (
    Acknowledgment,
    Consent,
    Conversation,
    Invitation,
    Nomination,
    Participant,
    PersonalLink,
    Question,
    RiskFlag,
    Side,
    Status,
)
from kring.followup.models import AgreementChange, Closure, Contact, Report, TrackedAgreement
from kring.notifications.models import OutgoingMail
from kring.referrals.models import Referral, ReferralPerson
from kring.testing.auth import force_verified_login

demo_mode = override_settings(DEMO_MODE=True)


def load_demo():
    with demo_mode:
        call_command("load_demo", stdout=StringIO())


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Team,
            User,
            Referral,
            ReferralPerson,
            Case,
            Assignment,
            CaseEvent,
            AuditEvent,
            OutgoingMail,
            Participant,
            Conversation,
            Acknowledgment,
            Invitation,
            Consent,
            Nomination,
            RiskFlag,
            PersonalLink,
            TrackedAgreement,
            AgreementChange,
            Report,
            Contact,
            Closure,
        )
    }


@pytest.mark.django_db
def test_loading_the_demo_twice_neither_fails_nor_duplicates_anything():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    assert first["Case"] >= 10
    assert first["Participant"] >= 7


def moves_with_an_action():
    """The moves some app's actions.py can make: their targets are the states that exist."""
    source = "\n".join(p.read_text() for p in Path(kring.__file__).parent.glob("*/actions.py"))
    return [move for move in MOVES.values() if f'"{move.name}"' in source]


@pytest.mark.django_db
def test_the_demo_shows_every_state_that_the_actions_can_reach_so_far():
    load_demo()
    reachable = {State.REQUESTED}.union(*(move.targets() for move in moves_with_an_action()))
    present = set(Case.objects.values_list("state", flat=True))
    assert reachable <= present, f"add demo cases in {sorted(reachable - present)}"


@pytest.mark.django_db
def test_the_demo_has_requests_in_the_inbox_and_cases_of_carla_at_every_stage():
    load_demo()
    carla = User.objects.get(username="carla")
    # The central inbox (no known place), Team Utrecht's inbox and Team Zwolle's (issue 8,
    # point 7).
    assert Case.objects.filter(state=State.REQUESTED, team=None).exists()
    assert Case.objects.filter(state=State.REQUESTED, team__name="Team Utrecht").count() >= 3
    assert Case.objects.filter(state=State.REQUESTED, team__name="Team Zwolle").exists()
    # Offered to carla, waiting for her answer.
    assert Assignment.objects.filter(
        coordinator=carla, status=Assignment.Status.OFFERED, case__state=State.REFERRED
    ).exists()
    assert Case.objects.filter(coordinator=carla, state=State.ASSIGNED).exists()
    assert Case.objects.filter(coordinator=carla, state=State.STOPPED).exists()
    assert Case.objects.filter(state=State.DECLINED).exists()
    # Handed back by carla (R2), offered to someone else.
    assert Assignment.objects.filter(
        coordinator=carla, status=Assignment.Status.HANDED_BACK
    ).exists()


@pytest.mark.django_db
def test_the_demo_has_a_case_reassigned_from_olaf_to_carla():
    load_demo()
    reassigned = Case.objects.get(
        coordinator__username="carla",
        assignments__coordinator__username="olaf",
        assignments__status=Assignment.Status.ENDED,
    )
    assert reassigned.state == State.ASSIGNED
    # Reassignment moves the case back to "referred" until the new coordinator accepts (R2).
    assert reassigned.events.filter(from_state=State.ASSIGNED, to_state=State.REFERRED).exists()


@pytest.mark.django_db
def test_the_demo_teams_and_roles_are_as_the_readme_says():
    load_demo()
    roles = {u.username: (u.role, u.team.name if u.team else None) for u in User.objects.all()}
    assert roles["carla"] == (Role.COORDINATOR, "Team Utrecht")
    assert roles["olaf"] == (Role.COORDINATOR, "Team Utrecht")
    assert roles["bram"] == (Role.OFFICE, "Team Utrecht")
    assert roles["mira"] == (Role.MANAGER, "Team Utrecht")
    assert roles["noor"] == (Role.COORDINATOR, "Team Zwolle")
    assert roles["wim"] == (Role.OFFICE, "Team Zwolle")
    assert roles["vera"] == (Role.MANAGER, "Team Zwolle")
    assert roles["sem"] == (Role.OFFICE, "Team Zwolle")
    assert roles["ruud"] == (Role.RESEARCHER, None)
    assert roles["admin"] == (Role.ADMINISTRATOR, None)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["carla", "olaf", "bram", "mira", "noor", "wim", "vera", "sem", "ruud", "admin"]
)
def test_every_demo_login_works_with_the_demo_password(client, username):
    load_demo()
    assert client.login(username=username, password="kring-demo")


@pytest.mark.django_db
def test_a_changed_demo_password_is_reset_by_loading_again(client):
    load_demo()
    carla = User.objects.get(username="carla")
    carla.set_password("something-else-entirely")
    carla.save()
    load_demo()
    assert client.login(username="carla", password="kring-demo")


@pytest.mark.django_db
def test_sem_must_choose_a_new_password_each_time_the_demo_is_loaded(client):
    """Issue 14, point 4: the README's sem is led to the password change page after signing in;
    loading the demo again puts back the demo password and the requirement."""
    load_demo()
    sem = User.objects.get(username="sem")
    assert sem.must_change_password
    assert AuditEvent.objects.filter(action="account.password_change_required").count() == 1
    assert sem.check_password("kring-demo")
    force_verified_login(client, sem)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_change"))
    new = "paars konijn drinkt thee"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "kring-demo", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    sem.refresh_from_db()
    assert not sem.must_change_password
    load_demo()
    sem.refresh_from_db()
    assert sem.must_change_password and sem.check_password("kring-demo")
    assert AuditEvent.objects.filter(action="account.password_change_required").count() == 2


@pytest.mark.django_db
def test_the_demo_data_is_refused_outside_demo_mode():
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo")
    assert not User.objects.filter(username="admin").exists()


def preparing_cases_of_carla():
    return Case.objects.filter(coordinator__username="carla", state=State.PREPARING)


@pytest.mark.django_db
def test_the_demo_has_a_preparation_well_under_way(client):
    load_demo()
    case = preparing_cases_of_carla().get(participants__name="Greet Bos")
    people = {p.name: p for p in case.participants.all()}
    kevin, greet = people["Kevin de Wit"], people["Greet Bos"]
    assert kevin.side == Side.RESPONSIBLE and greet.side == Side.HARMED
    assert people["Peter de Wit"].supports == kevin
    assert people["Marco Bos"].supports == greet
    assert guards.acknowledged(kevin)
    assert Conversation.objects.filter(participant__case=case).count() >= 3
    # Every state a person can be in before the conference, except withdrawn.
    assert {p.status for p in people.values()} >= {
        Status.TO_INVITE,
        Status.INVITED,
        Status.ACCEPTED,
        Status.DECLINED,
    }
    assert greet.status == Status.ACCEPTED and guards.has_consent(greet)
    assert people["Peter de Wit"].status == Status.DECLINED
    # Mevrouw Bos has no e-mail address: she was invited by a printed letter.
    assert not greet.email
    assert greet.invitations.get().channel == Invitation.Channel.LETTER
    assert OutgoingMail.objects.filter(kind="circle.invitation", to=kevin.email).exists()
    assert not OutgoingMail.objects.filter(kind="circle.invitation", to="").exists()
    nomination = case.nominations.get()
    assert (nomination.name, nomination.nominated_by) == ("Anja Vermeulen", greet)
    assert nomination.decision == Nomination.Decision.PENDING
    risk = case.risk_flags.get()
    assert risk.level == RiskFlag.Level.HIGH and risk.resolved_at is not None
    # Not ready to schedule yet: some have not answered or consented.
    assert any("accepted and given consent" in reason for reason in guards.readiness(case))

    force_verified_login(client, case.coordinator)
    page = client.get(reverse("circle:overview", args=[case.pk])).content.decode()
    assert "Anja Vermeulen" in page
    assert "Not decided yet" in page
    assert "No one on the harmed side can be invited yet." not in page


@pytest.mark.django_db
def test_the_demo_has_a_preparation_just_started_where_the_harmed_side_must_wait(client):
    load_demo()
    case = preparing_cases_of_carla().get(participants__name="Thijs Meijer")
    thijs = case.participants.get(side=Side.RESPONSIBLE)
    yvonne = case.participants.get(side=Side.HARMED)
    assert not thijs.acknowledgments.exists()
    assert thijs.conversations.exists()
    assert {thijs.status, yvonne.status} == {Status.TO_INVITE}
    assert "until at least one person responsible has acknowledged" in guards.may_be_invited(yvonne)

    force_verified_login(client, case.coordinator)
    page = client.get(reverse("circle:overview", args=[case.pk])).content.decode()
    assert "No one on the harmed side can be invited yet." in page


@pytest.mark.django_db
def test_the_demo_letter_code_opens_greet_boss_page(client):
    """Issue 8, point 4: the code published in the README works at the short address, also
    after loading the demo again."""
    from kring.demo.management.commands.load_demo import DEMO_LETTER_CODE

    load_demo()
    load_demo()

    response = client.post(reverse("portal:code"), {"code": DEMO_LETTER_CODE.lower()})

    assert response.status_code == 303
    assert "Greet" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_demo_signing_code_opens_fatimas_page_with_the_plan_to_sign(client):
    """Issue 11: the code published in the README opens Fatima's page in the held case, which
    offers to sign the plan remotely (the one-time code comes by e-mail)."""
    from kring.demo.management.commands.load_demo import DEMO_SIGN_CODE

    load_demo()
    load_demo()

    response = client.post(reverse("portal:code"), {"code": DEMO_SIGN_CODE.lower()})

    assert response.status_code == 303
    client.cookies["django_language"] = "en"
    home = client.get(reverse("portal:home")).content.decode()
    assert "Fatima" in home
    assert reverse("signing:portal_sign") in home
    page = client.get(reverse("signing:portal_sign")).content.decode()
    assert "Send me a code" in page


@pytest.mark.django_db
def test_the_demo_offers_the_people_named_in_the_request_on_the_circle_page(client):
    """Issue 8, points 8, 11 and 12: Thijs and Yvonne came from the request; the trainer and
    Thijs's father are offered; the circle is drawn and each person has a task list."""
    load_demo()
    case = preparing_cases_of_carla().get(participants__name="Thijs Meijer")
    assert case.participants.get(name="Thijs Meijer").from_request.person.name == "Thijs"

    force_verified_login(client, case.coordinator)
    page = client.get(reverse("circle:overview", args=[case.pk])).content.decode()
    offered = page[page.index('id="from-request"') :]
    assert "Johan Smit, trainer" in offered and "vader van Thijs" in offered
    assert "Yvonne</strong>" not in offered
    assert 'role="img"' in page and "Next steps for Thijs Meijer" in page


@pytest.mark.django_db
def test_the_demo_access_log_shows_reads_and_refused_attempts(client):
    """Mira's access log in the demo (issue 8, point 10): several kinds of rows in plain words,
    and refused attempts by Olaf and by Noor of Team Zwolle, marked."""
    load_demo()
    mira = User.objects.get(username="mira")
    kinds = set(AuditEvent.objects.filter(team_id=mira.team_id).values_list("action", flat=True))
    assert {"case.viewed", "circle.viewed", "portal.viewed", "case.access_refused"} <= kinds
    assert len(kinds) > 10
    force_verified_login(client, mira)
    html = client.get(reverse("audit:log") + "?action=refused").content.decode()
    assert html.count('<strong class="tag stopped">Refused</strong>') == 2
    assert "Olaf" in html and "Noor" in html
    html = client.get(reverse("audit:log") + "?action=portal.").content.decode()
    assert "Read their personal page" in html and "Greet Bos" in html


@pytest.mark.django_db
def test_the_demo_sends_a_request_from_zwolle_to_team_zwolle_only(client):
    """Issue 8, point 7: wim (office) and vera (manager) of Team Zwolle see the request from
    Zwolle; bram of Team Utrecht sees Team Utrecht's and the central inbox, never Zwolle's."""
    load_demo()
    zwolle = Case.objects.get(referral__requester_email="demo-15@example.org")
    central = Case.objects.get(state=State.REQUESTED, team=None)
    utrecht = Case.objects.get(referral__requester_email="demo-1@example.org")
    assert zwolle.team.name == "Team Zwolle" and utrecht.team.name == "Team Utrecht"
    inbox = reverse("cases:inbox")
    for username, sees, never in (
        ("wim", {zwolle, central}, {utrecht}),
        ("vera", {zwolle}, {utrecht, central}),
        ("bram", {utrecht, central}, {zwolle}),
        ("mira", {utrecht}, {zwolle, central}),
    ):
        force_verified_login(client, User.objects.get(username=username))
        html = client.get(inbox).content.decode()
        assert all(case.reference in html for case in sees), username
        assert not any(case.reference in html for case in never), username
    detail = reverse("cases:request_detail", args=[zwolle.pk])
    assert client.get(detail).status_code == 404  # mira


@pytest.mark.django_db
def test_the_demo_has_a_decline_with_a_note_to_the_requester():
    load_demo()
    declined = Case.objects.get(referral__requester_email="demo-11@example.org")
    assert declined.state == State.DECLINED and "Buurtbemiddeling" in declined.decline_note
    mail = OutgoingMail.objects.get(to="demo-11@example.org", kind="referral.declined")
    assert "Buurtbemiddeling" in mail.body_text


@pytest.mark.django_db
def test_the_demo_participant_page_shows_how_to_reach_carla_and_own_details_masked(client):
    """Issue 8, points 3 and 5: Greet Bos's page names carla with her work number and address,
    and shows Greet's own details only in part."""
    from kring.demo.management.commands.load_demo import DEMO_LETTER_CODE, DEMO_LETTER_NAME

    load_demo()
    greet = Participant.objects.get(name=DEMO_LETTER_NAME)
    response = client.post(reverse("portal:code"), {"code": DEMO_LETTER_CODE})

    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "06 12 34 56 78" in page and "carla@herstel.example.org" in page
    for detail in (greet.email, greet.phone, *greet.address.splitlines()):
        if detail:
            assert detail not in page


@pytest.mark.django_db
def test_the_demo_shows_a_return_and_questions_to_the_coordinator(client):
    """Issue 8, points 1 and 3: Sandra stopped and came back (her consent is asked again);
    Kevin's first question is answered on his page, his second waits in Carla's task list."""
    load_demo()
    case = preparing_cases_of_carla().get(participants__name="Greet Bos")
    sandra = case.participants.get(name="Sandra de Wit")
    assert sandra.status == Status.ACCEPTED and not guards.has_consent(sandra)
    kinds = list(case.events.filter(data__participant=sandra.pk).values_list("kind", flat=True))
    assert kinds.index("circle.withdrawn") < kinds.index("circle.returned")
    answered, waiting = Question.objects.filter(participant__case=case).order_by("asked_at")
    assert answered.answered and not waiting.answered
    assert [n.question for n in case.notices.filter(handled_at__isnull=True)] == [waiting]

    force_verified_login(client, case.coordinator)
    assert "Waiting for you: 1" in client.get(reverse("cases:my_cases")).content.decode()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("circle:answer", args=[case.pk, waiting.pk]) in page


@pytest.mark.django_db
def test_the_demo_has_venues_for_bram_one_out_of_use_and_none_of_zwolle(client):
    """Issue 9, point 1: Bram's list shows Team Utrecht's rooms, the retired one apart."""
    load_demo()
    force_verified_login(client, User.objects.get(username="bram"))
    page = client.get(reverse("scheduling:venues")).content.decode()
    in_use, _, retired = page.partition('id="venues-retired"')
    assert "Buurthuis De Linde" in in_use and "Wijkcentrum De Pijler" in in_use
    assert "Oud buurthuis Zuilen" in retired and "Oud buurthuis Zuilen" not in in_use
    assert "Wijkhuis Assendorp" not in page
    assert client.get(reverse("scheduling:calendar")).status_code == 200


@pytest.mark.django_db
def test_the_demo_has_a_scheduled_case_with_invitations_and_an_open_poll(client):
    """Issue 9, point 9: the Visser case is scheduled from a filled-in poll (booked, invited,
    reminders planned, Bert's letter waiting); the Bos case has an open poll with answers."""
    from kring.scheduling.models import Booking, Meeting, PollAnswer, Reminder

    load_demo()
    load_demo()  # a second run adds nothing
    visser = Case.objects.get(referral__requester_email="demo-16@example.org")
    assert visser.state == State.SCHEDULED
    meeting = Meeting.objects.get(case=visser)
    assert meeting.status == Meeting.Status.CONFIRMED
    assert meeting.venue.name == "Buurthuis De Linde"
    assert PollAnswer.objects.filter(option__meeting=meeting).count() == 12
    assert (
        PollAnswer.objects.filter(option__meeting=meeting, recorded_by__isnull=False).count() == 3
    )
    assert Booking.objects.filter(meeting=meeting, released_at__isnull=True).count() == 2
    assert Reminder.objects.filter(meeting=meeting).count() == 5  # four people and carla
    visser_addresses = [p.email for p in visser.participants.all()]
    invited = OutgoingMail.objects.filter(kind="scheduling.invitation", to__in=visser_addresses)
    assert sorted(invited.values_list("to", flat=True)) == [
        "ingrid.visser@example.org",
        "lars.hendriks@example.org",
        "petra.hendriks@example.org",
    ]
    force_verified_login(client, User.objects.get(username="carla"))
    page = client.get(reverse("cases:detail", args=[visser.pk])).content.decode()
    bert = visser.participants.get(name="Bert Visser")
    assert reverse("scheduling:meeting_letter", args=[meeting.pk, bert.pk]) in page

    bos = Case.objects.get(referral__requester_email="demo-13@example.org")
    assert bos.state == State.PREPARING
    poll = Meeting.objects.get(case=bos)
    assert poll.status == Meeting.Status.POLLING
    assert poll.options.count() == 3
    answered = set(
        PollAnswer.objects.filter(option__meeting=poll).values_list("participant__name", flat=True)
    )
    assert answered == {"Kevin de Wit", "Greet Bos"}
    assert client.get(reverse("scheduling:poll", args=[bos.pk])).status_code == 200


@pytest.mark.django_db
def test_the_demo_has_a_held_conference_with_a_plan(client):
    """Issue 10, point 9: the El Amrani case's conference was held: five present and Mila
    noted as not there, every round done in order, a finalised plan with four agreements (two
    prevent a repeat), and the informal part. Carla opens conference mode and the plan; the
    manager reads the plan; the office does not."""
    from kring.conference.models import Attendance, Conference, Plan

    load_demo()
    load_demo()  # a second run adds nothing
    case = Case.objects.get(referral__requester_email="demo-17@example.org")
    assert case.state == State.CONFERENCE_HELD
    conference = Conference.objects.get(case=case)
    assert conference.informal_at is not None
    absent = Attendance.objects.filter(conference=conference, present=False)
    assert [a.participant.name for a in absent] == ["Mila Jansen"]
    assert Attendance.objects.filter(conference=conference, present=True).count() == 5
    rounds = list(conference.rounds.select_related("participant"))
    assert rounds[0].participant.name == "Noah Jansen"
    assert rounds[1].participant.name == "Fatima El Amrani"
    assert all(turn.done_at for turn in rounds)
    plan = Plan.objects.get(case=case)
    assert plan.agreements.count() == 4
    assert plan.agreements.filter(prevents_repeat=True).count() == 2
    assert plan.versions.count() == 1

    force_verified_login(client, User.objects.get(username="carla"))
    page = client.get(reverse("conference:plan", args=[case.pk])).content.decode()
    assert "Noah fietst na school niet meer" in page
    assert client.get(reverse("conference:mode", args=[case.pk])).status_code == 200
    # The second screen shows the plan, never a round's note or who stayed away.
    screen = client.get(reverse("conference:screen", args=[case.pk])).content.decode()
    assert "Noah fietst na school niet meer" in screen and "Mila Jansen" not in screen
    assert "Noah vertelde het zelf" not in screen
    force_verified_login(client, User.objects.get(username="mira"))
    page = client.get(reverse("conference:print", args=[case.pk])).content.decode()
    assert "Noah fietst na school niet meer" in page
    force_verified_login(client, User.objects.get(username="bram"))
    assert client.get(reverse("conference:print", args=[case.pk])).status_code in (403, 404)


@pytest.mark.django_db
def test_the_demo_has_a_conference_that_did_not_go_on(client):
    """Issue 10, point 6: the Bakker case's meeting was yesterday and Tim did not come: the
    conference is recorded as not held, the meeting ended without a cancellation e-mail and its
    booking released, and the case is back in preparation, where a new date can be sought."""
    from kring.conference.models import Conference, NotHeldReason
    from kring.scheduling.models import Booking, Meeting

    load_demo()
    load_demo()  # a second run adds nothing
    case = Case.objects.get(referral__requester_email="demo-18@example.org")
    assert case.state == State.PREPARING
    conference = Conference.objects.get(case=case)
    assert conference.not_held_reason == NotHeldReason.RESPONSIBLE_ABSENT
    assert conference.started_at is None
    meeting = Meeting.objects.get(case=case)
    assert meeting.status == Meeting.Status.CANCELLED
    assert not Booking.objects.filter(meeting=meeting, released_at__isnull=True).exists()
    assert not OutgoingMail.objects.filter(
        kind="scheduling.cancelled", to="els.bakker@example.org"
    ).exists()
    kinds = list(case.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-3:] == ["conference.not_held", "scheduling.meeting_not_held", "case.unscheduled"]

    force_verified_login(client, User.objects.get(username="carla"))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "The conference did not go on" in page


@pytest.mark.django_db
def test_the_demo_held_case_was_partly_signed_on_carlas_tablet(client):
    """Issue 11, points 1 and 2: in the El Amrani case Noah, Erik and Hans signed on Carla's
    tablet (their own acts, hosted by Carla), Samira did not sign yet and said why; Fatima
    signs remotely. Carla's signing page shows each state and Samira's reason; the office reads
    only the counts on the case page."""
    from kring.signing.models import Declination, Signature

    load_demo()
    load_demo()  # a second run adds nothing
    case = Case.objects.get(referral__requester_email="demo-17@example.org")
    signatures = Signature.objects.filter(version__plan__case=case)
    assert sorted(s.signed_by.name for s in signatures) == [
        "Erik Jansen",
        "Hans de Boer",
        "Noah Jansen",
    ]
    assert {s.hosted_by.username for s in signatures} == {"carla"}
    reason = Declination.objects.get(version__plan__case=case).reason
    force_verified_login(client, User.objects.get(username="carla"))
    page = client.get(reverse("signing:overview", args=[case.pk])).content.decode()
    assert reason in page
    assert "Fatima El Amrani" in page
    force_verified_login(client, User.objects.get(username="bram"))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reason not in page


@pytest.mark.django_db
def test_the_demo_has_a_signed_plan_in_follow_up(client, django_capture_on_commit_callbacks):
    """Issue 11, point 7: in the Smit case everyone present signed the final plan, three on
    Carla's tablet and Karin Mulder from home; the last signature moved the case into follow-up
    (by Kring) and began the signed document, whose PDF the task queue makes. Three have an
    e-mail address and get their copy by mail; Jan has none and has no copy yet."""
    from kring.signing.models import Method, Signature, SignedDocument

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    load_demo()  # a second run adds nothing
    case = Case.objects.get(referral__requester_email="demo-19@example.org")
    assert case.state == State.FOLLOWING_UP
    signatures = Signature.objects.filter(version__plan__case=case)
    assert sorted((s.signed_by.name, s.method) for s in signatures) == [
        ("Anouk Smit", Method.IN_PERSON),
        ("Bas Mulder", Method.IN_PERSON),
        ("Jan Smit", Method.IN_PERSON),
        ("Karin Mulder", Method.REMOTE),
    ]
    document = SignedDocument.objects.get(case=case)
    assert document.version.number == 1
    moved = CaseEvent.objects.get(case=case, kind="case.plan_signed")
    assert (moved.actor_kind, moved.to_state) == ("system", State.FOLLOWING_UP)
    force_verified_login(client, User.objects.get(username="carla"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = " ".join(client.get(reverse("cases:detail", args=[case.pk])).content.decode().split())
    panel = page.split('id="signing-panel-title"', 1)[1].split("</section>", 1)[0]
    assert "Iedereen heeft getekend." in panel
    assert "Kopieën: 3 van 4 hebben hun kopie." in panel
    page = " ".join(client.get(reverse("signing:copies", args=[case.pk])).content.decode().split())
    jan = page.split("<table", 1)[1].split("Jan Smit", 1)[1].split("</tr>", 1)[0]
    assert "Nog geen kopie" in jan and "Geen e-mailadres" in jan
    assert "Nog geen kopie: 1." in page


@pytest.mark.django_db
def test_the_demo_signed_plan_is_sealed_and_the_verification_page_recognises_it(
    client, django_capture_on_commit_callbacks
):
    """Issue 11, points 3 and 5: the Smit case's signed plan is made into a sealed PDF (the
    demo's own self-signed seal), and the public verification page recognises the file and its
    code without naming anyone."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kring.signing import documents
    from kring.signing.models import SignedDocument

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    case = Case.objects.get(referral__requester_email="demo-19@example.org")
    document = SignedDocument.objects.get(case=case)
    assert document.status == SignedDocument.Status.MADE
    data = documents.pdf_bytes(document)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    upload = SimpleUploadedFile("plan.pdf", data, content_type="application/pdf")
    page = client.post(reverse("signing:verify"), {"how": "upload", "upload-file": upload})
    text = page.content.decode()
    intact = "Dit is een ongeschonden herstelplan van Eigen Kracht Centrale met een geldig zegel."
    assert intact in text
    assert "Anouk Smit" not in text and case.reference not in text
    page = client.post(reverse("signing:verify"), {"how": "code", "code-code": document.code})
    by_code = "Deze code hoort bij een ondertekend herstelplan van Eigen Kracht Centrale"
    assert by_code in page.content.decode()


@pytest.mark.django_db
def test_the_demo_has_a_case_in_follow_up_with_an_invoked_agreement(client):
    """Issue 12, point 7: in the Smit case Anouk reported on her own page that the fireworks
    agreement is not kept, which waits for Carla ("Wacht op jou" on the case page, her words on
    the tracker); Bas's letter was reported done on his page and confirmed by Carla; the date of
    the painting has passed, so it stands out as overdue."""
    from kring.followup.models import AgreementState, Report
    from kring.followup.queries import current, is_overdue, today

    load_demo()
    load_demo()  # a second run adds nothing
    case = Case.objects.get(referral__requester_email="demo-19@example.org")
    assert case.state == State.FOLLOWING_UP
    tracked = {t.what: t for t in current(case)}
    letter = tracked["Bas schrijft Anouk en Jan een brief over wat hij heeft geleerd."]
    painting = tracked["Bas helpt Jan een zaterdag met het schilderen van de voordeur."]
    fireworks = tracked["Bas steekt geen vuurwerk meer af in de straat van Anouk."]
    assert letter.state == AgreementState.DONE
    assert is_overdue(painting, today())
    [invoked] = Report.objects.filter(case=case, kind=Report.Kind.NOT_KEPT)
    assert (invoked.tracked, invoked.participant.name) == (fireworks, "Anouk Smit")
    assert invoked.answered_at is None
    done = Report.objects.get(case=case, kind=Report.Kind.DONE)
    assert (done.tracked, done.participant.name) == (letter, "Bas Mulder")
    assert done.outcome == Report.Outcome.CONFIRMED
    # Anouk's report is her own act from her personal page.
    event = CaseEvent.objects.get(case=case, kind="followup.invoked")
    anouk = case.participants.get(name="Anouk Smit")
    assert (event.actor_kind, event.actor_participant_id) == ("participant", anouk.pk)

    force_verified_login(client, User.objects.get(username="carla"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = " ".join(client.get(reverse("cases:detail", args=[case.pk])).content.decode().split())
    waiting = page.split('id="notices-title"', 1)[1].split("</section>", 1)[0]
    assert "Anouk Smit" in waiting
    mine = " ".join(client.get(reverse("cases:my_cases")).content.decode().split())
    row = mine.split(case.reference, 1)[1].split("</tr>", 1)[0]
    assert "Wacht op jou" in row
    tracker = client.get(reverse("followup:tracker", args=[case.pk])).content.decode()
    assert invoked.text in tracker
    assert "Over de datum" in tracker
    assert "Gedaan" in tracker
    assert reverse("followup:answer", args=[case.pk, invoked.pk]) in tracker

    # Mira, the team's manager, reads the tracker without forms, and finds the painting in the
    # team's list of agreements past their date.
    client.logout()
    force_verified_login(client, User.objects.get(username="mira"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    tracker = client.get(reverse("followup:tracker", args=[case.pk])).content.decode()
    assert invoked.text in tracker
    assert "<form" not in tracker.split("<main", 1)[1]
    overdue = client.get(reverse("followup:overdue")).content.decode()
    assert reverse("followup:tracker", args=[case.pk]) + f"#agreement-{painting.pk}" in overdue
    assert f"#agreement-{letter.pk}" not in overdue


@pytest.mark.django_db
def test_the_demo_has_a_case_closed_with_its_outcome(client):
    """Issue 12, point 7: the Demir case went through its conference, a signed plan and
    follow-up (every agreement done, one reported by Mees on his page, the follow-up contact
    recorded) and was closed with the outcome "all agreements kept", a note and its retention
    date; its case page says so, and nothing can be changed any more."""
    from django.conf import settings
    from django.utils import timezone

    from kring.followup import closing
    from kring.followup.models import AgreementState, Closure, Contact, Outcome, Report

    load_demo()
    load_demo()  # a second run adds nothing
    case = Case.objects.get(referral__requester_email="demo-20@example.org")
    assert case.state == State.CLOSED
    closure = Closure.objects.get(case=case)
    assert closure.outcome == Outcome.ALL_KEPT
    assert closure.note and closure.closed_by.username == "carla"
    closed_on = timezone.localdate(closure.closed_at)
    assert closure.retain_until == closing.retention_date(Outcome.ALL_KEPT, closed_on)
    years = settings.KRING_RETENTION_YEARS[Outcome.ALL_KEPT]
    assert closure.retain_until.year == closed_on.year + years
    states = set(case.tracked_agreements.values_list("state", flat=True))
    assert states == {AgreementState.DONE}
    assert Report.objects.get(case=case).outcome == Report.Outcome.CONFIRMED
    assert Contact.objects.filter(case=case, done_at__isnull=False).exists()
    assert CaseEvent.objects.filter(case=case, kind="case.closed").count() == 1

    force_verified_login(client, User.objects.get(username="carla"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = " ".join(client.get(reverse("cases:detail", args=[case.pk])).content.decode().split())
    assert "Alle afspraken nagekomen" in page
    assert closure.note in page
    # Read-only: the tracker has no forms, and closing again is refused.
    tracker = client.get(reverse("followup:tracker", args=[case.pk])).content.decode()
    assert "<form" not in tracker.split("<main", 1)[1]
    again = client.post(
        reverse("followup:close", args=[case.pk]), {"outcome": Outcome.OTHER, "note": ""}
    )
    assert again.status_code in (403, 200)
    closure.refresh_from_db()
    assert closure.outcome == Outcome.ALL_KEPT


@pytest.mark.django_db
def test_the_demo_follow_up_code_opens_anouks_agreements_with_her_report(client):
    """Issue 12: the code published in the README opens Anouk's page in the Smit case; it leads
    to the agreements, where her report that the fireworks agreement is not kept waits for an
    answer."""
    from kring.demo.management.commands.load_demo import DEMO_FOLLOWUP_CODE

    load_demo()
    load_demo()

    response = client.post(reverse("portal:code"), {"code": DEMO_FOLLOWUP_CODE.lower()})

    assert response.status_code == 303
    client.cookies["django_language"] = "en"
    home = client.get(reverse("portal:home")).content.decode()
    assert "Anouk" in home
    assert reverse("followup:portal") in home
    page = " ".join(client.get(reverse("followup:portal")).content.decode().split())
    assert "Bas steekt geen vuurwerk meer af in de straat van Anouk." in page
    assert "rotjes" in page


@pytest.mark.django_db
def test_the_demo_plans_a_follow_up_meeting(client):
    """Issue 12, point 4: the Smit case, in follow-up, looks for a date for a follow-up meeting:
    two evenings at De Pijler, Bas answered on his own page; Carla's case page leads to the poll,
    and Anouk's page (the README's code) asks her when she can come."""
    from kring.demo.management.commands.load_demo import DEMO_FOLLOWUP_CODE
    from kring.scheduling.models import Meeting, PollAnswer

    load_demo()
    load_demo()  # a second run adds nothing
    case = Case.objects.get(referral__requester_email="demo-19@example.org")
    assert case.state == State.FOLLOWING_UP
    [meeting] = Meeting.objects.filter(case=case, purpose=Meeting.Purpose.FOLLOW_UP)
    assert meeting.status == Meeting.Status.POLLING
    assert meeting.options.count() == 2
    answers = PollAnswer.objects.filter(option__meeting=meeting)
    assert {a.participant.name for a in answers} == {"Bas Mulder"}
    assert all(a.recorded_by is None for a in answers)  # given on his own page

    force_verified_login(client, User.objects.get(username="carla"))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Date of the follow-up meeting" in page
    assert reverse("scheduling:poll", args=[case.pk]) in page
    client.logout()

    assert client.post(reverse("portal:code"), {"code": DEMO_FOLLOWUP_CODE}).status_code == 303
    client.cookies["django_language"] = "en"
    home = client.get(reverse("portal:home")).content.decode()
    assert "looking for a date for a follow-up meeting" in home


@pytest.mark.django_db
def test_the_demo_imports_the_teams_history_once_and_mira_can_import_more(client):
    """Issue 13, point 3: both teams' conferences from before Kring come from the demo's
    history file through the import, once; Mira (Utrecht's manager) opens the upload page."""
    from kring.research.models import Answer, ConferenceRecord, HistoryImport, Source

    load_demo()
    imported = ConferenceRecord.objects.filter(source=Source.IMPORTED)
    first = (imported.count(), Answer.objects.filter(record__source=Source.IMPORTED).count())
    assert imported.filter(team__name="Team Utrecht").count() >= 5
    assert imported.filter(team__name="Team Zwolle").count() >= 5
    assert first[1] >= first[0]
    load_demo()  # a second run imports nothing and records no second import
    assert (imported.count(), Answer.objects.filter(record__source=Source.IMPORTED).count()) == (
        first
    )
    assert HistoryImport.objects.count() == 1

    force_verified_login(client, User.objects.get(username="mira"))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("research:import")).content.decode()
    assert "You import for Team Utrecht." in page


def _months_back(day, months):
    """The first day of the month `months` before `day`'s."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


@pytest.mark.django_db
def test_the_demo_history_ends_in_the_month_before_it_is_loaded():
    """Issue 13: the history file's days are moved by whole months when the demo loads it, so
    that its newest conference lies in last month, whenever the demo is loaded; the file keeps
    its own days (a sample of the import's format), and every conference keeps its day of the
    month where the month has it."""
    from kring.demo.management.commands.load_demo import HISTORY, history_today
    from kring.research.models import ConferenceRecord, Source

    load_demo()
    today = timezone.localdate()
    days = ConferenceRecord.objects.filter(source=Source.IMPORTED).values_list("held_on", flat=True)
    newest = max(days)
    assert _months_back(today, 1) <= newest < _months_back(today, 0)
    in_file = list(csv.DictReader(StringIO(HISTORY.read_text())))
    assert max(row["held_on"] for row in in_file) == "2026-08-14"

    # The same file in other years: the newest in the month before, everything else the same.
    for day, newest_then in (
        (date(2031, 3, 2), date(2031, 2, 14)),
        (date(2026, 12, 31), date(2026, 11, 14)),
    ):
        rows = list(csv.DictReader(StringIO(history_today(day).decode())))
        assert max(date.fromisoformat(row["held_on"]) for row in rows) == newest_then
        assert [{**row, "held_on": ""} for row in rows] == [
            {**row, "held_on": ""} for row in in_file
        ]
    moved = {
        row["conference_ref"]: row["held_on"]
        for row in csv.DictReader(StringIO(history_today(date(2027, 7, 1)).decode()))
    }
    assert moved["UT-HIST-007"] == "2025-06-30"  # 2024-08-31, ten months on: June has 30 days


@pytest.mark.django_db
def test_loading_the_demo_again_in_a_later_month_imports_no_history_again():
    """The moved days differ from one month to the next, so loading the demo again a month
    later must not offer the file to the import again (it would be "already imported with
    other values", a fault): the demo's history is there, so nothing is imported."""
    from kring.research.models import ConferenceRecord, HistoryImport, Source

    load_demo()
    imported = ConferenceRecord.objects.filter(source=Source.IMPORTED)
    # As if the demo was loaded a month ago: every imported day one month earlier.
    for record in imported:
        year, month = divmod(record.held_on.year * 12 + record.held_on.month - 2, 12)
        record.held_on = record.held_on.replace(year=year, month=month + 1, day=1)
        record.save(update_fields=["held_on"])
    before = sorted(imported.values_list("import_ref", "held_on"))
    load_demo()
    assert sorted(imported.values_list("import_ref", "held_on")) == before
    assert HistoryImport.objects.count() == 1


def _figure(page, table, key):
    """The value and the reason or base shown in row `key` of the figures table `table`."""
    body = page.split(f'id="table-{table}"', 1)[1].split("</table>", 1)[0]
    row = body.split(f'data-key="{key}"', 1)[1].split("</tr>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


SHARES = (
    "responsible_satisfied_pct",
    "harmed_satisfied_pct",
    "harmed_restored_pct",
    "harmed_said_well_pct",
    "harmed_good_agreements_pct",
)


@pytest.mark.django_db
def test_the_demo_shows_figures_to_ruud_and_mira_and_what_participants_wrote(client):
    """Issue 13, point 2: over the twelve months up to this one (the history ends last month,
    the Demir and Smit conferences are held on the day the demo is loaded), Ruud reads every
    team's figures and Mira Utrecht's, every share a percentage; Vera reads Zwolle's, whose
    shares of the persons harmed rest on four answers: a dash with the reason. Mira reads what
    Bas and his mother wrote in their questionnaires, which Ruud may not."""
    load_demo()
    load_demo()  # the questionnaires are answered once
    today = timezone.localdate()
    start = _months_back(today, 11)
    end = _months_back(today, -1) - timedelta(days=1)
    period = f"?from={start.isoformat()}&to={end.isoformat()}"
    client.cookies["django_language"] = "en"

    force_verified_login(client, User.objects.get(username="ruud"))
    page = client.get(reverse("research:home") + period).content.decode()
    for key in SHARES:
        assert "%" in _figure(page, "shares", key) and "–" not in _figure(page, "shares", key)
    teams = page.split('id="teams-title"', 1)[1].split("</table>", 1)[0]
    for team in ("Team Utrecht", "Team Zwolle"):
        conferences = teams.split(team, 1)[1].split('class="figure-value">', 1)[1].split("<")[0]
        assert int(conferences) >= 5
    assert "Het was spannend" not in page and "Bas Mulder" not in page
    assert client.get(reverse("research:remarks")).status_code == 403

    force_verified_login(client, User.objects.get(username="mira"))
    page = client.get(reverse("research:home") + period).content.decode()
    assert "Team Zwolle" not in page
    for key in SHARES:
        assert "%" in _figure(page, "shares", key) and "–" not in _figure(page, "shares", key)
    remarks = client.get(reverse("research:remarks")).content.decode()
    assert remarks.count("Het was spannend") == 1
    assert "Fijn dat de buren en wij weer gewoon met elkaar praten." in remarks

    force_verified_login(client, User.objects.get(username="vera"))
    page = client.get(reverse("research:home") + period).content.decode()
    assert "Team Utrecht" not in page
    assert _figure(page, "conferences", "conferences").endswith(" 5")  # Zwolle's five
    assert "%" in _figure(page, "shares", "responsible_satisfied_pct")
    for key in SHARES[1:]:
        assert _figure(page, "shares", key).endswith("– fewer than 5 answers")


@pytest.mark.django_db
def test_the_demo_has_a_participant_erased_at_their_request(client):
    """Issue 14, point 8: Ed Kramer, a neighbour in the Bos case, asked to be erased: the circle
    shows "Gewiste deelnemer", and nothing of his name, contact details or the notes is left."""
    from kring.circle.models import ERASED_NAME

    load_demo()
    case = preparing_cases_of_carla().get(participants__name="Greet Bos")
    erased = case.participants.get(erased_at__isnull=False)
    assert erased.name == str(ERASED_NAME) and not erased.email and not erased.phone
    assert not Conversation.objects.filter(participant=erased).exclude(notes="").exists()
    assert not case.participants.filter(name="Ed Kramer").exists()
    force_verified_login(client, case.coordinator)
    page = client.get(reverse("circle:overview", args=[case.pk])).content.decode()
    assert "Ed Kramer" not in page
    assert str(ERASED_NAME) in page


@pytest.mark.django_db
def test_the_demo_has_an_erasure_request_noted_where_a_signed_plan_needs_the_name(client):
    """Issue 14, point 8: Jan Smit signed the plan of the Smit case and asked to be erased; the
    signed plan needs his name until the case's retention ends, so Bram noted the request. Carla
    exports and (with the office) erases from the case page's "Persoonsgegevens" panel."""
    from kring.privacy import rights

    load_demo()
    load_demo()  # a second run notes nothing twice
    case = Case.objects.get(referral__requester_email="demo-19@example.org")
    jan = case.participants.get(name="Jan Smit")
    [event] = CaseEvent.objects.filter(case=case, kind=rights.REQUEST_NOTED)
    assert event.data["participant"] == jan.pk
    force_verified_login(client, case.coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Persoonsgegevens" in page
    assert reverse("privacy:export", args=[case.pk, jan.pk]) in page
    erase = client.get(reverse("privacy:erase", args=[case.pk, jan.pk])).content.decode()
    assert "Definitief wissen" not in erase


@pytest.mark.django_db
def test_the_demo_shows_a_legal_hold_and_a_request_erased_by_retention(client):
    """Issue 14, point 7: Mira keeps Wim de Graaf's declined request under a legal hold; a
    request declined eight months ago was erased by retention, once, and its page says so."""
    from kring.privacy.models import CaseErasure, LegalHold

    load_demo()
    load_demo()  # a second run places and erases nothing twice
    wim = Case.objects.get(referral__requester_email="demo-11@example.org")
    [hold] = LegalHold.objects.filter(case=wim)
    assert hold.placed_by.username == "mira" and hold.lifted_at is None
    [erasure] = CaseErasure.objects.all()
    assert erasure.reason == "declined"
    erased = erasure.case
    assert erased.referral.description == "" and erased.referral.requester_name == ""
    force_verified_login(client, User.objects.get(username="mira"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = client.get(reverse("cases:detail", args=[erased.pk])).content.decode()
    assert "Mijn fiets is gestolen" not in page
    assert "zijn op" in page and "gewist" in page
    page = client.get(reverse("cases:detail", args=[wim.pk])).content.decode()
    assert "Bewaarplicht sinds" in page and "C/03/318822" in page
    assert "Bewaarplicht opheffen" in page
