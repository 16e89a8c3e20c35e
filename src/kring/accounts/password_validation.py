"""Kring's password validators (issue 14, point 4; settings.AUTH_PASSWORD_VALIDATORS).

Django's validators check the whole password: "carla12345" is not on its list of common
passwords, and not similar enough to "Carla" for UserAttributeSimilarityValidator. These two
look at what a password is built on: its letters, without case, accents, digits, punctuation
and spaces ("Zomer2024!" is "zomer"), read also with digits as letters ("w@chtw00rd" is
"wachtwoord"), and a word repeated ("welkomwelkom") as the word once.

- `KnownPasswordValidator`: not on Django's list of 20,000 common passwords nor on Kring's
  Dutch supplement (`data/common-passwords-nl.txt`), both shipped with the code: no outside
  service is asked.
- `NamePasswordValidator`: not built mostly on the user's first or last name, username or the
  name part of their e-mail address.
- `PatternPasswordValidator`: not digits only, not fewer than five different characters, not
  one piece repeated over the whole password, not mostly rows of keys or runs of letters or
  digits ("qwertyuiopas", "azertyuiop", "123456789012", "abcdefghijkl", also backwards).

No composition rules (NIST SP 800-63B): a sentence of a few words passes.
"""

import unicodedata
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DUTCH_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-nl.txt"

# Digits and signs people use for letters, read so next to a letter ("w@chtw00rd", but not the
# year in "zomer2024"). "1" is read both as "i" and as "l".
_AS_LETTERS = [
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"},
    {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"},
]
# A name part shorter than this ("de", "van") is not compared on its own.
MIN_NAME_PART = 3
# What must remain of a password once the name is taken out: at least this many letters, and
# more letters than the name took.
MIN_LETTERS_LEFT = 4


def letters(text: str) -> str:
    """The letters of `text`, lower case, without accents: "Zoë de Boer-2024!" is "zoedeboer"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))


def readings(password: str) -> set[str]:
    """The letter forms a password is built on: as typed, and with digits read as letters."""
    forms = {letters(password)} | {letters(_as_letters(password, table)) for table in _AS_LETTERS}
    return {form for form in forms if form}


def _as_letters(password: str, table: dict[str, str]) -> str:
    chars = list(password)
    read = []
    for i, char in enumerate(chars):
        beside = chars[max(i - 1, 0) : i] + chars[i + 1 : i + 2]
        next_to_letter = any(other.isalpha() for other in beside)
        read.append(table[char] if char in table and next_to_letter else char)
    return "".join(read)


def repeated_unit(word: str) -> str:
    """The shortest piece that `word` repeats: "welkomwelkom" is "welkom"."""
    for size in range(1, len(word) // 2 + 1):
        if len(word) % size == 0 and word[:size] * (len(word) // size) == word:
            return word[:size]
    return word


class KnownPasswordValidator(CommonPasswordValidator):
    """Refuses a password on Django's list of common passwords (the 20,000 most common
    passwords of breached password lists, by Royce Williams) or on Kring's Dutch supplement,
    also with digits, punctuation or a repeat added ("Welkom01!", "zomer2024zomer")."""

    def __init__(
        self, password_list_path: Any = CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH
    ) -> None:
        super().__init__(password_list_path)
        with DUTCH_LIST.open(encoding="utf-8") as lines:
            dutch = {letters(line) for line in lines if not line.startswith("#")}
        self.passwords = self.passwords | (dutch - {""})

    def validate(self, password: str, user: Any = None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")
        for form in readings(password):
            if form in self.passwords or repeated_unit(form) in self.passwords:
                raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _(
            "This password is on a list of passwords that are used often or have been leaked. "
            "Choose another one, such as a sentence of a few words."
        )


def name_parts(user: Any) -> set[str]:
    """The parts of the user's names that a password must not be built on: each word of the
    first and last name, the names joined ("deboer", "carladeboer"), the username, and the
    name part of the e-mail addresses ("carla.deboer")."""
    first = getattr(user, "first_name", "") or ""
    last = getattr(user, "last_name", "") or ""
    texts = [first, last, f"{first} {last}", getattr(user, "username", "") or ""]
    for field in ("email", "work_email"):
        address = getattr(user, field, "") or ""
        texts.append(address.rpartition("@")[0] if "@" in address else address)
    parts: set[str] = set()
    for text in texts:
        parts.add(letters(text))
        plain = unicodedata.normalize("NFKD", text.casefold())
        parts.update(
            letters(word) for word in "".join(c if c.isalpha() else " " for c in plain).split()
        )
    return {part for part in parts if len(part) >= MIN_NAME_PART}


def _without(word: str, parts: list[str]) -> str:
    """`word` with every occurrence of the parts taken out (longest first, until none is left)."""
    rest = word
    while True:
        before = rest
        for part in parts:
            rest = rest.replace(part, "")
        if rest == before:
            return rest


class NamePasswordValidator:
    """Refuses a password whose letters are mostly the user's name, username or e-mail name,
    forwards or backwards, once or repeated: "carla12345", "carlacarla1" and "deboer2024!" for
    Carla de Boer. A name inside a sentence ("carla drinkt graag thee") passes."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        parts = sorted(name_parts(user), key=len, reverse=True)
        if not parts:
            return
        for form in readings(password):
            for word in (form, form[::-1]):
                rest = _without(word, parts)
                taken = len(word) - len(rest)
                if taken and (len(rest) < MIN_LETTERS_LEFT or taken >= len(rest)):
                    raise ValidationError(self.get_error_message(), code="password_like_name")

    def get_error_message(self) -> str:
        return _(
            "This password looks like your name, username or e-mail address. Choose a "
            "password that does not look like your name, such as a sentence of a few words."
        )

    def get_help_text(self) -> str:
        return _("Your password cannot be built on your name, username or e-mail address.")


# Rows of keys (QWERTY and AZERTY, each also on into the next row), the alphabet and the digits:
# a step from one character to its neighbour, forwards or backwards, continues a run.
_SEQUENCES = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "qwertyuiopasdfghjklzxcvbnm",
    "&é\"'(§è!çà)-",
    "azertyuiop^$",
    "qsdfghjklmù",
    "wxcvbn,;:=",
    "azertyuiopqsdfghjklmwxcvbn",
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
)
_STEPS = frozenset(
    pair
    for sequence in _SEQUENCES
    for a, b in zip(sequence, sequence[1:], strict=False)
    for pair in ((a, b), (b, a))
)
# Fewer different characters than this is refused ("ababababababab", "!!!!!!!!!!!!").
MIN_DISTINCT = 5
# A run of at least this many neighbouring keys or letters is a pattern; when such runs make up
# at least half of the password (spaces not counted), it is refused.
MIN_RUN = 4


def _in_runs(text: str) -> int:
    """How many characters of `text` are in runs of at least MIN_RUN neighbours."""
    covered, run = 0, 1
    for a, b in zip(text, text[1:], strict=False):
        if (a, b) in _STEPS:
            run += 1
            continue
        covered += run if run >= MIN_RUN else 0
        run = 1
    return covered + (run if run >= MIN_RUN else 0)


def simple_pattern(password: str) -> bool:
    """Is the password a pattern that is guessed early: digits only, few different characters,
    one piece repeated, or mostly rows of keys and runs of letters or digits?"""
    text = password.casefold()
    compact = "".join(text.split())
    if not compact:
        return True
    return (
        compact.isdigit()
        or len(set(compact)) < MIN_DISTINCT
        or repeated_unit(text) != text
        or 2 * _in_runs(compact) >= len(compact)
    )


class PatternPasswordValidator:
    """Refuses digits only ("123456789012"), rows of keys ("qwertyuiopas"), runs of letters
    ("abcdefghijkl"), one piece repeated ("abcdefabcdef") and fewer than five different
    characters ("ababababababab", "!!!!!!!!!!!!"): long, but among the first guesses."""

    def validate(self, password: str, user: Any = None) -> None:
        if simple_pattern(password):
            raise ValidationError(self.get_error_message(), code="password_too_simple")

    def get_error_message(self) -> str:
        return _(
            "This password is easy to guess: only digits, a few different characters, a "
            "repeat or a row of keys. Choose another one, such as a sentence of a few words."
        )

    def get_help_text(self) -> str:
        return _("Your password cannot be only digits, a repeat or a row of keys.")
