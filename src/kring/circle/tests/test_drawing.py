"""The circle drawn as a circle (issue 3, point 10; issue 8, point 12): an SVG made on the server
with a text alternative; the harmed side on the left half, the responsible side on the right,
each person's supporters beside them on the circle, the coordinator outside it; every state
shown in words and not by colour alone (WCAG 1.4.1); minors and guardians said in words; and
however many people, no two labels overlap and everyone is drawn once.

The same circle is drawn a second time for phone width (the narrow picture): the harmed side at
the top, the responsible side at the bottom, a number on each dot and a key under the circle,
its text at least 12 CSS px when the picture is shown in a panel on a 360 px phone."""

import itertools
import math
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kring.circle.drawing import LOOKS, NUMBER_SIZE, circle_drawing
from kring.circle.models import Participant, Side, Status

SVG = "{http://www.w3.org/2000/svg}"
with translation.override("en"):  # at import no test has chosen a language yet
    STATE_WORDS = {s.value: str(s.label) for s in Status}

CARLA = SimpleNamespace(get_full_name=lambda: "Carla Visser")


def person(pk, name, side, status=Status.TO_INVITE, supports=None, **more):
    return SimpleNamespace(pk=pk, name=name, side=side, status=status, supports_id=supports, **more)


@pytest.fixture
def circle():
    return [
        person(1, "Daan de Boer", Side.RESPONSIBLE, Status.ACCEPTED),
        person(2, "Sanne Jansen", Side.HARMED, Status.INVITED),
        person(3, "Joost de Boer", Side.SUPPORTER, Status.DECLINED, supports=1),
        person(4, "Ria Jansen", Side.SUPPORTER, Status.WITHDRAWN, supports=2),
        person(5, "Meester Kees", Side.OTHER),
        person(6, "Wijkagent Bos", Side.OTHER, Status.INVITED, supports=2),
    ]


def crowd(size: int) -> list:
    """A circle of `size`: two harmed and two responsible people, their supporters, others."""
    people = [
        person(1, "Daan de Boer", Side.RESPONSIBLE),
        person(2, "Sanne Jansen", Side.HARMED),
        person(3, "Lotte Vermeulen", Side.HARMED, is_minor=True, guardian_id=5),
        person(4, "Kevin Smit", Side.RESPONSIBLE),
    ]
    for pk in range(5, size + 1):
        if pk % 7 == 0:
            people.append(person(pk, f"Buurvrouw nummer {pk}", Side.OTHER))
        else:
            main = (1, 2, 3, 4)[pk % 4]
            people.append(
                person(pk, f"Een heel lange naam van {pk}", Side.SUPPORTER, supports=main)
            )
    return people


def render(people, **kwargs) -> str:
    with translation.override("en"):
        return render_to_string("circle/_drawing.html", circle_drawing(people, **kwargs))


def drawing(people, **kwargs):
    with translation.override("en"):
        return circle_drawing(people, **kwargs)["drawing"]


def svg_of(html: str, layout: str = "wide") -> ET.Element:
    """The wide picture (tablet, desktop, paper) or the narrow one (phone)."""
    found = re.search(rf'circle-drawing-{layout}">\s*(<svg.*?</svg>)', html, re.S)
    return ET.fromstring(found.group(1))  # noqa: S314 - ours


def nodes(svg: ET.Element) -> dict[str, ET.Element]:
    """The node of each person, by the full name in its tooltip."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if group.get("data-state") and title is not None:
            name = re.sub(
                r"^\d+\. ", "", title.text.split(": ", 1)[0]
            )  # the narrow one is numbered
            assert name not in found, f"{name} is drawn twice"
            found[name] = group
    return found


def texts(node: ET.Element) -> list[str]:
    return [t.text for t in node.findall(f"{SVG}text")]


def test_every_person_appears_once_with_their_state_in_words_in_the_picture(circle):
    svg = svg_of(render(circle))

    drawn = nodes(svg)
    assert set(drawn) == {p.name for p in circle}
    for p in circle:
        assert texts(drawn[p.name]) == [p.name, STATE_WORDS[p.status]]
        assert drawn[p.name].find(f"{SVG}title").text == f"{p.name}: {STATE_WORDS[p.status]}"


def test_the_text_alternative_lists_each_person_by_side_with_their_circle_and_state(circle):
    html = render(circle)
    tables = re.findall(r"<table.*?</table>", html, re.S)

    def rows(table):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)[3:]  # after the header
        plain = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
        return [tuple(plain[i : i + 3]) for i in range(0, len(plain), 3)]

    captions = [re.search(r"<caption>(.*?)</caption>", t).group(1) for t in tables]
    assert captions == ["Harmed side", "Responsible side", "Others"]
    assert rows(tables[0]) == [
        ("Sanne Jansen", "–", "Invited"),
        ("Ria Jansen", "Sanne Jansen", "Withdrawn"),
        ("Wijkagent Bos", "Sanne Jansen", "Invited"),
    ]
    assert rows(tables[1]) == [
        ("Daan de Boer", "–", "Accepted"),
        ("Joost de Boer", "Daan de Boer", "Declined"),
    ]
    assert rows(tables[2]) == [("Meester Kees", "–", "To invite")]


def test_the_picture_is_an_image_with_a_title_and_a_description(circle):
    html = render(circle, id_prefix="circle-7", coordinator=CARLA)
    svg = svg_of(html)

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "circle-7-title circle-7-desc"
    assert svg.find(f"{SVG}title").get("id") == "circle-7-title"
    description = svg.find(f"{SVG}desc")
    assert description.get("id") == "circle-7-desc"
    assert description.text.startswith(
        "Harmed side: 3 people; Responsible side: 2 people; Others: 1 person. "
        "The people sit in a circle"
    )
    assert "The coordinator stands outside the circle" in description.text
    assert not re.search(r"\sstyle=", html)  # strict CSP: presentation attributes only


def test_the_sides_face_each_other_with_each_persons_supporters_beside_them(circle):
    picture = drawing(circle)
    at = {n.name: n for n in picture.nodes}

    # Harmed on the left half of the circle, responsible on the right half.
    for name in ("Sanne Jansen", "Ria Jansen", "Wijkagent Bos"):
        assert at[name].cx < picture.cx and at[name].side == "left"
    for name in ("Daan de Boer", "Joost de Boer"):
        assert at[name].cx > picture.cx and at[name].side == "right"
    # On the circle itself.
    for node in picture.nodes:
        assert math.dist((node.cx, node.cy), (picture.cx, picture.cy)) == pytest.approx(
            picture.radius
        )
    # Sanne's circle is one stretch of the circle: no one else stands between her people.
    sannes = sorted(at[n].angle for n in ("Sanne Jansen", "Ria Jansen", "Wijkagent Bos"))
    others = [n.angle for n in picture.nodes if n.name not in ("Sanne Jansen", "Ria Jansen")]
    assert not [a for a in others if sannes[0] < a < sannes[-1] and a not in sannes]
    # One who stands in no one's circle is at the bottom.
    assert at["Meester Kees"].cy == pytest.approx(picture.cy + picture.radius)
    assert len(picture.arcs) == 2  # Sanne's and Daan's own circles are marked


def test_the_coordinator_stands_outside_the_circle_above_it(circle):
    picture = drawing(circle, coordinator=CARLA)
    box = picture.coordinator

    assert box.label == "Coordinator: Carla Visser"
    assert box.y + box.height < picture.cy - picture.radius  # above the circle, not in it
    assert "Carla Visser" not in {n.name for n in picture.nodes}
    assert "Coordinator: Carla Visser" in render(circle, coordinator=CARLA)
    assert drawing(circle).coordinator is None


def test_minors_and_guardians_are_said_in_words():
    people = [
        person(1, "Ruben Verhoef", Side.HARMED, Status.INVITED, is_minor=True, guardian_id=2),
        person(2, "Ingrid Verhoef", Side.SUPPORTER, Status.INVITED, supports=1),
    ]
    drawn = nodes(svg_of(render(people)))

    assert texts(drawn["Ruben Verhoef"]) == ["Ruben Verhoef", "Invited", "minor"]
    assert texts(drawn["Ingrid Verhoef"]) == ["Ingrid Verhoef", "Invited", "parent or guardian"]
    title = drawn["Ruben Verhoef"].find(f"{SVG}title").text
    assert title == "Ruben Verhoef: Invited, minor"


def test_withdrawn_and_declined_people_are_dashed_and_say_so(circle):
    drawn = nodes(svg_of(render(circle)))

    for name, word in (("Ria Jansen", "Withdrawn"), ("Joost de Boer", "Declined")):
        dot = drawn[name].find(f"{SVG}circle")
        assert dot.get("stroke-dasharray"), f"{name} is not dashed"
        assert texts(drawn[name])[1] == word
    for name in ("Daan de Boer", "Sanne Jansen", "Meester Kees"):
        assert drawn[name].find(f"{SVG}circle").get("stroke-dasharray") is None


def test_states_differ_by_border_pattern_and_symbol_as_well_as_colour():
    # WCAG 1.4.1: take the colour away and each state still looks different (and has its word).
    shapes = {(look.dash, look.stroke_width, look.symbol) for look in LOOKS.values()}
    assert len(shapes) == len(Status)
    assert len(set(STATE_WORDS.values())) == len(Status)

    people = [person(i, f"P{i}", Side.OTHER, status) for i, status in enumerate(Status, 1)]
    svg = svg_of(render(people))
    symbols = set()
    for node in nodes(svg).values():
        marker = node.find(f"{SVG}g")
        symbols.add(ET.tostring(marker))
        dot = node.find(f"{SVG}circle")
        assert dot.get("stroke") == LOOKS[node.get("data-state")].stroke
    assert len(symbols) == len(Status)


def test_long_names_are_shortened_in_the_picture_but_whole_in_the_list():
    long_name = "Alexandra Wilhelmina van Oranje-Nassau tot Amsberg"
    html = render([person(1, long_name, Side.HARMED)])

    label = texts(nodes(svg_of(html))[long_name])[0]
    assert label.endswith("…") and len(label) <= 23
    assert long_name.startswith(label[:-1])
    assert f">{long_name}</th>" in html


@pytest.mark.parametrize("size", range(1, 41))
def test_however_many_people_no_two_labels_or_dots_overlap(size):
    picture = drawing(crowd(size)[:size] if size < 4 else crowd(size), coordinator=CARLA)
    labels = [n.label_box for n in picture.nodes]
    dots = [n.dot_box for n in picture.nodes]
    fixed = [picture.coordinator.box]

    assert sorted(n.pk for n in picture.nodes) == list(range(1, size + 1))  # everyone, once
    for a, b in itertools.combinations(labels + fixed, 2):
        assert not a.overlaps(b), f"labels overlap: {a} {b}"
    for a, b in itertools.combinations(picture.nodes, 2):
        assert math.dist((a.cx, a.cy), (b.cx, b.cy)) >= a.r + b.r + 4, f"{a.name} on {b.name}"
    for label, dot in itertools.product(labels + fixed, dots):
        assert not label.overlaps(dot)
    for box in labels + dots + fixed:
        assert box.x >= 0 and box.x + box.width <= picture.width
        assert box.y >= 0 and box.y + box.height <= picture.height


def test_a_large_circle_is_drawn_larger_not_smaller():
    small, large = drawing(crowd(6)), drawing(crowd(40))

    assert large.radius > small.radius
    assert large.height > small.height
    svg = svg_of(render(crowd(40)))
    assert len(nodes(svg)) == 40
    # Its natural size in the page's units: scaled down to fit, never up into unreadable text.
    assert svg.get("width") == str(large.width) and svg.get("height") == str(large.height)


def test_an_empty_circle_says_so():
    html = render([])

    assert "No one is in the circle yet." in svg_of(html).find(f"{SVG}desc").text
    assert "<table" not in html


def test_drawing_real_participants_runs_no_queries(
    circle_of_both, django_assert_num_queries, preparing_case
):
    people = list(Participant.objects.filter(case=preparing_case))
    coordinator = preparing_case.coordinator

    with django_assert_num_queries(0):
        html = render(people, coordinator=coordinator)

    assert all(p.name in html for p in people)


def test_drawing_people_fetched_with_only_some_fields_runs_no_queries(
    circle_of_both, django_assert_num_queries, preparing_case
):
    # The case page fetches only what it shows: is_minor and guardian are not asked for.
    people = list(
        preparing_case.participants.only("pk", "name", "side", "supports_id", "status", "case_id")
    )

    with django_assert_num_queries(0):
        html = render(people)

    assert all(p.name in html for p in people)


# --- the narrow picture, for phone width --------------------------------------------------------

PANEL_ON_A_PHONE = 284  # CSS px the picture gets in the case page's panel on a 360 px phone
SMALLEST_TEXT = 12  # CSS px


def narrow(people, **kwargs):
    return drawing(people, **kwargs).narrow


def test_the_narrow_picture_numbers_everyone_once_with_name_state_and_mark_in_the_key():
    people = [
        person(1, "Ruben Verhoef", Side.HARMED, Status.INVITED, is_minor=True, guardian_id=2),
        person(2, "Ingrid Verhoef", Side.SUPPORTER, Status.INVITED, supports=1),
        person(3, "Daan de Boer", Side.RESPONSIBLE, Status.ACCEPTED),
        person(4, "Joost de Boer", Side.SUPPORTER, Status.DECLINED, supports=3),
        person(5, "Meester Kees", Side.OTHER, Status.WITHDRAWN),
    ]
    svg = svg_of(render(people, coordinator=CARLA), "narrow")
    drawn = nodes(svg)

    assert set(drawn) == {p.name for p in people}
    numbers = {}
    for p in people:
        on_circle, in_key, *words = texts(drawn[p.name])
        assert on_circle == in_key  # the number on the dot is the number in the key
        numbers[p.name] = int(on_circle)
        expected = [p.name, STATE_WORDS[p.status]]
        assert words == expected + (
            ["minor"] if p.pk == 1 else ["parent or guardian"] * (p.pk == 2)
        )
        title = drawn[p.name].find(f"{SVG}title").text
        assert title.startswith(f"{on_circle}. {p.name}: {STATE_WORDS[p.status]}")
    # Numbered per side as the key lists them: harmed, responsible, others.
    assert sorted(numbers.values()) == [1, 2, 3, 4, 5]
    assert numbers["Meester Kees"] == 5
    assert {numbers["Ruben Verhoef"], numbers["Ingrid Verhoef"]} == {1, 2}
    # Withdrawn and declined dashed, on the circle and in the key; the others solid.
    for name in ("Joost de Boer", "Meester Kees"):
        assert all(c.get("stroke-dasharray") for c in drawn[name].findall(f"{SVG}circle"))
    for name in ("Ruben Verhoef", "Daan de Boer"):
        assert not any(c.get("stroke-dasharray") for c in drawn[name].findall(f"{SVG}circle"))
    # The state's symbol stands in the key, as in the wide picture.
    wide = nodes(svg_of(render(people)))

    def symbol(node):
        return [ET.tostring(part) for part in node.find(f"{SVG}g")]

    for name in drawn:
        assert symbol(drawn[name]) == symbol(wide[name])
    assert "Coordinator: Carla Visser" in ET.tostring(svg, encoding="unicode")


def test_in_the_narrow_picture_the_sides_face_each_other_top_and_bottom(circle):
    picture = narrow(circle, coordinator=CARLA)
    at = {n.name: n for n in picture.nodes}

    for name in ("Sanne Jansen", "Ria Jansen", "Wijkagent Bos"):
        assert at[name].cy < picture.cy  # the harmed side on the top half
    for name in ("Daan de Boer", "Joost de Boer"):
        assert at[name].cy > picture.cy  # the responsible side on the bottom half
    assert at["Meester Kees"].cx == pytest.approx(picture.cx - picture.radius)  # others: left
    for node in picture.nodes:
        assert math.dist((node.cx, node.cy), (picture.cx, picture.cy)) == pytest.approx(
            picture.radius
        )
    # Sanne's people stand together, her in the middle; both circles marked by an arc.
    sannes = sorted(at[n].angle for n in ("Sanne Jansen", "Ria Jansen", "Wijkagent Bos"))
    assert sannes[1] == at["Sanne Jansen"].angle
    others = [n.angle for n in picture.nodes if n.name not in ("Sanne Jansen", "Ria Jansen")]
    assert not [a for a in others if sannes[0] < a < sannes[-1] and a not in sannes]
    assert len(picture.arcs) == 2
    # The coordinator above the circle, outside it.
    box = picture.coordinator
    assert box.y + box.height < picture.cy - picture.radius
    # The key under the circle.
    assert min(n.label_y for n in picture.nodes) > picture.cy + picture.radius


@pytest.mark.parametrize("size", range(1, 41))
def test_however_many_people_the_narrow_picture_has_no_overlap_and_fits(size):
    picture = narrow(crowd(size)[:size] if size < 4 else crowd(size), coordinator=CARLA)
    ring = [n.dot_box for n in picture.nodes]
    key = [b for n in picture.nodes for b in (n.label_box, n.key_dot_box, n.number_box)]
    fixed = [picture.coordinator.box] + [h.box for h in picture.headings]

    assert sorted(n.pk for n in picture.nodes) == list(range(1, size + 1))  # everyone, once
    assert sorted(n.number for n in picture.nodes) == list(range(1, size + 1))
    for a, b in itertools.combinations(picture.nodes, 2):
        assert math.dist((a.cx, a.cy), (b.cx, b.cy)) >= a.r + b.r + 4, f"{a.name} on {b.name}"
    for a, b in itertools.combinations(key + fixed, 2):
        assert not a.overlaps(b), f"overlap: {a} {b}"
    for a, b in itertools.product(key + fixed, ring):
        assert not a.overlaps(b), f"overlap: {a} {b}"
    for node in picture.nodes:  # the number fits in its dot
        assert CHAR_WIDTH_BOLD * NUMBER_SIZE * len(str(node.number)) <= 2 * node.r - 2
    for box in ring + key + fixed:
        assert box.x >= 0 and box.x + box.width <= picture.width
        assert box.y >= 0 and box.y + box.height <= picture.height


CHAR_WIDTH_BOLD = 0.62  # a bold digit is at most this many font sizes wide


@pytest.mark.parametrize("size", range(1, 41))
def test_the_narrow_pictures_key_stays_readable_on_a_phone_however_many_people(size):
    picture = narrow(crowd(size)[:size] if size < 4 else crowd(size), coordinator=CARLA)
    shown = PANEL_ON_A_PHONE / picture.width  # CSS px per unit of the picture

    sizes = [h.size for h in picture.headings] + [picture.coordinator.size]
    sizes += [s for n in picture.nodes for s in (n.name_size, n.state_size)]
    assert min(sizes) * shown >= SMALLEST_TEXT
    if size <= 20:  # the numbers on the circle too, until the circle must grow wider
        assert NUMBER_SIZE * shown >= SMALLEST_TEXT


def test_the_two_pictures_have_their_own_ids_and_share_one_list(circle):
    html = render(circle, id_prefix="circle-7")
    wide, small = svg_of(html), svg_of(html, "narrow")

    assert wide.get("aria-labelledby") == "circle-7-title circle-7-desc"
    assert small.get("aria-labelledby") == "circle-7-narrow-title circle-7-narrow-desc"
    assert small.get("role") == "img"
    assert "the harmed side at the top" in small.find(f"{SVG}desc").text
    assert html.count("<details") == 1  # the text alternative once
    assert len(re.findall(r'\sid="([^"]+)"', html)) == len(set(re.findall(r'\sid="([^"]+)"', html)))


def test_in_dutch_the_narrow_picture_still_fits(circle):
    # Dutch words are longer ("Kant van wie verantwoordelijk is", "Gestopt met meedoen").
    people = [*circle, person(7, "Lotte", Side.HARMED, Status.WITHDRAWN, is_minor=True)]
    with translation.override("nl"):
        picture = circle_drawing(people, coordinator=CARLA)["drawing"].narrow
    boxes = [picture.coordinator.box] + [h.box for h in picture.headings]
    boxes += [b for n in picture.nodes for b in (n.label_box, n.number_box, n.dot_box)]

    for box in boxes:
        assert box.x >= 0 and box.x + box.width <= picture.width, box
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"overlap: {a} {b}"


def test_the_drawings_numbers_are_written_as_floatformat_writes_them():
    import random

    from django.template.defaultfilters import floatformat

    from kring.circle.templatetags.circle_drawing import tenths

    rng = random.Random(15)
    values = [
        0, -0.0, 1, -1, 12, 12.25, 12.35, 0.05, -0.05, -0.04, 0.04, 2.675, 1e-7, -1e-7,
        123456.75, 1e20, 1.5e-20, True, None, "", "12.25", float("nan"), float("inf"),
    ]  # fmt: skip
    values += [rng.uniform(-1000, 1000) for _ in range(2000)]
    values += [round(rng.uniform(-100, 100), 2) for _ in range(2000)]  # many exact halves
    for value in values:
        assert tenths(value) == floatformat(value, "1u"), value
