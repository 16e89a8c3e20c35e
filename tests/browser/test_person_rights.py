"""A person's rights in the browser, on a phone (issue 14, point 8): Carla opens what Kring holds
about Daan from the case page, reads the preview and downloads the PDF (named without a name);
Bram of the office may export too, opens the correction of Daan's details (masked for him) and
saves nothing; he erases Joost, who asked for it, after the confirm step; the case page then
shows him as erased. Axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.circle.models import Participant
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_exports_and_the_office_erases_on_a_phone(
    new_context, live_server, axe, authenticator, carla, bram, preparing_case, daan, joost
):
    case_url = reverse("cases:detail", args=[preparing_case.pk])

    page = axe.watch(new_context(viewport=PHONE).new_page())
    log_in(page, carla, authenticator(carla), axe)
    page.goto(case_url)
    expect(page.get_by_role("heading", name=nl("Personal data"))).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name=f"{nl('Export data')} – {daan.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("What Kring holds about %(name)s", name=daan.name)
    )
    expect(page.get_by_text(daan.email)).to_be_visible()
    expect(
        page.get_by_role("heading", name=nl("What is not in the export, and why"))
    ).to_be_visible()
    axe.check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=nl("Download as PDF")).click()
    assert download.value.suggested_filename == (
        f"gegevens-{preparing_case.reference}-{daan.pk}.pdf"
    )
    page.context.close()

    page = axe.watch(new_context(viewport=PHONE).new_page())
    log_in(page, bram, authenticator(bram), axe)
    page.goto(case_url)
    expect(page.get_by_role("link", name=f"{nl('Export data')} – {daan.name}")).to_be_visible()
    # The office corrects Daan's telephone number without seeing his details (issue 14 point 8).
    page.get_by_role("link", name=f"{nl('Correct details')} – {daan.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Correct the details of %(name)s", name=daan.name)
    )
    expect(page.get_by_text(daan.email)).to_have_count(0)
    axe.check(page)
    page.get_by_role("button", name=nl("Save the correction")).click()
    expect(page.get_by_text(nl("Nothing was changed."))).to_be_visible()
    page.goto(case_url)
    page.get_by_role("link", name=f"{nl('Erase data')} – {joost.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Erase the details of %(name)s", name=joost.name)
    )
    axe.check(page)
    page.get_by_role("button", name=nl("Erase for good")).click()
    expect(page.get_by_role("alert").or_(page.locator(".error-summary"))).to_be_visible()
    axe.check(page)
    page.get_by_label(nl("The person asked to be erased. I know this cannot be undone.")).check()
    page.get_by_role("button", name=nl("Erase for good")).click()
    expect(page.get_by_text(nl("The details of this person are erased."))).to_be_visible()
    axe.check(page)
    assert Participant.objects.get(pk=joost.pk).erased_at is not None
    expect(page.get_by_text(joost.name)).to_have_count(0)
    axe.assert_no_violations()
