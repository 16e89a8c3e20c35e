"""The circle drawn (issue 3, point 10): an SVG made on the server with a text alternative; the
harmed side left, the responsible side right, supporters beside their person, every state shown
in words and not by colour alone (WCAG 1.4.1)."""

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kring.circle.drawing import LOOKS, circle_drawing
from kring.circle.models import Participant, Side, Status

SVG = "{http://www.w3.org/2000/svg}"
with translation.override("en"):  # at import no test has chosen a language yet
    STATE_WORDS = {s.value: str(s.label) for s in Status}


def person(pk, name, side, status=Status.TO_INVITE, supports=None):
    return SimpleNamespace(pk=pk, name=name, side=side, status=status, supports_id=supports)


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


def render(people, **kwargs) -> str:
    with translation.override("en"):
        return render_to_string("circle/_drawing.html", circle_drawing(people, **kwargs))


def svg_of(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*</svg>", html, re.S).group(0))  # noqa: S314 - ours


def nodes(svg: ET.Element) -> dict[str, ET.Element]:
    """The node of each person, by the full name in its tooltip."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if group.get("data-state") and title is not None:
            found[title.text.rsplit(": ", 1)[0]] = group
    return found


def texts(node: ET.Element) -> list[str]:
    return [t.text for t in node.iter(f"{SVG}text")]


def box(node: ET.Element) -> tuple[float, float]:
    x, y = re.match(r"translate\((\S+) (\S+)\)", node.get("transform")).groups()
    return float(x), float(y)


def test_every_person_appears_with_their_state_in_words_in_the_picture(circle):
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
    html = render(circle, id_prefix="circle-7")
    svg = svg_of(html)

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "circle-7-title circle-7-desc"
    assert svg.find(f"{SVG}title").get("id") == "circle-7-title"
    description = svg.find(f"{SVG}desc")
    assert description.get("id") == "circle-7-desc"
    assert description.text.startswith(
        "Harmed side: 3 people; Responsible side: 2 people; Others: 1 person."
    )
    assert "style=" not in html  # strict CSP: presentation attributes only


def test_the_harmed_side_is_left_the_responsible_side_right_supporters_below_their_person(
    circle,
):
    drawn = nodes(svg_of(render(circle)))
    sanne, daan = box(drawn["Sanne Jansen"]), box(drawn["Daan de Boer"])
    ria, joost = box(drawn["Ria Jansen"]), box(drawn["Joost de Boer"])
    kees = box(drawn["Meester Kees"])

    assert sanne[0] < daan[0]
    assert ria[0] > sanne[0] and ria[0] < daan[0] and ria[1] > sanne[1]  # indented, below
    assert joost[0] > daan[0] and joost[1] > daan[1]
    assert box(drawn["Wijkagent Bos"])[0] == ria[0]  # an "other" in Sanne's circle
    assert kees[1] > max(y for _, y in map(box, drawn.values()) if (_, y) != kees)


def test_states_differ_by_border_pattern_and_symbol_as_well_as_colour():
    # WCAG 1.4.1: take the colour away and each state still looks different (and has its word).
    shapes = {(look.dash, look.stroke_width, look.symbol) for look in LOOKS.values()}
    assert len(shapes) == len(Status)
    words = set(STATE_WORDS.values())
    assert len(words) == len(Status)

    people = [person(i, f"P{i}", Side.OTHER, status) for i, status in enumerate(Status, 1)]
    svg = svg_of(render(people))
    symbols = set()
    for node in nodes(svg).values():
        marker = next(g for g in node.iter(f"{SVG}g") if g is not node)
        symbols.add(ET.tostring(marker))
        rect = node.find(f"{SVG}rect")
        assert rect.get("stroke") == LOOKS[node.get("data-state")].stroke
    assert len(symbols) == len(Status)


def test_long_names_are_shortened_in_the_picture_but_whole_in_the_list():
    long_name = "Alexandra Wilhelmina van Oranje-Nassau tot Amsberg"
    html = render([person(1, long_name, Side.HARMED)])

    label = texts(nodes(svg_of(html))[long_name])[0]
    assert label.endswith("…") and len(label) <= 27
    assert long_name.startswith(label[:-1])
    assert f">{long_name}</th>" in html


def test_a_circle_of_forty_people_fits_in_a_taller_picture():
    people = [person(1, "Daan", Side.RESPONSIBLE), person(2, "Sanne", Side.HARMED)]
    people += [
        person(pk, f"Supporter {pk}", Side.SUPPORTER, supports=1 + pk % 2) for pk in range(3, 36)
    ]
    people += [person(pk, f"Other {pk}", Side.OTHER) for pk in range(36, 41)]
    small = svg_of(render(people[:5]))
    svg = svg_of(render(people))

    assert len(nodes(svg)) == 40
    width, height = map(float, svg.get("viewBox").split()[2:])
    assert height > float(small.get("viewBox").split()[3]) * 4
    for node in nodes(svg).values():
        x, y = box(node)
        rect = node.find(f"{SVG}rect")
        assert x >= 0 and x + float(rect.get("width")) <= width
        assert y >= 0 and y + float(rect.get("height")) <= height
    assert svg.get("width") == "100%" and svg.get("height") is None


def test_an_empty_circle_says_so():
    html = render([])

    assert "No one is in the circle yet." in svg_of(html).find(f"{SVG}desc").text
    assert "<table" not in html


def test_drawing_real_participants_runs_no_queries(
    circle_of_both, django_assert_num_queries, preparing_case
):
    people = list(Participant.objects.filter(case=preparing_case))

    with django_assert_num_queries(0):
        html = render(people)

    assert all(p.name in html for p in people)
