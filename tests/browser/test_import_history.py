"""Issue 13, point 3, in a real browser on a phone, in Dutch: Mira (Utrecht's manager) uploads
the checked example of the issue (a bad date, an unknown role, a 7 on the 1-to-5 scale, two rows
of one conference that disagree on participants_present): the page imports nothing, puts an
error summary first that leads to the list of faults, and names each fault with its line. She
uploads the corrected file and reads the counts; the same file again adds nothing. axe-core
checks every state of the page at phone width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.research.models import ConferenceRecord
from kring.research.tests.test_import import CHECKED_EXAMPLE, csv_bytes
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORRECTED = [
    "EK-1,2019-03-28,Team Utrecht,8,harmed,5,4,5,4",
    "EK-1,2019-03-28,Team Utrecht,8,responsible,4,,,",
    "EK-2,2024-01-05,Team Utrecht,6,responsible,4,,,",
    "EK-3,2020-05-01,Team Utrecht,5,harmed,4,,,",
    "EK-4,2021-06-01,Team Utrecht,9,supporter,5,,,",
    "EK-5,2022-01-10,Team Utrecht,4,,,,,",
]


def _file(data: bytes) -> dict:
    return {"name": "eerdere-conferenties.csv", "mimeType": "text/csv", "buffer": data}


def test_mira_uploads_the_checked_example_reads_every_fault_and_then_imports_the_corrected_file(
    new_context, live_server, axe, authenticator, mira, team
):
    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    log_in(phone, mira, authenticator(mira), axe)
    phone.goto(reverse("research:import"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Import earlier conferences"))
    axe.check(phone)

    phone.get_by_label(nl("The CSV file")).set_input_files(_file(csv_bytes(*CHECKED_EXAMPLE)))
    phone.get_by_role("button", name=nl("Check and import")).click()

    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text(
        nl("Faults in the file: %(count)s. Nothing was imported.", count=5)
    )
    table = phone.get_by_role("table", name=nl("Faults in the file"))
    rows = table.get_by_role("row")
    expect(rows).to_have_count(6)  # the header and five faults
    disagree = nl(
        "The rows of conference %(ref)s do not agree on this. Its other lines: %(lines)s.",
        ref="EK-1",
        lines="3",
    )
    expect(rows.nth(1)).to_contain_text("2")
    expect(rows.nth(1)).to_contain_text("participants_present")
    expect(rows.nth(1)).to_contain_text(disagree)
    expect(rows.nth(2)).to_contain_text("participants_present")
    expect(rows.nth(3)).to_contain_text("2024-1-5")
    expect(rows.nth(3)).to_contain_text(
        nl("Write the day as year-month-day with dashes, such as 2019-03-28.")
    )
    expect(rows.nth(4)).to_contain_text("victim")
    expect(rows.nth(4)).to_contain_text(
        nl("Use harmed, responsible, supporter or other, or leave it empty.")
    )
    expect(rows.nth(5)).to_contain_text(
        nl("Use a whole number from %(low)s to %(high)s, or leave it empty.", low=1, high=5)
    )
    axe.check(phone)

    # The summary's link leads to the list of faults.
    summary.get_by_role("link").click()
    expect(phone.get_by_role("heading", name=nl("Faults in the file"))).to_be_focused()
    assert not ConferenceRecord.objects.exists()

    phone.get_by_label(nl("The CSV file")).set_input_files(_file(csv_bytes(*CORRECTED)))
    phone.get_by_role("button", name=nl("Check and import")).click()
    status = phone.get_by_role("status")
    expect(status).to_contain_text(nl("Conferences added: %(count)s.", count=5))
    expect(status).to_contain_text(nl("Answers added: %(count)s.", count=5))
    expect(phone.get_by_role("alert")).to_have_count(0)
    axe.check(phone)
    assert ConferenceRecord.objects.count() == 5

    # The same file again: nothing changes, and the page says so.
    phone.get_by_label(nl("The CSV file")).set_input_files(_file(csv_bytes(*CORRECTED)))
    phone.get_by_role("button", name=nl("Check and import")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        nl("Conferences skipped because they were imported before: %(count)s.", count=5)
    )
    expect(phone.get_by_role("status")).to_contain_text(
        nl("Conferences added: %(count)s.", count=0)
    )
    axe.check(phone)
    assert ConferenceRecord.objects.count() == 5
    axe.assert_no_violations()
