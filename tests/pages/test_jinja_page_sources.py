"""What a Jinja2 page template may write (ADR 0020), checked in every page template: `_()` and
`|fill` mark their result safe, so `_()` takes a text written in the template, never a value
(which could be a person's own words), and `|fill` follows such a `_()`. A value goes into a
translation only through `|fill(name=value)`, which escapes it."""

import re
from pathlib import Path

import pytest

import kring

PAGES = sorted(Path(kring.__file__).parent.glob("*/jinja2/**/*.html"))
# _( followed by anything but a string literal: _(case.next_step), _(x ~ "y"), _( name )
TRANSLATE_A_VALUE = re.compile(r"""(?<![\w.])_\(\s*(?!"[^"]*"\s*\)|'[^']*'\s*\))""")
# |fill after something other than _("...") or _('...')
FILL_ON_A_VALUE = re.compile(r"""(?<!"\))(?<!'\))\|\s*fill\b""")


def problems(source: str) -> list[str]:
    found = [f"_() of a value: {m.group(0)!r}" for m in TRANSLATE_A_VALUE.finditer(source)]
    found += [f"|fill after a value at {m.start()}" for m in FILL_ON_A_VALUE.finditer(source)]
    return found


def test_there_are_page_templates_to_check():
    assert PAGES, "no Jinja2 page templates found: the check below would pass on nothing"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}")
def test_translations_take_only_texts_written_in_the_template(path):
    assert problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "{{ _(case.next_step) }}",
        "{{ _( name ) }}",
        '{{ _("a" ~ x) }}',
        "{{ case.note|fill(n=1) }}",
        '{{ _("a")|upper|fill(n=1) }}',
    ],
)
def test_the_check_finds_a_value_where_a_text_belongs(source):
    assert problems(source)


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("My cases") }}',
        "{{ _('Next step') }}",
        '{{ _("Case %(ref)s")|fill(ref=x) }}',
        '{% set label = _("State") %}',
        "{{ gettext_(x) }}",
    ],  # fmt: skip
)
def test_the_check_passes_a_text_written_in_the_template(source):
    assert problems(source) == []
