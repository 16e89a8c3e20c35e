"""What the visitor would see in the request form: the values in its fields."""

from html.parser import HTMLParser

from kring.testing.people import DAAN, SANNE

DESCRIPTION = f"{DAAN.name} heeft bij de bushalte de fiets van {SANNE.name} vernield."
PEOPLE = [
    (DAAN.name, "responsible", DAAN.phone),
    (SANNE.name, "harmed", ""),
]


def form_data(people=PEOPLE, **overrides) -> dict:
    """A complete, valid request as the browser posts it."""
    data = {
        "requester_relation": "relative",
        "requester_organisation": "",
        "description": DESCRIPTION,
        "requester_name": "Petra de Vries",
        "requester_email": "petra@example.org",
        "requester_phone": "",
        "people_informed": "some",
        "privacy_consent": "on",
        "website": "",
        "action": "send",
        "people-TOTAL_FORMS": str(len(people)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
    }
    for i, (name, side, contact) in enumerate(people):
        data.update(
            {f"people-{i}-name": name, f"people-{i}-side": side, f"people-{i}-contact": contact}
        )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class _FormValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"radio", "checkbox"}:
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind not in {"submit", "button"}:
                self.values[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            # Django starts a textarea's content with a newline that browsers drop.
            self.values[self._textarea] += (
                data.removeprefix("\n") if not self.values[self._textarea] else data
            )


def form_values(response) -> dict[str, str]:
    """Every named field of the page with the value a browser would show (and send)."""
    parser = _FormValues()
    parser.feed(response.content.decode())
    return parser.values
