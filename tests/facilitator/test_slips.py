"""The 24 slips of issue 11's probe, each made on a copy of the example tree: every one gives
exactly one message, in plain words, naming the file, the line and the field, with the fix.

One mistake, one message: a module that fails validation is still known by its id, so the
programme that lists it says nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from facilitator.checks import check
from facilitator.cli import main

MODULE = "modules/circle-of-trust/module.yaml"
NOTES_BN = "modules/circle-of-trust/notes.bn.md"
ORPHAN = "modules/circle-of-trust/handouts/old-card.bn.md"
CARE = """\
    care:
      content_note: This exercise may bring up feelings of shame.
      grounding: Feet on the floor, three slow breaths.
      right_to_pass: Anyone may pass or step out without saying why.
      closing: Each person names one thing they keep from today.
      referral: The organisation's counsellor is available after the session.
"""
STEPS = """\
    steps:
      - Welcome everyone by the name they choose.
      - Breathe together three times.
"""
# Words of parsers and programmers that a content author should never have to read.
JARGON = [
    "Input should",
    "String should",
    "Extra inputs",
    "Field required",
    "pattern",
    "token",
    "scalar",
    "mapping",
    "flow sequence",
    "literal",
    "enum",
    "integer",
    "valid ",
    "YAML syntax",
    "NoneType",
    "\\t",
]


@dataclass(frozen=True)
class Slip:
    edits: list[tuple[str, str, str]]  # (file, old text, new text), in MODULE unless named
    line_text: str  # text on the line the message must name ("" for line 1)
    field: str  # the field the message names ("" where it names a line only)
    words: list[str]  # the fix, in the message's words
    file: str = MODULE
    nth: int = 1  # which line with line_text, where it is on more than one
    also: Callable[[Path], None] | None = field(default=None, compare=False)


def _copied_module_notes(root: Path) -> None:
    """A Bengali notes file left over from the module it was copied from."""
    (root / NOTES_BN).write_text(
        "# পটভূমি\n\nসেশনের আগে [আমার শক্তির গাছ](handouts/my-resilience-tree.md) পড়ুন।\n",
        "utf-8",
    )


def _orphaned_handout_translation(root: Path) -> None:
    """The Bengali translation of a handout whose English file was deleted."""
    (root / ORPHAN).write_text("# পুরনো কার্ড\n\nআমার একটি শক্তি।\n", "utf-8")


SLIPS = {
    "misspelt-field": Slip(
        [(MODULE, "    debrief: [", "    debreif: [")],
        "debreif:",
        "sessions[2].debreif",
        ["field 'debreif' is not known: did you mean 'debrief'?"],
    ),
    "capitals-in-an-id": Slip(
        [(MODULE, "  - id: tea", "  - id: Tea")],
        "id: Tea",
        "sessions[1].id",
        ["'Tea' cannot be an id", "small letters", "like 'tea'"],
    ),
    "colon-space-in-text": Slip(
        [
            (
                MODULE,
                "purpose: Each person draws a strength.",
                "purpose: Each person draws: a strength.",
            )
        ],
        "draws: a strength",
        "",
        ["put text that contains ': ' in quotes", 'purpose: "Each person draws: a strength."'],
    ),
    "a-tab": Slip(
        [(MODULE, "    minutes: 20", "\tminutes: 20")],
        "\tminutes: 20",
        "",
        ["indented with a tab", "spaces"],
    ),
    "minutes-as-text": Slip(
        [(MODULE, "minutes: 55", "minutes: 55 minutes")],
        "minutes: 55 minutes",
        "sessions[2].minutes",
        ["minutes must be a whole number, like 55"],
    ),
    "hours-as-text": Slip(
        [(MODULE, "duration_minutes: 90", "duration_minutes: 1.5 hours")],
        "duration_minutes: 1.5 hours",
        "duration_minutes",
        ["counts minutes", "write 1.5 hours as 90"],
    ),
    "comma-inside-a-one-line-list": Slip(
        [
            (
                MODULE,
                "debrief: [What did you notice about your strength?]",
                "debrief: [What did you notice, and how did it feel?]",
            )
        ],
        "debrief: [What did you notice,",
        "sessions[2].debrief",
        [
            "the comma before 'and how did it feel?'",
            '["What did you notice, and how did it feel?"]',
        ],
    ),
    "wrong-item-id": Slip(
        [(MODULE, "[self-check/speak-up]", "[self-check/speek-up]")],
        "self-check/speek-up",
        "expected_changes[0].measured_by[0]",
        ["instrument 'self-check' has no item 'speek-up': did you mean 'speak-up'?"],
    ),
    "unlisted-instrument": Slip(
        [(MODULE, "instruments: [self-check]", "instruments: [self-check, wellbeing-scale]")],
        "instruments: [self-check, wellbeing-scale]",
        "instruments[1]",
        ["'wellbeing-scale' is not one of the instruments in curriculum/instruments/"],
    ),
    "unknown-method": Slip(
        [(MODULE, "method: art", "method: interpretive-dance")],
        "method: interpretive-dance",
        "sessions[2].method",
        ["'interpretive-dance' is not one of the methods in curriculum/curriculum.yaml"],
    ),
    "id-does-not-match-the-folder": Slip(
        [(MODULE, "id: circle-of-trust\n", "id: circle-of-trusts\n")],
        "id: circle-of-trusts",
        "id",
        ["id 'circle-of-trusts' must match the folder name 'circle-of-trust'"],
    ),
    "missing-phase": Slip(
        [(MODULE, "phase: me\n", "")],
        "programme: peer-leadership",
        "phase",
        ["follows the Me-We-Us spiral", "give this module a phase, like phase: me"],
    ),
    "misspelt-phase": Slip(
        [(MODULE, "phase: me", "phase: mee")],
        "phase: mee",
        "phase",
        ["phase 'mee' is not known: did you mean 'me'?", "me, we or us"],
    ),
    "singular-audience": Slip(
        [(MODULE, "audience: survivors", "audience: survivor")],
        "audience: survivor",
        "audience",
        ["audience 'survivor' is not known: did you mean 'survivors'?"],
    ),
    "missing-handout-file": Slip(
        [(MODULE, "file: handouts/strength-card.md", "file: handouts/strength-cards.md")],
        "handouts/strength-cards.md",
        "handouts[0].file",
        ["there is no file modules/circle-of-trust/handouts/strength-cards.md", "create it"],
    ),
    "care-note-without-referral": Slip(
        [
            (
                MODULE,
                "      referral: The organisation's counsellor is available after the session.\n",
                "",
            )
        ],
        "    care:",
        "sessions[2].care.referral",
        ["care needs 'referral': where to refer someone who needs more support"],
    ),
    "hard-topic-without-care": Slip(
        [(MODULE, CARE, "")],
        "topics: [resilience, shame]",
        "topics",
        ["hard topics (Shame and guilt)", "no session has a care note", "care: block"],
    ),
    "activity-without-steps": Slip(
        [(MODULE, STEPS, "")],
        "  - id: arrive",
        "sessions[0].steps",
        ["session 'arrive' is an activity and needs steps"],
    ),
    "session-minutes-out-of-range": Slip(
        [(MODULE, "minutes: 15\n    kind: break", "minutes: 3\n    kind: break")],
        "minutes: 3",
        "sessions[1].minutes",
        ["minutes must be from 5 to 480, not 3"],
    ),
    "break-spelt-brake": Slip(
        [(MODULE, "kind: break", "kind: brake")],
        "kind: brake",
        "sessions[1].kind",
        ["kind 'brake' is not known: did you mean 'break'?"],
    ),
    "minutes-do-not-add-up": Slip(
        [(MODULE, "minutes: 55", "minutes: 50")],
        "duration_minutes: 90",
        "duration_minutes",
        ["the sessions add up to 85 minutes, but duration_minutes is 90"],
    ),
    "stale-notes-bn-link": Slip(
        [],
        "handouts/my-resilience-tree.md",
        "link",
        ["the link to 'handouts/my-resilience-tree.md' goes nowhere", "copied module"],
        file=NOTES_BN,
        also=_copied_module_notes,
    ),
    "orphaned-handout-translation": Slip(
        [],
        "",
        "",
        ["old-card.md"],
        file=ORPHAN,
        also=_orphaned_handout_translation,
    ),
    "duplicate-session-id": Slip(
        [(MODULE, "  - id: tea", "  - id: arrive")],
        "id: arrive",
        "sessions[1].id",
        ["session id 'arrive' is used twice"],
        nth=2,
    ),
}


def make(root: Path, slip: Slip) -> None:
    for rel, old, new in slip.edits:
        text = (root / rel).read_text("utf-8")
        assert old in text, f"{old!r} not in {rel}"
        (root / rel).write_text(text.replace(old, new, 1), "utf-8")
    if slip.also is not None:
        slip.also(root)


def line_with(root: Path, rel: str, needle: str, nth: int = 1) -> int:
    if not needle:
        return 1
    lines = (root / rel).read_text("utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert len(found) >= nth, f"{needle!r} not {nth} times in {rel}"
    return found[nth - 1]


def test_the_probe_has_24_slips() -> None:
    assert len(SLIPS) == 24


@pytest.mark.parametrize("name", list(SLIPS))
def test_each_slip_gives_one_plain_message(content_tree: Path, name: str) -> None:
    slip = SLIPS[name]
    make(content_tree, slip)

    problems = check(content_tree)

    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    (problem,) = problems
    assert problem.file == slip.file
    expected_line = line_with(content_tree, slip.file, slip.line_text, slip.nth)
    assert problem.line == expected_line, str(problem)
    assert problem.field == slip.field
    for words in slip.words:
        assert words in problem.message, str(problem)
    for word in JARGON:
        assert word not in problem.message, f"{word!r} in {problem}"


def test_the_command_prints_the_one_message_and_fails(
    content_tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make(content_tree, SLIPS["break-spelt-brake"])

    status = main(["check", "--root", str(content_tree)])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.out.splitlines() == [
        f"{MODULE}:28: [sessions[1].kind] error: kind 'brake' is not known: did you mean "
        "'break'? (choose activity or break)"
    ]
    assert "1 error(s), 0 warning(s)" in captured.err


def test_a_misspelt_required_field_is_one_mistake(content_tree: Path) -> None:
    """'sumary' is unknown and 'summary' is missing: said once, as the misspelling."""
    make(content_tree, Slip([(MODULE, "summary: The group", "sumary: The group")], "", "", []))

    assert [(p.field, p.message) for p in check(content_tree)] == [
        ("sumary", "field 'sumary' is not known: did you mean 'summary'?")
    ]


def test_text_with_colon_in_a_list_item_is_one_message(content_tree: Path) -> None:
    make(
        content_tree,
        Slip(
            [(MODULE, "      - Breathe together three times.", "      - Breathe: together.")],
            "",
            "",
            [],
        ),
    )

    assert [p.message for p in check(content_tree)] == [
        "put text that contains ': ' in quotes, like - \"Breathe: together.\""
    ]


def test_a_module_that_does_not_parse_is_still_known_by_its_folder(content_tree: Path) -> None:
    """Neither the programme nor a site link to the module's page reports it missing."""
    make(content_tree, SLIPS["a-tab"])
    site = content_tree / "site" / "index.md"
    site.write_text(
        site.read_text("utf-8") + "\nStart with [the circle](modules/circle-of-trust/index.md).\n",
        "utf-8",
    )

    assert [p.file for p in check(content_tree)] == [MODULE]


def test_lists_in_small_letters_and_quoted_items_are_not_commas_slips(
    content_tree: Path,
) -> None:
    make(
        content_tree,
        Slip(
            [
                (
                    MODULE,
                    "materials: [Paper, Colours]",
                    'materials: [Paper, "Blue, red and green"]',
                ),
                (
                    MODULE,
                    "components:\n  - Ground rules\n  - Strengths",
                    "components: [ground rules, strengths]",
                ),
            ],
            "",
            "",
            [],
        ),
    )

    assert check(content_tree) == []


PROGRAMME = "curriculum/programmes/peer-leadership.yaml"


@pytest.mark.parametrize(
    ("rel", "old", "new", "message"),
    [
        (
            MODULE,
            "audience: survivors",
            "audience: [survivors, social workers]",
            "audience takes one value, not a list: survivors, social_workers or mixed",
        ),
        (
            MODULE,
            "    title: Tea\n",
            "     title: Tea\n",
            "the spaces at the start of this line do not line up",
        ),
        (
            MODULE,
            "title: My strengths",
            'title: "My" strengths',
            "text that starts with a quote must end with it: put it all in quotes, like "
            "title: '\"My\" strengths'",
        ),
        (
            MODULE,
            "title: A circle of trust",
            "title: A circle of trust\ntitle: Again",
            "'title' is given twice in the same block: keep one of them",
        ),
        (MODULE, "title: A circle of trust", "title:", "title is empty"),
        (
            MODULE,
            "methods: [grounding, small-group-work, art]",
            "methods: [grounding, Small group work, art]",
            "'Small group work' cannot be used in methods: an id uses only small letters (a-z), "
            "digits and hyphens, and starts with a letter or digit, like 'small-group-work'",
        ),
        (
            PROGRAMME,
            "  - circle-of-trust",
            "  - circle-of-trust\n  - circle-of-trsut",
            "there is no module 'circle-of-trsut' (no folder modules/circle-of-trsut/): did you "
            "mean 'circle-of-trust'?",
        ),
        (
            MODULE,
            "programme: peer-leadership",
            "programme: peer-leadershp",
            "did you mean 'peer-leadership'?",
        ),
    ],
)
def test_more_slips_give_one_plain_message(
    content_tree: Path, rel: str, old: str, new: str, message: str
) -> None:
    make(content_tree, Slip([(rel, old, new)], "", "", []))

    problems = check(content_tree)

    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    assert message in problems[0].message
