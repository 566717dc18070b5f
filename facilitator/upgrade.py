"""Turning the older whole-file stamp into per-string stamps (`facilitator translations
upgrade`). Running it again changes nothing.

A translation stamped when its English was as it is now comes out up to date, each string
keeping the file's status. For one stamped from an older English, that English is looked
up in git history (the version whose hash the stamp recorded): each string is stamped with
the English it was really made from, so only the strings whose English changed since come
out stale. Where that version cannot be found, every string comes out stale.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.error import YAMLError

from facilitator.header import (
    UNKNOWN,
    Mark,
    Record,
    Status,
    front_matter,
    with_yaml_block,
    yaml_block,
)
from facilitator.load import MODELS, Content, collect
from facilitator.markdown import heading_hash, split_front_matter, split_sections
from facilitator.stamp import yaml_data
from facilitator.translate import overlay
from facilitator.translation_checks import TRANSLATION_NAME
from facilitator.yamlfile import source_hash, string_hash

FOLDERS = ("curriculum", "modules")  # site/ pages are shown whole and keep one stamp
HISTORY_LIMIT = 300  # commits of an English file searched for the version a stamp names


@dataclass(frozen=True)
class Upgraded:
    file: str
    outcome: str  # up to date, stale since <what>, all stale

    def __str__(self) -> str:
        return f"{self.file}: {self.outcome}"


def english_at(root: Path, rel: str, digest: str) -> bytes | None:
    """The version of the English file `rel` whose hash is `digest`, from git history."""
    try:
        log = subprocess.run(
            ["git", "-C", str(root), "log", f"-{HISTORY_LIMIT}", "--format=%H", "--", rel],
            capture_output=True,
            check=True,
        ).stdout.decode()
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True, check=True
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return None
    for commit in log.split():
        shown = subprocess.run(
            ["git", "-C", str(root), "show", f"{commit}:{top.strip()}{rel}"], capture_output=True
        )
        if shown.returncode == 0 and source_hash(shown.stdout) == digest:
            return shown.stdout
    return None


def upgrade(root: Path) -> list[Upgraded]:
    """Give every translation under curriculum/ and modules/ per-string stamps."""
    root = root.resolve()
    content, _ = collect(root)
    done = []
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.*.*")):
            match = TRANSLATION_NAME.match(path.name)
            english = path.with_name(f"{match['stem']}.{match['ext']}") if match else None
            if match is None or english is None or not english.is_file():
                continue
            if match["ext"] == "md":
                result = _upgrade_markdown(root, path, english)
            elif content is not None:
                result = _upgrade_yaml(root, path, english, content)
            else:
                result = None
            if result is not None:
                done.append(result)
    return done


def _legacy(header: Any) -> tuple[str, Status] | None:
    """(source, status) of an older stamp; None for a per-string one or none at all."""
    if not isinstance(header, dict) or "source" not in header:
        return None
    if "strings" in header or "sections" in header:
        return None
    status: Status = "reviewed" if header.get("status") == "reviewed" else "draft"
    return str(header["source"]), status


def _upgrade_yaml(root: Path, path: Path, english: Path, content: Content) -> Upgraded | None:
    rel = path.relative_to(root).as_posix()
    english_rel = english.relative_to(root).as_posix()
    text = path.read_text("utf-8")
    try:
        data = yaml_data(text) or {}
    except YAMLError:
        return None
    legacy = _legacy(data.get("translation")) if isinstance(data, dict) else None
    kind = next((k for k, r in content.sources.items() if r == english_rel), None)
    if legacy is None or kind is None:
        return None
    source, status = legacy
    model = MODELS[kind[0]]
    now = english.read_bytes()
    if source == source_hash(now):
        made_from, outcome = _english_data(model, now), "up to date"
    else:
        old = english_at(root, english_rel, source)
        made_from = _english_data(model, old) if old is not None else None
        outcome = "stale where the English changed" if made_from else "all stale (no history)"
    record = Record(status, None, legacy_fresh=True)
    base = made_from if made_from is not None else _english_data(model, now)
    marks = {
        s.key: Mark(s.current if made_from is not None else UNKNOWN, status)
        for s in overlay(model, base or {}, data, rel, record).strings
        if s.key is not None and s.text is not None
    }
    path.write_text(with_yaml_block(text, yaml_block(marks, status)), "utf-8")
    return Upgraded(rel, outcome)


def _english_data(model: type[BaseModel], raw: bytes) -> dict[str, Any] | None:
    """An English file's data as the overlay reads it: validated where it still is."""
    try:
        data = yaml_data(raw.decode("utf-8"))
    except (UnicodeDecodeError, YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        return model.model_validate(data).model_dump(mode="json")
    except ValidationError:
        return data  # an older shape: its strings are still where they were


def _upgrade_markdown(root: Path, path: Path, english: Path) -> Upgraded | None:
    rel = path.relative_to(root).as_posix()
    meta, body = split_front_matter(path.read_text("utf-8"))
    legacy = _legacy(meta)
    if legacy is None:
        return None
    source, status = legacy
    now = english.read_bytes()
    made_from = (
        now
        if source == source_hash(now)
        else english_at(root, english.relative_to(root).as_posix(), source)
    )
    parts = split_sections(body)
    old = split_sections(split_front_matter(made_from.decode("utf-8"))[1]) if made_from else []
    if made_from is not None and len(old) == len(parts):
        marks = [Mark(string_hash(text), status, heading_hash(text)) for _, text in old]
        outcome = "up to date" if made_from == now else "stale where the English changed"
    else:
        marks = [Mark(UNKNOWN, status) for _ in parts]
        outcome = "all stale (" + ("no history" if made_from is None else "sections differ") + ")"
    path.write_text(front_matter(meta, marks, status) + body.lstrip("\n"), "utf-8")
    return Upgraded(rel, outcome)
