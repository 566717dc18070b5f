"""What a translation records about its English: which English each string was made from,
and whether a native speaker has reviewed it.

A YAML translation ends with a block that `facilitator translations stamp` writes:

    # Kept by `facilitator translations stamp`: the English each string was translated from.
    translation:
      status: draft                  # every string's status, unless the string says otherwise
      strings:
        title: "3f2a9c1b"            # the hash of the English string this translates
        sessions[strengths].title: {source: "1c2d3e4f", status: reviewed}

A Markdown translation keeps the same in its front matter, one entry per section (a section
runs from one heading to the next), with the hash of the English heading, which finds a
section again when only its text changed:

    ---
    status: draft
    sections:
      - {source: "3f2a9c1b", heading: "77a0c2e1"}
      - {source: "1c2d3e4f", heading: "5b6d1f0a", status: reviewed}
    ---

The older header, `translation: {source: <hash of the whole English file>, status: draft}`,
still loads: all of its strings are up to date, or all stale, together.
`facilitator translations upgrade` turns it into the per-string header.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from facilitator.problems import Problem
from facilitator.yamlfile import YamlFile, line_of

Status = Literal["draft", "reviewed"]
STATUSES: tuple[Status, ...] = ("draft", "reviewed")
UNKNOWN = "unknown"  # the source of a string whose English is not known: always stale
MARKER = "# Kept by `facilitator translations stamp`: the English each string was translated from."
YAML_BLOCK = re.compile(
    r"^(?:" + re.escape(MARKER) + r"\n)?translation:.*(?:\n|\Z)(?:[ \t]+.*(?:\n|\Z))*",
    re.MULTILINE,
)
PLAIN_KEY = re.compile(r"^[a-z_][a-z0-9_-]*(?:\[[a-z0-9-]+\]|\.[a-z0-9_-]+)*$")


@dataclass(frozen=True)
class Mark:
    """What a translation recorded for one string."""

    source: str | None  # hash of the English it was made from; None: never stamped
    status: Status
    heading: str | None = None  # a Markdown section: the hash of its English heading


@dataclass
class Record:
    """A translation's header: a default status and a mark per string (or per section)."""

    status: Status = "draft"
    marks: dict[str, Mark] | None = field(default_factory=dict)  # None: the older header
    legacy_fresh: bool = False  # the older header: the whole English is unchanged

    @property
    def legacy(self) -> bool:
        return self.marks is None

    def mark(self, key: str | None, current: str) -> Mark:
        """The mark of the string at `key`, whose English now hashes to `current`."""
        if self.marks is None:
            return Mark(current if self.legacy_fresh else UNKNOWN, self.status)
        found = self.marks.get(key) if key is not None else None
        return found or Mark(None, self.status)


# ---------------------------------------------------------------- reading


def _problem(rel: str, line: int | None, where: str, message: str) -> Problem:
    return Problem(rel, line, where, message)


def parse_record(
    header: Any, rel: str, line: int | None, whole_hash: str, entries: str
) -> tuple[Record | None, list[Problem]]:
    """Read a header (the `translation:` mapping, or Markdown front matter).

    `entries` is where the marks are: `strings` (a mapping) or `sections` (a list);
    `whole_hash` is the English file's hash now, for the older header.
    """
    where = "translation" if entries == "strings" else "front matter"
    if not isinstance(header, dict) or not (
        entries in header or "source" in header or "status" in header
    ):
        return None, [
            _problem(
                rel,
                line,
                where,
                "this translation has no stamp yet: run `facilitator translations stamp "
                f"{rel}` after translating",
            )
        ]
    problems: list[Problem] = []
    status = header.get("status", "draft")
    if status not in STATUSES:
        problems.append(_problem(rel, line, f"{where}.status", "status must be draft or reviewed"))
        status = "draft"
    if entries not in header:
        source = header.get("source")
        if not isinstance(source, str) or not source:
            problems.append(
                _problem(rel, line, f"{where}.source", "the stamp is incomplete: stamp it again")
            )
        return Record(status, None, legacy_fresh=source == whole_hash), problems
    raw = header[entries]
    items: list[tuple[str, Any]]
    if entries == "strings" and isinstance(raw, dict):
        items = [(str(k), v) for k, v in raw.items()]
    elif entries == "sections" and isinstance(raw, list):
        items = [(str(i), v) for i, v in enumerate(raw)]
    else:
        kind = "a list" if entries == "sections" else "a mapping"
        return Record(status, {}), [
            _problem(rel, line, f"{where}.{entries}", f"must be {kind}: stamp the file again")
        ]
    marks: dict[str, Mark] = {}
    for key, value in items:
        mark = _mark(value, status)
        if mark is None:
            problems.append(
                _problem(
                    rel,
                    line,
                    f"{where}.{entries}",
                    f"the stamp of '{key}' is not a hash or {{source: ..., status: ...}}",
                )
            )
        else:
            marks[key] = mark
    return Record(status, marks), problems


def read_yaml_header(parsed: YamlFile, whole_hash: str) -> tuple[Record | None, list[Problem]]:
    """The `translation:` block of a YAML translation, and any problem with it."""
    record, problems = parse_record(
        parsed.data.get("translation"), parsed.rel, None, whole_hash, "strings"
    )
    if problems:  # place them: the parse with lines runs only when there is a problem
        line = line_of(parsed.nodes, ("translation",))
        problems = [Problem(p.file, line, p.field, p.message) for p in problems]
    return record, problems


def _mark(value: Any, default: Status) -> Mark | None:
    if isinstance(value, str | int):  # a hash of digits only reads as a number
        return Mark(str(value), default)
    if isinstance(value, dict) and isinstance(value.get("source"), str | int):
        status = value.get("status", default)
        heading = value.get("heading")
        if status not in STATUSES:
            return None
        return Mark(str(value["source"]), status, str(heading) if heading is not None else None)
    return None


# ---------------------------------------------------------------- writing


def _scalar(text: str) -> str:
    """A YAML scalar: plain where that reads back the same, else double-quoted."""
    return text if PLAIN_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def _entry(mark: Mark, default: Status) -> str:
    source = json.dumps(mark.source or UNKNOWN)
    more = f", heading: {json.dumps(mark.heading)}" if mark.heading else ""
    more += f", status: {mark.status}" if mark.status != default else ""
    return f"{{source: {source}{more}}}" if more else source


def _default(marks: dict[str, Mark], fallback: Status) -> Status:
    statuses = {m.status for m in marks.values()}
    return statuses.pop() if len(statuses) == 1 else fallback


def yaml_block(marks: dict[str, Mark], status: Status) -> str:
    """The block at the end of a YAML translation, marks in the order given."""
    status = _default(marks, status)
    lines = [MARKER, "translation:", f"  status: {status}"]
    if marks:
        lines.append("  strings:")
        lines += [f"    {_scalar(k)}: {_entry(m, status)}" for k, m in marks.items()]
    else:
        lines.append("  strings: {}")
    return "\n".join(lines) + "\n"


def with_yaml_block(text: str, block: str) -> str:
    """The translation's text with its header replaced by `block`, written at the end.

    Only the header changes: the translator's text, layout and comments stay as written.
    """
    body = YAML_BLOCK.sub("", text).rstrip("\n")
    return (body + "\n\n" if body else "") + block


def front_matter(meta: dict[str, Any], marks: list[Mark], status: Status) -> str:
    """Markdown front matter with one mark per section; other keys are kept."""
    status = _default({str(i): m for i, m in enumerate(marks)}, status)
    lines = [f"status: {status}", "sections:" if marks else "sections: []"]
    lines += [f"  - {_entry(m, status)}" for m in marks]
    for key, value in meta.items():
        if key not in ("source", "status", "sections"):
            lines.append(f"{_scalar(str(key))}: {json.dumps(value, ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---\n"
