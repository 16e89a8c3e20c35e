"""The signed plan after its case is erased at the end of its retention (issue 14, review): its
bytes are gone, so nobody is offered a download, the download answers with the reason (not a
500), a copy mail still waiting is not sent and does not fail the worker, and the public
verification page still recognises a copy someone kept (it reads the recorded hash). Each
answer is proven against the same request before the erasure."""

import pytest
from django.core import mail as sent_mail
from django.db import transaction
from django.urls import reverse

from kring.cases import registry
from kring.notifications.models import OutgoingMail
from kring.notifications.tasks import send_mail
from kring.signing import documents, policy
from kring.signing.models import Delivery, SignedDocument
from kring.signing.tests.document_fixtures import made_document, pending_document, signed_version
from kring.signing.tests.test_verify import INTACT, _text, _upload

__all__ = ["made_document", "pending_document", "signed_version"]

pytestmark = pytest.mark.django_db

ERASED_WORDS = "erased at the end of its retention"


def _erase(case, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registry.erase_case(case)


def test_an_erased_plan_is_not_offered_nor_served(
    as_user, made_document, carla, django_capture_on_commit_callbacks
):
    case = made_document.case
    copies = reverse("signing:copies", args=[case.pk])
    download = reverse("signing:document_pdf", args=[case.pk])
    client = as_user(carla)
    assert download in client.get(copies).content.decode()  # before: offered and served
    assert client.get(download).status_code == 200

    _erase(case, django_capture_on_commit_callbacks)
    document = SignedDocument.objects.get(pk=made_document.pk)
    assert policy.may_download_document(carla, document).code == "erased"
    assert download not in client.get(copies).content.decode()
    response = client.get(download, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == copies
    assert ERASED_WORDS in response.content.decode()


def test_a_copy_mail_still_waiting_is_not_sent_after_the_erasure(
    made_document, daan, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(
        document=made_document, participant=daan, channel=Delivery.Channel.EMAIL
    )
    OutgoingMail.objects.filter(pk=delivery.mail_id).update(
        status=OutgoingMail.Status.PENDING, sent_at=None, claimed_at=None
    )
    sent_mail.outbox.clear()

    _erase(made_document.case, django_capture_on_commit_callbacks)
    send_mail.call_local(delivery.mail_id)  # ends without an error, and sends nothing
    assert sent_mail.outbox == []
    assert OutgoingMail.objects.get(pk=delivery.mail_id).status != OutgoingMail.Status.SENT


def test_the_verification_page_still_recognises_a_kept_copy(
    client, made_document, django_capture_on_commit_callbacks
):
    kept = documents.pdf_bytes(made_document)
    _erase(made_document.case, django_capture_on_commit_callbacks)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    assert INTACT in _text(_upload(client, kept))
