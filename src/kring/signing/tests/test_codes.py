"""The one-time code of remote signing (issue 11, point 1): sent by e-mail, kept only as a keyed
hash, valid for a short time and a few tries, used once, only by the participant it was sent
to; a participant who asks too often is refused with a clear message."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.circle.models import Participant
from kring.core.policy import NotAllowed, Refused
from kring.notifications import secrets
from kring.notifications.models import OutgoingMail
from kring.signing import codes
from kring.signing.models import SigningCode


def _send(participant, capture):
    with capture(execute=False):
        code = codes.send(participant)
    mail = OutgoingMail.objects.filter(kind="signing.code", to=participant.email).latest("pk")
    return code, secrets.unseal(mail.secret), mail


@pytest.fixture
def session():
    return SessionStore()


def test_a_code_is_mailed_and_kept_only_as_a_hash(
    final_version, daan, django_capture_on_commit_callbacks
):
    code, typed, mail = _send(daan, django_capture_on_commit_callbacks)
    assert typed is not None and len(typed) == 6 and typed.isdigit()
    # Nowhere in clear: not on the row, not in the outbox's subject, bodies or attachments.
    row = SigningCode.objects.get(pk=code.pk)
    assert typed not in row.code_hash
    assert row.code_hash != hashlib.sha256(typed.encode()).hexdigest()
    assert typed not in mail.subject + mail.body_text + mail.body_html + str(mail.attachments)
    assert typed not in mail.secret
    assert secrets.PLACEHOLDER in mail.body_text
    # The mail names no one and no case.
    assert daan.name.split()[0] not in mail.subject + mail.body_text + mail.body_html
    assert mail.language == daan.language
    assert row.expires_at - row.created_at == timedelta(minutes=15)
    event = AuditEvent.objects.get(action="signing.code_sent")
    assert event.actor_participant_id == daan.pk


def test_the_right_code_verifies_the_session_once(
    final_version, daan, session, django_capture_on_commit_callbacks
):
    _code, typed, _mail = _send(daan, django_capture_on_commit_callbacks)
    assert not codes.verified(daan, session)
    assert codes.check(daan, f" {typed[:3]} {typed[3:]} ", session)
    assert codes.verified(daan, session)
    # Used: the same code again does not count, in another session either.
    other = SessionStore()
    assert not codes.check(daan, typed, other)
    assert not codes.verified(daan, other)
    assert list(
        AuditEvent.objects.filter(action="signing.code_checked")
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [{"ok": True}, {"ok": False}]


def test_a_session_verified_for_one_participant_is_not_for_another(
    final_version, daan, sanne, session, django_capture_on_commit_callbacks
):
    _code, typed, _mail = _send(daan, django_capture_on_commit_callbacks)
    assert codes.check(daan, typed, session)
    assert codes.verified(daan, session)
    assert not codes.verified(sanne, session)


def test_another_participants_code_does_not_count(
    final_version, daan, sanne, session, django_capture_on_commit_callbacks
):
    _code, daans, _mail = _send(daan, django_capture_on_commit_callbacks)
    _send(sanne, django_capture_on_commit_callbacks)
    assert not codes.check(sanne, daans, session)
    assert not codes.verified(sanne, session)
    # Daan's own code still works: Sanne's try was not his.
    assert codes.check(daan, daans, session)


def test_wrong_tries_end_the_code(final_version, daan, session, django_capture_on_commit_callbacks):
    _code, typed, _mail = _send(daan, django_capture_on_commit_callbacks)
    wrong = "000000" if typed != "000000" else "111111"
    for _ in range(5):
        assert not codes.check(daan, wrong, session)
    assert not codes.check(daan, typed, session)
    assert not codes.verified(daan, session)


def test_fewer_wrong_tries_leave_the_code_working(
    final_version, daan, session, django_capture_on_commit_callbacks
):
    _code, typed, _mail = _send(daan, django_capture_on_commit_callbacks)
    wrong = "000000" if typed != "000000" else "111111"
    for _ in range(4):
        assert not codes.check(daan, wrong, session)
    assert codes.check(daan, typed, session)


def test_an_expired_code_is_refused(
    final_version, daan, session, django_capture_on_commit_callbacks
):
    code, typed, _mail = _send(daan, django_capture_on_commit_callbacks)
    SigningCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not codes.check(daan, typed, session)
    assert not codes.verified(daan, session)


def test_a_new_code_ends_the_earlier_one(
    final_version, daan, session, django_capture_on_commit_callbacks
):
    _code, first, _mail = _send(daan, django_capture_on_commit_callbacks)
    _code, second, _mail = _send(daan, django_capture_on_commit_callbacks)
    if first != second:
        assert not codes.check(daan, first, session)
    assert codes.check(daan, second, session)


def test_verification_lasts_a_short_time(
    final_version, daan, session, django_capture_on_commit_callbacks
):
    code, typed, _mail = _send(daan, django_capture_on_commit_callbacks)
    assert codes.check(daan, typed, session)
    SigningCode.objects.filter(pk=code.pk).update(
        used_at=timezone.now() - timedelta(minutes=codes.VERIFIED_MINUTES + 1)
    )
    assert not codes.verified(daan, session)


def test_asking_too_often_is_refused_with_a_message(
    final_version, daan, django_capture_on_commit_callbacks
):
    for _ in range(codes.HOURLY_LIMIT):
        _send(daan, django_capture_on_commit_callbacks)
    with pytest.raises(Refused) as refused:
        _send(daan, django_capture_on_commit_callbacks)
    assert "too often" in str(refused.value.reason)
    assert OutgoingMail.objects.filter(kind="signing.code").count() == codes.HOURLY_LIMIT
    assert SigningCode.objects.filter(participant=daan).count() == codes.HOURLY_LIMIT
    # An hour later it may again.
    SigningCode.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    _send(daan, django_capture_on_commit_callbacks)


def test_no_code_without_an_e_mail_address_or_anything_to_sign(
    final_version, daan, ria, django_capture_on_commit_callbacks
):
    with pytest.raises(Refused):
        _send(ria, django_capture_on_commit_callbacks)
    Participant.objects.filter(pk=daan.pk).update(email="")
    daan.refresh_from_db()
    with pytest.raises(Refused):
        _send(daan, django_capture_on_commit_callbacks)
    assert not SigningCode.objects.exists()
    assert not OutgoingMail.objects.filter(kind="signing.code").exists()


def test_no_code_before_a_plan_is_final(scheduled_case, daan, django_capture_on_commit_callbacks):
    with pytest.raises((Refused, NotAllowed)):
        _send(daan, django_capture_on_commit_callbacks)
    assert not SigningCode.objects.exists()
