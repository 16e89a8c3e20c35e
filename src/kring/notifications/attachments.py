"""Attachments whose bytes are fetched when a mail is sent, not stored with it (issue 11,
point 4): a later app registers a loader for a kind of file from its `AppConfig.ready()`, and a
mail refers to a file by that name and an id (`kring.notifications.mail.Attachment(...,
source=("signed-document", 12))`). The outbox row then holds only the name and the id, so a
large file (a sealed PDF) is not copied into every mail that carries it.

- `add_source(name, fn)`: `fn(key)` returns the file's bytes, or None when it is gone.
- `load(name, key)`: the bytes; raises `Unavailable` when no loader or no file answers.

The registry holds functions only, filled once at start-up."""

from __future__ import annotations

from collections.abc import Callable

Loader = Callable[[int], "bytes | None"]

_sources: dict[str, Loader] = {}


class Unavailable(Exception):
    """The file an attachment refers to cannot be had (no loader, or the file is gone)."""


def add_source(name: str, fn: Loader) -> None:
    _sources[name] = fn


def load(name: str, key: int) -> bytes:
    fn = _sources.get(name)
    data = fn(key) if fn is not None else None
    if data is None:
        raise Unavailable(f"{name} {key}")
    return data
