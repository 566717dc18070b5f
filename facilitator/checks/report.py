"""Placing a problem: in which file, on which line, at which field of an object."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from facilitator.load import Content
from facilitator.problems import Problem, Severity
from facilitator.yamlfile import YamlFile, field_path, line_of


@dataclass
class Report:
    """The problems found in one file. Lines are looked up only for a problem to place, since
    that needs the slower round-trip parse of the file."""

    file: YamlFile
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def of(cls, content: Content, kind: str, obj_id: str) -> Report:
        return cls(content.files[content.sources[(kind, obj_id)]])

    def add(
        self,
        message: str,
        *loc: int | str,
        severity: Severity = "error",
        near: tuple[int | str, ...] | None = None,
    ) -> None:
        """A problem at `loc`; for a field the file lacks, on the line of `near` instead."""
        line = line_of(self.file.nodes, near or loc)
        self.problems.append(Problem(self.file.rel, line, field_path(loc), message, severity))


def known(content: Content, kind: str, obj_id: str) -> bool:
    """Whether `obj_id` names an object of `kind`, counting files that did not load: their
    own problem is reported already, and a second message would only mislead."""
    loaded: dict[str, Mapping[str, object]] = {
        "module": content.modules,
        "programme": content.programmes,
        "instrument": content.instruments,
        "evaluation_form": content.evaluation_forms,
    }
    return obj_id in loaded[kind] or (kind, obj_id) in content.unreadable


def repeats(ids: Iterable[str]) -> list[tuple[int, str]]:
    """(position, id) of every id that appeared earlier in the list."""
    seen: Counter[str] = Counter()
    out = []
    for position, one in enumerate(ids):
        if seen[one]:
            out.append((position, one))
        seen[one] += 1
    return out
