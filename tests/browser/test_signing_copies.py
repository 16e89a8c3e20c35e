"""The copies page (issue 11, point 4; R14), as Carla sees it on her phone: everyone present
signed on her tablet, the sealed PDF is made and mailed to the three with an address; Ria has
none. Her row stands out, in words ("Nog geen kopie") and to the eye (a red bar before her name,
a tinted row), and nobody else's does. Without JavaScript the page that waits for the PDF has a
plain link to look again. axe reports nothing at phone width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.audit.actors import Actor
from kring.signing import actions
from kring.signing.consent import consent_text
from kring.signing.models import SignedDocument
from kring.signing.tests.conftest import complete_plan, final_version  # noqa: F401
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _everyone_signs_on_the_tablet(version, people, carla) -> SignedDocument:
    """The four present sign on Carla's tablet; the task queue (at once in the tests) makes the
    sealed PDF and sends the copies."""
    for person in people:
        actions.sign(
            version,
            person.pk,
            "own",
            by=Actor.in_person(person),
            typed_name=person.name,
            agreed=True,
            consent_text=consent_text(version, "nl"),
            host=carla,
        )
    document = SignedDocument.objects.get(version=version)
    assert document.status == SignedDocument.Status.MADE
    return document


def _bar_and_tint(row) -> tuple[str, str]:
    """The left border of the row's first cell (the name) and the row's background colour."""
    return (
        row.locator(":scope > :first-child").evaluate(
            "cell => getComputedStyle(cell).borderLeftWidth"
        ),
        row.locator(":scope > :first-child").evaluate(
            "cell => getComputedStyle(cell).backgroundColor"
        ),
    )


def test_a_signer_without_a_copy_stands_out_in_words_and_to_the_eye(
    final_version,  # noqa: F811
    daan,
    sanne,
    joost,
    ria,
    carla,
    new_context,
    axe,
    authenticator,
):
    _everyone_signs_on_the_tablet(final_version, (daan, sanne, joost, ria), carla)
    case = final_version.plan.case
    page = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    log_in(page, carla, authenticator(carla), axe)
    page.goto(reverse("signing:copies", args=[case.pk]))
    expect(page.get_by_text(nl("No copy yet: %(count)s.", count=1))).to_be_visible()

    ria_row = page.get_by_role("row").filter(has_text=ria.name)
    expect(ria_row).to_contain_text(nl("No copy yet"))
    daan_row = page.get_by_role("row").filter(has_text=daan.name)
    expect(daan_row).not_to_contain_text(nl("No copy yet"))
    ria_bar, ria_tint = _bar_and_tint(ria_row)
    daan_bar, daan_tint = _bar_and_tint(daan_row)
    assert ria_bar == "5px" and daan_bar == "0px"
    assert ria_tint != daan_tint
    # The words under her name are a tag of their own colour, not plain text.
    tag = ria_row.get_by_text(nl("No copy yet"), exact=True)
    assert tag.evaluate("tag => getComputedStyle(tag).backgroundColor") != ria_tint
    axe.check(page)
    axe.assert_no_violations()


def test_without_javascript_the_page_waiting_for_the_pdf_has_a_link_to_look_again(
    final_version,  # noqa: F811
    daan,
    sanne,
    joost,
    ria,
    carla,
    new_context,
    axe,
    authenticator,
):
    document = _everyone_signs_on_the_tablet(final_version, (daan, sanne, joost, ria), carla)
    case = final_version.plan.case
    # Still being made when Carla looks (set directly: the task ran at once here).
    SignedDocument.objects.filter(pk=document.pk).update(status=SignedDocument.Status.PENDING)
    # Carla logs in, then reads the page in a browser without JavaScript (her session's cookie).
    signed_in = new_context(viewport=PHONE)
    home = axe.watch(signed_in.new_page())
    log_in(home, carla, authenticator(carla), axe)
    axe.check(home)
    page = new_context(
        viewport=PHONE, java_script_enabled=False, storage_state=signed_in.storage_state()
    ).new_page()
    page.goto(reverse("signing:copies", args=[case.pk]))
    expect(page.get_by_text(nl("The PDF is being made…"))).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)

    # It is made; the page does not ask again by itself, the link does.
    SignedDocument.objects.filter(pk=document.pk).update(status=SignedDocument.Status.MADE)
    page.get_by_role("link", name=nl("Refresh this page")).click()
    expect(page.get_by_role("row").filter(has_text=ria.name)).to_contain_text(nl("No copy yet"))
    expect(page.get_by_role("link", name=nl("Refresh this page"))).to_have_count(0)
    axe.assert_no_violations()
