"""`facilitator check`: every kind of bad input names the file, line and field; nothing is
written; every problem is reported in one run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.checks import check
from facilitator.cli import main
from facilitator.content import load_content
from facilitator.problems import ContentError

from .conftest import snapshot

MODULE = "modules/circle-of-trust/module.yaml"
PROGRAMME = "curriculum/programmes/peer-leadership.yaml"
CURRICULUM = "curriculum/curriculum.yaml"
INSTRUMENT = "curriculum/instruments/self-check.yaml"
FORM = "curriculum/evaluation_forms/useful-skills.yaml"
EXACT = "shows every count exactly: allowed only where sensitive is false"

Edit = Callable[[Path, str, str], None]


def lines_of(root: Path, rel: str, needle: str) -> int:
    """The 1-based line of the first line in the file containing `needle`."""
    for number, line in enumerate((root / rel).read_text("utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


def test_the_example_tree_is_clean(content_tree: Path) -> None:
    assert check(content_tree) == []
    content = load_content(content_tree)
    assert list(content.modules) == ["circle-of-trust"]


# Each case: (file to edit, old text, new text, file expected in the problem, text on the
# line the problem must name, field expected, words expected in the message).
CASES = [
    pytest.param(
        MODULE,
        "minutes: 55",
        "minutes: fifty",
        MODULE,
        "minutes: fifty",
        "sessions[2].minutes",
        "minutes must be a whole number, like 35",
        id="schema-type",
    ),
    pytest.param(
        MODULE,
        "phase: me",
        "phase: me\ncolour: blue",
        MODULE,
        "colour: blue",
        "colour",
        "field 'colour' is not known here",
        id="schema-unknown-field",
    ),
    pytest.param(
        PROGRAMME,
        "  - circle-of-trust",
        "  - circle-of-trust\n  - no-such-module",
        PROGRAMME,
        "no-such-module",
        "modules[1]",
        "there is no module 'no-such-module'",
        id="programme-names-missing-module",
    ),
    pytest.param(
        MODULE,
        "method: art",
        "method: interpretive-dance",
        MODULE,
        "method: interpretive-dance",
        "sessions[2].method",
        "'interpretive-dance' is not one of the methods in curriculum/curriculum.yaml",
        id="method-not-in-vocabulary",
    ),
    pytest.param(
        MODULE,
        "file: handouts/strength-card.md",
        "file: handouts/gone.md",
        MODULE,
        "file: handouts/gone.md",
        "handouts[0].file",
        "there is no file modules/circle-of-trust/handouts/gone.md",
        id="handout-file-missing",
    ),
    pytest.param(
        MODULE,
        "instruments: [self-check]",
        "instruments: [self-check, mystery]",
        MODULE,
        "instruments: [self-check, mystery]",
        "instruments[1]",
        "'mystery' is not one of the instruments",
        id="unknown-instrument",
    ),
    pytest.param(
        MODULE,
        "duration_minutes: 90",
        "duration_minutes: 120",
        MODULE,
        "duration_minutes: 120",
        "duration_minutes",
        "add up to 90",
        id="minutes-do-not-add-up",
    ),
    pytest.param(
        MODULE,
        "  - id: tea",
        "  - id: arrive  # the second",
        MODULE,
        "the second",
        "sessions[1].id",
        "session id 'arrive' is used twice",
        id="duplicate-session-id",
    ),
    pytest.param(
        "modules/circle-of-trust/notes.md",
        "(handouts/strength-card.md)",
        "(handouts/nowhere.md)",
        "modules/circle-of-trust/notes.md",
        "handouts/nowhere.md",
        "link",
        "goes nowhere",
        id="markdown-link-nowhere",
    ),
    pytest.param(
        "site/index.md",
        "(programmes/peer-leadership.md)",
        "(programmes/gone.md)",
        "site/index.md",
        "programmes/gone.md",
        "link",
        "goes nowhere",
        id="site-link-nowhere",
    ),
    pytest.param(
        MODULE,
        "measured_by: [self-check/speak-up]",
        "measured_by: [self-check/sing-loud]",
        MODULE,
        "self-check/sing-loud",
        "expected_changes[0].measured_by[0]",
        "no item 'sing-loud'",
        id="unknown-instrument-item",
    ),
    pytest.param(
        MODULE,
        "summary: The group",
        "summary: [The group",
        MODULE,
        "summary: [The group",
        "",
        "a one-line list in [ ] (or group in { }) must close on the same line",
        id="yaml-syntax",
    ),
    pytest.param(
        "modules/circle-of-trust/module.bn.yaml",
        "  - প্রত্যেকে নিজের একটি শক্তির কথা বলা।\n",
        "",
        "modules/circle-of-trust/module.bn.yaml",
        "objectives:",
        "objectives",
        "has 1 items, the English has 2",
        id="translation-list-length",
    ),
    pytest.param(
        FORM,
        "  sensitive: false\n",
        "",
        FORM,
        "threshold: 1",
        "disclosure.threshold",
        f"threshold 1 {EXACT} (a rule is sensitive unless it says sensitive: false)",
        id="disclosure-exact-counts-while-sensitive",
    ),
    pytest.param(
        CURRICULUM,
        "  threshold: 5",
        "  threshold: 0",
        CURRICULUM,
        "threshold: 0",
        "disclosure.threshold",
        f"threshold 0 {EXACT}",
        id="disclosure-threshold-0-while-sensitive",
    ),
    pytest.param(
        INSTRUMENT,
        "  threshold: 5\n  min_respondents: 5",
        "  threshold: 2\n  min_respondents: 5",
        INSTRUMENT,
        "  threshold: 2",
        "disclosure.threshold",
        "threshold 2 would show counts of 2: a sensitive rule needs a threshold of 3 or more",
        id="disclosure-sensitive-threshold-below-3",
    ),
    pytest.param(
        INSTRUMENT,
        "  min_respondents: 5\n",
        "  min_respondents: 3\n",
        INSTRUMENT,
        "  min_respondents: 3",
        "disclosure.min_respondents",
        "min_respondents 3 is below the threshold 5: give 0 (no minimum) or at least 5",
        id="disclosure-min-respondents-below-threshold",
    ),
    pytest.param(
        INSTRUMENT,
        "      threshold: 5",
        "      threshold: 4",
        INSTRUMENT,
        "    disclosure:",
        "items[1].disclosure",
        "an item cannot loosen its instrument's protection: its threshold 4 is below the "
        "instrument's 5",
        id="disclosure-item-lowers-threshold",
    ),
    pytest.param(
        INSTRUMENT,
        "      sensitive: true",
        "      sensitive: false",
        INSTRUMENT,
        "    disclosure:",
        "items[1].disclosure",
        "an item cannot loosen its instrument's protection: it says sensitive: false where "
        "the instrument's rule is sensitive",
        id="disclosure-item-not-sensitive",
    ),
]


@pytest.mark.parametrize(("rel", "old", "new", "where", "line_text", "field", "words"), CASES)
def test_bad_input_is_named_and_nothing_written(
    content_tree: Path,
    edit: Edit,
    capsys: pytest.CaptureFixture[str],
    rel: str,
    old: str,
    new: str,
    where: str,
    line_text: str,
    field: str,
    words: str,
) -> None:
    edit(content_tree / rel, old, new)
    before = snapshot(content_tree)

    status = main(["check", "--root", str(content_tree)])

    out = capsys.readouterr().out
    assert status == 1
    expected_line = lines_of(content_tree, where, line_text)
    matching = [
        line
        for line in out.splitlines()
        if line.startswith(f"{where}:{expected_line}:") and words in line
    ]
    assert matching, f"no problem naming {where}:{expected_line} with {words!r} in:\n{out}"
    if field:
        assert f"[{field}]" in matching[0]
    assert snapshot(content_tree) == before, "check must not write anything"


def test_every_problem_is_reported_in_one_run(content_tree: Path, edit: Edit) -> None:
    module = content_tree / MODULE
    edit(module, "method: art", "method: interpretive-dance")
    edit(module, "duration_minutes: 90", "duration_minutes: 120")
    edit(module, "file: handouts/strength-card.md", "file: handouts/gone.md")
    edit(content_tree / PROGRAMME, "  - circle-of-trust", "  - circle-of-trust\n  - ghost")

    problems = check(content_tree)

    messages = " | ".join(p.message for p in problems)
    for words in (
        "not one of the methods",
        "add up to 90",
        "there is no file",
        "no module 'ghost'",
    ):
        assert words in messages


def test_load_content_raises_with_every_error(content_tree: Path, edit: Edit) -> None:
    edit(content_tree / MODULE, "method: art", "method: juggling")
    edit(content_tree / MODULE, "duration_minutes: 90", "duration_minutes: 91")
    with pytest.raises(ContentError) as raised:
        load_content(content_tree)
    assert len(raised.value.problems) == 2
    assert "juggling" in str(raised.value)


def test_spiral_order_is_data(content_tree: Path, edit: Edit) -> None:
    """A module that builds on one that comes later in its programme is refused."""
    second = content_tree / "modules" / "second-step"
    second.mkdir()
    first_yaml = (content_tree / MODULE).read_text("utf-8")
    (second / "module.yaml").write_text(
        first_yaml.replace("id: circle-of-trust", "id: second-step")
        .replace("notes: notes.md\n", "")
        .replace("handouts: [strength-card]", "handouts: []")
        .split("handouts:\n  - {id")[0]
        + "expected_changes:\n  - id: voice\n    text: They speak.\n"
        "    measured_by: [self-check/speak-up]\ninstruments: [self-check]\n",
        "utf-8",
    )
    edit(
        content_tree / MODULE,
        "topics: [resilience, shame]",
        "builds_on: [second-step]\ntopics: [resilience, shame]",
    )
    edit(content_tree / PROGRAMME, "  - circle-of-trust", "  - circle-of-trust\n  - second-step")

    problems = check(content_tree)

    assert any("builds on 'second-step', which comes after it" in p.message for p in problems)


def test_hard_topic_without_care_note_is_an_error(content_tree: Path, edit: Edit) -> None:
    text = (content_tree / MODULE).read_text("utf-8")
    start = text.index("    care:")
    end = text.index("    steps:", start)
    (content_tree / MODULE).write_text(text[:start] + text[end:], "utf-8")

    problems = check(content_tree)

    assert [p.message for p in problems] == [
        "this module touches hard topics (Shame and guilt) but no session has a care note: give "
        "the session that touches them a care: block with content_note, grounding, "
        "right_to_pass, closing and referral"
    ]


def test_unmeasured_expected_change_is_a_warning(
    content_tree: Path, edit: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(content_tree / MODULE, "    measured_by: [self-check/speak-up]\n", "")
    status = main(["check", "--root", str(content_tree)])
    captured = capsys.readouterr()
    assert status == 0
    assert "warning: expected change 'voice' is measured by no instrument item" in captured.out
    assert "0 error(s), 1 warning(s)" in captured.err


def test_an_item_may_protect_more_than_its_instrument(content_tree: Path, edit: Edit) -> None:
    """A sensitive item in a non-sensitive instrument is the point of item rules."""
    edit(
        content_tree / INSTRUMENT,
        "\ndisclosure:\n  sensitive: true\n  threshold: 5\n  min_respondents: 5",
        "\ndisclosure:\n  sensitive: false\n  threshold: 1\n  min_respondents: 0",
    )
    assert check(content_tree) == []


def test_an_unsound_item_rule_gets_one_message(content_tree: Path, edit: Edit) -> None:
    """Threshold 1 on a sensitive item is one mistake: it is not also called a loosening."""
    edit(content_tree / INSTRUMENT, "      threshold: 5", "      threshold: 1")

    problems = check(content_tree)

    assert [(p.field, p.message) for p in problems] == [
        ("items[1].disclosure.threshold", f"threshold 1 {EXACT}")
    ]


def test_an_item_cannot_loosen_the_default_it_inherits(content_tree: Path, edit: Edit) -> None:
    text = (content_tree / INSTRUMENT).read_text("utf-8")
    (content_tree / INSTRUMENT).write_text(text[: text.index("\ndisclosure:")] + "\n", "utf-8")
    edit(content_tree / INSTRUMENT, "      threshold: 5", "      threshold: 4")

    problems = check(content_tree)

    assert [p.message for p in problems] == [
        "an item cannot loosen its instrument's protection (the instrument has no rule of its "
        "own, so curriculum.yaml's applies to it): its threshold 4 is below the instrument's 5"
    ]


def test_load_content_refuses_an_unsound_rule(content_tree: Path, edit: Edit) -> None:
    """The tracker loads content with load_content: it never sees an unsound rule."""
    edit(content_tree / FORM, "  sensitive: false\n", "")
    with pytest.raises(ContentError, match="shows every count exactly"):
        load_content(content_tree)


def test_the_real_curriculum_passes_check() -> None:
    from .conftest import REPO

    problems = check(REPO)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_fast_and_round_trip_parses_agree_on_all_content() -> None:
    """Content is read with libyaml and placed with ruamel's round-trip parser: both must
    see the same data, or a problem's line could point at something else."""
    from ruamel.yaml import YAML

    from facilitator.yamlfile import plain, read_yaml

    from .conftest import FIXTURES, REPO

    files = [
        *REPO.glob("curriculum/**/*.yaml"),
        *REPO.glob("modules/**/*.yaml"),
        *FIXTURES.rglob("*.yaml"),
    ]
    assert len(files) > 50
    for path in files:
        parsed, problems = read_yaml(path, path.parent)
        assert parsed is not None and problems == [], path
        assert parsed.data == plain(YAML(typ="rt").load(path.read_text("utf-8"))), path


def test_the_spiral_order_is_checked(content_tree: Path, edit: Edit) -> None:
    """A we module listed before a me module in a spiral programme: one message, at the
    module that is out of place."""
    from facilitator.scaffold import new_module

    new_module(content_tree, "our-group", "peer-leadership", "we")
    edit(
        content_tree / PROGRAMME,
        "  - circle-of-trust\n  - our-group",
        "  - our-group\n  - circle-of-trust",
    )

    problems = check(content_tree)

    assert [(p.file, p.field, p.message) for p in problems if p.severity == "error"] == [
        (
            PROGRAMME,
            "modules[1]",
            "'circle-of-trust' is a me module, but it comes after 'our-group', a we module: "
            "in the Me-We-Us spiral the me modules come first, then we, then us",
        )
    ]


@pytest.mark.parametrize(
    ("ranks", "moved"),
    [
        ([0, 0, 1, 2], set()),
        ([2, 0, 1, 1], {0}),  # an us module at the top: only it is out of place
        ([0, 1, 0, 1, 2], {2}),
        ([1, 0], {1}),
        ([], set()),
    ],
)
def test_one_module_out_of_place_is_one_message(ranks: list[int], moved: set[int]) -> None:
    from facilitator.checks.spiral import in_order

    assert set(range(len(ranks))) - in_order(ranks) == moved
