"""What the follow-up journey (issue 12) checks on every page besides axe: targets big enough
to tap (WCAG 2.2, 2.5.8: at least 24 by 24 CSS pixels), nothing wider than the phone, and a
POST that no form on the page offers any more (a closed case), sent as the browser would; and
neutral words (R15)."""

from playwright.sync_api import APIResponse, Page

from kring.followup.tests.wording import not_said

# The controls someone taps; links inside a sentence are exempt (WCAG 2.5.8, "inline").
CONTROLS = (
    "main button, main input:not([type=hidden]), main select, main textarea, main a.button, "
    "main summary"
)
MINIMUM = 24


def targets_are_big_enough(page: Page) -> None:
    """Every visible control in the main content is at least 24 px high and wide; a radio button
    or checkbox counts with its label, which takes the tap too."""
    small = page.evaluate(
        """([selector, minimum]) => {
            const tooSmall = [];
            for (const element of document.querySelectorAll(selector)) {
                let box = element.getBoundingClientRect();
                if (box.width === 0 && box.height === 0) continue;  // not shown
                if (['radio', 'checkbox'].includes(element.type) && element.labels.length) {
                    const label = element.labels[0].getBoundingClientRect();
                    box = {width: box.width + label.width, height: Math.max(box.height,
                                                                            label.height)};
                }
                if (box.width < minimum || box.height < minimum) {
                    tooSmall.push(`${element.outerHTML.slice(0, 120)}: ` +
                                  `${Math.round(box.width)}x${Math.round(box.height)}`);
                }
            }
            return tooSmall;
        }""",
        [CONTROLS, MINIMUM],
    )
    assert not small, f"targets smaller than {MINIMUM} px on {page.url}:\n" + "\n".join(small)


def fits_the_width(page: Page) -> None:
    """No sideways scrolling: nothing is wider than the window."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def csrf_token(page: Page) -> str:
    """The CSRF token of the signed-in session, as any form of the page carries it (the log-out
    button's form is on every staff page)."""
    return page.locator("input[name=csrfmiddlewaretoken]").first.input_value()


def post_as_the_page(page: Page, path: str, data: dict[str, str]) -> APIResponse:
    """POST `data` to `path` with the page's session and CSRF token, as a form would: the way to
    try an action whose form the page no longer shows."""
    return page.request.post(
        path,
        form={"csrfmiddlewaretoken": csrf_token(page), **data},
        headers={"Referer": page.url},
        max_redirects=0,
    )


def neutral(page: Page) -> None:
    """What the page shows marks no person as failing (R15) and uses none of the glossary's
    words ruled out (kring.followup.tests.wording: one list with the unit tests)."""
    said = not_said(page.locator("main").inner_text())
    assert not said, f"{page.url} says {said}"
