"""The signed plan's PDF (issue 11, point 3): the text read back from the PDF is the signed
version's, it declares PDF/UA-1 and is tagged, and it fetches nothing while it is made."""

import io
import re

import pytest
from pypdf import PdfReader

from kring.signing import documents, pdf
from kring.signing.tests.document_fixtures import made_document, pending_document, signed_version

__all__ = ["made_document", "pending_document", "signed_version"]

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(page.extract_text() for page in reader.pages)


def _squeezed(text: str) -> str:
    """Without any white space: a line break in the PDF falls anywhere in a long value."""
    return re.sub(r"\s+", "", text)


def test_the_text_of_the_pdf_is_the_signed_version(made_document):
    from kring.signing.models import Signature

    version = made_document.version
    content = version.content
    text = _squeezed(_text(documents.pdf_bytes(made_document)))
    assert _squeezed(content["good_outcome"]["text"]) in text
    assert _squeezed(content["if_not_kept"]) in text
    assert content["agreements"]
    for agreement in content["agreements"]:
        assert _squeezed(agreement["what"]) in text
        assert _squeezed(agreement["how_checked"]) in text
    for name in content["present"]:
        assert _squeezed(name) in text
    signatures = Signature.objects.filter(version=version)
    assert signatures.count() == made_document.signer_count >= 4
    for signature in signatures:
        assert _squeezed(signature.typed_name) in text
        assert _squeezed(signature.signed_by.name) in text
    assert version.content_hash in text  # the full SHA-256
    assert documents.grouped(made_document.code) in text
    assert _squeezed("http://127.0.0.1:8000/controleren/") in text


def test_the_pdf_says_how_each_signed_in_dutch_without_the_remote_address(made_document):
    data = documents.pdf_bytes(made_document)
    text = " ".join(_text(data).split())
    assert "Herstelplan" in text
    assert "ter plekke" in text
    assert "op afstand, via de persoonlijke pagina, na een eenmalige code per e-mail" in text
    assert "(UTC)" in text and "17:05:00 UTC" in text  # the first signature, 3 June 2026
    assert "3 juni 2026, 19:05" in text  # the same moment in Amsterdam (summer time)
    # The browser's address and user agent stay in the database only.
    assert "192.0.2.44" not in text and b"192.0.2.44" not in data
    assert "Mozilla" not in text


def test_the_pdf_declares_pdf_ua_1_and_is_tagged(pending_document):
    reader = PdfReader(io.BytesIO(pdf.render(pending_document)))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp), xmp
    assert reader.metadata.title.startswith("Herstelplan")
    assert reader.metadata.author == "Eigen Kracht Centrale"


def test_the_pdf_is_made_without_fetching_anything():
    fetcher = pdf.OfflineFetcher()
    for address in ("http://127.0.0.1:9/font.woff", "file:///etc/passwd", "https://example.org/"):
        with pytest.raises(ValueError):
            fetcher.fetch(address)
    assert fetcher.fetch("data:text/plain,hallo")  # data: URLs only


def test_what_a_participant_typed_is_text_in_the_pdf_not_markup(signed_version, carla):
    from kring.signing.models import Signature

    signature = Signature.objects.filter(version=signed_version).first()
    signature.typed_name = '<img src="http://127.0.0.1:9/x.png">Daan'
    signature.save()
    from django.db import transaction

    with transaction.atomic():
        document = documents.start(signed_version)
    text = _text(pdf.render(document))
    assert _squeezed('<img src="http://127.0.0.1:9/x.png">Daan') in _squeezed(text)


def test_the_seal_is_a_hidden_field_that_says_what_it_is(made_document):
    reader = PdfReader(io.BytesIO(documents.pdf_bytes(made_document)))
    (field,) = [f.get_object() for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]]
    assert field["/T"] == "KringZegel"
    assert field["/TU"] == "Zegel van Eigen Kracht Centrale"
    assert field["/F"] & 2  # hidden: no untagged annotation on the page (PDF/UA)
    assert reader.trailer["/Root"]["/StructTreeRoot"]  # the seal kept the tagging
