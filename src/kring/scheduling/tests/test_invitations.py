"""Invitations to the meeting (issue 9, point 5): an e-mail with the calendar file to everyone
who takes part and has an address, in their language, with the contact block; a letter for
those without; a change or cancellation only to those who take part at that moment."""

from email import message_from_bytes, policy

import icalendar

from kring.circle.models import Participant, Status
from kring.notifications.models import OutgoingMail
from kring.scheduling import invitations
from kring.scheduling.models import Meeting
from kring.scheduling.tests.meeting_fixtures import local


def _send(meeting, change, capture):
    with capture(execute=True):
        return invitations.send(meeting, change=change)


def _calendar(sent) -> icalendar.Calendar:
    message = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    return icalendar.Calendar.from_ical(part.get_content())


def test_everyone_who_takes_part_with_an_address_gets_the_invitation_with_the_calendar_file(
    summer_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    assert _send(summer_meeting, "new", django_capture_on_commit_callbacks) == 3
    by_address = {sent.to[0]: sent for sent in mailoutbox}
    # Ria has no e-mail address: she is on the letters list instead.
    assert sorted(by_address) == ["daan@example.org", "joost@example.org", "sanne@example.org"]
    assert [p.name for p in invitations.letters_needed(summer_meeting)] == ["Ria Jansen"]
    daan = by_address["daan@example.org"]
    assert daan.subject == "De datum van je Eigen Kracht-conferentie"
    assert "Beste Daan," in daan.body
    assert "donderdag 15 juli 2027" in daan.body
    assert "19:00 – 21:30" in daan.body
    assert "Buurthuis De Linde, Lindeplein 1, 3511 AA Utrecht" in daan.body
    assert "Bus 8 tot halte Lindeplein" in daan.body
    assert "Carla" in daan.body  # the contact block: their coordinator
    # Sanne reads English, as she chose.
    sanne = by_address["sanne@example.org"]
    assert sanne.subject == "The date of your Eigen Kracht conference"
    assert "Thursday 15 July 2027" in sanne.body
    event = _calendar(daan).walk("VEVENT")[0]
    assert str(event["UID"]) == summer_meeting.uid
    assert event.decoded("DTSTART").hour == 19
    assert _calendar(daan)["METHOD"] == "REQUEST"


def test_the_subject_and_the_calendar_file_name_no_one(
    summer_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    _send(summer_meeting, "new", django_capture_on_commit_callbacks)
    for sent in mailoutbox:
        for name in ("Daan", "Sanne", "Joost", "Ria", summer_meeting.case.reference):
            assert name not in sent.subject
    stored = OutgoingMail.objects.filter(kind="scheduling.invitation").first()
    assert "SUMMARY:Eigen Kracht-conferentie" in stored.attachments[0]["content"]
    assert "Sanne" not in stored.attachments[0]["content"]


def test_who_withdraws_after_the_invitation_hears_nothing_more(
    summer_meeting, everyone_said_yes, mailoutbox, django_capture_on_commit_callbacks
):
    _send(summer_meeting, "new", django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 3
    joost = everyone_said_yes["joost"]
    Participant.objects.filter(pk=joost.pk).update(status=Status.WITHDRAWN)
    mailoutbox.clear()
    summer_meeting.sequence += 1
    summer_meeting.starts_at = local(2027, 7, 22, 19, 0)
    summer_meeting.ends_at = local(2027, 7, 22, 21, 30)
    summer_meeting.save()
    assert _send(summer_meeting, "moved", django_capture_on_commit_callbacks) == 2
    assert sorted(sent.to[0] for sent in mailoutbox) == ["daan@example.org", "sanne@example.org"]
    moved = next(sent for sent in mailoutbox if sent.to[0] == "daan@example.org")
    assert moved.subject == "Je Eigen Kracht-conferentie is verplaatst"
    assert "donderdag 22 juli 2027" in moved.body
    event = _calendar(moved).walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"]) == (summer_meeting.uid, 1)

    mailoutbox.clear()
    summer_meeting.status = Meeting.Status.CANCELLED
    summer_meeting.sequence += 1
    summer_meeting.save()
    assert _send(summer_meeting, "cancelled", django_capture_on_commit_callbacks) == 2
    assert "joost@example.org" not in [sent.to[0] for sent in mailoutbox]
    cancelled = next(sent for sent in mailoutbox if sent.to[0] == "daan@example.org")
    assert cancelled.subject == "Je Eigen Kracht-conferentie gaat niet door"
    calendar = _calendar(cancelled)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 2
    # Who has no e-mail address gets the letter that it will not take place.
    assert [p.name for p in invitations.letters_needed(summer_meeting)] == ["Ria Jansen"]


def test_nothing_is_sent_when_the_calling_action_rolls_back(summer_meeting, mailoutbox):
    import pytest
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        invitations.send(summer_meeting, change="new")
        raise RuntimeError
    assert mailoutbox == []
    assert not OutgoingMail.objects.filter(kind__startswith="scheduling.").exists()


def test_someone_who_declined_or_was_never_asked_gets_nothing(
    summer_meeting, everyone_said_yes, mailoutbox, django_capture_on_commit_callbacks
):
    daan = everyone_said_yes["daan"]
    Participant.objects.filter(pk=daan.pk).update(status=Status.DECLINED)
    joost = everyone_said_yes["joost"]
    Participant.objects.filter(pk=joost.pk).update(status=Status.INVITED)
    _send(summer_meeting, "new", django_capture_on_commit_callbacks)
    assert [sent.to[0] for sent in mailoutbox] == ["sanne@example.org"]


# --- the letter, the case page's list and the participant's page --------------------------------


def test_the_case_page_lists_who_needs_a_letter_and_the_letter_holds_date_place_and_contact(
    summer_meeting, everyone_said_yes, carla, client
):
    from django.urls import reverse

    from kring.scheduling import letters
    from kring.testing.auth import force_verified_login

    force_verified_login(client, carla)
    page = client.get(reverse("cases:detail", args=[summer_meeting.case.pk]))
    text = page.content.decode()
    assert "Letters to print" in text  # Carla reads English in the tests
    ria = everyone_said_yes["ria"]
    url = reverse("scheduling:meeting_letter", args=[summer_meeting.pk, ria.pk])
    assert url in text
    # Only Ria: the others have an e-mail address.
    daans = reverse(
        "scheduling:meeting_letter", args=[summer_meeting.pk, everyone_said_yes["daan"].pk]
    )
    assert daans not in text

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="conferentie-ria-jansen-' in response["Content-Disposition"]
    html = letters.letter_html(ria, summer_meeting)
    for words in (
        "Ria Jansen",
        "Tantelaan 9",
        "donderdag 15 juli 2027",
        "19:00 – 21:30",
        "Buurthuis De Linde",
        "Lindeplein 1",
        "Bus 8 tot halte Lindeplein",
        "drempelvrij, ringleiding",
        "Carla",
    ):
        assert words in html
    # No one else's name or address (R18).
    for other in ("Daan", "Sanne", "Joost", "Daanstraat", "Lindelaan 4"):
        assert other not in html


def test_after_a_cancellation_the_case_page_offers_the_letter_that_says_so(
    summer_meeting, everyone_said_yes, carla, client
):
    """Point 7, everyone is told: who has no e-mail address gets a letter that the meeting
    will not take place."""
    from django.urls import reverse

    from kring.cases.lifecycle import State
    from kring.cases.models import Case
    from kring.scheduling import actions, letters
    from kring.testing.auth import force_verified_login

    ria = everyone_said_yes["ria"]
    Case.objects.filter(pk=summer_meeting.case.pk).update(state=State.SCHEDULED)
    actions.cancel(summer_meeting, then="prepare", by=carla)
    summer_meeting.refresh_from_db()

    force_verified_login(client, carla)
    text = client.get(reverse("cases:detail", args=[summer_meeting.case.pk])).content.decode()
    assert "The meeting will not take place." in text
    url = reverse("scheduling:meeting_letter", args=[summer_meeting.pk, ria.pk])
    assert url in text
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = letters.letter_html(ria, summer_meeting)
    assert "gaat niet door" in html
    assert "donderdag 15 juli 2027" in html
    assert "Je bent welkom" not in html


def test_the_participants_page_shows_the_meeting_and_its_calendar_file(
    summer_meeting, everyone_said_yes, carla, client
):
    from django.urls import reverse

    from kring.circle import links

    daan = everyone_said_yes["daan"]
    issued = links.issue(daan, by=carla)
    assert client.get(reverse("portal:enter", args=[issued.token])).status_code == 303
    home = client.get(reverse("portal:home")).content.decode()
    assert "Je Eigen Kracht-conferentie" in home
    assert "donderdag 15 juli 2027" in home
    assert "Lindeplein 1" in home and "Bus 8 tot halte Lindeplein" in home
    assert "drempelvrij, ringleiding" in home
    url = reverse("scheduling:calendar_file", args=[summer_meeting.pk])
    assert url in home
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; method=REQUEST"
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == summer_meeting.uid
    assert event.decoded("DTSTART").hour == 19


def test_who_withdrew_no_longer_sees_the_meeting_nor_gets_its_file(
    summer_meeting, everyone_said_yes, carla, client
):
    from django.urls import reverse

    from kring.circle import links

    daan = everyone_said_yes["daan"]
    issued = links.issue(daan, by=carla)
    client.get(reverse("portal:enter", args=[issued.token]))
    url = reverse("scheduling:calendar_file", args=[summer_meeting.pk])
    assert client.get(url).status_code == 200
    Participant.objects.filter(pk=daan.pk).update(status=Status.WITHDRAWN)
    home = client.get(reverse("portal:home"))
    assert "Lindeplein 1" not in home.content.decode()
    assert client.get(url).status_code == 404
