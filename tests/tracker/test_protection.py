"""The joint protection itself, on many random sets of cohorts (no database): after
`protect`, the interval audit finds no requirement broken, in one release and across two."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from facilitator.content import load_content
from tracker.summaries import publish
from tracker.summaries.nearby import Nearby
from tracker.summaries.protection import Ledger, audit, protect
from tracker.summaries.releases import scope_sections, scope_specs
from tracker.summaries.scopes import CohortInfo, PartRef
from tracker.summaries.tables import untranslated

CONTENT = Path(__file__).parent / "content"
CASES = 120  # random worlds of cohorts, each protected and audited twice (well under a second)


@pytest.fixture(scope="module")
def loaded() -> object:
    return load_content(CONTENT)


def random_parts(rng: random.Random, size: int) -> dict[str, object]:
    """Attendance and a tally, as a cohort of `size` people might give them."""
    held = rng.randint(1, 3)
    attended = [rng.randint(0, held) for _ in range(size)]
    bands = [0, 0, 0, 0]
    for times in attended:
        rate = times / held
        bands[max(i for i, low in enumerate((0, 0.25, 0.5, 0.75)) if rate >= low)] += 1
    sessions = [
        [s + 1, "leaders-me", f"2025-01-0{s + 1}", sum(1 for t in attended if t > s)]
        for s in range(held)
    ]
    respondents = rng.randint(0, size)
    names = ("communication", "resilience", "connection", "protest", "inner-peace")
    options = dict.fromkeys(names, 0)
    for _ in range(respondents):  # each chooses one to three, some more popular
        for option in rng.sample(names[: rng.randint(3, 5)], rng.randint(1, 3)):
            options[option] += 1
    return {
        "attendance": {
            "enrolled": size,
            "held": held,
            "sessions": sessions,
            "bands": bands,
            "completed": bands[3],
        },
        "form:useful-skills": {"respondents": respondents, "options": options},
    }


def world(
    rng: random.Random, version: int, parts: dict[int, dict[str, PartRef]] | None = None
) -> tuple[dict[int, CohortInfo], dict[int, dict[str, PartRef]]]:
    """Cohorts in two organisations; after a first release (parts given), every cohort is
    still there (a release keeps a deleted cohort's counts), changed or not, and new
    cohorts may join."""
    cohorts: dict[int, CohortInfo] = {}
    found: dict[int, dict[str, PartRef]] = {}
    count = rng.randint(2, 5) if parts is None else len(parts) + rng.randint(0, 2)
    for cid in range(1, count + 1):
        cohorts[cid] = CohortInfo(cid, f"C{cid}", 1 + cid % 2, "leaders", "2025-01-06")
        if parts is not None and cid in parts and rng.random() < 0.5:
            found[cid] = parts[cid]  # unchanged since the last release: the same atoms
        else:
            data = random_parts(rng, rng.choice((2, 3, 4, 6, 8, 12)))
            found[cid] = {key: (version, value) for key, value in data.items()}
    return cohorts, found


def ledger_of(
    loaded: object,
    cohorts: dict[int, CohortInfo],
    parts: dict[int, dict[str, PartRef]],
    ledger: Ledger,
    *,
    new: bool,
) -> dict[publish.Position, object]:
    positions: dict[publish.Position, object] = {}
    scratch = ledger if new else Ledger()
    for spec in scope_specs(cohorts, {1: "A", 2: "B"}, loaded):
        for section in scope_sections(spec, cohorts, parts, loaded, untranslated, 0.75):
            publish.add_table(
                scratch, f"{spec.kind}:{spec.key}", section.key, section.table, positions
            )  # type: ignore[arg-type]
    for cid, by_key in parts.items():
        for key, ref in by_key.items():
            ledger.relations += publish.relations(cid, key, ref, loaded, 0.75)
    return positions


@pytest.mark.parametrize("seed", range(CASES))
def test_protection_leaves_nothing_to_deduce(loaded: object, seed: int) -> None:
    rng = random.Random(seed)
    cohorts, parts = world(rng, 1)
    first = Ledger()
    before = ledger_of(loaded, cohorts, parts, first, new=True)
    protect(first)
    assert audit(first) == []
    # A second release: some cohorts changed, some did not; the first is public for good.
    cohorts2, parts2 = world(rng, 2, parts)
    second = Ledger()
    now = ledger_of(loaded, cohorts2, parts2, second, new=True)
    publish.add_history(second, ((k.figure, k.status, k.label) for k in first.known.values()))
    ledger_of(loaded, cohorts, parts, second, new=False)  # the first release's relations
    publish.add_differences(second, before, now, {})  # type: ignore[arg-type]
    protect(second)
    assert audit(second) == []


@pytest.mark.parametrize("seed", range(8))
def test_the_shortcuts_change_nothing_in_a_release(
    loaded: object, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`nearby` settles most checks on a small LP around the figure; it may only answer what
    the whole block's LP would, so protecting with and without it hides the same cells."""
    settled: list[bool] = []
    settle = Nearby.settle

    def counting(self: Nearby, *args: Any) -> Any:
        verdict, point = settle(self, *args)
        if verdict is not None:
            settled.append(verdict)
        return verdict, point

    def protected(shortcuts: bool) -> dict[object, object]:
        rng = random.Random(seed)
        cohorts, parts = world(rng, 1)
        for cid in range(len(cohorts) + 1, len(cohorts) + 5):  # a bigger world: more blocks
            cohorts[cid] = CohortInfo(cid, f"C{cid}", 1 + cid % 2, "leaders", "2025-01-06")
            data = random_parts(rng, rng.choice((2, 3, 4, 6, 8, 12)))
            parts[cid] = {key: (1, value) for key, value in data.items()}
        ledger = Ledger()
        ledger_of(loaded, cohorts, parts, ledger, new=True)
        with monkeypatch.context() as patched:
            if shortcuts:
                patched.setattr(Nearby, "settle", counting)
            else:
                patched.setattr(Nearby, "settle", lambda *args: (None, None))
            protect(ledger)
            assert audit(ledger) == []
        return {terms: (entry.status, entry.label) for terms, entry in ledger.known.items()}

    assert protected(True) == protected(False)
    assert True in settled and False in settled  # both shortcuts did answer
