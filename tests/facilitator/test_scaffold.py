"""`facilitator new`: a module or handout made from the skeleton passes the checks in English
alone, is placed in its programme without disturbing the file, and a request that cannot be
met is refused in plain words with nothing written."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.checks import check
from facilitator.cli import main
from facilitator.content import load_content
from facilitator.problems import errors
from facilitator.render import render_handout, render_module
from facilitator.scaffold import ScaffoldError, new_handout, new_module

from .conftest import snapshot
from .handbook_build import make_fixture_tree

PROGRAMME = "curriculum/programmes/peer-leadership.yaml"
Edit = Callable[[Path, str, str], None]


def added_lines(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if it removes or changes any."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [line for line in diff if line.startswith("- ")], "\n".join(diff)
    return [line[2:] for line in diff if line.startswith("+ ")]


def test_a_new_module_passes_the_checks_in_english_alone(content_tree: Path) -> None:
    programme = content_tree / PROGRAMME
    programme.write_text(
        programme.read_text("utf-8").replace("modules:\n", "modules:  # in teaching order\n"),
        "utf-8",
    )
    before = programme.read_text("utf-8")

    written = new_module(content_tree, "finding-my-voice", "peer-leadership", "we")

    folder = content_tree / "modules" / "finding-my-voice"
    assert sorted(p.name for p in folder.rglob("*")) == ["module.yaml", "notes.md"]
    assert written.created == [folder / "module.yaml", folder / "notes.md"]
    assert added_lines(before, programme.read_text("utf-8")) == ["  - finding-my-voice"]
    problems = check(content_tree)
    assert errors(problems) == []
    assert [p.message for p in problems] == [
        "expected change 'first-change' is measured by no instrument item: name one in "
        "measured_by, as instrument-id/item-id"
    ]
    content = load_content(content_tree)
    module = content.modules["finding-my-voice"]
    assert (module.programme, module.phase, module.audience) == (
        "peer-leadership",
        "we",
        "survivors",
    )
    assert sum(s.minutes for s in module.sessions) == module.duration_minutes
    assert set(module.methods) <= {m.id for m in content.curriculum.methods}
    assert "TODO" not in (folder / "module.yaml").read_text("utf-8")


def test_the_new_module_is_in_the_handbook_in_every_language(tmp_path: Path) -> None:
    root = make_fixture_tree(tmp_path / "tree")  # with the handbook's labels
    new_module(root, "finding-my-voice", "peer-leadership", "we")
    new_handout(root, "finding-my-voice", "my-voice", "My voice, my choice")
    content = load_content(root)

    english = render_module(content, "finding-my-voice", "en")
    bengali = render_module(content, "finding-my-voice", "bn")

    assert english.startswith("# Finding my voice")
    assert "fh-fallback" not in english
    assert "fh-fallback" in bengali  # shown in English, with the note that says so
    handout = render_handout(content, "finding-my-voice", "my-voice", "hi")
    assert "My voice, my choice" in handout and "fh-fallback" in handout


def test_a_spiral_module_is_placed_by_its_phase(content_tree: Path) -> None:
    new_module(content_tree, "acting-together", "peer-leadership", "us")
    new_module(content_tree, "knowing-myself", "peer-leadership", "me")
    new_module(content_tree, "growing-together", "peer-leadership", None)  # the last's: us

    order = load_content(content_tree).programmes["peer-leadership"].modules
    assert order == ["circle-of-trust", "knowing-myself", "acting-together", "growing-together"]
    new_module(content_tree, "our-group", "peer-leadership", "we")
    order = load_content(content_tree).programmes["peer-leadership"].modules
    assert order.index("our-group") == 2
    assert errors(check(content_tree)) == []


def test_a_module_of_a_programme_without_the_spiral_has_no_phase(
    content_tree: Path, edit: Edit
) -> None:
    edit(content_tree / PROGRAMME, "spiral: true", "spiral: false")

    new_module(content_tree, "open-circle", "peer-leadership", None)

    text = (content_tree / "modules" / "open-circle" / "module.yaml").read_text("utf-8")
    assert "\nphase:" not in text
    assert errors(check(content_tree)) == []


@pytest.mark.parametrize(
    ("module_id", "programme", "phase", "message"),
    [
        ("circle-of-trust", "peer-leadership", None, "there is already a module 'circle-of-trust'"),
        ("Circle_Two", "peer-leadership", None, "'Circle_Two' cannot be a module id"),
        ("circle-two", "peer-leadershp", None, "did you mean 'peer-leadership'?"),
        ("circle-two", "peer-leadership", "they", "phase 'they' is not known: choose me, we or us"),
    ],
)
def test_a_module_request_that_cannot_be_met_is_refused(
    content_tree: Path, module_id: str, programme: str, phase: str | None, message: str
) -> None:
    before = snapshot(content_tree)
    with pytest.raises(ScaffoldError, match=message):
        new_module(content_tree, module_id, programme, phase)
    assert snapshot(content_tree) == before


def test_a_phase_for_a_programme_without_the_spiral_is_refused(
    content_tree: Path, edit: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(content_tree / PROGRAMME, "spiral: true", "spiral: false")
    before = snapshot(content_tree)

    command = ["new", "module", "open-circle", "--programme", "peer-leadership", "--phase", "us"]
    status = main([*command, "--root", str(content_tree)])

    assert status == 1
    assert capsys.readouterr().err == (
        "error: programme 'peer-leadership' does not follow the Me-We-Us spiral, so its "
        "modules have no phase: leave out --phase\n"
    )
    assert snapshot(content_tree) == before


def test_the_command_says_what_it_wrote(
    content_tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["new", "module", "my-voice", "--programme", "peer-leadership"]
    status = main([*command, "--root", str(content_tree)])

    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[:3] == [
        "created modules/my-voice/module.yaml",
        "created modules/my-voice/notes.md",
        f"changed {PROGRAMME}",
    ]


def test_a_new_handout_is_written_and_listed(content_tree: Path) -> None:
    module_yaml = content_tree / "modules" / "circle-of-trust" / "module.yaml"
    before = module_yaml.read_text("utf-8")

    new_handout(content_tree, "circle-of-trust", "my-circle", "My circle, my rules")

    assert added_lines(before, module_yaml.read_text("utf-8")) == [
        "  - {id: my-circle, title: 'My circle, my rules', file: handouts/my-circle.md}"
    ]
    handout = content_tree / "modules" / "circle-of-trust" / "handouts" / "my-circle.md"
    assert handout.read_text("utf-8").startswith("# My circle, my rules\n")
    assert check(content_tree) == []


def test_a_handout_for_a_new_module_gets_a_handouts_list(content_tree: Path) -> None:
    new_module(content_tree, "my-voice", "peer-leadership", None)

    new_handout(content_tree, "my-voice", "voice-card", None)

    module = load_content(content_tree).modules["my-voice"]
    assert [(h.id, h.title, h.file) for h in module.handouts] == [
        ("voice-card", "Voice card", "handouts/voice-card.md")
    ]


@pytest.mark.parametrize(
    ("module_id", "handout_id", "message"),
    [
        ("circle-of-trst", "card", "there is no module 'circle-of-trst'.*did you mean"),
        ("circle-of-trust", "strength-card", "already has a handout 'strength-card'"),
        ("circle-of-trust", "My Card", "'My Card' cannot be a handout id"),
    ],
)
def test_a_handout_request_that_cannot_be_met_is_refused(
    content_tree: Path, module_id: str, handout_id: str, message: str
) -> None:
    before = snapshot(content_tree)
    with pytest.raises(ScaffoldError, match=message):
        new_handout(content_tree, module_id, handout_id, None)
    assert snapshot(content_tree) == before
