"""The copies of the signed plan (issue 11, point 4): one e-mail with the sealed PDF to each
signer with an address, once, the PDF fetched when the mail is sent; a failed mail shows as
failed until another copy reaches them; the coordinator prints or resends; the status per
signer in a fixed number of queries."""

from email import message_from_bytes, policy

import pytest

from kring.circle.models import Participant
from kring.core.policy import NotAllowed, Refused
from kring.notifications.models import OutgoingMail
from kring.signing import deliveries, documents
from kring.signing import policy as policy_of_signing
from kring.signing.models import Delivery, Role, SignedDocument
from kring.signing.tests.document_fixtures import sign_for


@pytest.fixture
def signed(final_version, daan, sanne, joost, ria, django_capture_on_commit_callbacks):
    """Everyone signed: the PDF is made and the copies sent (the task queue runs at once)."""
    with django_capture_on_commit_callbacks(execute=True):
        for person in (daan, sanne, joost, ria):
            sign_for(final_version, person)
    document = SignedDocument.objects.get()
    assert document.status == SignedDocument.Status.MADE
    return document


def test_each_signer_with_an_address_gets_the_pdf_once(signed, daan, sanne, joost, mailoutbox):
    copies = Delivery.objects.filter(document=signed, channel=Delivery.Channel.EMAIL)
    assert sorted(d.participant_id for d in copies) == sorted([daan.pk, sanne.pk, joost.pk])
    assert {m.to[0] for m in mailoutbox} >= {daan.email, sanne.email, joost.email}
    subjects = set(
        OutgoingMail.objects.filter(kind="signing.copy").values_list("subject", flat=True)
    )
    copy_mails = [m for m in mailoutbox if m.subject in subjects]
    assert len(copy_mails) == 3
    pdf = documents.pdf_bytes(signed)
    for sent in copy_mails:
        message = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
        [part] = list(message.iter_attachments())
        assert part.get_content_type() == "application/pdf"
        assert part.get_content() == pdf
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "fiets" not in body  # no plan text in the mail itself
        for person in (daan, sanne, joost):
            assert person.name not in sent.subject + body
        assert documents.grouped(signed.code) in body
    # The outbox keeps the document's id, never the bytes.
    for mail in OutgoingMail.objects.filter(kind="signing.copy"):
        assert mail.attachments[0]["source"] == [deliveries.SOURCE, signed.pk]
        assert mail.attachments[0]["content"] == ""
    # A second call sends nothing twice.
    assert deliveries.send_copies(signed) == []
    assert copies.count() == 3
    assert OutgoingMail.objects.filter(kind="signing.copy").count() == 3


def test_a_guardian_who_signs_twice_gets_one_copy(
    final_version, daan, sanne, joost, ria, django_capture_on_commit_callbacks
):
    Participant.objects.filter(pk=sanne.pk).update(is_minor=True, guardian=joost)
    with django_capture_on_commit_callbacks(execute=True):
        for person in (daan, sanne, joost, ria):
            sign_for(final_version, person)
        sign_for(final_version, sanne, Role.GUARDIAN, signer=joost)
    document = SignedDocument.objects.get()
    assert (
        Delivery.objects.filter(
            document=document, participant=joost, channel=Delivery.Channel.EMAIL
        ).count()
        == 1
    )


def test_a_failed_mail_shows_failed_until_another_copy_reaches_them(
    signed, daan, ria, carla, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(participant=daan, channel=Delivery.Channel.EMAIL)
    OutgoingMail.objects.filter(pk=delivery.mail_id).update(status=OutgoingMail.Status.FAILED)
    by_person = {entry.participant.pk: entry for entry in deliveries.status(signed)}
    assert by_person[daan.pk].email_failed
    assert not by_person[daan.pk].has_copy
    assert not by_person[ria.pk].has_copy  # no address, nothing printed yet
    assert not by_person[ria.pk].has_email_address
    # Resent, and the mail goes out this time.
    with django_capture_on_commit_callbacks(execute=True):
        deliveries.resend(signed, daan, by=carla)
    by_person = {entry.participant.pk: entry for entry in deliveries.status(signed)}
    assert by_person[daan.pk].email == OutgoingMail.Status.SENT
    assert by_person[daan.pk].has_copy
    # Ria's copy is printed.
    deliveries.record_printed(signed, ria, by=carla)
    by_person = {entry.participant.pk: entry for entry in deliveries.status(signed)}
    assert by_person[ria.pk].has_copy and by_person[ria.pk].printed_at is not None


def test_resending_and_printing_are_refused_when_not_allowed(signed, ria, daan, bram, carla):
    with pytest.raises(Refused):
        deliveries.resend(signed, ria, by=carla)  # no address
    with pytest.raises((NotAllowed, Refused)):
        deliveries.resend(signed, daan, by=bram)  # not the coordinator
    with pytest.raises((NotAllowed, Refused)):
        deliveries.record_printed(signed, ria, by=bram)
    assert not Delivery.objects.exclude(channel=Delivery.Channel.EMAIL).exists()
    assert Delivery.objects.count() == 3
    # Carla may: each refusal refused something.
    deliveries.record_printed(signed, ria, by=carla)
    deliveries.resend(signed, daan, by=carla)
    assert Delivery.objects.count() == 5


def test_a_second_resend_while_the_first_waits_is_refused_under_the_lock(signed, daan, carla):
    """The page read the document (and the policy remembered Daan's failed mail on it) before
    both clicks: the action reads it again under its lock, so the second finds the first's mail
    waiting to be sent."""
    first = Delivery.objects.get(participant=daan, channel=Delivery.Channel.EMAIL)
    OutgoingMail.objects.filter(pk=first.mail_id).update(status=OutgoingMail.Status.FAILED)
    document = SignedDocument.objects.select_related("case").get(pk=signed.pk)
    assert policy_of_signing.may_resend_copy(carla, document, daan) is None
    deliveries.resend(document, daan, by=carla)
    with pytest.raises(Refused) as refused:
        deliveries.resend(document, daan, by=carla)
    assert refused.value.code == "mail_waiting"
    assert Delivery.objects.filter(participant=daan, channel=Delivery.Channel.EMAIL).count() == 2


def test_nothing_is_sent_before_the_pdf_is_made(
    final_version, daan, sanne, joost, ria, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        for person in (daan, sanne, joost, ria):
            sign_for(final_version, person)
    document = SignedDocument.objects.get()
    assert document.status == SignedDocument.Status.PENDING
    assert deliveries.send_copies(document) == []
    assert not Delivery.objects.exists()


def test_the_status_reads_in_a_fixed_number_of_queries(
    signed, daan, ria, carla, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliveries.resend(signed, daan, by=carla)
    deliveries.record_printed(signed, ria, by=carla)
    with django_assert_num_queries(2):
        found = deliveries.status(signed)
        assert len(found) == 4
        assert [len(entry.deliveries) for entry in found]
