"""The day on one page and what to arrange before it, as a facilitator reads them.

Clock times from the start she sets, who runs each session (or blanks to fill in), each day
on its own page, and the "before the day" checklist at the start of every module page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.content import load_content
from facilitator.load import Content
from facilitator.printing.engine import chromium_available
from facilitator.render import render_module
from facilitator.timetable import StartError, parse_start, time_of_day, timetable
from tests.facilitator.handbook_build import make_fixture_tree

MODULE = "circle-of-trust"
ROLES = "    roles: {lead: Facilitator A, co: Facilitator B, care: The counsellor}\n"
NOTES = (
    "# Background\n\nWhy this matters.\n\n"
    "## Before the day\n\n- Ask the partner organisation for a room with a door.\n\n"
    "## Afterwards\n\nRest.\n"
)
NOTES_BN = "# পটভূমি\n\nকেন দরকার।\n\n## দিনের আগে\n\n- দরজাসহ একটি ঘর চেয়ে নিন।\n\n## পরে\n\nবিশ্রাম।\n"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture module over two days: the art session (with roles) on day 2."""
    root = make_fixture_tree(tmp_path_factory.mktemp("agenda") / "tree")
    module = root / "modules" / MODULE
    edit(module / "module.yaml", "    method: art\n", "    method: art\n    day: 2\n" + ROLES)
    edit(module / "module.yaml", "    kind: break\n", "    kind: break\n    day: 2\n")
    (module / "notes.md").write_text(NOTES, "utf-8")
    (module / "notes.bn.md").write_text(NOTES_BN, "utf-8")
    return root


@pytest.fixture(scope="module")
def content(root: Path) -> Content:
    return load_content(root)


@pytest.mark.parametrize(
    ("written", "minutes"), [("09:30", 570), ("9:30", 570), ("14:05", 845), (" 0:00 ", 0)]
)
def test_a_start_time_is_read_as_a_time_of_day(written: str, minutes: int) -> None:
    assert parse_start(written) == minutes
    assert parse_start(time_of_day(minutes)) == minutes


@pytest.mark.parametrize("written", ["930", "9.30", "24:00", "9:75", "9:3", "nine", ""])
def test_a_start_time_that_is_not_a_time_says_how_to_write_one(written: str) -> None:
    with pytest.raises(StartError, match="write it like 09:30"):
        parse_start(written)


def test_each_day_s_clock_starts_again_at_the_start_time(content: Content) -> None:
    plan = timetable(content.modules[MODULE], start=parse_start("09:30"))
    assert [[(r.at, r.until) for r in day.rows] for day in plan.days] == [
        [("9:30", "9:50")],
        [("9:30", "9:45"), ("9:45", "10:40")],
    ]
    assert all(r.at is None for d in timetable(content.modules[MODULE]).days for r in d.rows)


def test_the_agenda_names_who_runs_each_session_or_leaves_blanks(content: Content) -> None:
    page = render_module(content, MODULE, "en")
    day1 = page[page.index('id="day-1"') : page.index('id="day-2"')]
    day2 = page[page.index('id="day-2"') :]
    day2 = day2[: day2.index("</table>") if "</table>" in day2 else day2.index("\n\n</div>")]
    # day 1: no roles written, so blanks to fill in by hand
    assert 'Lead:</span> <span class="fh-blank"></span>' in day1
    assert "Facilitator A" not in day1
    # day 2: the roles written in the module, and a break with nobody to name
    assert "Lead:</span> Facilitator A" in day2 and "Care person:</span> The counsellor" in day2
    assert "| *Tea* (break) | 15 min | |" in day2


def test_the_web_page_sets_the_start_and_paper_prints_times_or_blanks(content: Content) -> None:
    web = render_module(content, MODULE, "en")
    assert 'input type="time" id="fh-start"' in web
    assert 'data-offset="15"' in web  # the browser computes the clock from the offset
    blank = render_module(content, MODULE, "en", paper=True)
    assert "fh-start" not in blank and "The day starts at <span class" in blank
    assert '<span class="fh-at" data-offset="15"></span><span class="fh-since">0:15</span>' in blank
    timed = render_module(content, MODULE, "en", start=parse_start("08:00"), paper=True)
    assert "*The day starts at 8:00*" in timed
    assert '<span class="fh-at" data-offset="15">8:15</span>' in timed
    assert "fh-since" not in timed
    assert "8:15–9:10" in timed  # the session's own heading line follows the clock too


def test_before_the_day_comes_first_and_takes_the_notes_section(content: Content) -> None:
    page = render_module(content, MODULE, "en")
    before = page.index("## Before the day")
    assert before < page.index("## Objectives") < page.index("## Session plan")
    moved = page.index("Ask the partner organisation for a room with a door.")
    assert before < moved < page.index("## Objectives")
    notes = page[page.index("## Background notes") :]
    assert "Ask the partner organisation" not in notes and "Rest." in notes
    checklist = page[before : page.index("## Objectives")]
    for expected in [
        "Facilitator A: <span",  # people named in the sessions, a blank for the real name
        "A counsellor agreed for these days",
        "A quiet corner",  # a session carries a care note
        "emergency 112",
        "Paper (how many: <span",  # no number in the text: room to write how many
        "My strength card: one copy for each participant",
    ]:
        assert expected in checklist, expected
    # the roles' counsellor is the checklist's counsellor: listed once, not also as a name
    assert "The counsellor:" not in checklist
    assert checklist.count("counsellor") == 1
    # the notes' own "Before the day" heading is not repeated under the checklist's
    assert checklist.count("Before the day") == 1


def test_the_notes_section_s_own_title_is_bold_text_not_a_heading(
    tmp_path: Path,
) -> None:
    root = make_fixture_tree(tmp_path / "tree")
    notes = NOTES.replace("## Before the day", "## Before the two days")
    (root / "modules" / MODULE / "notes.md").write_text(notes, "utf-8")
    page = render_module(load_content(root), MODULE, "en")
    checklist = page[page.index("## Before the day") : page.index("## Objectives")]
    assert "**Before the two days**" in checklist
    assert "# Before the two days" not in page  # not in the page's contents


def test_the_translated_notes_move_their_own_section(content: Content) -> None:
    page = render_module(content, MODULE, "bn")
    checklist = page[page.index("## দিনের আগে") : page.index("{ #objectives }")]
    assert "দরজাসহ একটি ঘর চেয়ে নিন।" in checklist
    assert "দরজাসহ" not in page[page.index("{ #background-notes }") :]


def test_a_module_without_care_or_roles_still_gets_a_checklist(tmp_path: Path) -> None:
    root = make_fixture_tree(tmp_path / "tree")
    module = root / "modules" / MODULE / "module.yaml"
    text = module.read_text("utf-8")
    start, end = text.index("    care:\n"), text.index("    steps:\n      - Hand out")
    module.write_text(text[:start] + text[end:], "utf-8")
    edit(module, "topics: [resilience, shame]", "topics: [resilience]")
    page = render_module(load_content(root), MODULE, "en")
    checklist = page[page.index("## Before the day") : page.index("## Objectives")]
    assert "Lead: <span" in checklist and "Co-facilitator: <span" in checklist
    assert "Care person" not in checklist and "112" not in checklist


@pytest.mark.skipif(
    not chromium_available() or shutil.which("pdftotext") is None,
    reason="needs Chromium and pdftotext",
)
def test_each_day_s_agenda_prints_on_its_own_page_with_clock_times(
    root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "print"
    args = ["print", "--root", str(root), "--out", str(out), "--lang", "en", "--module", MODULE]
    assert main([*args, "--start", "9.30"]) == 1  # not a time: a plain error, nothing printed
    assert main([*args, "--start", "09:30"]) == 0
    pdf = out / "en" / "modules" / f"{MODULE}.pdf"
    pages = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\f")
    agenda = [page for page in pages if "Who runs it" in page]  # the agenda's header row
    assert len(agenda) == 2  # one page per day
    day1, day2 = agenda
    assert day1.index("Session plan") < day1.index("Day 1") < day1.index("Who runs it")
    assert day2.index("Day 2") < day2.index("Who runs it") and "Day 1" not in day2.split("Total")[0]
    for day in agenda:
        assert "The day starts at 9:30" in day
    assert "9:50" in day1 and "9:45" in day2 and "10:40" in day2
    assert "Facilitator A" in day2 and "Facilitator A" not in day1.split("Total")[0]
    assert "Before the day" in pages[0]  # preparation comes first
