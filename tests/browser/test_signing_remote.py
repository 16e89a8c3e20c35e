"""Issue 11, "How it is checked": one signs remotely with the e-mailed code. Daan is the last
of the four present to sign: on his phone he opens his personal link, asks for the code, reads
it from the mail that reached a real SMTP server, types it, reads the plan and signs. Carla's
signing page then shows his signature as made through the personal page; the sealed PDF is
made and the copy mail reaches Daan with the PDF attached (its text has his name); his page
offers the download. axe reports nothing on each page at phone width."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from kring.circle import links
from kring.signing import consent
from kring.signing.models import Method, Role, Signature, SignedDocument
from kring.signing.tests.conftest import complete_plan, ellen, final_version  # noqa: F401
from kring.signing.tests.document_fixtures import sign_for
from kring.testing.people import DAAN
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 320, "height": 640}


def test_daan_signs_on_his_phone_with_the_e_mailed_code(
    final_version,  # noqa: F811
    daan,
    sanne,
    joost,
    ria,
    carla,
    smtp_server,
    new_context,
    axe,
    authenticator,
):
    for person in (sanne, joost, ria):
        sign_for(final_version, person)
    token = links.issue(daan, by=carla).token

    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    phone.goto(reverse("portal:enter", args=[token]))
    panel = phone.get_by_role("region", name=nl("Sign the plan"))
    axe.check(phone)
    panel.get_by_role("link", name=nl("Read and sign the plan")).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Sign the plan"))
    axe.check(phone)
    phone.get_by_role("button", name=nl("Send me a code")).click()
    code_field = phone.get_by_label(nl("The code from the e-mail"))
    expect(code_field).to_be_visible()
    axe.check(phone)

    mail = smtp_server.wait_for_subject(DAAN.email, nl("Your code to sign the plan"), timeout=20.0)
    assert "Daan" not in mail.subject + mail.text
    [code] = re.findall(r"^\s*(\d{6})\s*$", mail.text, re.MULTILINE)
    code_field.fill(code)
    phone.get_by_role("button", name=nl("Check the code")).click()

    # The whole plan, then the tick and the name.
    expect(phone.get_by_text("Daan betaalt de nieuwe fiets van Sanne terug")).to_be_visible()
    axe.check(phone)
    phone.set_viewport_size(NARROW)
    axe.check(phone)
    # Nothing wider than the narrowest phone: no sideways scrolling to read the plan.
    assert phone.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    sentence = consent.consent_text(final_version, "nl")
    phone.get_by_label(sentence).check()
    phone.get_by_label(nl("Type your name")).fill("Daan de Boer")
    # The optional drawing area is there on the phone, described by its own hint; he draws.
    area = phone.get_by_role("img", name=nl("Drawing area for your signature"))
    expect(area).to_be_visible()
    expect(area).to_have_accessible_description(
        nl("You do not have to draw. The tick and your name are enough.")
    )
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    assert box is not None and box["x"] + box["width"] <= NARROW["width"]
    phone.mouse.move(box["x"] + 10, box["y"] + 20)
    phone.mouse.down()
    for step in range(1, 11):
        phone.mouse.move(box["x"] + 10 + step * 20, box["y"] + 20 + step * 3)
    phone.mouse.up()
    phone.get_by_role("button", name=nl("Sign"), exact=True).click()
    expect(phone.get_by_text(nl("Thank you. You have signed the plan."))).to_be_visible()
    axe.check(phone)

    signature = Signature.objects.get(signed_by=daan)
    assert signature.drawing.startswith("M ") and " L " in signature.drawing
    assert signature.method == Method.REMOTE
    assert signature.remote_address == "127.0.0.1"
    assert "Chrome" in signature.user_agent

    # The last signature: the PDF is made and the copy mail arrives with it attached.
    copy = smtp_server.wait_for_subject(DAAN.email, nl("Your copy of the plan"), timeout=60)
    [pdf] = [
        p for p in copy.message.iter_attachments() if p.get_content_type() == "application/pdf"
    ]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "Daan de Boer" in text
    assert SignedDocument.objects.get().status == SignedDocument.Status.MADE

    # His page offers the download.
    phone.goto(reverse("portal:home"))
    link = phone.get_by_role("link", name=nl("Download your copy of the plan (PDF)"))
    expect(link).to_be_visible()
    axe.check(phone)
    with phone.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"

    # Carla's signing page shows the signature made through the personal page.
    tablet = axe.watch(new_context().new_page())
    log_in(tablet, carla, authenticator(carla), axe)
    axe.check(tablet)
    tablet.goto(reverse("signing:overview", args=[final_version.plan.case.pk]))
    row = tablet.get_by_text(str(nl(Method.REMOTE.label)))
    expect(row.first).to_be_visible()
    axe.check(tablet)
    axe.assert_no_violations()


def en(msgid, **params) -> str:
    """What a visitor reading English sees: the source text."""
    return msgid % params if params else msgid


def test_ellen_co_signs_for_sanne_after_first_saying_why_not(
    ellen,  # noqa: F811
    final_version,  # noqa: F811
    sanne,
    carla,
    smtp_server,
    new_context,
    axe,
):
    """A guardian who was not at the meeting co-signs remotely for the minor (R9, R14); she
    first declines with a reason (the page says what is missing when she gives none), then
    signs after all. Ellen reads English (her language), so the page's words are the source
    texts."""
    from kring.circle.models import Participant
    from kring.signing.models import Declination
    from kring.testing.people import ELLEN

    Participant.objects.filter(pk=sanne.pk).update(is_minor=True, guardian=ellen)
    token = links.issue(ellen, by=carla).token
    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    phone.goto(reverse("portal:enter", args=[token]))
    phone.get_by_role("link", name=en("Read and sign the plan")).click()
    phone.get_by_role("button", name=en("Send me a code")).click()
    mail = smtp_server.wait_for_subject(ELLEN.email, en("Your code to sign the plan"), timeout=20.0)
    [code] = re.findall(r"^\s*(\d{6})\s*$", mail.text, re.MULTILINE)
    phone.get_by_label(en("The code from the e-mail")).fill(code)
    phone.get_by_role("button", name=en("Check the code")).click()
    heading = en("Sign as parent or guardian of %(name)s", name="Sanne Jansen")
    expect(phone.get_by_role("heading", name=heading)).to_be_visible()
    axe.check(phone)

    phone.get_by_role("link", name=en("I do not sign")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(en("I do not sign"))
    axe.check(phone)
    phone.get_by_role("button", name=en("Send")).click()
    expect(phone.get_by_role("alert")).to_be_visible()
    axe.check(phone)
    assert not Declination.objects.exists()
    phone.get_by_label(en("Why do you not sign?")).fill("Ik wil het eerst met Sanne bespreken.")
    phone.get_by_role("button", name=en("Send")).click()
    expect(phone.get_by_role("heading", name=heading)).to_be_visible()
    axe.check(phone)
    declination = Declination.objects.get()
    assert (declination.participant_id, declination.declined_by_id) == (sanne.pk, ellen.pk)

    sentence = consent.consent_text(
        final_version, "en", role=Role.GUARDIAN, minor_name="Sanne Jansen"
    )
    phone.get_by_label(sentence).check()
    phone.get_by_label(en("Type your name")).fill("Ellen Jansen")
    phone.get_by_role("button", name=en("Sign"), exact=True).click()
    expect(phone.get_by_text(en("Thank you. You have signed the plan."))).to_be_visible()
    axe.check(phone)
    signature = Signature.objects.get()
    assert (signature.participant_id, signature.role, signature.signed_by_id) == (
        sanne.pk,
        Role.GUARDIAN,
        ellen.pk,
    )
    assert signature.drawing == ""  # the tick and the typed name sign; drawing is optional
    axe.assert_no_violations()
