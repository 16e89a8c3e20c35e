"""The circle of a case drawn as a picture (issue 3, point 10): an SVG made on the server, with
the harmed side on the left, the responsible side on the right, each supporter beside the person
they support, and the others below. Each person's state shows by colour, border pattern, a
small symbol and a word, never by colour alone (WCAG 1.4.1); the same is given as a list.

`circle_drawing` is a plain function over participants fetched already (no queries), so the
case page costs the same number of queries for a circle of 5 or of 40."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.circle.models import Side, Status

# The picture's own coordinate system; the browser scales it (width 100%, height auto).
WIDTH = 600
MARGIN = 10
COLUMN_WIDTH = 285
GAP = WIDTH - 2 * MARGIN - 2 * COLUMN_WIDTH
HEADER = 40
MAIN_HEIGHT = 52
SUPPORTER_HEIGHT = 48
INDENT = 30
ROW_GAP = 10
GROUP_GAP = 24
SECTION_GAP = 32
# About this many characters of a name fit on a node; longer names end in an ellipsis.
MAIN_CHARS = 27
SUPPORTER_CHARS = 24


@dataclass(frozen=True)
class Look:
    """How a state is drawn: colours, a border pattern and a symbol (plus its word)."""

    fill: str
    stroke: str
    stroke_width: int
    dash: str  # "" is a solid line
    symbol: str  # circle, envelope, check, cross, minus


# Colours from kring.css; every border has at least 3:1 contrast with the white page (1.4.11).
LOOKS = {
    Status.TO_INVITE: Look("#ffffff", "#4a5360", 2, "6 4", "circle"),
    Status.INVITED: Look("#e0eef5", "#1d5b79", 2, "", "envelope"),
    Status.ACCEPTED: Look("#e3f1e7", "#1e6b35", 3, "", "check"),
    Status.DECLINED: Look("#fbe9e8", "#b3261e", 2, "2 3", "cross"),
    Status.WITHDRAWN: Look("#eceff2", "#4a5360", 2, "2 3", "minus"),
}


@dataclass
class Node:
    pk: int
    name: str
    label: str  # the name as drawn, shortened if needed
    state: str
    state_label: str
    look: Look
    x: int
    y: int
    width: int
    height: int
    main: bool

    @property
    def transform(self) -> str:
        return f"translate({self.x} {self.y})"

    @property
    def state_y(self) -> int:
        return self.height - 12


@dataclass
class Heading:
    text: str
    x: int
    y: int


@dataclass
class Row:
    """One person in the text alternative."""

    name: str
    circle_of: str
    state: str
    state_label: str


@dataclass
class Section:
    label: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Drawing:
    id: str
    width: int
    height: int
    title: str
    description: str
    headings: list[Heading]
    nodes: list[Node]
    lines: list[str]  # SVG path data connecting supporters to the person they support
    sections: list[Section]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def count(self) -> int:
        return len(self.nodes)


def shorten(name: str, limit: int) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _state_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def _look(status: str) -> Look:
    return LOOKS.get(status, LOOKS[Status.TO_INVITE])


def _node(person, *, x, y, main: bool) -> Node:
    width = COLUMN_WIDTH if main else COLUMN_WIDTH - INDENT
    return Node(
        pk=person.pk,
        name=person.name,
        label=shorten(person.name, MAIN_CHARS if main else SUPPORTER_CHARS),
        state=person.status,
        state_label=_state_label(person.status),
        look=_look(person.status),
        x=x,
        y=y,
        width=width,
        height=MAIN_HEIGHT if main else SUPPORTER_HEIGHT,
        main=main,
    )


def circle_drawing(participants, *, id_prefix: str = "circle") -> dict:
    """The context for circle/_drawing.html: {"drawing": Drawing}.

    `participants` are those of one case (with .pk, .name, .side, .supports_id, .status)."""
    people = list(participants)
    by_pk = {p.pk: p for p in people}
    mains = [p for p in people if p.side in (Side.HARMED, Side.RESPONSIBLE)]
    main_pks = {p.pk for p in mains}
    circles: dict[int, list] = {p.pk: [] for p in mains}
    loose = []  # others, and anyone whose main person is not in the list
    for person in people:
        if person.pk in main_pks:
            continue
        if person.supports_id in circles:
            circles[person.supports_id].append(person)
        else:
            loose.append(person)

    nodes: list[Node] = []
    lines: list[str] = []
    column_x = {Side.HARMED: MARGIN, Side.RESPONSIBLE: MARGIN + COLUMN_WIDTH + GAP}
    column_bottom = {Side.HARMED: HEADER, Side.RESPONSIBLE: HEADER}
    for main in mains:
        x, y = column_x[main.side], column_bottom[main.side]
        nodes.append(_node(main, x=x, y=y, main=True))
        y += MAIN_HEIGHT
        trunk_x, trunk_top, last_mid = x + INDENT // 2, y, None
        for supporter in circles[main.pk]:
            y += ROW_GAP
            nodes.append(_node(supporter, x=x + INDENT, y=y, main=False))
            last_mid = y + SUPPORTER_HEIGHT // 2
            lines.append(f"M{trunk_x} {last_mid}H{x + INDENT}")
            y += SUPPORTER_HEIGHT
        if last_mid is not None:
            lines.append(f"M{trunk_x} {trunk_top}V{last_mid}")
        column_bottom[main.side] = y + GROUP_GAP

    headings = [
        Heading(_("Harmed side"), column_x[Side.HARMED], 24),
        Heading(_("Responsible side"), column_x[Side.RESPONSIBLE], 24),
    ]
    bottom = max(column_bottom.values())
    if loose:
        headings.append(Heading(_("Others"), MARGIN, bottom + SECTION_GAP - 16))
        top = bottom + SECTION_GAP
        for index, person in enumerate(loose):
            row, col = divmod(index, 2)
            x = MARGIN + col * (COLUMN_WIDTH + GAP)
            y = top + row * (SUPPORTER_HEIGHT + ROW_GAP)
            node = _node(person, x=x, y=y, main=False)
            node.width = COLUMN_WIDTH
            node.label = shorten(person.name, MAIN_CHARS)
            nodes.append(node)
        bottom = top + ((len(loose) + 1) // 2) * (SUPPORTER_HEIGHT + ROW_GAP)
    height = bottom + MARGIN

    def circle_of(person) -> str:
        main = by_pk.get(person.supports_id)
        return main.name if main is not None else ""

    def row(person) -> Row:
        return Row(person.name, circle_of(person), person.status, _state_label(person.status))

    sections = []
    for side, label in ((Side.HARMED, _("Harmed side")), (Side.RESPONSIBLE, _("Responsible side"))):
        section = Section(label)
        for main in (m for m in mains if m.side == side):
            section.rows.append(row(main))
            section.rows.extend(row(s) for s in circles[main.pk])
        sections.append(section)
    if loose:
        sections.append(Section(_("Others"), [row(p) for p in loose]))

    return {
        "drawing": Drawing(
            id=id_prefix,
            width=WIDTH,
            height=height,
            title=_("The circle of this case"),
            description=_describe(sections),
            headings=headings,
            nodes=nodes,
            lines=lines,
            sections=sections,
        )
    }


def _describe(sections: list[Section]) -> str:
    if not any(s.rows for s in sections):
        return _("No one is in the circle yet.")
    parts = [
        ngettext("%(side)s: %(count)d person", "%(side)s: %(count)d people", len(s.rows))
        % {"side": s.label, "count": len(s.rows)}
        for s in sections
    ]
    return (
        "; ".join(parts)
        + ". "
        + _(
            "The harmed side is on the left and the responsible side on the right; each "
            "supporter stands below the person they support. Under each name is the person's "
            "state. The list after the picture gives the same."
        )
    )
