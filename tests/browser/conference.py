"""What the conference's browser tests (issue 10) share: an agreement's card in the plan editor,
and the check that the second screen follows the edits "within two seconds" (point 3) without
depending on how fast the machine is (a test that fails because CI is busy is a defect).

The screen polls `conference:screen_content` with htmx every second. Two facts together give
"within two seconds" on an unloaded machine:

(a) the poll interval on the page is one second (`hx-trigger="every 1s"`);
(b) once a save has been answered by the server, the new content comes with the first poll
    answered that started after that answer, or at worst the one after it: never later (a poll
    in flight at the time of the answer may bring it sooner). Counted in polls, not in seconds;
    the test waits generously for the text.

The moments are the browser's own (Playwright's request timing, milliseconds since 1970), or the
test's clock for a save made in Python: one machine, one clock.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from urllib.parse import parse_qs

from django.urls import reverse
from playwright.sync_api import Locator, Page, Request, Response, expect

POLL_TRIGGER = "every 1s"
POLLS_NEEDED_AT_MOST = 2
PATIENCE_MS = 15_000  # only how long a slow machine may take; the polls are what is counted


def card(page: Page, title: str) -> Locator:
    """The card of one agreement in the plan editor, found by its heading ("Afspraak 2")."""
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))


class Answer:
    """When the server's answer to a save reached the browser (ms since 1970); set once known."""

    at: float = 0.0


@contextmanager
def answer_to(editor: Page, *, carrying: str = "", path: str = "") -> Iterator[Answer]:
    """Around an edit on the `editor` page: waits for the answer to the POST that sent the
    value `carrying` (or to a POST to `path`), and gives the moment it came."""

    def wanted(response: Response) -> bool:
        request = response.request
        if request.method != "POST" or path not in response.url:
            return False
        sent = parse_qs(request.post_data or "")
        return not carrying or any(carrying in values for values in sent.values())

    answer = Answer()
    with editor.expect_response(wanted, timeout=PATIENCE_MS) as info:
        yield answer
    request = info.value.request
    answer.at = request.timing["startTime"] + request.timing["responseStart"]


class ScreenPolls:
    """Watches one second-screen page: every poll it sends, and what each was answered."""

    def __init__(self, page: Page, case_pk: int):
        self.page = page
        self.path = reverse("conference:screen_content", args=[case_pk])
        self.polls: list[Request] = []
        page.on("request", self._sent)

    def _sent(self, request: Request) -> None:
        if self.path in request.url:
            self.polls.append(request)

    def assert_polls_every_second(self) -> None:
        """(a): the screen asks for news every second."""
        expect(self.page.locator("#screen-content")).to_have_attribute("hx-trigger", POLL_TRIGGER)

    @staticmethod
    def now() -> float:
        """This moment, for a save made by the test itself in Python (it is answered when the
        call returns)."""
        return time.time() * 1000

    def assert_shows(self, where: Locator, text: str, *, after: float) -> None:
        """(b): `text` appears in `where`, brought by one of the first two polls answered that
        started after the save was answered at `after` (or by one in flight at that moment)."""
        expect(where).to_contain_text(text, timeout=PATIENCE_MS)
        answered = sorted(self._answered(), key=lambda poll: poll[0])
        bringing = next((at for at, r in answered if r.status != 204 and _carries(r, text)), None)
        assert bringing is not None, f"no answer to a poll of the screen carried {text!r}"
        if bringing <= after:
            return  # it was in flight when the save was answered
        place = [at for at, _ in answered if at > after].index(bringing) + 1
        assert place <= POLLS_NEEDED_AT_MOST, (
            f"{text!r} came with poll {place} started after the save was answered; "
            f"poll {POLLS_NEEDED_AT_MOST} at the latest should have brought it"
        )

    def _answered(self) -> Iterator[tuple[float, Response]]:
        """Each poll that was answered (offline ones were not), with when it started."""
        for request in self.polls:
            response = request.response()
            if response is not None:
                yield request.timing["startTime"], response


def _carries(response: Response, text: str) -> bool:
    body = response.text()
    return text in body or escape(text) in body
