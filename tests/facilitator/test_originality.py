"""Our own words: no run of 12 or more words of the handbook's English content (modules/,
curriculum/, site/) is copied from the reference documents in ../shared/reference/.

Facts may come from the references; sentences may not. Words are compared in lower case with
punctuation dropped, and every 12-word window of the references is hashed once, so the whole
content is checked in well under a second.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from .conftest import REPO

RUN = 12  # words: shorter runs are names, titles and common phrases
REFERENCE = REPO.parent / "shared" / "reference"
CONTENT_DIRS = ("modules", "curriculum", "site")
SUFFIXES = {".md", ".yaml", ".yml"}


def words(text: str) -> list[str]:
    """Lower-case words, with ligatures (ﬁ) unfolded and punctuation dropped."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", folded)


def shingles(tokens: list[str]) -> set[int]:
    return {hash(tuple(tokens[i : i + RUN])) for i in range(len(tokens) - RUN + 1)}


def shared_runs(tokens: list[str], known: set[int]) -> list[str]:
    """Each longest run of `RUN` or more words of `tokens` that `known` also holds."""
    hits = [hash(tuple(tokens[i : i + RUN])) in known for i in range(len(tokens) - RUN + 1)]
    runs, start = [], None
    for i, hit in enumerate([*hits, False]):
        if hit and start is None:
            start = i
        elif not hit and start is not None:
            runs.append(" ".join(tokens[start : i - 1 + RUN]))
            start = None
    return runs


def english_files(root: Path, translated: set[str]) -> Iterable[Path]:
    for folder in CONTENT_DIRS:
        for path in sorted((root / folder).rglob("*")):
            parts = path.name.split(".")
            if path.suffix in SUFFIXES and not (len(parts) > 2 and parts[-2] in translated):
                yield path


def translated_languages(root: Path) -> set[str]:
    curriculum = yaml.safe_load((root / "curriculum" / "curriculum.yaml").read_text("utf-8"))
    return {lang["code"] for lang in curriculum["languages"] if not lang.get("default")}


def test_a_copied_run_is_found_whatever_its_case_and_punctuation() -> None:
    source = words("Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi.")
    known = shingles(source)
    copied = words(
        "We wrote: ALPHA, beta; gamma delta epsilon zeta eta theta iota kappa lambda mu!"
    )
    assert shared_runs(copied, known) == [" ".join(source[:12])]
    eleven = words("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda - and more")
    assert shared_runs(eleven, known) == []


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference documents are not here")
def test_no_english_content_repeats_the_references_word_for_word() -> None:
    known: set[int] = set()
    for document in sorted(REFERENCE.glob("*.txt")):
        known |= shingles(words(document.read_text("utf-8", errors="replace")))
    copied = [
        f"{path.relative_to(REPO)}: {run}"
        for path in english_files(REPO, translated_languages(REPO))
        for run in shared_runs(words(path.read_text("utf-8")), known)
    ]
    assert copied == [], "reword these runs in your own words:\n" + "\n".join(copied)
