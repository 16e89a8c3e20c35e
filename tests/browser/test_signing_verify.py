"""Issue 11, point 5, in a real browser on a phone, in Dutch: a stranger who got a copy of a
signed plan checks it on the public verification page, without signing in: the PDF itself,
then its code, then a copy with one byte changed and a file that is no PDF. The page names
nobody. axe-core (WCAG 2.2) checks every state of the page at phone width."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from kring.signing import documents
from kring.signing.tests.conftest import complete_plan, final_version
from kring.signing.tests.document_fixtures import made_document, signed_version
from tests.browser.conftest import PHONE
from tests.browser.ui import nl

__all__ = ["complete_plan", "final_version", "made_document", "signed_version"]

ORG = settings.KRING_ORGANISATION  # who sealed the plan, as the page says it
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(name: str, data: bytes, mime: str = "application/pdf") -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def test_a_stranger_checks_a_signed_plan_by_file_and_by_code_and_a_changed_copy_is_refused(
    new_context, live_server, axe, made_document
):
    sealed = documents.pdf_bytes(made_document)
    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    phone.goto(reverse("signing:verify"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Check a signed plan"))
    axe.check(phone)

    # The PDF as it was sent: intact, sealed, and how many signed it.
    phone.get_by_label(nl("The PDF of the plan")).set_input_files(_file("plan.pdf", sealed))
    phone.get_by_role("button", name=nl("Check the file")).click()
    result = phone.get_by_role("status")
    expect(result).to_contain_text(
        nl("This is an intact plan of %(organisation)s with a valid seal.", organisation=ORG)
    )
    expect(result).to_contain_text(str(made_document.signer_count))
    for name in made_document.version.content["present"]:
        expect(phone.locator("main")).not_to_contain_text(name)
    expect(phone.locator("main")).not_to_contain_text(made_document.case.reference)
    axe.check(phone)

    # The code from the last page, typed in small letters with spaces, as on a phone.
    typed = documents.grouped(made_document.code).lower().replace("-", " ")
    phone.get_by_label(nl("Code to check the plan")).fill(typed)
    phone.get_by_role("button", name=nl("Check the code")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        nl(
            "This code belongs to a signed plan of %(organisation)s with a valid seal.",
            organisation=ORG,
        )
    )
    axe.check(phone)

    # One byte changed inside what the seal covers: refused.
    changed = bytearray(sealed)
    middle = changed.index(b"/Contents <") // 2
    changed[middle] = ord("X") if changed[middle] != ord("X") else ord("Y")
    phone.get_by_label(nl("The PDF of the plan")).set_input_files(_file("plan.pdf", bytes(changed)))
    phone.get_by_role("button", name=nl("Check the file")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        nl(
            "This file is not an intact plan of %(organisation)s: it was changed after it was "
            "sealed, or it is damaged.",
            organisation=ORG,
        )
    )
    axe.check(phone)

    # A photo instead of the PDF: the error summary and the message at the field.
    phone.get_by_label(nl("The PDF of the plan")).set_input_files(
        _file("foto.jpg", b"\xff\xd8\xff\xe0 not a plan", "image/jpeg")
    )
    phone.get_by_role("button", name=nl("Check the file")).click()
    message = nl("This file is not a PDF. Choose the PDF of the plan.")
    expect(phone.get_by_role("alert")).to_contain_text(message)
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Check a signed plan"))
    assert phone.title().startswith(nl("Error:"))
    axe.check(phone)
