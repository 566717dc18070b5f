"""Translations: overlay with English fallback, coverage, staleness, stamping."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from facilitator.check import check
from facilitator.cli import main
from facilitator.coverage import report, stamp
from facilitator.load import collect, load_content
from facilitator.markdown import read_page
from facilitator.schema import SCHEMAS, schema_for
from facilitator.yamlfile import read_yaml

Edit = Callable[[Path, str, str], None]
BN = "modules/circle-of-trust/module.bn.yaml"


def test_localized_overlays_translated_strings_and_keeps_english_elsewhere(
    content_tree: Path,
) -> None:
    content = load_content(content_tree)
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


def test_coverage_counts_strings_and_pages(content_tree: Path) -> None:
    content, _ = collect(content_tree)
    assert content is not None
    bn = next(r for r in report(content) if r.language == "bn")
    module = next(u for u in bn.units if u.english == "modules/circle-of-trust/module.yaml")

    assert module.state == "draft"
    assert module.translated == 4  # title, two objectives, one session title
    assert module.total > module.translated
    notes = next(u for u in bn.units if u.english == "modules/circle-of-trust/notes.md")
    assert notes.state == "missing"
    assert 0 < bn.coverage < 1


def test_changing_english_makes_the_translation_stale_until_stamped(
    content_tree: Path, edit: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        content_tree / "modules/circle-of-trust/module.yaml",
        "A circle of trust",
        "A circle of trust and care",
    )

    main(["translations", "--root", str(content_tree)])
    out = capsys.readouterr().out
    assert "stale" in out and "modules/circle-of-trust/module.yaml" in out
    assert "bn:" in out and "1 stale" in out

    stamp(content_tree / BN)
    content, _ = collect(content_tree)
    assert content is not None
    bn = next(r for r in report(content) if r.language == "bn")
    assert bn.count("stale") == 0
    # stamping rewrites only the header: the translator's text and layout stay
    text = (content_tree / BN).read_text("utf-8")
    assert text.splitlines()[0].startswith('translation: {source: "')
    assert "  - দলের নিয়মগুলো একসাথে ঠিক করা।" in text


def test_stamp_keeps_reviewed_status_only_while_the_source_is_unchanged(
    content_tree: Path, edit: Edit
) -> None:
    digest = stamp(content_tree / BN, reviewed=True)
    header = YAML(typ="safe").load((content_tree / BN).read_text("utf-8"))["translation"]
    assert header == {"source": digest, "status": "reviewed"}
    stamp(content_tree / BN)
    assert "status: reviewed" in (content_tree / BN).read_text("utf-8")
    edit(content_tree / "modules/circle-of-trust/module.yaml", "Tea", "Tea and biscuits")
    stamp(content_tree / BN)
    assert "status: draft" in (content_tree / BN).read_text("utf-8")


def test_markdown_translation_falls_back_and_reports_staleness(content_tree: Path) -> None:
    notes = "modules/circle-of-trust/notes.md"
    page = read_page(content_tree, notes, "bn")
    assert page.fallback and page.language == "en" and "Background" in page.text

    translated = content_tree / "modules/circle-of-trust/notes.bn.md"
    translated.write_text(
        "# পটভূমি\n\nসেশনের আগে [শক্তির কার্ড](handouts/strength-card.md) পড়ুন।\n", "utf-8"
    )
    stamp(translated)
    page = read_page(content_tree, notes, "bn")
    assert not page.fallback and page.status == "draft" and not page.stale
    assert page.text.startswith("# পটভূমি")

    (content_tree / notes).write_text("# Background\n\nChanged.\n", "utf-8")
    assert read_page(content_tree, notes, "bn").stale


def test_translation_files_are_checked(content_tree: Path, edit: Edit) -> None:
    edit(content_tree / BN, "title: বিশ্বাসের বৃত্ত", "title: বিশ্বাসের বৃত্ত\nduration_minutes: 5")
    (content_tree / "modules/circle-of-trust/module.xx.yaml").write_text("title: x\n", "utf-8")
    (content_tree / "modules/circle-of-trust/module.hi.yaml").write_text(
        "title: विश्वास का घेरा\n", "utf-8"
    )

    problems = {(p.file, p.field, p.message) for p in check(content_tree)}

    assert (
        BN,
        "duration_minutes",
        "this field is not translated: leave it out of the translation",
    ) in problems
    assert any(
        f == "modules/circle-of-trust/module.xx.yaml" and "not a language" in m
        for f, _, m in problems
    )
    assert any(
        f == "modules/circle-of-trust/module.hi.yaml" and "missing header" in m
        for f, _, m in problems
    )


def test_json_schema_accepts_the_example_and_rejects_bad_input(content_tree: Path) -> None:
    parsed, _ = read_yaml(content_tree / "modules/circle-of-trust/module.yaml", content_tree)
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

    content = load_content(content_tree)

    term = content.localized("bn").glossary.terms[0]  # type: ignore[union-attr]
    assert term.avoid == ["ভিকটিম", "নষ্ট মেয়ে"]
    assert content.translations[("curriculum/glossary.yaml", "bn")].translated == 3
    assert content.localized("hi").glossary.terms[0].avoid == ["victim"]  # type: ignore[union-attr]
