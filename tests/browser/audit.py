"""axe-core on every page a browser test visits.

    axe.watch(page)        # remember every page the tab navigates to
    ...
    axe.check(page)        # after each navigation: run axe-core on the page as it is now
    ...
    axe.assert_no_violations()   # at the end: one readable list of everything found

A page that was navigated to but never checked is reported too, so "every page" holds, and so
are errors in the browser's console (a script or style refused by the Content-Security-Policy,
a JavaScript error) and files of a page that failed to load (a missing script or stylesheet).
"""

from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.2 A and AA plus axe's best practices (landmarks, one h1, headings in order, ...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@dataclass
class _Finding:
    url: str
    title: str
    violations: list[dict]

    def report(self) -> str:
        lines = [f"{self.url}  ({self.title})"]
        for v in self.violations:
            lines.append(f"  - {v['id']} [{v.get('impact')}]: {v['help']}  <{v['helpUrl']}>")
            for node in v["nodes"][:5]:
                target = " ".join(str(t) for t in node.get("target", []))
                summary = " / ".join(
                    line.strip()
                    for line in (node.get("failureSummary") or "").splitlines()[1:]
                    if line.strip()
                )
                lines.append(f"      at {target}: {summary}")
                lines.append(f"         {node.get('html', '')[:160]}")
            if len(v["nodes"]) > 5:
                lines.append(f"      ... and {len(v['nodes']) - 5} more elements")
        return "\n".join(lines)


@dataclass
class AccessibilityAudit:
    axe: Axe = field(default_factory=Axe)
    checked: list[str] = field(default_factory=list)
    findings: list[_Finding] = field(default_factory=list)
    browser_errors: list[str] = field(default_factory=list)
    _unchecked: dict[int, list[str]] = field(default_factory=dict)

    def watch(self, page: Page) -> Page:
        """Track the documents this tab shows, so none escapes a check."""
        pending = self._unchecked.setdefault(id(page), [])

        def navigated(frame):
            if frame == page.main_frame:
                pending.append(frame.url)

        def console(message):
            # Failed loads are judged by `loaded` below (an intended 404 page is no error).
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.browser_errors.append(f"{page.url}: console: {message.text}")

        def loaded(response):
            # The page itself may be an error page on purpose (403, 404); its files may not.
            if response.request.resource_type != "document" and response.status >= 400:
                self.browser_errors.append(f"{page.url}: {response.status} for {response.url}")

        page.on("framenavigated", navigated)
        page.on("console", console)
        page.on("pageerror", lambda error: self.browser_errors.append(f"{page.url}: {error}"))
        page.on("response", loaded)
        return page

    def check(self, page: Page) -> None:
        """Run axe-core on the page as it is now and keep what it finds."""
        page.wait_for_load_state("load")
        results = self.axe.run(page, options=AXE_OPTIONS)
        self._unchecked.get(id(page), []).clear()
        self.checked.append(page.url)
        if results.violations_count:
            self.findings.append(_Finding(page.url, page.title(), results.response["violations"]))

    def assert_no_violations(self) -> None:
        problems = [finding.report() for finding in self.findings]
        if self.browser_errors:
            problems.append("errors in the browser:\n  " + "\n  ".join(self.browser_errors))
        missed = [url for urls in self._unchecked.values() for url in urls]
        if missed:
            problems.append("pages visited without an axe check:\n  " + "\n  ".join(missed))
        assert not problems, (
            f"axe-core found problems ({len(self.checked)} pages checked):\n\n"
            + "\n\n".join(problems)
        )
