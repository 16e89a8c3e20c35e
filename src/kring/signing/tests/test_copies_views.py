"""The copies of the signed plan (issue 11, point 4; R14), as Carla reads them in Dutch: who has
a copy (e-mail sent, failed, downloaded, printed) and who not yet, standing out; the cover letter
for a signer without e-mail, recording a printed copy, sending a failed mail again, the sealed
PDF itself. Mira (the team's manager) reads; only Carla acts; Bram (the office) is refused;
Olaf (another coordinator) does not find the case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.circle.models import Participant
from kring.conference.tests.mode_fixtures import said_yes
from kring.notifications.models import OutgoingMail
from kring.signing import deliveries, letters
from kring.signing.models import Delivery, Method, Signature, SignedDocument
from kring.signing.tests.document_fixtures import made_document, pending_document, signed_version
from kring.signing.tests.pages import dutch, text

__all__ = ["made_document", "pending_document", "signed_version"]

pytestmark = pytest.mark.django_db


def row(page: str, name: str) -> str:
    """The table row of `name` on the copies page."""
    return page.split("<table", 1)[1].split(name, 1)[1].split("</tr>", 1)[0]


def url(name, case, *args):
    return reverse(f"signing:{name}", args=[case.pk, *args])


def test_carla_sees_who_has_no_copy_yet_and_what_to_do_about_it(
    client, made_document, carla, ria, daan
):
    case = made_document.case
    page = text(dutch(client, carla).get(url("copies", case)))
    assert "Kopieën van het ondertekende plan" in page
    assert made_document.code[:4] in page
    # Ria has no e-mail address: no copy yet, said in words, with the letter to print.
    ria_row = row(page, ria.name)
    assert "Nog geen kopie" in ria_row
    assert "Geen e-mailadres" in ria_row
    assert url("cover_letter", case, ria.pk) in page
    assert url("mark_printed", case, ria.pk) in page
    # Only Ria: the others' copies were e-mailed.
    assert "Nog geen kopie: 1." in page
    assert page.count('<tr class="no-copy">') == 1
    daan_row = row(page, daan.name)
    assert "Verstuurd (" in daan_row and "Nog geen kopie" not in daan_row
    # Ria has no address: there is nothing to send her.
    assert url("resend", case, ria.pk) not in page
    assert AuditEvent.objects.filter(action="signing.copies_viewed", case=case).exists()


def test_mira_reads_the_copies_without_buttons_and_bram_and_olaf_are_refused(
    client, made_document, mira, bram, olaf, ria
):
    case = made_document.case
    page = text(dutch(client, mira).get(url("copies", case)))
    assert ria.name in page
    assert url("mark_printed", case, ria.pk) not in page
    assert url("cover_letter", case, ria.pk) not in page
    assert dutch(client, bram).get(url("copies", case)).status_code == 403
    assert dutch(client, olaf).get(url("copies", case)).status_code == 404


def test_a_printed_copy_is_recorded_by_carla_only(client, made_document, carla, mira, ria):
    case = made_document.case
    assert dutch(client, mira).post(url("mark_printed", case, ria.pk)).status_code == 403
    assert not Delivery.objects.filter(channel=Delivery.Channel.PRINT).exists()
    answer = dutch(client, carla).post(url("mark_printed", case, ria.pk))
    assert answer.status_code == 302
    delivery = Delivery.objects.get(channel=Delivery.Channel.PRINT)
    assert (delivery.participant, delivery.by) == (ria, carla)
    page = text(client.get(answer["Location"]))
    assert f"Vastgelegd: {ria.name} heeft een afgedrukte kopie." in page
    ria_row = row(page, ria.name)
    assert "Nog geen kopie" not in ria_row
    assert f"door {carla.get_full_name()}" in ria_row


def test_the_cover_letter_is_addressed_to_the_signer_with_the_code_to_check(
    client, made_document, carla, mira, ria
):
    case = made_document.case
    assert dutch(client, mira).get(url("cover_letter", case, ria.pk)).status_code == 403
    answer = dutch(client, carla).get(url("cover_letter", case, ria.pk))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert "attachment" in answer["Content-Disposition"]
    layout = letters.cover_letter_document(made_document, ria)
    words = " ".join(
        box.text
        for page in layout.pages
        for box in _boxes(page._page_box)
        if getattr(box, "text", None)
    )
    assert ria.name in words
    assert "Je kopie van het plan" in words
    assert "/controleren/" in words
    assert made_document.code[:4] in words
    assert AuditEvent.objects.filter(action="signing.cover_letter_printed").exists()


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def test_a_failed_mail_is_sent_again_by_carla(client, made_document, carla, mira, daan):
    case = made_document.case
    first = Delivery.objects.get(participant=daan, channel=Delivery.Channel.EMAIL)
    OutgoingMail.objects.filter(pk=first.mail_id).update(status=OutgoingMail.Status.FAILED)
    client = dutch(client, carla)
    page = text(client.get(url("copies", case)))
    daan_row = row(page, daan.name)
    assert "Kon niet worden verstuurd" in daan_row
    assert "Nog geen kopie" in daan_row
    assert url("resend", case, daan.pk) in page
    assert dutch(client, mira).post(url("resend", case, daan.pk)).status_code == 403
    assert Delivery.objects.filter(participant=daan, channel=Delivery.Channel.EMAIL).count() == 1
    answer = dutch(client, carla).post(url("resend", case, daan.pk))
    assert answer.status_code == 302
    assert Delivery.objects.filter(participant=daan, channel=Delivery.Channel.EMAIL).count() == 2


def test_a_double_click_on_send_again_queues_one_mail(client, made_document, carla, daan):
    case = made_document.case
    client = dutch(client, carla)
    mails = Delivery.objects.filter(participant=daan, channel=Delivery.Channel.EMAIL)
    first = mails.get()
    OutgoingMail.objects.filter(pk=first.mail_id).update(status=OutgoingMail.Status.FAILED)
    # Two POSTs before the worker sent anything: the second finds the first one's mail waiting.
    client.post(url("resend", case, daan.pk))
    answer = client.post(url("resend", case, daan.pk), follow=True)
    assert mails.count() == 2  # the first mail and one resent
    page = text(answer)
    assert f"De kopie voor {daan.name} wacht nog op verzending." in page
    assert "Wacht op verzending" in row(page, daan.name)
    assert url("resend", case, daan.pk) not in page


def test_a_copy_that_was_sent_and_lost_is_sent_again_once_it_is_no_longer_waiting(
    client, made_document, carla, daan
):
    case = made_document.case
    client = dutch(client, carla)
    mails = Delivery.objects.filter(participant=daan, channel=Delivery.Channel.EMAIL)
    assert mails.get().mail.status == OutgoingMail.Status.SENT
    # Daan lost the mail: Carla sends it again.
    page = text(client.get(url("copies", case)))
    assert "Stuur opnieuw" in row(page, daan.name)
    answer = client.post(url("resend", case, daan.pk), follow=True)
    assert f"De kopie voor {daan.name} wordt opnieuw verstuurd." in text(answer)
    assert mails.count() == 2
    # While it waits to be sent: no second one.
    client.post(url("resend", case, daan.pk))
    assert mails.count() == 2
    # Sent: it can be sent once more.
    OutgoingMail.objects.filter(pk=mails.last().mail_id).update(status=OutgoingMail.Status.SENT)
    client.post(url("resend", case, daan.pk))
    assert mails.count() == 3


def test_a_copy_can_be_printed_again_and_the_page_says_when(client, made_document, carla, ria):
    case = made_document.case
    client = dutch(client, carla)
    client.post(url("mark_printed", case, ria.pk))
    page = text(client.get(url("copies", case)))
    ria_row = row(page, ria.name)
    printed = Delivery.objects.get(channel=Delivery.Channel.PRINT)
    assert f"door {carla.get_full_name()}" in ria_row
    # Lost: printed again, recorded again.
    assert url("mark_printed", case, ria.pk) in page
    client.post(url("mark_printed", case, ria.pk))
    assert Delivery.objects.filter(channel=Delivery.Channel.PRINT).count() == 2
    assert printed.at <= Delivery.objects.filter(channel=Delivery.Channel.PRINT).last().at


def test_the_sealed_pdf_is_served_to_carla_and_mira_never_cached(
    client, made_document, carla, mira, bram
):
    case = made_document.case
    for user in (carla, mira):
        answer = dutch(client, user).get(url("document_pdf", case))
        assert answer.status_code == 200
        assert answer.content.startswith(b"%PDF")
        assert answer["Content-Disposition"] == (
            f'attachment; filename="herstelplan-{case.reference.lower()}-v1.pdf"'
        )
        assert "no-store" in answer["Cache-Control"] or "max-age=0" in answer["Cache-Control"]
    assert AuditEvent.objects.filter(action="signing.document_read").count() == 2
    assert dutch(client, bram).get(url("document_pdf", case)).status_code == 403


def test_while_the_pdf_is_being_made_the_page_says_so_and_asks_again(
    client, pending_document, carla
):
    case = pending_document.case
    assert pending_document.status == SignedDocument.Status.PENDING
    page = text(dutch(client, carla).get(url("copies", case)))
    assert "De pdf wordt gemaakt…" in page
    assert 'hx-trigger="every 3s"' in page
    # Without JavaScript: a plain link to the page itself.
    assert f'<a href="{url("copies", case)}">Vernieuw deze pagina</a>' in page
    assert url("document_pdf", case) not in page
    # A poll while it is still pending is no new read in the access log.
    reads = AuditEvent.objects.filter(action="signing.copies_viewed").count()
    client.get(url("copies", case), HTTP_HX_REQUEST="true")
    assert AuditEvent.objects.filter(action="signing.copies_viewed").count() == reads
    # The PDF is not there yet: back to the page that says so.
    answer = client.get(url("document_pdf", case))
    assert answer.status_code == 302
    assert answer["Location"] == url("copies", case)


def test_a_failed_pdf_says_kring_tries_again_every_hour_and_whom_to_tell(
    client, pending_document, carla
):
    """signing.tasks: the sweep tries a failed document again about once an hour."""
    case = pending_document.case
    SignedDocument.objects.filter(pk=pending_document.pk).update(status="failed")
    page = text(dutch(client, carla).get(url("copies", case)))
    assert (
        "Het maken van de pdf lukte nog niet. Kring probeert het elk uur opnieuw; lukt het over "
        "een uur nog niet, meld het dan bij de beheerder." in page
    )
    assert "hx-trigger" not in page
    assert f'<a href="{url("copies", case)}">Vernieuw deze pagina</a>' in page


def test_the_case_page_counts_the_copies(client, made_document, carla, bram):
    case = made_document.case
    for user in (carla, bram):
        page = text(dutch(client, user).get(reverse("cases:detail", args=[case.pk])))
        assert "Iedereen heeft getekend." in page
        assert "Kopieën: " in page
    assert url("copies", case) not in page  # Bram: counts only


def _copies_queries(client, case) -> int:
    client.get(url("copies", case))  # what a session reads only on its first request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("copies", case)).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_of_the_copies_page_does_not_grow_with_the_signers(
    client, made_document, carla, daan, sanne
):
    case = made_document.case
    client = dutch(client, carla)
    four = _copies_queries(client, case)
    version = made_document.version
    for i in range(11):
        person = said_yes(case, f"Steun {i:02d}", supports=daan if i % 2 else sanne)
        if i % 3:
            Participant.objects.filter(pk=person.pk).update(email=f"steun{i}@example.org")
            person.refresh_from_db()
        Signature.objects.create(
            version=version,
            participant=person,
            signed_by=person,
            content_hash=version.content_hash,
            consent_text="Ik ga akkoord met dit plan.",
            typed_name=person.name,
            signed_at=made_document.made_at,
            method=Method.IN_PERSON,
            hosted_by=carla,
        )
    deliveries.send_copies(made_document)  # the new signers' mails, waiting to be sent
    page = text(client.get(url("copies", case)))
    assert page.count("<tr class=") == 15
    assert _copies_queries(client, case) == four
