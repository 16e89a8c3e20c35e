"""The seal (issue 11, point 3): pyHanko validates it as a certification signature over the
whole file with no changes allowed; signing.seal.check refuses a changed byte, an incremental
update, and a seal this installation did not make; the demo certificate is made once."""

import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from kring.signing import seal, seal_checks


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    page = "<html lang='nl'><head><title>Herstelplan</title></head><body><p>Plan</p></body></html>"
    return HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")


@pytest.fixture
def sealed(plain_pdf) -> bytes:
    return seal.seal(plain_pdf)


def _one_byte_changed_inside_the_signed_range(data: bytes) -> bytes:
    start = data.index(b"/Contents <")  # the signature's own bytes are outside the range
    position = start // 2
    changed = bytearray(data)
    changed[position] = ord("X") if changed[position] != ord("X") else ord("Y")
    return bytes(changed)


def test_pyhanko_validates_the_seal_as_certifying_the_whole_file(sealed):
    reader = PdfFileReader(io.BytesIO(sealed))
    (signature,) = reader.embedded_signatures
    assert signature.field_name == "KringZegel"
    trusted = ValidationContext(trust_roots=[seal.load_signer().signing_cert], allow_fetching=False)
    status = seal._outside_any_event_loop(  # a browser test's loop may run in this thread
        lambda: validate_pdf_signature(signature, signer_validation_context=trusted)
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.docmdp_ok
    assert reader.root["/Perms"]["/DocMDP"]["/Reference"][0]["/TransformParams"]["/P"] == 1
    assert seal.check(sealed).ok


def test_one_changed_byte_breaks_the_seal(sealed):
    changed = _one_byte_changed_inside_the_signed_range(sealed)
    assert changed != sealed
    found = seal.check(changed)
    assert not found.ok and found.problem == "changed"


def test_an_incremental_update_after_the_seal_is_refused(sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/Lang"] = pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert updated.startswith(sealed) and len(updated) > len(sealed)
    found = seal.check(updated)
    assert not found.ok and found.problem == "changed"


def test_bytes_appended_after_the_seal_are_refused(sealed):
    assert not seal.check(sealed + b"\n% a note\n").ok


def test_a_seal_by_another_certificate_is_not_ours(plain_pdf, tmp_path):
    path = tmp_path / "other.p12"
    path.write_bytes(seal.self_signed_pkcs12("Someone else", passphrase=b"x"))
    other = signers.SimpleSigner.load_pkcs12(str(path), passphrase=b"x")
    sealed_by_other = seal.seal(plain_pdf, signer=other)
    found = seal.check(sealed_by_other)
    assert not found.ok and found.problem == "untrusted"
    assert seal.check(seal.seal(plain_pdf)).ok  # the same PDF with our seal passes


def test_an_unsealed_pdf_and_a_file_that_is_no_pdf(plain_pdf):
    assert seal.check(plain_pdf).problem == "no_seal"
    assert seal.check(b"GIF89a...").problem == "not_pdf"
    assert seal.check(b"%PDF-1.7 but nothing after it").problem == "changed"


def test_the_demo_seal_is_written_once_whole_and_reused(settings, tmp_path, plain_pdf):
    settings.VAR_DIR = tmp_path
    settings.KRING_SEAL_PKCS12 = ""
    settings.KRING_SEAL_DEMO = True
    first = seal.load_signer()
    assert (tmp_path / "seal-demo.p12").exists()
    assert os.listdir(tmp_path) == ["seal-demo.p12"]  # no temporary file left
    seal._cache.clear()  # another process: reads the same file
    again = seal.load_signer()
    assert again.signing_cert.dump() == first.signing_cert.dump()
    assert "Eigen Kracht Centrale (demo)" in first.signing_cert.subject.human_friendly


def test_without_a_seal_production_refuses_to_seal_and_the_deploy_check_warns(
    settings, tmp_path, plain_pdf
):
    settings.VAR_DIR = tmp_path
    settings.KRING_SEAL_PKCS12 = ""
    settings.KRING_SEAL_DEMO = False
    with pytest.raises(ImproperlyConfigured):
        seal.seal(plain_pdf)
    assert [m.id for m in seal_checks.seal_configured(None)] == ["kring.W002"]
    settings.KRING_SEAL_DEMO = True
    assert seal_checks.seal_configured(None) == []


def test_the_configured_seal_from_make_seal_seals_and_is_trusted(
    settings, tmp_path, monkeypatch, plain_pdf
):
    path = tmp_path / "seal.p12"
    monkeypatch.setenv("KRING_SEAL_PASSPHRASE", "geheim genoeg")
    call_command("make-seal", str(path), "--key", "rsa")
    settings.VAR_DIR = tmp_path / "var"
    settings.KRING_SEAL_DEMO = False
    settings.KRING_SEAL_PKCS12 = str(path)
    settings.KRING_SEAL_PASSPHRASE = "geheim genoeg"
    assert seal_checks.seal_configured(None) == []
    sealed = seal.seal(plain_pdf)
    assert seal.check(sealed).ok
    assert not (tmp_path / "var" / "seal-demo.p12").exists()  # no demo seal in production
    with override_settings(KRING_SEAL_DEMO=True, KRING_SEAL_PKCS12=""):
        assert seal.check(sealed).problem == "untrusted"  # the demo does not trust it
    settings.KRING_SEAL_PASSPHRASE = "fout"
    assert [m.id for m in seal_checks.seal_configured(None)] == ["kring.E002"]
    with pytest.raises(ImproperlyConfigured):
        seal.seal(plain_pdf)
    assert seal.check(sealed).problem == "untrusted"  # the page answers, it does not fail
    settings.KRING_SEAL_PASSPHRASE = "geheim genoeg"
    settings.KRING_SEAL_PKCS12 = str(tmp_path / "gone.p12")
    assert [m.id for m in seal_checks.seal_configured(None)] == ["kring.E002"]
    assert seal.check(sealed).problem == "untrusted"
