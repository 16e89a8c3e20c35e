"""Every read of case data is in the audit log (issue 14, finding 8; docs/rules.md: "Every read
and every change of case data is logged: who, what, when").

The "add a person" page of the circle lists the participants' names, and its GET was once not
audited (kring.circle.tests.test_reads_audited has that case on its own). This test walks every
URL of the authorization matrix (tests/authz/test_matrix.py, read only: its table, its world and
its way of signing in) as every role that may open it, and checks that each page it answers
with (200) writes at least one audit row, unless the page is declared below as one that holds
no case data, with the reason. A new page that shows case data and logs nothing fails here."""

import pytest
from tests.authz.test_matrix import CHECKS, Check, login_as, skip_if_not_built, url_for

from kring.audit.models import AuditEvent

PUBLIC = "a public page: the same for everyone, nothing of a case"
OWN_ACCOUNT = "the reader's own account: nothing of a case"
VENUES = "the team's venues: names, addresses and sizes, nothing of a case"
# Pages an allowed role opens that hold no case data: nothing to log as a read.
NO_CASE_DATA = {
    "core:home": PUBLIC,
    "core:health": "the health check: whether Kring runs",
    "referrals:new": PUBLIC,
    "referrals:privacy": PUBLIC,
    "portal:code": "the form to type the code of a letter: nothing shown until it is right",
    "signing:verify": "the public check of a signed plan: its GET is an empty upload form",
    "accounts:login": PUBLIC,
    "accounts:account": OWN_ACCOUNT,
    "accounts:recovery_codes": OWN_ACCOUNT,
    "accounts:password_change": OWN_ACCOUNT,
    "accounts:contact_details": OWN_ACCOUNT,
    "scheduling:venues": VENUES,
    "scheduling:venue_add": VENUES,
    "scheduling:venue_edit": VENUES,
    "research:import": "the form to upload the history of conferences: an empty form",
    "research:print": "a blank questionnaire to print: no name, no case",
    "cases:decline": (
        "the decline form: the case's reference only, reached from the request page, whose "
        "read is logged (cases:request_detail)"
    ),
    "conference:screen_content": (
        "what the second screen polls every few seconds while the screen page is open; that "
        "page logs the read when opened (conference:screen)"
    ),
}
# The administration holds users and teams, never case content (docs/rules.md, "Roles"); its
# changes are audited (kring.accounts.admin_audit).
NO_CASE_DATA_NAMESPACES = {"admin": "users and teams, never case content"}


def _reads() -> list[Check]:
    return [
        check
        for check in CHECKS
        if check.row is not None
        and check.role in check.row.allowed
        and check.role != "anonymous"
        and not check.row.post_only
        and check.row.method == "GET"
        and check.pattern.key not in NO_CASE_DATA
        and check.pattern.namespace not in NO_CASE_DATA_NAMESPACES
    ]


def test_every_page_declared_without_case_data_exists():
    keys = {check.pattern.key for check in CHECKS}
    assert not set(NO_CASE_DATA) - keys, "declared pages without a URL"


@pytest.mark.parametrize("check", _reads(), ids=str)
def test_every_page_with_case_data_logs_the_read(check, world, client):
    skip_if_not_built(check.pattern)
    path = url_for(check.pattern, check.row, world)
    login_as(client, world, check.role, check.row)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(path)
    if response.status_code != 200:
        return  # a redirect shows nothing; the page it leads to is checked on its own
    written = AuditEvent.objects.filter(pk__gt=before)
    assert written.exists(), f"GET {check} showed the page and wrote no audit row"
