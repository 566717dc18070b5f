"""Translations: overlay with English fallback, per-string staleness, stamping, coverage,
what CI fails on (broken translations only), and upgrading the older whole-file stamp."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from facilitator.cli import main
from facilitator.coverage import coverage_rows, module_rows, report
from facilitator.load import Content, collect
from facilitator.markdown import read_page
from facilitator.notices import page_text
from facilitator.render import render_module
from facilitator.schema import SCHEMAS, schema_for
from facilitator.stamp import stamp
from facilitator.upgrade import upgrade
from facilitator.yamlfile import read_yaml, source_hash

from .conftest import REPO, snapshot

Edit = Callable[[Path, str, str], None]
MODULE = "modules/circle-of-trust/module.yaml"
BN = "modules/circle-of-trust/module.bn.yaml"
HI = "modules/circle-of-trust/module.hi.yaml"
NOTES = "modules/circle-of-trust/notes.md"
HINDI = """title: विश्वास का घेरा
objectives:
  - समूह के नियम साथ मिलकर तय करना।
  - हर व्यक्ति अपनी एक ताकत बताए।
sessions:
  - id: strengths
    title: मेरी ताकतें
    steps:
      - कागज़ और रंग बाँटें।
      - सबको अपनी एक ताकत बनाने को कहें।
"""
BENGALI_NOTES = "# পটভূমি\n\nসেশনের আগে [শক্তির কার্ড](handouts/strength-card.md) পড়ুন।\n"
NOTES_EN = "# Background\n\nRead the [strength card](handouts/strength-card.md) first.\n"


def load(root: Path) -> Content:
    content, problems = collect(root)
    assert content is not None, problems
    return content


def states(root: Path, english: str, lang: str) -> dict[str, str]:
    """Field path -> state of every translated string of one file."""
    translation = load(root).translations[(english, lang)]
    return {s.path: s.state for s in translation.strings if s.text is not None}


def by_english(root: Path, english: str, lang: str) -> dict[str, str]:
    """English text -> state of every translated string of one file."""
    translation = load(root).translations[(english, lang)]
    return {s.english: s.state for s in translation.strings if s.text is not None}


def translations(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["translations", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def stamped(content_tree: Path) -> Path:
    """The fixture tree with per-string stamps: Bengali (upgraded) and Hindi modules, and the
    handbook's English labels (for the notes pages show)."""
    shutil.copy(REPO / "curriculum/labels.yaml", content_tree / "curriculum/labels.yaml")
    upgrade(content_tree)
    (content_tree / HI).write_text(HINDI, "utf-8")
    stamp(content_tree / HI)
    return content_tree


# ---------------------------------------------------------------- overlay


def test_localized_overlays_translated_strings_and_keeps_english_elsewhere(
    content_tree: Path,
) -> None:
    content = load(content_tree)
    bn = content.localized("bn").modules["circle-of-trust"]
    en = content.modules["circle-of-trust"]

    assert bn.title == "বিশ্বাসের বৃত্ত"
    assert bn.sessions[2].title == "আমার শক্তি"
    assert bn.sessions[0].title == en.sessions[0].title == "Arriving"  # not translated
    assert bn.duration_minutes == en.duration_minutes  # structure is never translated
    fallbacks = content.localized("bn").fallbacks[("module", "circle-of-trust")]
    assert "sessions[0].title" in fallbacks
    assert "title" not in fallbacks
    # sessions are matched by id: paths name the English place, not the translation's
    assert "sessions[2].purpose" in fallbacks
    assert "sessions[2].title" not in fallbacks
    # Hindi has no translation at all: everything is English and says so
    hi = content.localized("hi")
    assert hi.modules["circle-of-trust"] == en
    assert "title" in hi.fallbacks[("module", "circle-of-trust")]


def test_coverage_counts_strings_and_sections(content_tree: Path) -> None:
    content = load(content_tree)
    bn = next(r for r in report(content) if r.language == "bn")
    module = next(r for r in bn.rows if r.file == MODULE)
    assert (module.translated, module.stale, module.reviewed) == (4, 0, 0)
    assert module.missing == module.total - 4 and module.status == "partial"
    notes = next(r for r in bn.rows if r.file == NOTES)
    assert (notes.status, notes.total, notes.missing) == ("missing", 1, 1)
    assert 0 < bn.coverage < 1
    # one row per module and language sums its files
    folder = next(
        r for r in module_rows(content) if r.module == "circle-of-trust" and r.language == "bn"
    )
    parts = [r for r in coverage_rows(content, ["bn"]) if r.module == "circle-of-trust"]
    assert folder.total == sum(r.total for r in parts) and len(parts) == 3  # yaml, notes, handout
    assert folder.translated + folder.stale + folder.missing == folder.total


# ---------------------------------------------------------------- per-string state


def test_structural_edits_stale_nothing(stamped: Path, edit: Edit) -> None:
    before = {lang: by_english(stamped, MODULE, lang) for lang in ("bn", "hi")}
    assert set(before["bn"].values()) == {"draft"} and len(before["hi"]) == 6
    module = stamped / MODULE
    # reorder a list, add an entry in the middle of two lists and a new session
    edit(
        module,
        "  - Agree the group's ground rules together.\n  - Name one strength each person brings.",
        "  - Name one strength each person brings.\n  - Feel safe enough to speak.\n"
        "  - Agree the group's ground rules together.",
    )
    edit(
        module,
        "      - Hand out paper and colours.\n",
        "      - Play music.\n      - Hand out paper and colours.\n",
    )
    edit(
        module,
        "handouts:\n  - {id: strength-card",
        "  - {id: close, title: Closing, minutes: 10, method: grounding, steps: [Breathe.]}\n"
        "handouts:\n  - {id: strength-card",
    )
    edit(module, "duration_minutes: 90", "duration_minutes: 100")
    # add a module id to the programme
    edit(
        stamped / "curriculum/programmes/peer-leadership.yaml",
        "  - circle-of-trust",
        "  - circle-of-trust\n  - circle-two",
    )

    for lang in ("bn", "hi"):
        assert by_english(stamped, MODULE, lang) == before[lang], lang
    local = load(stamped).localized("hi").modules["circle-of-trust"]
    assert local.objectives == [
        "हर व्यक्ति अपनी एक ताकत बताए।",  # followed its English to the top
        "Feel safe enough to speak.",  # new: English, with a note
        "समूह के नियम साथ मिलकर तय करना।",
    ]
    assert local.sessions[2].steps == [
        "Play music.",
        "कागज़ और रंग बाँटें।",
        "सबको अपनी एक ताकत बनाने को कहें।",
    ]
    rows = {r.language: r for r in coverage_rows(load(stamped)) if r.file == MODULE}
    assert rows["hi"].stale == 0 and ("objectives[1]", "missing") in rows["hi"].details


def test_a_changed_string_is_stale_alone_and_noted_at_its_section(
    stamped: Path, edit: Edit
) -> None:
    edit(stamped / MODULE, "    title: My strengths", "    title: My own strengths")

    for lang in ("bn", "hi"):
        now = states(stamped, MODULE, lang)
        assert [p for p, s in now.items() if s == "stale"] == ["sessions[strengths].title"], lang
    page = render_module(load(stamped), "circle-of-trust", "bn")
    top, _, body = page.partition("\n## ")
    assert "fh-stale" not in top  # not the whole page...
    session = body[body.index("{ #session-strengths }") :]
    assert "fh-stale" in session[: session.index("\n#")]  # ...the session whose title changed
    assert page.count("fh-stale") == 1


def test_a_reviewed_string_stays_reviewed(stamped: Path, edit: Edit) -> None:
    stamp(stamped / BN, reviewed=True, fields=["title"])
    assert states(stamped, MODULE, "bn")["title"] == "reviewed"
    assert states(stamped, MODULE, "bn")["objectives[0]"] == "draft"

    edit(stamped / MODULE, "Name one strength each person brings.", "Name one strength each.")
    now = states(stamped, MODULE, "bn")
    assert now["title"] == "reviewed" and now["objectives[1]"] == "stale"
    stamp(stamped / BN)  # a translator updates the objective and stamps the file
    now = states(stamped, MODULE, "bn")
    assert now["title"] == "reviewed" and now["objectives[1]"] == "draft"
    assert "stale" not in now.values()
    # the stamp lives in one block at the end: the translator's text is as written
    text = (stamped / BN).read_text("utf-8")
    assert text.startswith("title: বিশ্বাসের বৃত্ত\nobjectives:\n  - দলের নিয়মগুলো একসাথে ঠিক করা।")
    header = YAML(typ="safe").load(text)["translation"]
    assert header["strings"]["title"] == {
        "source": header["strings"]["title"]["source"],
        "status": "reviewed",
    }


def test_stamp_names_a_string_that_does_not_exist(stamped: Path) -> None:
    before = snapshot(stamped)
    with pytest.raises(ValueError, match=r"no translated string at sessions\[nope\]"):
        stamp(stamped / BN, fields=["sessions[nope]"])
    assert snapshot(stamped) == before


def test_markdown_sections_are_stamped_and_noted_one_by_one(stamped: Path, edit: Edit) -> None:
    notes = stamped / NOTES
    notes.write_text(NOTES_EN + "\n## Before the session\n\nBring paper.\n", "utf-8")
    translated = stamped / "modules/circle-of-trust/notes.bn.md"
    translated.write_text(BENGALI_NOTES + "\n## সেশনের আগে\n\nকাগজ আনুন।\n", "utf-8")
    stamp(translated)
    page = read_page(stamped, NOTES, "bn")
    assert [s.state for s in page.sections] == ["draft", "draft"] and not page.stale

    edit(notes, "Bring paper.", "Bring paper and colours.")
    edit(notes, "# Background\n", "# Background\n\nA new first paragraph.\n")
    notes.write_text(notes.read_text("utf-8") + "\n## Afterwards\n\nRest.\n", "utf-8")
    page = read_page(stamped, NOTES, "bn")
    assert [s.state for s in page.sections] == ["stale", "stale", "missing"]
    edit(notes, "\nA new first paragraph.\n", "")
    page = read_page(stamped, NOTES, "bn")
    assert [s.state for s in page.sections] == ["draft", "stale", "missing"]
    text = page_text(load(stamped), "bn", page)
    first, second, third = text.split("\n## ")
    assert "fh-" not in first and first.startswith("# পটভূমি")
    assert second.startswith("সেশনের আগে\n\n!!! note fh-stale") and "কাগজ আনুন।" in second
    assert third.startswith("Afterwards\n\n!!! info fh-fallback") and "Rest." in third

    stamp(translated, fields=["2"])  # the translator has caught up with section 2
    assert [s.state for s in read_page(stamped, NOTES, "bn").sections] == [
        "draft",
        "draft",
        "missing",
    ]


# ---------------------------------------------------------------- the command and CI


def test_the_report_lists_partial_stale_and_orphaned_files(
    stamped: Path, edit: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(stamped / MODULE, "A circle of trust", "A circle of trust and care")
    programme = stamped / "curriculum/programmes/peer-leadership.bn.yaml"
    programme.write_text("title: সাথী নেতৃত্ব\n", "utf-8")
    stamp(programme)
    handouts = stamped / "modules/circle-of-trust/handouts"
    (handouts / "gone.bn.md").write_text(
        "---\nstatus: draft\nsections: []\n---\n# চলে গেছে\n", "utf-8"
    )
    (stamped / "modules/circle-of-trust/old.bn.yaml").write_text("title: পুরোনো\n", "utf-8")

    code, out = translations(capsys, "--root", str(stamped))
    assert code == 0  # without --strict nothing fails
    assert "  stale       3/" in out and f"{MODULE}  (1 stale," in out
    assert "  partial     1/2    curriculum/programmes/peer-leadership.yaml  (1 missing)" in out
    assert "  missing     0/1    modules/circle-of-trust/notes.md" in out
    assert "handouts/gone.bn.md:1: error: this translates gone.md, which is not beside it" in out
    assert "old.bn.yaml:1: error: this translates old.yaml" in out
    assert translations(capsys, "--root", str(stamped), "--strict")[0] == 1

    (handouts / "gone.bn.md").unlink()
    (stamped / "modules/circle-of-trust/old.bn.yaml").unlink()
    code, out = translations(capsys, "--root", str(stamped), "--strict", "-v")
    assert code == 0, out  # stale and missing strings are reported, not failed
    assert "      stale    title" in out and "      missing  sessions[arrive].title" in out


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        pytest.param(BN, "title: विश्वास का घेरा\n", "no letters of the Bengali script", id="script"),
        pytest.param(
            BN,
            "titel: বিশ্বাসের বৃত্ত\n",
            "field 'titel' is not in the English: did you mean 'title'?",
            id="structure",
        ),
        pytest.param(
            "curriculum/labels.bn.yaml",
            "labels:\n  choose_up_to: সর্বোচ্চ কয়েকটি বেছে নিন।\n",
            "has lost {n}",
            id="placeholder",
        ),
        pytest.param(
            "modules/circle-of-trust/notes.bn.md",
            "# পটভূমি\n\nসেশনের আগে শক্তির কার্ড পড়ুন।\n",
            "lost the link to 'handouts/strength-card.md'",
            id="link",
        ),
    ],
)
def test_broken_translations_fail_strict(
    stamped: Path, file: str, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "  choose_up_to: Choose up to {n}.\n" in (REPO / "curriculum/labels.yaml").read_text()
    if file.endswith(".md"):
        (stamped / NOTES).write_text(NOTES_EN, "utf-8")
    (stamped / file).write_text(text, "utf-8")
    stamp(stamped / file)

    code, out = translations(capsys, "--root", str(stamped), "--strict")
    assert code == 1 and message in out and file in out


def test_an_english_only_module_passes_and_shows_its_strings_missing(
    stamped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = stamped / "modules/second-circle"
    shutil.copytree(stamped / "modules/circle-of-trust", folder)
    for translation in [*folder.glob("*.*.*"), *folder.glob("*/*.*.*")]:
        translation.unlink()
    module = folder / "module.yaml"
    module.write_text(
        module.read_text("utf-8").replace("id: circle-of-trust", "id: second-circle"), "utf-8"
    )

    code, out = translations(capsys, "--root", str(stamped), "--strict")
    assert code == 0, out
    total = next(
        r.total
        for r in coverage_rows(load(stamped), ["bn"])
        if r.file == "modules/second-circle/module.yaml"
    )
    assert f"  missing     0/{total:<4} modules/second-circle/module.yaml" in out
    assert "fh-fallback" in render_module(load(stamped), "second-circle", "bn")


# ---------------------------------------------------------------- the older stamp


def test_the_older_stamp_loads_and_upgrades_keeping_its_status(content_tree: Path) -> None:
    before = states(content_tree, MODULE, "bn")
    assert (
        set(before.values()) == {"draft"} and load(content_tree).translations[(MODULE, "bn")].legacy
    )
    done = upgrade(content_tree)
    assert [str(d) for d in done] == [f"{BN}: up to date"]
    assert states(content_tree, MODULE, "bn") == before
    assert not load(content_tree).translations[(MODULE, "bn")].legacy
    written = snapshot(content_tree)
    assert upgrade(content_tree) == [] and snapshot(content_tree) == written  # idempotent


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_upgrade_finds_the_english_a_stale_translation_was_made_from(
    content_tree: Path, edit: Edit
) -> None:
    notes = content_tree / NOTES
    notes.write_text(NOTES_EN + "\n## Before\n\nBring paper.\n", "utf-8")
    (content_tree / "modules/circle-of-trust/notes.bn.md").write_text(
        f"---\nsource: '{source_hash(notes.read_bytes())}'\nstatus: reviewed\n---\n"
        + BENGALI_NOTES
        + "\n## আগে\n\nকাগজ আনুন।\n",
        "utf-8",
    )
    _git(content_tree, "init", "-q")
    _git(content_tree, "add", ".")
    _git(content_tree, "commit", "-q", "-m", "translated")
    edit(content_tree / MODULE, "A circle of trust", "A circle of trust and care")
    edit(notes, "Bring paper.", "Bring paper and colours.")
    _git(content_tree, "commit", "-q", "-am", "English edited")
    shutil.copytree(
        content_tree, content_tree.parent / "no-history", ignore=shutil.ignore_patterns(".git")
    )

    upgrade(content_tree)
    assert [p for p, s in states(content_tree, MODULE, "bn").items() if s == "stale"] == ["title"]
    page = read_page(content_tree, NOTES, "bn")
    assert [s.state for s in page.sections] == ["reviewed", "stale"]  # status kept per section

    other = content_tree.parent / "no-history"
    upgrade(other)
    assert set(states(other, MODULE, "bn").values()) == {"stale"}  # cannot tell which changed
    assert [s.state for s in read_page(other, NOTES, "bn").sections] == ["stale", "stale"]


# ---------------------------------------------------------------- files and schema


def test_translation_files_are_checked(content_tree: Path, edit: Edit) -> None:
    edit(content_tree / BN, "title: বিশ্বাসের বৃত্ত", "title: বিশ্বাসের বৃত্ত\nduration_minutes: 5")
    (content_tree / "modules/circle-of-trust/module.xx.yaml").write_text("title: x\n", "utf-8")
    (content_tree / HI).write_text("title: विश्वास का घेरा\n", "utf-8")

    _, found = collect(content_tree)
    problems = {(p.file, p.field, p.message) for p in found}

    assert (
        BN,
        "duration_minutes",
        "this field is not translated: leave it out of the translation",
    ) in problems
    assert any(f.endswith("module.xx.yaml") and "not a language" in m for f, _, m in problems)
    assert any(f == HI and "no stamp yet" in m for f, _, m in problems)


def test_json_schema_accepts_the_example_and_rejects_bad_input(content_tree: Path) -> None:
    parsed, _ = read_yaml(content_tree / MODULE, content_tree)
    assert parsed is not None
    module = parsed.data
    validator = Draft202012Validator(schema_for(SCHEMAS["module"]))
    assert list(validator.iter_errors(module)) == []
    module["sessions"][0]["minutes"] = "twenty"
    assert list(validator.iter_errors(module))
    # descriptions are documentation: they reach the schema editors show
    schema = json.dumps(schema_for(SCHEMAS["module"]))
    assert "the sessions' minutes must add up to it" in schema


def test_schema_command_writes_one_file_per_kind(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.schema.json" for name in SCHEMAS
    )


def test_a_glossary_keeps_its_own_words_to_avoid_in_each_language(content_tree: Path) -> None:
    cur = content_tree / "curriculum"
    (cur / "glossary.yaml").write_text(
        "terms:\n  - id: survivor\n    term: survivor\n    definition: A person who lived"
        " through trafficking.\n    avoid: [victim]\n",
        "utf-8",
    )
    (cur / "glossary.bn.yaml").write_text(
        "terms:\n  - id: survivor\n    term: সারভাইভার\n    definition: যিনি পাচারের"
        " অভিজ্ঞতা পেরিয়ে এসেছেন।\n    avoid: [ভিকটিম, নষ্ট মেয়ে]\n",
        "utf-8",
    )
    stamp(cur / "glossary.bn.yaml")

    content = load(content_tree)

    term = content.localized("bn").glossary.terms[0]  # type: ignore[union-attr]
    assert term.avoid == ["ভিকটিম", "নষ্ট মেয়ে"]
    assert content.translations[("curriculum/glossary.yaml", "bn")].translated == 3
    assert content.localized("hi").glossary.terms[0].avoid == ["victim"]  # type: ignore[union-attr]
