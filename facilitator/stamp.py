"""Stamping a translation: recording, per string, which English it was made from.

    facilitator translations stamp modules/x/module.bn.yaml            # every string
    facilitator translations stamp modules/x/module.bn.yaml --field sessions[intro].title
    facilitator translations stamp modules/x/notes.bn.md --field 3     # the third section
    facilitator translations stamp modules/x/module.bn.yaml --reviewed

A string that is up to date keeps its status; a stale or never-stamped one is stamped as a
draft (or as reviewed, with --reviewed). Only the header changes: the translated text, its
layout and comments stay as written. Pages of the handbook itself (site/) are shown whole,
so their translations keep one stamp for the whole page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from facilitator.header import (
    UNKNOWN,
    Mark,
    Record,
    front_matter,
    parse_record,
    with_yaml_block,
    yaml_block,
)
from facilitator.load import MODELS, Content, collect, english_object
from facilitator.markdown import heading_hash, read_page, split_front_matter, split_sections
from facilitator.translate import StringState, overlay
from facilitator.translation_checks import TRANSLATION_NAME
from facilitator.yamlfile import plain, source_hash


@dataclass(frozen=True)
class Stamped:
    file: str
    stamped: int  # strings or sections whose stamp changed
    note: str = ""  # anything the translator should know

    def __str__(self) -> str:
        return f"{self.file}: {self.stamped} stamped" + (f"; {self.note}" if self.note else "")


def content_root(path: Path) -> Path:
    """The content root above a file: the folder holding curriculum/curriculum.yaml."""
    for folder in path.resolve().parents:
        if (folder / "curriculum" / "curriculum.yaml").is_file():
            return folder
    raise ValueError(f"{path}: not inside a content folder (no curriculum/curriculum.yaml above)")


def _selected(path: str, fields: Sequence[str]) -> bool:
    return not fields or any(path == f or path.startswith((f + ".", f + "[")) for f in fields)


def _new_mark(old: Mark, current: str, stale: bool, selected: bool, reviewed: bool) -> Mark:
    if not selected:
        return old
    if reviewed:
        return Mark(current, "reviewed")
    return Mark(current, "draft") if stale else Mark(current, old.status)


def stamp(
    path: Path,
    reviewed: bool = False,
    fields: Sequence[str] = (),
    content: Content | None = None,
) -> Stamped:
    """Stamp one translation file; raise ValueError (nothing written) if it cannot be."""
    match = TRANSLATION_NAME.match(path.name)
    if not match:
        raise ValueError(f"{path}: not a translation file (expected NAME.<lang>.yaml or .md)")
    english = path.with_name(f"{match['stem']}.{match['ext']}")
    if not english.is_file():
        raise ValueError(f"{path}: no English file {english.name} beside it")
    root = content_root(path)
    rel = path.resolve().relative_to(root).as_posix()
    if match["ext"] == "md":
        if not rel.startswith("modules/"):
            return _stamp_whole_page(path, english, rel, reviewed)
        return _stamp_markdown(path, english, root, match["lang"], reviewed, fields)
    if content is None:
        content, _ = collect(root)
    if content is None:
        raise ValueError(f"{path}: the curriculum does not load: run `facilitator check`")
    return _stamp_yaml(path, english, root, content, reviewed, fields)


def _stamp_yaml(
    path: Path, english: Path, root: Path, content: Content, reviewed: bool, fields: Sequence[str]
) -> Stamped:
    rel = path.resolve().relative_to(root).as_posix()
    english_rel = english.resolve().relative_to(root).as_posix()
    kind = next((k for k, r in content.sources.items() if r == english_rel), None)
    if kind is None:
        raise ValueError(f"{path}: {english_rel} has errors: run `facilitator check` first")
    text = path.read_text("utf-8")
    try:
        data = yaml_data(text) or {}
    except YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML, nothing written: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the file must be a mapping of fields (key: value)")
    record = _record(data.get("translation"), rel, english, "strings")
    obj = english_object(content, *kind)
    assert obj is not None
    strings = overlay(MODELS[kind[0]], obj.model_dump(mode="json"), data, rel, record).strings
    marks, changed = _marks(strings, fields, reviewed)
    if fields and not any(_selected(s.path, fields) and s.text is not None for s in strings):
        raise ValueError(
            f"{path}: no translated string at {', '.join(fields)} "
            "(`facilitator translations -v` lists the places)"
        )
    path.write_text(with_yaml_block(text, yaml_block(marks, record.status)), "utf-8")
    return Stamped(rel, changed)


def yaml_data(text: str) -> Any:
    """Plain data of a YAML text, read as `facilitator check` reads it (libyaml, and
    ruamel's own parser where libyaml is stricter)."""
    try:
        return YAML(typ="safe").load(text)
    except MarkedYAMLError:
        return plain(YAML(typ="rt").load(text))


def _record(header: object, rel: str, english: Path, entries: str) -> Record:
    record, _ = parse_record(header, rel, None, source_hash(english.read_bytes()), entries)
    return record or Record()


def _marks(
    strings: Sequence[StringState], fields: Sequence[str], reviewed: bool
) -> tuple[dict[str, Mark], int]:
    marks: dict[str, Mark] = {}
    changed = 0
    for s in strings:
        if s.key is None or s.text is None:
            continue
        old = Mark(s.mark.source or UNKNOWN, s.mark.status)
        new = _new_mark(old, s.current, s.state == "stale", _selected(s.path, fields), reviewed)
        changed += new != s.mark
        marks[s.key] = new
    return marks, changed


def _stamp_markdown(
    path: Path, english: Path, root: Path, lang: str, reviewed: bool, fields: Sequence[str]
) -> Stamped:
    text = path.read_text("utf-8")
    meta, body = split_front_matter(text)
    english_rel = english.resolve().relative_to(root).as_posix()
    rel = path.resolve().relative_to(root).as_posix()
    record = _record(meta, rel, english, "sections")
    page = read_page(root, english_rel, lang)
    parts = split_sections(body)
    if record.legacy and len(parts) != len(page.sections):
        raise ValueError(
            f"{path}: the translation has {len(parts)} sections and the English "
            f"{len(page.sections)} (a section starts at each heading): give each English "
            "heading its translated heading, then stamp again"
        )
    marks = [
        (record.marks or {}).get(str(j)) or Mark(UNKNOWN, record.status) for j in range(len(parts))
    ]
    changed = 0
    matched = False
    for number, section in enumerate(page.sections, start=1):
        if section.translated is None:
            continue
        if fields and str(number) not in fields:
            continue
        matched = True
        new = _new_mark(
            Mark(section.mark.source or UNKNOWN, section.mark.status),
            section.current,
            section.state == "stale",
            True,
            reviewed,
        )
        changed += new.source != section.mark.source or new.status != section.mark.status
        marks[section.translated] = replace(new, heading=heading_hash(section.english))
    if fields and not matched:
        raise ValueError(f"{path}: no translated section numbered {', '.join(fields)}")
    unused = len(parts) - sum(1 for s in page.sections if s.translated is not None)
    note = (
        f"{unused} section(s) of the translation match no English section and are not shown"
        if unused
        else ""
    )
    path.write_text(front_matter(meta, marks, record.status) + body.lstrip("\n"), "utf-8")
    return Stamped(rel, changed, note)


def _stamp_whole_page(path: Path, english: Path, rel: str, reviewed: bool) -> Stamped:
    """A page of the handbook itself: one stamp, the hash of the whole English file."""
    digest = source_hash(english.read_bytes())
    meta, body = split_front_matter(path.read_text("utf-8"))
    fresh = meta.get("source") == digest
    status = "reviewed" if reviewed or (fresh and meta.get("status") == "reviewed") else "draft"
    lines = [f"source: '{digest}'", f"status: {status}"]
    lines += [f"{k}: {v}" for k, v in meta.items() if k not in ("source", "status")]
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body.lstrip("\n"), "utf-8")
    return Stamped(rel, 0 if fresh and status == meta.get("status") else 1)
