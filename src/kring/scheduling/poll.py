"""The date poll (R8, issue 9 point 2): every change to it, one function each (stub; filled in
by helper P2)."""

from __future__ import annotations


def open_poll(case, *, by):
    raise NotImplementedError


def add_option(meeting, *, starts_at, ends_at, venue, by):
    raise NotImplementedError


def remove_option(option, *, by):
    raise NotImplementedError


def answer(participant, option_answers, *, by):
    raise NotImplementedError


def remind_to_answer(meeting, *, by):
    raise NotImplementedError
