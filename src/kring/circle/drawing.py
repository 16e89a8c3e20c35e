"""The circle of a case drawn as a circle (issue 3, point 10; issue 8, point 12): an SVG made on
the server. The two sides face each other: the harmed side on the left half of the circle, the
responsible side on the right half, each harmed or responsible person with their supporters
around them on the circle (an arc marks each person's own circle), people who stand in no one's
circle at the bottom. The coordinator stands outside the circle, above it.

Each person is a dot on the circle with their name and state beside it, in a column left or
right of the circle, so that labels never overlap however many people there are: the labels of
a side are stacked top to bottom, each at least a label's height below the one before, and a
thin line leads from the dot to its label. A state shows by fill, border pattern (declined and
withdrawn dashed), a symbol and a word, never by colour alone (WCAG 1.4.1); a minor and a parent
or guardian say so in words. The same is given as a list after the picture.

At phone width the same circle is drawn a second time by `narrow_layout`, from the same ring
turned a quarter: the harmed side on the top half, the responsible side on the bottom half, a
number on each dot and a key under the circle (number, the state's dot and symbol, name, state,
mark), 300 units wide so that its text stays at least 12 CSS px on a 360 px phone and nothing
scrolls sideways. The template draws both; circle.css shows one (display: none hides the other
from assistive technology too). When more than about 20 people make the circle wider than 300,
the key's text grows with it (it stays 12 px on screen), the numbers on the dots do not.

`circle_drawing` is a plain function over participants fetched already (no queries), so the
case page costs the same number of queries for a circle of 5 or of 40. `layout` and
`narrow_layout` hold all the geometry and are tested on their own (no two labels overlap,
everyone drawn once, all inside the picture)."""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.circle.models import Side, Status

# The picture's own coordinate system; the browser scales it (width 100%, height auto).
MARGIN = 12
NAME_SIZE = 17  # font size of a name, in the picture's units
STATE_SIZE = 14
LABEL_HEIGHT = 42  # a name and a state line, with room between labels
MARK_HEIGHT = 18  # a third line: "minor" or "parent or guardian"
LABEL_GAP = 28  # from the circle to its label columns
LABEL_WIDTH = 240  # the widest label: names longer than fit end in an ellipsis
MAIN_CHARS = 21
SUPPORTER_CHARS = 23
CHAR_WIDTH = 0.6  # a character is at most about this many font sizes wide (a safe estimate)
MAIN_RADIUS = 17
RADIUS = 13
DOT_SPACING = 2 * MAIN_RADIUS + 12  # between the centres of two dots along the circle
MIN_CIRCLE = 150
HEADER = 34  # room for the side headings above the label columns
COORDINATOR_HEIGHT = 46
COORDINATOR_GAP = 30  # between the coordinator and the top of the circle
TOP_ANGLE = 25  # degrees on each side of the top of the circle kept free (the coordinator)
GROUP_GAP = 1  # free places between two people's circles

# The narrow layout, for phone width: a picture NARROW_WIDTH wide, shown at that size or a little
# smaller (in a panel on a 360 px phone about 285 CSS px), so that its text stays at least 12 px.
# The harmed side on the top half of the circle, the responsible side on the bottom half, others
# at the left; each dot carries a number, and the key under the circle gives the number's name,
# state and mark. When many people need a wider circle, the key's text grows with the picture,
# so that it keeps its size on the screen.
NARROW_WIDTH = 300
NARROW_MAIN_RADIUS = 12
NARROW_RADIUS = 11
NARROW_SPACING = 2 * NARROW_MAIN_RADIUS + 4
NARROW_MIN_CIRCLE = 70
NARROW_FREE = 10  # degrees kept free on each side where the two sides meet, at the right
NARROW_CHARS = 19  # a bold name of 19 characters fits beside its dot in the key
NARROW_HEADING = 14  # "Kant van wie verantwoordelijk is" fits in 300
NUMBER_SIZE = 13  # the number in a dot on the circle
KEY_RADIUS = 11  # the dot in the key, times the key's scale


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
    Status.TO_INVITE: Look("#ffffff", "#4a5360", 2, "", "circle"),
    Status.INVITED: Look("#e0eef5", "#1d5b79", 2, "", "envelope"),
    Status.ACCEPTED: Look("#e3f1e7", "#1e6b35", 3, "", "check"),
    Status.DECLINED: Look("#fbe9e8", "#b3261e", 2, "2 3", "cross"),
    Status.WITHDRAWN: Look("#eceff2", "#4a5360", 2, "2 3", "minus"),
}


@dataclass(frozen=True)
class Box:
    """A rectangle in the picture's units, for the overlap tests."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: "Box") -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass
class Node:
    pk: int
    name: str
    label: str  # the name as drawn, shortened if needed
    state: str
    state_label: str  # the state in words
    mark: str  # "minor" or "parent or guardian", or ""
    look: Look
    main: bool
    side: str  # "left" or "right": the column of its label
    angle: float  # degrees, clockwise from the top of the circle
    cx: float = 0  # the dot
    cy: float = 0
    r: float = RADIUS
    label_x: float = 0  # the label's anchor: its left edge (right column) or right edge (left)
    label_y: float = 0  # the top of the label
    # The narrow layout (phone width): the dot on the circle carries a number, the label stands
    # in the key under the circle, beside a copy of the dot with its symbol; sizes times `scale`.
    number: int = 0
    scale: float = 1
    key_cx: float = 0
    key_cy: float = 0

    @property
    def name_size(self) -> float:
        return NAME_SIZE * self.scale

    @property
    def state_size(self) -> float:
        return STATE_SIZE * self.scale

    @property
    def key_r(self) -> float:
        return KEY_RADIUS * self.scale

    @property
    def number_y(self) -> float:
        """The baseline of the number in the dot on the circle (narrow layout)."""
        return self.cy + NUMBER_SIZE * 0.35

    @property
    def number_x(self) -> float:
        """The right edge of the number in the key (narrow layout)."""
        return self.key_cx - self.key_r - 5 * self.scale

    @property
    def key_symbol_transform(self) -> str:
        return (
            f"translate({self.key_cx - 7 * self.scale:.1f} {self.key_cy - 6 * self.scale:.1f}) "
            f"scale({self.scale:.3f})"
        )

    @property
    def key_dot_box(self) -> Box:
        return Box(
            self.key_cx - self.key_r, self.key_cy - self.key_r, 2 * self.key_r, 2 * self.key_r
        )

    @property
    def number_box(self) -> Box:
        """The number in the key, left of its dot."""
        width = CHAR_WIDTH * len(str(self.number)) * self.name_size
        return Box(self.number_x - width, self.label_y, width, self.name_size + 2)

    @property
    def anchor(self) -> str:
        return "end" if self.side == "left" else "start"

    @property
    def name_y(self) -> float:
        return self.label_y + self.name_size

    @property
    def state_y(self) -> float:
        return self.label_y + self.name_size + self.state_size + 4 * self.scale

    @property
    def mark_y(self) -> float:
        return self.state_y + MARK_HEIGHT * self.scale

    @property
    def label_height(self) -> float:
        return (LABEL_HEIGHT + (MARK_HEIGHT if self.mark else 0)) * self.scale

    @property
    def symbol_transform(self) -> str:
        return f"translate({self.cx - 7:g} {self.cy - 6:g})"

    @property
    def leader(self) -> str:
        """A line from the dot to the near edge of its label."""
        toward = -1 if self.side == "left" else 1
        start_x = self.cx + toward * self.r
        end_x = self.label_x - toward * 6
        end_y = self.label_y + NAME_SIZE / 2 + 2
        return f"M{start_x:.1f} {self.cy:.1f}L{end_x:.1f} {end_y:.1f}"

    @property
    def dot_box(self) -> Box:
        return Box(self.cx - self.r, self.cy - self.r, 2 * self.r, 2 * self.r)

    @property
    def label_box(self) -> Box:
        """Where the label's text can reach, estimated generously."""
        width = CHAR_WIDTH * max(
            len(self.label) * self.name_size,
            len(self.state_label) * self.state_size,
            len(self.mark) * self.state_size,
        )
        x = self.label_x - width if self.side == "left" else self.label_x
        return Box(x, self.label_y, width, self.label_height - 3 * self.scale)


@dataclass
class Heading:
    text: str
    x: float
    y: float
    anchor: str = "start"
    size: float = 16

    @property
    def box(self) -> Box:
        """Where its text can reach, estimated; y is the baseline. (The browser test measures the
        text as set, in Dutch, at phone width.)"""
        width = CHAR_WIDTH * self.size * len(self.text)
        x = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return Box(x, self.y - self.size, width, self.size * 1.25)


@dataclass
class Arc:
    """A person's own circle: a thick arc along the circle under them and their supporters."""

    path: str
    side: str


@dataclass
class Coordinator:
    label: str
    x: float
    y: float
    width: float
    height: float
    size: float = 15

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.width, self.height)

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2 + self.size * 0.4


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
    width: float
    height: float
    title: str
    description: str
    headings: list[Heading]
    nodes: list[Node]
    arcs: list[Arc]
    sections: list[Section]
    cx: float = 0
    cy: float = 0
    radius: float = 0
    coordinator: Coordinator | None = None
    compact: bool = False  # the narrow layout: numbers on the circle, names in the key below
    narrow: "Drawing | None" = None  # the same circle laid out for phone width

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def count(self) -> int:
        return len(self.nodes)


def shorten(name: str, limit: int) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _known(person, name: str, default=None):
    """An attribute the caller fetched; never a deferred field (that would cost a query)."""
    return vars(person).get(name, default)


def _state_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def _look(status: str) -> Look:
    return LOOKS.get(status, LOOKS[Status.TO_INVITE])


# --- the geometry -------------------------------------------------------------------------------


def _around(main, supporters: list) -> list:
    """A main person in the middle of their own circle, supporters on both sides."""
    half = len(supporters) // 2
    return [*supporters[:half], main, *supporters[half:]]


def _places(groups: list[list]) -> list:
    """The people of one half in order along the circle, None for a free place between circles."""
    out: list = []
    for index, group in enumerate(groups):
        if index:
            out.extend([None] * GROUP_GAP)
        out.extend(group)
    return out


def _stack(nodes: list[Node], top: float) -> None:
    """Labels of one column in the order of their dots from top to bottom, none above `top`,
    each at least LABEL_HEIGHT below the one before."""
    nodes.sort(key=lambda n: n.cy)
    wanted = [n.cy - LABEL_HEIGHT / 2 for n in nodes]
    y = top
    for node, want in zip(nodes, wanted, strict=True):
        node.label_y = max(want, y)
        y = node.label_y + node.label_height


def _ring(
    left: list[list],
    right: list[list],
    bottom: list,
    *,
    spacing: float,
    smallest: float,
    free: float,
) -> tuple[float, list[tuple[float, object]]]:
    """The radius and each place's angle (degrees, clockwise from the top): `free` degrees on each
    side of the top kept free, the responsible side spread down the right half, the others along
    the bottom, the harmed side up the left half. The circle grows from `smallest` until the dots
    of the fuller half are `spacing` apart."""
    left_places = _places([_around(g[0], g[1:]) for g in left])
    right_places = _places([_around(g[0], g[1:]) for g in right])
    count = max(len(left_places), len(right_places), 1)
    radius = float(smallest)
    while True:
        step = math.degrees(spacing / radius)  # the angle between two neighbours
        side_start = free + step / 2
        side_end = 180 - (len(bottom) / 2 + 0.5) * step
        if (side_end - side_start) / count >= step:
            break
        radius *= 1.05

    def spread(count: int) -> list[float]:
        """Angles for `count` places, evenly over one half (at least `step` apart)."""
        width = (side_end - side_start) / max(count, 1)
        return [side_start + (i + 0.5) * width for i in range(count)]

    ring: list[tuple[float, object]] = []
    ring += [(a, p) for a, p in zip(spread(len(right_places)), right_places, strict=True)]
    ring += [(180 + (j - (len(bottom) - 1) / 2) * step, p) for j, p in enumerate(bottom)]
    ring += [(360 - a, p) for a, p in zip(spread(len(left_places)), left_places, strict=True)]
    return radius, ring


def _nodes(
    ring: list[tuple[float, object]], left: list[list], right: list[list], bottom: list, **sizes
) -> list[Node]:
    """A Node for each person on the ring (free places skipped), in the ring's order."""
    guardians = {_known(p, "guardian_id") for group in left + right for p in group}
    guardians |= {_known(p, "guardian_id") for p in bottom}
    main_pks = {g[0].pk for g in left + right}
    emptier_right = len(_places(right)) <= len(_places(left))
    main_chars = sizes.get("main_chars", MAIN_CHARS)
    supporter_chars = sizes.get("supporter_chars", SUPPORTER_CHARS)
    nodes: list[Node] = []
    for angle, person in ring:
        if person is None:
            continue
        side = "right" if angle < 180 else "left"
        if abs(angle - 180) < 1e-6:  # straight down: the emptier column takes it
            side = "right" if emptier_right else "left"
        main = person.pk in main_pks
        mark = ""
        if _known(person, "is_minor"):
            mark = _("minor")
        elif person.pk in guardians:
            mark = _("parent or guardian")
        nodes.append(
            Node(
                pk=person.pk,
                name=person.name,
                label=shorten(person.name, main_chars if main else supporter_chars),
                state=person.status,
                state_label=_state_label(person.status),
                mark=str(mark),
                look=_look(person.status),
                main=main,
                side=side,
                angle=angle,
                r=sizes.get("main_radius", MAIN_RADIUS) if main else sizes.get("radius", RADIUS),
            )
        )
    return nodes


def layout(left: list[list], right: list[list], bottom: list, *, coordinator: str = "") -> dict:
    """Where everyone goes. `left` and `right` are the circles of the harmed and the responsible
    people (each a list: the main person first, then their supporters), `bottom` the people in
    no one's circle. Each person is a Node; the people are objects with .pk, .name, .status
    (and, if fetched, .is_minor and .guardian_id). Returns the nodes, arcs, headings, the
    coordinator's box and the size of the picture."""
    # Clockwise from the top: a free space (the coordinator is above it), the responsible side
    # spread down the right half, the others along the bottom, the harmed side up the left half.
    radius, ring = _ring(
        left, right, bottom, spacing=DOT_SPACING, smallest=MIN_CIRCLE, free=TOP_ANGLE
    )
    nodes = _nodes(ring, left, right, bottom)

    label_width = LABEL_WIDTH
    coordinator_height = COORDINATOR_HEIGHT + COORDINATOR_GAP if coordinator else 0
    cx = MARGIN + label_width + LABEL_GAP + radius
    cy = MARGIN + HEADER + coordinator_height + radius
    for node in nodes:
        node.cx = cx + radius * math.sin(math.radians(node.angle))
        node.cy = cy - radius * math.cos(math.radians(node.angle))
        node.label_x = cx - radius - LABEL_GAP if node.side == "left" else cx + radius + LABEL_GAP
    for column in ("left", "right"):
        _stack([n for n in nodes if n.side == column], MARGIN + HEADER)

    arcs = []
    by_pk = {n.pk: n for n in nodes}
    for groups, side in ((left, "left"), (right, "right")):
        for group in groups:
            if len(group) < 2:
                continue
            angles = sorted(by_pk[p.pk].angle for p in group)
            arcs.append(Arc(_arc(cx, cy, radius, angles[0], angles[-1]), side))

    width = 2 * (MARGIN + label_width + LABEL_GAP + radius)
    bottom_edge = max([cy + radius + MAIN_RADIUS] + [n.label_y + n.label_height for n in nodes])
    box = None
    if coordinator:
        box_width = min(2 * radius - 20, 320)
        box = Coordinator(
            coordinator, cx - box_width / 2, MARGIN + HEADER, box_width, COORDINATOR_HEIGHT
        )
    headings = [
        Heading(_("Harmed side"), MARGIN, MARGIN + 20),
        Heading(_("Responsible side"), width - MARGIN, MARGIN + 20, "end"),
    ]
    return {
        "nodes": nodes,
        "arcs": arcs,
        "headings": headings,
        "coordinator": box,
        "cx": cx,
        "cy": cy,
        "radius": radius,
        "width": math.ceil(width),
        "height": math.ceil(bottom_edge + MARGIN),
    }


def narrow_layout(
    left: list[list], right: list[list], bottom: list, *, coordinator: str = ""
) -> dict:
    """The same circle for phone width, from the same ring turned a quarter clockwise: the harmed
    side on the top half, the responsible side on the bottom half, each person's supporters
    beside them, others at the left, the coordinator above the circle, outside it. Each dot
    carries a number; the key under the circle gives, per side, the number, a copy of the dot
    with its symbol, the name, the state and the mark. Returns what `layout` returns."""
    radius, ring = _ring(
        left, right, bottom, spacing=NARROW_SPACING, smallest=NARROW_MIN_CIRCLE, free=NARROW_FREE
    )
    ring = [(angle + 90, person) for angle, person in ring]
    nodes = _nodes(
        ring,
        left,
        right,
        bottom,
        main_chars=NARROW_CHARS,
        supporter_chars=NARROW_CHARS,
        main_radius=NARROW_MAIN_RADIUS,
        radius=NARROW_RADIUS,
    )
    width = max(NARROW_WIDTH, 2 * (MARGIN + NARROW_MAIN_RADIUS + radius))
    scale = width / NARROW_WIDTH
    cx = width / 2
    heading = NARROW_HEADING * scale
    y = MARGIN
    box = None
    if coordinator:
        box_width = min(width - 2 * MARGIN, (CHAR_WIDTH * 15 * len(coordinator) + 24) * scale)
        height = 36 * scale
        box = Coordinator(coordinator, cx - box_width / 2, y, box_width, height, 15 * scale)
        y += height + 12 * scale
    headings = [Heading(_("Harmed side"), cx, y + heading, "middle", heading)]
    y += heading + 10 * scale
    cy = y + NARROW_MAIN_RADIUS + radius
    for node in nodes:
        node.side = "key"
        node.scale = scale
        node.cx = cx + radius * math.sin(math.radians(node.angle))
        node.cy = cy - radius * math.cos(math.radians(node.angle))
    y = cy + radius + NARROW_MAIN_RADIUS + 10 * scale
    headings.append(Heading(_("Responsible side"), cx, y + heading, "middle", heading))
    y += heading + 20 * scale

    # The key: per side, left to right along the circle (others top to bottom), numbered.
    by_pk = {n.pk: n for n in nodes}
    sections = [
        (_("Harmed side"), [by_pk[p.pk] for g in left for p in g], lambda n: n.cx),
        (_("Responsible side"), [by_pk[p.pk] for g in right for p in g], lambda n: n.cx),
        (_("Others"), [by_pk[p.pk] for p in bottom], lambda n: n.cy),
    ]
    number = 0
    for title, members, order in sections:
        if not members:
            continue
        headings.append(Heading(title, MARGIN, y + heading, "start", heading))
        y += heading + 10 * scale
        for node in sorted(members, key=order):
            number += 1
            node.number = number
            node.label_y = y
            node.key_cx = MARGIN + 38 * scale
            node.key_cy = y + NAME_SIZE * scale * 0.65
            node.label_x = node.key_cx + node.key_r + 8 * scale
            y += node.label_height + 6 * scale
        y += 8 * scale

    arcs = []
    for groups, side in ((left, "left"), (right, "right")):
        for group in groups:
            if len(group) < 2:
                continue
            angles = sorted(by_pk[p.pk].angle for p in group)
            arcs.append(Arc(_arc(cx, cy, radius, angles[0], angles[-1]), side))
    return {
        "nodes": nodes,
        "arcs": arcs,
        "headings": headings,
        "coordinator": box,
        "cx": cx,
        "cy": cy,
        "radius": radius,
        "width": math.ceil(width),
        "height": math.ceil(y + MARGIN),
    }


def _arc(cx: float, cy: float, radius: float, start: float, end: float) -> str:
    def point(angle: float) -> str:
        x = cx + radius * math.sin(math.radians(angle))
        y = cy - radius * math.cos(math.radians(angle))
        return f"{x:.1f} {y:.1f}"

    large = 1 if end - start > 180 else 0
    return f"M{point(start)}A{radius:.1f} {radius:.1f} 0 {large} 1 {point(end)}"


# --- the picture and its text alternative -------------------------------------------------------


def circle_drawing(participants, *, id_prefix: str = "drawing", coordinator=None) -> dict:
    """The context for circle/_drawing.html: {"drawing": Drawing}.

    `participants` are those of one case (with .pk, .name, .side, .supports_id, .status);
    `coordinator` the case's coordinator (a user) or None. The ids in the picture start with
    `id_prefix` (not "circle": the case page's heading is "circle-title"). The drawing carries
    its narrow twin for phone width in `.narrow`."""
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

    def groups(side: str) -> list[list]:
        return [[m, *circles[m.pk]] for m in mains if m.side == side]

    coordinator_label = ""
    if coordinator is not None:
        name = coordinator.get_full_name() if hasattr(coordinator, "get_full_name") else ""
        coordinator_label = "{}: {}".format(_("Coordinator"), shorten(name or str(coordinator), 24))

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

    args = (groups(Side.HARMED), groups(Side.RESPONSIBLE), loose)

    def draw(place, id: str, *, compact: bool) -> Drawing:
        placed = place(*args, coordinator=coordinator_label) if people else None
        return Drawing(
            id=id,
            width=placed["width"] if placed else 2 * MARGIN,
            height=placed["height"] if placed else 2 * MARGIN,
            title=_("The circle of this case"),
            description=_describe(sections, coordinator_label, compact=compact),
            headings=placed["headings"] if placed else [],
            nodes=placed["nodes"] if placed else [],
            arcs=placed["arcs"] if placed else [],
            sections=sections,
            cx=placed["cx"] if placed else 0,
            cy=placed["cy"] if placed else 0,
            radius=placed["radius"] if placed else 0,
            coordinator=placed["coordinator"] if placed else None,
            compact=compact,
        )

    wide = draw(layout, id_prefix, compact=False)
    wide.narrow = draw(narrow_layout, f"{id_prefix}-narrow", compact=True)
    return {"drawing": wide}


def _describe(sections: list[Section], coordinator: str, *, compact: bool = False) -> str:
    if not any(s.rows for s in sections):
        return _("No one is in the circle yet.")
    parts = [
        ngettext("%(side)s: %(count)d person", "%(side)s: %(count)d people", len(s.rows))
        % {"side": s.label, "count": len(s.rows)}
        for s in sections
    ]
    where = (
        _(
            "The people sit in a circle: the harmed side at the top, the responsible side at the "
            "bottom, each person's supporters beside them, others at the left. Each person has a "
            "number; the key under the circle gives each number's name and state. The list after "
            "the picture gives the same."
        )
        if compact
        else _(
            "The people sit in a circle: the harmed side on the left, the responsible side on "
            "the right, each person's supporters beside them, others at the bottom. Beside each "
            "name is the person's state. The list after the picture gives the same."
        )
    )
    text = "; ".join(parts) + ". " + where
    if coordinator:
        text += " " + _("The coordinator stands outside the circle, above it.")
    return text
