"""No rule number reaches a reader (issue 8, point 6): the rules R1-R18 of docs/rules.md stay
in code comments, docstrings, tests and docs, never in a page, an e-mail or a letter.

Checked over
- every template under src/kring (html and txt: pages, e-mails and letters alike), and
- every message in the Dutch catalogue, its English msgid (every string wrapped for
  translation in Python or in a template) and its Dutch msgstr, plural forms included.

A rule number is "(R" followed by a digit, or "R" with one or two digits standing as a word
("the rules R3, R4 and R9", "R18").

Template comments may keep rule numbers: Django drops `{# ... #}` (one line only) and
`{% comment %} ... {% endcomment %}` when it renders, so no reader sees them. Everything else
is checked, HTML comments `<!-- -->` too (they reach the browser), and a `{#` that spans lines
(Django renders that as text)."""

import importlib.util
import re
from pathlib import Path

import kring

ROOT = Path(kring.__file__).parent
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
CHECK_TRANSLATIONS = ROOT.parent.parent / "scripts" / "check_translations.py"

RULE_NUMBER = (re.compile(r"\(R\d"), re.compile(r"\bR\d{1,2}\b"))
# What Django leaves out when it renders: a {# #} comment on one line, a {% comment %} block.
ONE_LINE_COMMENT = re.compile(r"{#[^\n]*?#}")
BLOCK_COMMENT = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.S)


def without_comments(template: str) -> str:
    """The template as its reader may see it: without the comments Django never renders."""
    return ONE_LINE_COMMENT.sub("", BLOCK_COMMENT.sub("", template))


def rule_numbers(text: str) -> list[str]:
    """Every rule number in `text`, as found."""
    return [match.group() for pattern in RULE_NUMBER for match in pattern.finditer(text)]


def _read_po():
    spec = importlib.util.spec_from_file_location("check_translations", CHECK_TRANSLATIONS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.read_po(PO)


def _templates() -> list[Path]:
    return sorted(
        path
        for suffix in ("*.html", "*.txt")
        for path in ROOT.rglob(suffix)
        if "templates" in path.relative_to(ROOT).parts
    )


# --- the check itself can fail ------------------------------------------------------------------


def test_a_rule_number_is_found_in_its_every_form():
    assert rule_numbers("Acknowledgment (R3)") == ["(R3", "R3"]
    assert rule_numbers("Erkenning (R3, R4)") == ["(R3", "R3", "R4"]
    assert rule_numbers("the rules R3, R4, R7 and R9 are met") == ["R3", "R4", "R7", "R9"]
    assert rule_numbers("Only the coordinator sees this (R18).") == ["(R1", "R18"]
    assert rule_numbers("aan de regels R17 is voldaan") == ["R17"]


def test_words_and_codes_that_only_look_like_one_are_not_rule_numbers():
    assert rule_numbers("Acknowledgment") == []
    assert rule_numbers("Room R2D2, case K-R2AB-7KQ9, postcode 8011 RA") == []
    assert rule_numbers("R123 and XR5") == []


def test_only_the_comments_django_never_renders_may_keep_a_rule_number():
    template = (
        "{# Office and manager: names and states only (R18). #}\n"
        "{% comment %}The order of the method, R3 and R4.{% endcomment %}\n"
        '{% comment "why" %}\nR9: voluntary\n{% endcomment %}\n'
        "<p>{% translate 'Consent' %}</p>\n"
    )
    assert rule_numbers(without_comments(template)) == []
    assert rule_numbers(without_comments("<!-- R7 --><p>Risk</p>")) == ["R7"]
    assert rule_numbers(without_comments("{# a comment\n over two lines, R5 #}")) == ["R5"]
    assert rule_numbers(without_comments("<h2>{% translate 'Consent (R9)' %}</h2>")) == [
        "(R9",
        "R9",
    ]


# --- the templates and the catalogue --------------------------------------------------------------


def test_no_template_shows_a_rule_number():
    templates = _templates()
    assert len(templates) > 50  # the templates were found at all
    found = {
        str(path.relative_to(ROOT)): numbers
        for path in templates
        if (numbers := rule_numbers(without_comments(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_no_message_in_the_catalogue_holds_a_rule_number():
    entries = _read_po()
    assert len(entries) > 500  # the catalogue was read at all
    found = [
        text
        for entry in entries
        for text in (entry["msgid"], entry["msgid_plural"] or "", *entry["msgstr"])
        if rule_numbers(text)
    ]
    assert found == []
