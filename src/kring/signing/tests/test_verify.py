"""The public verification page (issue 11, point 5), through the test client: an intact sealed
plan is recognised, a changed one refused; by code the record's facts; never a name or a case
reference; rate-limited per address; every check in the access log."""

import hashlib
import io
import re

import pytest
from django.db import transaction
from django.urls import reverse
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from kring.signing import documents, verify_views
from kring.signing.tests.document_fixtures import made_document, pending_document, signed_version

__all__ = ["made_document", "pending_document", "signed_version"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """A visitor whose browser asks for Dutch, the organisation's language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    return client


URL = reverse("signing:verify")
INTACT = "Dit is een ongeschonden herstelplan van Eigen Kracht Centrale met een geldig zegel."
CHANGED = "Dit bestand is geen ongeschonden herstelplan van Eigen Kracht Centrale"


def _upload(client, data: bytes, name: str = "plan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(URL, {"how": "upload", "upload-file": upload})


def _text(response) -> str:
    """What the page says, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _no_case_data(response, document):
    page = response.content.decode()
    for name in document.version.content["present"]:
        assert name not in page
    assert document.version.content["reference"] not in page
    assert document.case.reference not in page


def test_anyone_sees_the_page_and_it_is_never_cached(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Controleer een ondertekend plan" in _text(response)


def test_an_intact_plan_is_recognised_with_its_date_and_number_of_signers(client, made_document):
    from kring.audit.models import AuditEvent

    response = _upload(client, documents.pdf_bytes(made_document))
    text = _text(response)
    assert response.status_code == 200
    assert INTACT in text
    assert f"Aantal mensen dat tekende {made_document.signer_count}" in text
    assert "no-store" in response["Cache-Control"]
    _no_case_data(response, made_document)
    event = AuditEvent.objects.get(action="signing.verified")
    assert event.data["found"] is True and event.data["how"] == "upload"


def test_one_changed_byte_is_refused(client, made_document):
    data = bytearray(documents.pdf_bytes(made_document))
    middle = data.index(b"/Contents <") // 2
    data[middle] = ord("X") if data[middle] != ord("X") else ord("Y")
    text = _text(_upload(client, bytes(data)))
    assert CHANGED in text and INTACT not in text
    assert _text(_upload(client, documents.pdf_bytes(made_document))).count(INTACT) == 1


def test_an_incremental_update_after_the_seal_is_refused(client, made_document):
    writer = IncrementalPdfFileWriter(io.BytesIO(documents.pdf_bytes(made_document)))
    writer.root["/Lang"] = pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    text = _text(_upload(client, out.getvalue()))
    assert CHANGED in text and INTACT not in text


def test_a_pdf_without_the_seal_and_a_file_that_is_no_pdf(client, made_document):
    from kring.signing import pdf

    text = _text(_upload(client, pdf.render(made_document)))
    assert "Dit bestand heeft niet het zegel van Eigen Kracht Centrale." in text
    response = _upload(client, b"GIF89a not a plan", name="plan.gif")
    assert "Dit bestand is geen pdf. Kies de pdf van het plan." in _text(response)


def test_a_file_over_10_mb_gets_a_clear_message(client):
    response = _upload(client, b"%PDF-1.7\n" + b"0" * (verify_views.MAX_BYTES + 1))
    text = _text(response)
    assert "Dit bestand is groter dan 10 MB." in text
    assert INTACT not in text


def test_by_code_the_facts_of_the_record(client, made_document):
    typed = documents.grouped(made_document.code).lower().replace("-", " ")
    response = client.post(URL, {"how": "code", "code-code": typed})
    text = _text(response)
    assert (
        "Deze code hoort bij een ondertekend herstelplan van Eigen Kracht Centrale met een geldig zegel."
        in text
    )
    assert f"Aantal mensen dat tekende {made_document.signer_count}" in text
    assert "niet meer" not in text
    _no_case_data(response, made_document)


def test_by_code_it_says_when_a_newer_version_replaced_the_plan(client, made_document, carla):
    from kring.conference import versions

    plan = made_document.version.plan
    plan.if_not_kept = "We praten opnieuw, met Carla en Joost."
    plan.edit_count += 1
    plan.save()
    versions.finalise(plan, by=carla)
    text = _text(client.post(URL, {"how": "code", "code-code": made_document.code}))
    assert "Deze versie geldt niet meer." in text


def test_an_unknown_code_a_pending_one_and_no_code_at_all(client, pending_document):
    text = _text(client.post(URL, {"how": "code", "code-code": "7KQ4-M2XD-9HBR"}))
    assert "Eigen Kracht Centrale heeft geen ondertekend plan met deze code of dit bestand." in text
    text = _text(client.post(URL, {"how": "code", "code-code": pending_document.code}))
    assert "wordt nog gemaakt" in text
    text = _text(client.post(URL, {"how": "code", "code-code": "hallo"}))
    assert "Dit is geen controlecode." in text


def test_too_many_checks_from_one_address_are_refused(client, made_document):
    for _ in range(verify_views.CHECKS_PER_HOUR):
        response = client.post(URL, {"how": "code", "code-code": made_document.code})
        assert response.status_code == 200
    response = client.post(URL, {"how": "code", "code-code": made_document.code})
    assert response.status_code == 429
    text = _text(response)
    assert "Te veel controles vanaf dit adres" in text
    assert "met een geldig zegel" not in text


def test_a_plan_made_in_a_transaction_that_rolled_back_is_unknown(client, signed_version):
    try:
        with transaction.atomic():
            code = documents.start(signed_version).code
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    text = _text(client.post(URL, {"how": "code", "code-code": code}))
    assert "Eigen Kracht Centrale heeft geen ondertekend plan" in text


def test_a_body_over_10_mb_is_refused_before_it_is_read(client):
    """The announced length decides: the body is never read (here it is not even there), so a
    large upload is not spooled to disk. The answer is 413 with the page's message, in Dutch."""
    from kring.audit.models import AuditEvent

    response = client.generic(
        "POST",
        URL,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(verify_views.MAX_BODY + 1),
    )
    assert response.status_code == 413
    text = _text(response)
    assert "Dit bestand is groter dan 10 MB. Kies de pdf van het plan." in text
    assert INTACT not in text
    assert not AuditEvent.objects.filter(action="signing.verified").exists()


def test_a_body_just_under_the_limit_is_read_and_checked(client, made_document):
    """The refusal above refuses only what is too large: the same request with the file's own
    length is read and answered."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("plan.pdf", documents.pdf_bytes(made_document))
    response = client.post(URL, {"how": "upload", "upload-file": upload})
    assert response.status_code == 200
    assert INTACT in _text(response)


NOT_OURS = "Dit bestand heeft niet het zegel van Eigen Kracht Centrale."


def _seal_file(folder, name: str) -> str:
    from kring.signing import seal

    path = folder / f"{name}.p12"
    path.write_bytes(seal.self_signed_pkcs12(name, passphrase=b"geheim genoeg"))
    return str(path)


def test_a_plan_sealed_before_the_seal_was_renewed_still_verifies_and_a_foreign_seal_does_not(
    client, signed_version, settings, tmp_path, django_capture_on_commit_callbacks
):
    from kring.signing import pdf, seal
    from kring.signing.models import SignedDocument

    settings.KRING_SEAL_DEMO = False
    settings.KRING_SEAL_PASSPHRASE = "geheim genoeg"
    settings.KRING_SEAL_PKCS12 = _seal_file(tmp_path, "old")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        document = documents.start(signed_version)
    document.refresh_from_db()
    assert document.status == SignedDocument.Status.MADE
    assert document.seal_fingerprint == seal.fingerprint(seal.load_signer().signing_cert)
    data = documents.pdf_bytes(document)
    assert INTACT in _text(_upload(client, data))

    # The certificate is renewed: the configured seal is another one now.
    settings.KRING_SEAL_PKCS12 = _seal_file(tmp_path, "new")
    assert seal.check(data).problem == "untrusted"  # the current seal alone does not vouch
    text = _text(_upload(client, data))
    assert INTACT in text and NOT_OURS not in text

    # A seal of someone else's certificate is not ours...
    foreign_signer = seal.load_pkcs12_file(_seal_file(tmp_path, "foreign"), b"geheim genoeg")
    foreign = seal.seal(pdf.render(document), signer=foreign_signer)
    assert NOT_OURS in _text(_upload(client, foreign))
    # ...even when a made document's record carried that file's SHA-256: the certificate must
    # be the one recorded when the document was sealed.
    SignedDocument.objects.filter(pk=document.pk).update(sha256=hashlib.sha256(foreign).hexdigest())
    text = _text(_upload(client, foreign))
    assert NOT_OURS in text and INTACT not in text


def test_the_csrf_check_still_holds_after_the_size_check(made_document):
    """The page checks the size before the CSRF token (the middleware would read the body):
    a post without the token is still refused, with it answered."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="nl")
    browser.get(URL)
    posted = {"how": "code", "code-code": made_document.code}
    assert browser.post(URL, posted).status_code == 403
    posted["csrfmiddlewaretoken"] = browser.cookies["csrftoken"].value
    response = browser.post(URL, posted)
    assert response.status_code == 200
    assert "met een geldig zegel" in _text(response)
