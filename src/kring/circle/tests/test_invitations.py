"""Invitations by e-mail (issue 3, points 6, 7 and 12): one plain mail with a personal link that
opens the portal, a subject that gives nothing away, no link in clear in the outbox, and no
contact details of the harmed side in any mail to the responsible side (R18)."""

import re

import pytest
from django.core import mail

from kring.circle import actions, links
from kring.circle.models import Invitation, Status
from kring.core.policy import Refused
from kring.notifications import secrets
from kring.notifications.models import OutgoingMail
from kring.testing.people import DAAN, SANNE_ADDRESS, SANNE_EMAIL, SANNE_PHONE

# Every invitation here comes after Daan acknowledged his part (R3, R4).
pytestmark = pytest.mark.usefixtures("daan_acknowledged")

LINK = re.compile(r"https?://\S+/p/([A-Za-z0-9_-]+)/")


def _invite(participant, carla, capture):
    with capture(execute=True):
        return actions.invite(participant, channel=Invitation.Channel.EMAIL, by=carla)


def _token_in(text: str) -> str:
    found = LINK.findall(text)
    assert len(set(found)) == 1, text
    return found[0]


def test_an_email_invitation_sends_one_mail_with_a_link_that_opens_the_portal(
    daan, carla, django_capture_on_commit_callbacks
):
    sent = _invite(daan, carla, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [DAAN.email]
    token = _token_in(message.body)
    assert token == sent.token
    live = links.find_live(token)
    assert live is not None and live.participant == daan
    html = message.alternatives[0][0]
    assert f'href="{links.url(token)}"' in html
    assert secrets.PLACEHOLDER not in message.body + html
    daan.refresh_from_db()
    assert daan.status == Status.INVITED


def test_the_invitation_says_what_it_is_that_it_is_voluntary_and_not_to_forward_it(
    sanne, daan, carla, django_capture_on_commit_callbacks
):
    _invite(sanne, carla, django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    assert body.startswith("Dear Sanne,")  # in her own language (English)
    assert "You are invited to take part in an Eigen Kracht conference." in body
    assert "Taking part is voluntary." in body
    assert "The link works for 30 days." in body
    assert "please do not forward this e-mail" in body
    assert "Eigen Kracht Centrale" in body


def test_the_subject_carries_no_name_role_or_case_detail(
    sanne, daan, carla, django_capture_on_commit_callbacks
):
    _invite(daan, carla, django_capture_on_commit_callbacks)
    _invite(sanne, carla, django_capture_on_commit_callbacks)

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    # Generic, in each person's own language (Dutch comes from the .po file).
    assert subjects[SANNE_EMAIL] == "An invitation"
    for subject in subjects.values():
        for detail in (
            "Daan",
            "Boer",
            "Sanne",
            "Jansen",
            "harm",
            "responsib",
            "fiets",
            daan.case.reference,
        ):
            assert detail.lower() not in subject.lower()


def test_the_outbox_never_holds_the_link_in_clear_and_forgets_it_once_sent(
    daan, carla, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = actions.invite(daan, channel=Invitation.Channel.EMAIL, by=carla)

    row = OutgoingMail.objects.get(kind="circle.invitation")
    stored = " ".join([row.subject, row.body_text, row.body_html, row.secret])
    assert sent.token not in stored
    assert secrets.PLACEHOLDER in row.body_text
    assert secrets.unseal(row.secret) == links.url(sent.token)

    for callback in callbacks:
        callback()

    row.refresh_from_db()
    assert row.status == OutgoingMail.Status.SENT
    assert row.secret == ""
    assert sent.token not in row.body_text + row.body_html
    assert sent.token in mail.outbox[0].body


def test_a_new_invitation_revokes_the_old_link(daan, carla, django_capture_on_commit_callbacks):
    first = _invite(daan, carla, django_capture_on_commit_callbacks)
    second = _invite(daan, carla, django_capture_on_commit_callbacks)

    assert links.find_live(first.token) is None
    assert links.find_live(second.token).participant == daan
    assert _token_in(mail.outbox[1].body) == second.token


def test_reissuing_a_link_revokes_the_one_in_the_invitation(
    daan, carla, django_capture_on_commit_callbacks
):
    sent = _invite(daan, carla, django_capture_on_commit_callbacks)

    new_token = actions.reissue_link(daan, by=carla).token

    assert links.find_live(_token_in(mail.outbox[0].body)) is None
    assert links.find_live(new_token).participant == daan
    assert new_token != sent.token


def test_no_mail_to_the_responsible_side_carries_the_harmed_persons_contact_details(
    circle_of_both, daan, sanne, carla, django_capture_on_commit_callbacks
):
    """R18: Sanne's phone number (planted), e-mail and address reach no one on Daan's side."""
    _invite(daan, carla, django_capture_on_commit_callbacks)
    _invite(sanne, carla, django_capture_on_commit_callbacks)
    _invite(circle_of_both["ria"], carla, django_capture_on_commit_callbacks)

    to_daan = [m for m in mail.outbox if m.to == [DAAN.email]]
    assert len(to_daan) == 1
    for message in to_daan:
        text = " ".join([message.subject, message.body, message.alternatives[0][0]])
        for secret in (SANNE_PHONE, SANNE_EMAIL, "Sanne", *SANNE_ADDRESS.splitlines()):
            assert secret not in text
    # Nor does any mail carry someone else's contact details: each names only its addressee.
    for message in mail.outbox:
        assert SANNE_PHONE not in message.body
        assert DAAN.phone not in message.body


def test_someone_without_an_email_address_cannot_be_invited_by_email(
    circle_of_both, carla, django_capture_on_commit_callbacks
):
    joost = circle_of_both["joost"]
    actions.update_participant(joost, email="", by=carla)

    with pytest.raises(Refused) as refused:
        _invite(joost, carla, django_capture_on_commit_callbacks)

    assert refused.value.reason == "Joost de Boer has no e-mail address: print a letter instead."
    assert mail.outbox == []
    assert not joost.invitations.exists()
