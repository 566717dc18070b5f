"""Broken translations: what `facilitator translations --strict`, and so CI, fails on.

A missing or stale string is not broken: readers see the English, or the older translation,
with a note. Broken is what would mislead a reader or cannot be matched to the English:

- an orphan: a translation whose English file does not exist, or whose language is not in
  curriculum/curriculum.yaml;
- wrong structure: fields, ids or keys the English does not have (found by the overlay),
  front matter that cannot be read;
- wrong script: an up-to-date string or section with no letter of its language's script
  (the script of the language's own name in curriculum.yaml, such as বাংলা);
- a placeholder (`{language}`, `<!-- facilitator:... -->`) or a link of the English that an
  up-to-date translation has lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from facilitator.header import parse_record
from facilitator.markdown import read_page, split_front_matter
from facilitator.model import Language
from facilitator.problems import Problem
from facilitator.translate import StringState
from facilitator.yamlfile import YamlFile, line_of, source_hash

TRANSLATION_NAME = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[a-z]{2,3})\.(?P<ext>yaml|md)$")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|<!-- facilitator:[a-z-]+ -->")
LINK = re.compile(r"\]\((?P<target>[^)\s]+)")
# A translation may write its own language's name, in its own grammar, instead of this.
OPTIONAL = {"{language}"}
FOLDERS = {"curriculum": ("yaml",), "modules": ("yaml", "md"), "site": ("md",)}


@cache
def script_of(text: str) -> str | None:
    """The Unicode script most of the letters of `text` are in, such as BENGALI."""
    scripts = Counter(unicodedata.name(c, "").split(" ")[0] for c in text if c.isalpha())
    return scripts.most_common(1)[0][0] if scripts else None


@cache
def _in_script(letter: str, script: str) -> bool:
    return unicodedata.name(letter, "").startswith(script + " ")


def _script_problem(text: str, language: Language, english_script: str | None) -> str | None:
    script = script_of(language.name)
    if script is None or script == english_script:
        return None  # a language written like English: nothing to tell them apart by
    letters = False
    for c in text:
        if c.isalpha():
            if _in_script(c, script):
                return None
            letters = True
    if not letters:
        return None
    return (
        f"this text has no letters of the {script.title()} script: is it written in "
        f"{language.name}? Write it in {language.name}, or leave it out to show the English"
    )


def _lost(english: str, text: str) -> str | None:
    wanted = set(PLACEHOLDER.findall(english))
    for placeholder in PLACEHOLDER.findall(english):
        if placeholder not in text and placeholder not in OPTIONAL:
            return (
                f"the translation has lost {placeholder}, which the English has: "
                "copy it into the translation as it is"
            )
    for placeholder in PLACEHOLDER.findall(text):
        if placeholder not in wanted:
            return (
                f"{placeholder} is not in the English, so nothing can fill it in: "
                "write the words themselves, or use only the English's placeholders"
            )
    kept = set(LINK.findall(text))
    for target in LINK.findall(english):
        if target not in kept:
            return (
                f"the translation has lost the link to '{target}': keep the link "
                f"(the part in brackets, ({target})) as the English has it"
            )
    return None


def text_problem(
    english: str, text: str, language: Language, english_script: str | None
) -> str | None:
    """What is broken in one up-to-date translated string or section, if anything."""
    if text.strip() == english.strip():
        return None  # kept as the English on purpose (a name, a number)
    return _script_problem(text, language, english_script) or _lost(english, text)


def string_problems(
    parsed: YamlFile,
    strings: Iterable[StringState],
    language: Language,
    english_script: str | None,
) -> list[Problem]:
    """Broken strings of one YAML translation (stale and missing ones are not checked)."""
    problems = []
    for s in strings:
        if s.text is None or s.state == "stale":
            continue
        message = text_problem(s.english, s.text, language, english_script)
        if message:
            problems.append(Problem(parsed.rel, line_of(parsed.nodes, s.loc), s.path, message))
    return problems


def orphans(root: Path, languages: Iterable[str]) -> list[Problem]:
    """Translation files with no English beside them, or in a language the handbook lacks."""
    known = set(languages)
    problems = []
    for path in _translation_files(root):
        match = TRANSLATION_NAME.match(path.name)
        assert match is not None
        rel = path.relative_to(root).as_posix()
        english = f"{match['stem']}.{match['ext']}"
        if match["lang"] not in known:
            problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    f"'{match['lang']}' is not a language of the handbook (see languages in "
                    "curriculum/curriculum.yaml): rename the file or delete it",
                )
            )
        elif not path.with_name(english).is_file():
            problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    f"this translates {english}, which is not beside it (deleted or renamed?): "
                    f"delete this file, or rename it to match the English file's new name",
                )
            )
    return problems


def _translation_files(root: Path) -> list[Path]:
    found = []
    for folder, extensions in FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        for ext in extensions:
            for path in sorted(base.rglob(f"*.{ext}")):
                if "overrides" not in path.parts and TRANSLATION_NAME.match(path.name):
                    found.append(path)
    return found


def markdown_problems(
    root: Path, languages: list[Language], default_language: str
) -> list[Problem]:
    """Broken Markdown translations (module notes, handouts, the handbook's own pages)."""
    by_code = {lang.code: lang for lang in languages}
    default = by_code.get(default_language)
    english_script = script_of(default.name) if default else None
    problems: list[Problem] = []
    for path in _translation_files(root):
        match = TRANSLATION_NAME.match(path.name)
        assert match is not None
        english = path.with_name(f"{match['stem']}.md")
        language = by_code.get(match["lang"])
        if match["ext"] != "md" or language is None or not english.is_file():
            continue  # orphans are reported by `orphans`
        rel = path.relative_to(root).as_posix()
        meta, _ = split_front_matter(path.read_text("utf-8"))
        _, found = parse_record(meta, rel, 1, source_hash(english.read_bytes()), "sections")
        problems += found
        english_rel = english.relative_to(root).as_posix()
        page = read_page(root, english_rel, language.code, default_language)
        if page.legacy:
            if not page.stale:
                message = text_problem(
                    "\n".join(s.english for s in page.sections), page.text, language, english_script
                )
                if message:
                    problems.append(Problem(rel, None, "", message))
            continue
        for number, section in enumerate(page.sections, start=1):
            if section.translated is None or section.state == "stale":
                continue
            message = text_problem(section.english, section.text, language, english_script)
            if message:
                problems.append(Problem(rel, section.line, f"section {number}", message))
    return problems
