"""Suggestions for a near miss: the word that was probably meant, an id that would do."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` was most likely meant to be, ignoring case; None if none is close."""
    by_lower = {choice.lower(): choice for choice in choices}
    match = get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """': did you mean 'x'?' for a near miss, or '' when nothing is close."""
    match = closest(word, choices)
    return f": did you mean '{match}'?" if match and match != word else ""


def one_of(choices: Iterable[str], conjunction: str = "or") -> str:
    """'a, b or c'."""
    names = list(choices)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def as_id(text: str) -> str:
    """`text` written as an id: small letters, digits and hyphens ('Small group work' ->
    'small-group-work')."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-id"
