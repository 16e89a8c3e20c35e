"""What a page asks for, and what a visitor may send instead (issue 14, point 5).

`forms_on(html)` reads the <form>s of a page as a browser would: their method, where they go,
and their fields (<input>, <select>, <textarea>: hidden ones, versions and tokens included, and
file inputs). The hypothesis strategies below draw what a careless or hostile visitor sends for
such a field: any text (empty, whitespace, NUL and other control characters, up to ~100,000
characters, unicode, right-to-left, HTML and script), dates and times far outside Kring's days
or not dates at all, numbers that are huge, negative, not numbers or not finite, choices that
are not on the list, a key sent twice, a field left out, and files that are empty, of the wrong
kind or just over the limit."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# --- the forms of a page -------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # the input's type ("text", "date", "hidden", "file", ...), "select" or "textarea"
    value: str = ""  # what the page filled in, or the first option
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str  # "GET" or "POST"
    action: str  # as written; "" is the page itself
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def has_file(self) -> bool:
        return any(f.kind == "file" for f in self.fields.values())


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def _add(self, item: Field) -> None:
        if self._form is None or not item.name:
            return
        known = self._form.fields.get(item.name)
        if known is None:
            self._form.fields[item.name] = item
        elif item.kind in ("radio", "checkbox") and item.value:
            known.options.append(item.value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(method=a.get("method", "get").upper(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset") and not a.get("name"):
                return
            value = a.get("value", "")
            checked = "checked" in a or kind not in ("radio", "checkbox")
            item = Field(a.get("name", ""), kind, value if checked else "", [value])
            if kind in ("radio", "checkbox") and not checked:
                item.value = ""
            self._add(item)
            if item.name and self._form and kind in ("radio", "checkbox") and checked:
                self._form.fields[item.name].value = value
        elif tag == "select":
            self._select = Field(a.get("name", ""), "select")
            self._add(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or len(self._select.options) == 1:
                self._select.value = value
        elif tag == "textarea":
            self._textarea = Field(a.get("name", ""), "textarea")
            self._add(self._textarea)
        elif tag == "button" and a.get("name"):
            self._add(Field(a["name"], "submit", a.get("value", ""), [a.get("value", "")]))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str) -> tuple[list[Form], list[str]]:
    """The forms of a page and the addresses of its links."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms, parser.links


# --- what a visitor may send -----------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\t\n\r ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u202etxt.exe",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "𝕂𝕣𝕚𝕟𝕘 🧑‍🤝‍🧑",
    "\ud7ff\ufeff\u200b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00%0d%0a",
    "null",
    "None",
    "[]",
]
DAYS = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "1989-12-31",
    "2101-01-01",
    "31-12-9999",
    "01-01-0001",
    "2026-W05",
    "2026-02",
    "tomorrow",
    "-1",
    "99999999-01-01",
]
TIMES = ["00:00", "23:59", "24:00", "25:61", "-1:00", "9:5", "noon", "12:00:00.999999"]
MOMENTS = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30T10:00",
    "2026-01-05T25:00",
    "0001-01-01 00:00",
    "31-12-9999 23:59",
    "2026-01-05T10:00+99:00",
]
NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-inf",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999999999999999",
    "0x10",
    "1_000",
    "١٢٣",  # Arabic-Indic digits
]


@st.composite
def long_text(draw) -> str:
    """A long text, up to ~100,000 characters, made of a repeated piece (hypothesis need not
    draw every character)."""
    piece = draw(st.sampled_from(["a", "é", "0", " ", "\u202e", "<b>", "😀", "a\x00"]))
    length = draw(st.sampled_from([256, 1001, 4097, 65_537, 100_000]))
    return piece * (length // len(piece))


TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    long_text(),
)
DAY = st.one_of(
    st.sampled_from(DAYS), st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)
)
TIME = st.one_of(st.sampled_from(TIMES), st.times().map(lambda t: t.isoformat()))
MOMENT = st.one_of(
    st.sampled_from(MOMENTS),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
    st.text(max_size=20),
)
NUMBER = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=10),
)
ANY = st.one_of(TEXT, DAY, MOMENT, NUMBER)

# A file input: empty, of another kind, or just over a limit (the view's own MAX_BYTES, or one
# of Kring's: 5 and 10 MB). Named for the size drawn, built only when sent.
FILE_SIZES = [0, 1, 1024, 5 * 1024 * 1024 + 1, 10 * 1024 * 1024 + 1]
FILE_KINDS = [
    ("leeg.csv", "text/csv", b""),
    ("plan.pdf", "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    ("foto.png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("script.html", "text/html", b"<script>alert(1)</script>"),
    ("binair.exe", "application/octet-stream", b"MZ\x00\x00\xff\xfe"),
    ("tekst.csv", "text/csv", b"conference_ref,held_on\n\x00\xff,0001-01-01\n"),
]


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    head: bytes
    size: int

    def build(self) -> SimpleUploadedFile:
        data = (self.head * (self.size // max(len(self.head), 1) + 1))[: self.size]
        if self.size and not data:
            data = b"x" * self.size
        return SimpleUploadedFile(self.name, data, content_type=self.content_type)


def uploads(limits: set[int]) -> st.SearchStrategy[Upload]:
    sizes = sorted({*FILE_SIZES, *(limit + 1 for limit in limits)})
    return st.builds(
        lambda kind, size: Upload(kind[0], kind[1], kind[2], size),
        st.sampled_from(FILE_KINDS),
        st.sampled_from(sizes),
    )


def _by_kind(item: Field, name: str) -> st.SearchStrategy:
    kind = item.kind
    lowered = name.lower()
    if kind == "date" or lowered.endswith(("date", "_from", "_to", "day", "_on")):
        return DAY
    if kind == "time" or lowered in ("starts", "ends") or lowered.endswith("_time"):
        return TIME
    if kind == "datetime-local" or lowered.endswith("_at"):
        return MOMENT
    if kind == "number" or lowered.endswith(("_id", "capacity", "revision", "number", "page")):
        return NUMBER
    return TEXT


def value_for(item: Field | None, name: str) -> st.SearchStrategy:
    """What is sent for one field: mostly what its kind invites, sometimes anything at all, a
    choice that is not on the list, or what the page itself filled in."""
    if item is None:
        return st.one_of(ANY, TEXT)
    own = [v for v in (item.value, *item.options) if v is not None]
    choices = st.sampled_from(own) if own else st.just("")
    if item.kind in ("select", "radio", "checkbox", "submit"):
        return st.one_of(choices, st.sampled_from(["", "on", "999999", "-1", "\x00"]), TEXT)
    if item.kind == "hidden":
        return st.one_of(choices, NUMBER, TEXT)
    return st.one_of(_by_kind(item, name), choices, ANY)
