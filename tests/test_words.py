"""One word per thing (issue 8, point 6): the Dutch interface uses the words of the glossary in
docs/rules.md ("Words"), and never the words of its last column, "not": internal words
("portaal", "informatieversie", "internetadres"), stigmatising ones ("dader", "slachtoffer") and
second words for the same thing ("benadeelde", "teruggetrokken", "bijeenkomst").

The forbidden words are read from the glossary itself, so that the table stays the one place
where a word is chosen. Checked over every Dutch translation (msgstr, plural forms included),
as whole words and at the start of compounds ("deelnemersportaal", "terugtrekking")."""

import importlib.util
import re
from pathlib import Path

import kring

ROOT = Path(kring.__file__).parent
REPO = ROOT.parent.parent
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
RULES = REPO / "docs" / "rules.md"
CHECK_TRANSLATIONS = REPO / "scripts" / "check_translations.py"


def forbidden_words(markdown: str) -> list[str]:
    """The words of the "not" column of the glossary table under "## Words"."""
    section = markdown.split("\n## Words", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    column = header.index("not")
    words: list[str] = []
    for row in rows[2:]:  # past the header and its |---| line
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        words += [word.strip().lower() for word in cells[column].split(",") if word.strip()]
    return words


def _pattern(words: list[str]) -> re.Pattern[str]:
    # A word on its own or as the end of a compound ("deelnemersportaal"), and the same word
    # at the start of a longer form ("terugtrekking", "slachtoffers").
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![a-zà-ÿ-])(?:\w*?)(?:{alternatives})\w*", re.IGNORECASE)


def offending(texts: list[str], words: list[str]) -> list[str]:
    pattern = _pattern(words)
    return [text for text in texts if pattern.search(text)]


def _translations() -> list[str]:
    spec = importlib.util.spec_from_file_location("check_translations", CHECK_TRANSLATIONS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    texts: list[str] = []
    for entry in module.read_po(PO):
        if entry["msgid"]:
            texts += [text for text in entry["msgstr"] if text]
    return texts


def test_the_glossary_names_words_that_are_not_used():
    words = forbidden_words(RULES.read_text(encoding="utf-8"))
    for word in ("benadeelde", "slachtoffer", "teruggetrokken", "portaal", "internetadres"):
        assert word in words


def test_the_check_can_fail():
    words = ["benadeelde", "portaal", "terugtrekken"]
    texts = [
        "De kant van de benadeelde",
        "Het deelnemersportaal",
        "Bevestig de terugtrekking.",  # no: "terugtrekking" is not "terugtrekken"
        "Je doet niet meer mee.",
    ]
    assert offending(texts, words) == ["De kant van de benadeelde", "Het deelnemersportaal"]


def test_no_dutch_text_uses_a_word_the_glossary_rules_out():
    words = forbidden_words(RULES.read_text(encoding="utf-8"))
    found = offending(_translations(), words)
    assert found == [], "\n".join(found)
