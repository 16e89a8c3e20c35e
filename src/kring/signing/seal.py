"""The organisation's seal on the signed plan (R14, issue 11 point 3): a PAdES signature
(pyHanko) that certifies the PDF and allows no later change, so that anyone can see that a copy
is the one Kring made.

- `load_signer()`: the seal of this installation. Production names a PKCS#12 file
  (`KRING_SEAL_PKCS12`, with `KRING_SEAL_PASSPHRASE`); the demo and development
  (`KRING_SEAL_DEMO`) generate a self-signed certificate once, into `KRING_VAR_DIR/seal-demo.p12`;
  otherwise sealing refuses with ImproperlyConfigured. Cached per process.
- `seal(pdf) -> bytes`: sealed offline (no timestamp server, no revocation fetch).
- `check(pdf, also_trusted=...) -> SealCheck`: is it intact, does the seal cover the whole file,
  was nothing changed after it, and was it sealed by a certificate this installation trusts (its
  own seal's, the demo one in the demo, and a certificate whose fingerprint the caller names:
  the one recorded on the document when it was sealed, so a copy sealed before the certificate
  was renewed still verifies)? Nothing is fetched from the network.
- `fingerprint(certificate) -> str`: the SHA-256 of a certificate (DER), as hex.
- `self_signed_pkcs12(common_name, ...)`: a self-signed certificate and key as PKCS#12 bytes, for
  the demo, for `kring make-seal` and for the benchmark.

docs/deployment.md, "The seal", says how an operator gets and configures a certificate."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

T = TypeVar("T")

FIELD_NAME = "KringZegel"
DEMO_FILE = "seal-demo.p12"
DEMO_PASSPHRASE = b"kring-demo-seal"

_lock = threading.Lock()
_cache: dict[tuple, signers.SimpleSigner] = {}


# --- making a certificate ----------------------------------------------------------------------


def self_signed_pkcs12(
    common_name: str, *, key_type: str = "ec", passphrase: bytes = b"", years: int = 10
) -> bytes:
    """A new key (EC P-256, or RSA-3072 with key_type="rsa") and a self-signed certificate for
    sealing documents, as PKCS#12 bytes (encrypted with `passphrase` when one is given)."""
    if key_type == "rsa":
        key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = rsa.generate_private_key(
            public_exponent=65537, key_size=3072
        )
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.KRING_ORGANISATION),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(b"kring-seal", key, cert, None, encryption)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and os.replace, so a
    process that reads `path` never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- the seal of this installation -------------------------------------------------------------


def demo_path() -> Path:
    return Path(settings.VAR_DIR) / DEMO_FILE


def _demo_signer() -> signers.SimpleSigner:
    path = demo_path()
    if not path.exists():
        # Two processes may both make one; os.replace lets the last one win whole, and each
        # reads the file back rather than trusting its own copy.
        data = self_signed_pkcs12(
            f"{settings.KRING_ORGANISATION} (demo)", passphrase=DEMO_PASSPHRASE
        )
        if not path.exists():
            write_atomically(path, data)
    return load_pkcs12_file(path, DEMO_PASSPHRASE)


def load_pkcs12_file(path: Path | str, passphrase: bytes | None) -> signers.SimpleSigner:
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase or None)
    except (OSError, ValueError) as exc:  # missing, unreadable, or the wrong passphrase
        raise ImproperlyConfigured(
            f"The seal's PKCS#12 file {path} cannot be read ({type(exc).__name__}): check the "
            "file, its permissions and KRING_SEAL_PASSPHRASE."
        ) from exc
    if signer is None:
        raise ImproperlyConfigured(
            f"The seal's PKCS#12 file {path} cannot be read: check the file and "
            "KRING_SEAL_PASSPHRASE."
        )
    return signer


def _configured() -> tuple[str, str]:
    return settings.KRING_SEAL_PKCS12, settings.KRING_SEAL_PASSPHRASE


def load_signer() -> signers.SimpleSigner:
    """The seal this installation signs with (see the module's docstring)."""
    path, passphrase = _configured()
    demo = settings.KRING_SEAL_DEMO
    key = (path, passphrase, demo, str(settings.VAR_DIR))
    with _lock:
        if key not in _cache:
            if path:
                _cache[key] = load_pkcs12_file(path, passphrase.encode())
            elif demo:
                _cache[key] = _demo_signer()
            else:
                raise ImproperlyConfigured(
                    "No seal is configured: set KRING_SEAL_PKCS12 (and KRING_SEAL_PASSPHRASE) to "
                    "the organisation's PKCS#12 file, or KRING_SEAL_DEMO=true for a demo."
                )
        return _cache[key]


def trusted_certificates() -> list[asn1_x509.Certificate]:
    """The certificates whose seal this installation accepts: its configured seal, and the demo
    seal in the demo. None when neither is there."""
    found: list[asn1_x509.Certificate] = []
    path, _passphrase = _configured()
    if path or settings.KRING_SEAL_DEMO:
        with contextlib.suppress(ImproperlyConfigured):
            found.append(load_signer().signing_cert)
    if path and settings.KRING_SEAL_DEMO:
        with _lock:
            demo_key = ("", "", True, str(settings.VAR_DIR))
            if demo_key not in _cache:
                _cache[demo_key] = _demo_signer()
            found.append(_cache[demo_key].signing_cert)
    return found


def fingerprint(certificate: asn1_x509.Certificate) -> str:
    """The certificate's SHA-256 fingerprint (of its DER encoding), as 64 hex digits."""
    return hashlib.sha256(certificate.dump()).hexdigest()


# --- sealing and checking ----------------------------------------------------------------------


def _outside_any_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's synchronous calls run their own event loop (asyncio.run), which fails in a
    thread that runs one already (an async caller, Playwright's sync API in a test): there the
    work runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def seal(pdf: bytes, *, signer: signers.Signer | None = None) -> bytes:
    """`pdf` certified with the organisation's seal (PAdES B-B, no changes allowed after it)."""
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason="Herstelplan, ondertekend door de deelnemers",
        location=settings.KRING_ORGANISATION,
        name=settings.KRING_ORGANISATION,
        use_pades_lta=False,
        embed_validation_info=False,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    chosen = signer or load_signer()
    # An invisible seal: its widget is hidden (PDF/UA asks a visible annotation to be tagged) and
    # the field says what it is to a screen reader (/TU).
    field = fields.SigFieldSpec(
        sig_field_name=FIELD_NAME,
        readable_field_name=f"Zegel van {settings.KRING_ORGANISATION}",
        invis_sig_settings=fields.InvisSigSettings(set_hidden_flag=True, set_print_flag=False),
    )
    out = _outside_any_event_loop(
        lambda: signers.sign_pdf(writer, meta, signer=chosen, new_field_spec=field)
    )
    return bytes(out.getvalue())


@dataclass(frozen=True)
class SealCheck:
    """What `check` found. `ok` only when every part holds. `problem`: "" when ok, else one of
    "not_pdf", "no_seal", "changed" (not intact, not covering the whole file, or changed after
    sealing), "untrusted" (a seal, but not ours)."""

    ok: bool
    problem: str
    sealed_at: datetime | None = None


def _validation_context(trusted: list[asn1_x509.Certificate]) -> ValidationContext:
    return ValidationContext(trust_roots=trusted, allow_fetching=False, revocation_mode="soft-fail")


def check(pdf: bytes, *, also_trusted: frozenset[str] = frozenset()) -> SealCheck:
    """Is `pdf` sealed by this installation, intact, and unchanged since? Offline. A seal whose
    certificate's fingerprint is in `also_trusted` counts as this installation's too: the caller
    names the one recorded when its document was sealed (an earlier certificate)."""
    if not pdf.startswith(b"%PDF-"):
        return SealCheck(False, "not_pdf")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sealed = [s for s in reader.embedded_signatures if s.field_name == FIELD_NAME]
        if len(reader.embedded_signatures) != 1 or len(sealed) != 1:
            return SealCheck(False, "no_seal" if not reader.embedded_signatures else "changed")
        trusted = trusted_certificates()
        signer_cert = sealed[0].signer_cert
        if also_trusted and fingerprint(signer_cert) in also_trusted:
            trusted.append(signer_cert)
        context = _validation_context(trusted)
        status = _outside_any_event_loop(
            lambda: validate_pdf_signature(sealed[0], signer_validation_context=context)
        )
    except Exception:  # a damaged file or a damaged signature: not an intact sealed plan
        return SealCheck(False, "changed")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    unchanged = status.modification_level == ModificationLevel.NONE and status.docmdp_ok
    if not (status.intact and status.valid and whole and unchanged):
        return SealCheck(False, "changed")
    if not status.trusted:
        return SealCheck(False, "untrusted")
    return SealCheck(True, "", status.signer_reported_dt)
