#!/usr/bin/env python3
"""Check that every interface string has a Dutch translation, and that the committed catalogue
matches the source.

    python scripts/check_translations.py            # the check (run by `make test`)
    python scripts/check_translations.py --update   # `make messages`: extract and compile

The check fails, with a list, when
  1. src/kring/locale/nl/LC_MESSAGES/django.po is missing;
  2. a string in the source is missing from the .po, or the .po holds a string that is no
     longer in the source (run `make messages`);
  3. a string is untranslated or marked fuzzy;
  4. the .po does not compile (msgfmt --check-format: a placeholder mistyped in a translation);
  5. the committed django.mo differs from what the .po compiles to (run `make messages`).

The source strings are extracted with Django's makemessages into a temporary copy of the
package, so the check never touches the working tree. Both .po and .mo are committed, so that
running Kring needs no gettext tools; extracting and checking does (Debian: gettext).
"""

import argparse
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kring"
LANGUAGES = ["nl"]  # English is the source language.
DOMAIN = "django"
# Stable catalogues: no file:line comments, no strings that left the source.
MAKEMESSAGES_OPTIONS = [
    "--no-location",
    "--no-obsolete",
    "--ignore=tests",
    "--ignore=testing",
    "--ignore=static",
    "--ignore=__pycache__",
]


def po_path(package: Path, language: str) -> Path:
    return package / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


# --- reading a .po file -------------------------------------------------------------------------


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted string: {text!r}")
    body = text[1:-1]
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    out, i = [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), fuzzy.
    Obsolete entries (#~) are left out; the header is the entry whose msgid is ""."""
    entries: list[dict] = []
    entry: dict = {}
    field = None

    def finish():
        nonlocal entry, field
        if "msgid" in entry:
            entries.append(
                {
                    "msgctxt": entry.get("msgctxt"),
                    "msgid": entry["msgid"],
                    "msgid_plural": entry.get("msgid_plural"),
                    "msgstr": [entry[k] for k in sorted(entry) if k.startswith("msgstr")],
                    "fuzzy": entry.get("fuzzy", False),
                }
            )
        entry, field = {}, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if "msgid" in entry:  # a comment starts the next entry
                finish()
            if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
                entry["fuzzy"] = True
            continue
        if line.startswith('"'):
            entry[field] += _unquote(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in {"msgctxt", "msgid"} and "msgid" in entry:
            finish()
        if keyword.startswith("msgstr["):
            keyword = f"msgstr{int(keyword[7:-1]):03d}"
        field = keyword
        entry[field] = _unquote(rest)
    finish()
    return entries


def key(entry: dict) -> tuple:
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


def describe(entry_key: tuple) -> str:
    context, msgid, plural = entry_key
    text = msgid if len(msgid) <= 100 else msgid[:97] + "..."
    text = text.replace("\n", "\\n")
    if context:
        text = f"[{context}] {text}"
    if plural:
        text += "  (plural)"
    return text


# --- running Django's tools ---------------------------------------------------------------------


def django_admin(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    # Without settings makemessages writes only under cwd, never into the real tree.
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def need_gettext() -> None:
    missing = [tool for tool in ("xgettext", "msgmerge", "msgfmt") if not shutil.which(tool)]
    if missing:
        sys.exit(
            f"check_translations: {', '.join(missing)} not found; install GNU gettext "
            "(Debian: apt-get install gettext)."
        )


def extract(package: Path) -> None:
    (package / "locale").mkdir(exist_ok=True)
    args = ["makemessages", *(f"--locale={lang}" for lang in LANGUAGES), *MAKEMESSAGES_OPTIONS]
    result = django_admin(args, cwd=package)
    if result.returncode != 0:
        sys.exit(f"makemessages failed:\n{result.stdout}{result.stderr}")


def source_strings() -> dict[str, set[tuple]]:
    """The msgids in the source, per language, from a fresh extraction in a temporary copy."""
    with tempfile.TemporaryDirectory(prefix="kring-messages-") as tmp:
        copy = Path(tmp) / "kring"
        shutil.copytree(
            PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc")
        )
        extract(copy)
        return {
            lang: {key(e) for e in read_po(po_path(copy, lang)) if e["msgid"]} for lang in LANGUAGES
        }


def compiled_catalog(mo: Path) -> dict:
    with mo.open("rb") as fh:
        catalog = dict(gettext.GNUTranslations(fh)._catalog)
    catalog.pop("", None)  # the header carries dates
    return catalog


# --- the two modes --------------------------------------------------------------------------------


def check() -> int:
    need_gettext()
    expected = source_strings()
    problems: list[str] = []
    for lang in LANGUAGES:
        po = po_path(PACKAGE, lang)
        rel = po.relative_to(ROOT)
        if not po.exists():
            strings = sorted(expected[lang], key=describe)
            problems.append(
                f"{rel} does not exist; run `make messages`, then translate these "
                f"{len(strings)} strings:"
            )
            problems.extend(f"    {describe(k)}" for k in strings)
            continue
        entries = read_po(po)
        if any(e["fuzzy"] for e in entries if not e["msgid"]):
            # msgfmt skips a fuzzy header, and with it the plural forms.
            problems.append(f"{rel}: the header is marked fuzzy (remove the flag)")
        entries = [e for e in entries if e["msgid"]]
        present = {key(e) for e in entries}
        missing = sorted(expected[lang] - present, key=describe)
        stale = sorted(present - expected[lang], key=describe)
        untranslated = sorted(
            (key(e) for e in entries if not all(s.strip() for s in e["msgstr"] or [""])),
            key=describe,
        )
        fuzzy = sorted((key(e) for e in entries if e["fuzzy"]), key=describe)
        for title, items in (
            (f"{rel}: not in the catalogue yet (run `make messages`)", missing),
            (f"{rel}: no longer in the source (run `make messages`)", stale),
            (f"{rel}: untranslated", untranslated),
            (f"{rel}: marked fuzzy (check the translation, then remove the flag)", fuzzy),
        ):
            if items:
                problems.append(f"{title}: {len(items)}")
                problems.extend(f"    {describe(k)}" for k in items)

        mo = po.with_suffix(".mo")
        with tempfile.TemporaryDirectory(prefix="kring-mo-") as tmp:
            fresh = Path(tmp) / "django.mo"
            result = subprocess.run(
                ["msgfmt", "--check-format", "-o", str(fresh), str(po)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                problems.append(f"{rel} does not compile:\n{result.stderr}")
            elif not mo.exists():
                problems.append(f"{mo.relative_to(ROOT)} does not exist (run `make messages`)")
            elif compiled_catalog(fresh) != compiled_catalog(mo):
                problems.append(
                    f"{mo.relative_to(ROOT)} is not compiled from the current .po "
                    "(run `make messages`)"
                )
    if problems:
        print("Translations are not complete:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    counts = ", ".join(f"{lang}: {len(expected[lang])} strings" for lang in LANGUAGES)
    print(f"Translations complete ({counts}).")
    return 0


def update() -> int:
    need_gettext()
    extract(PACKAGE)
    result = django_admin(["compilemessages", "--ignore=.venv"], cwd=PACKAGE)
    if result.returncode != 0:
        sys.exit(f"compilemessages failed:\n{result.stdout}{result.stderr}")
    for lang in LANGUAGES:
        print(f"Updated {po_path(PACKAGE, lang).relative_to(ROOT)} and its .mo.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update",
        action="store_true",
        help="extract the strings into the .po files and compile them (make messages)",
    )
    return update() if parser.parse_args().update else check()


if __name__ == "__main__":
    sys.exit(main())
