"""The error the issue quotes ("…mee te doen.: Vink…", issue 8, point 6), on its own page: the
consent form sent empty, in Dutch. Every other form: core/tests/test_error_summary.py."""

import re

from django.conf import settings
from django.urls import reverse

from kring.core.tests.test_error_summary import DOUBLED


def test_the_consent_form_in_dutch_reads_without_doubled_punctuation(as_daan):
    as_daan.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"

    page = as_daan.post(reverse("portal:consent"), {}).content.decode()

    start = page.index('class="error-summary"')
    summary = re.sub(r"<[^>]+>", " ", page[start : page.index("</ul>", start)])
    assert "ik doe mee. Vink" in summary, summary
    assert not DOUBLED.search(summary), summary
