"""Checks across files: references, timings, the spiral's order, disclosure rules, Markdown
links.

Every check returns Problems; nothing here raises or writes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from facilitator.care import check_care
from facilitator.disclosure import check_disclosure
from facilitator.load import Content, collect
from facilitator.model import Module, Topic
from facilitator.problems import Problem
from facilitator.yamlfile import line_of

LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
LANG_SUFFIX = re.compile(r"\.[a-z]{2,3}\.md$")


def check(root: Path) -> list[Problem]:
    """Everything `facilitator check` reports, errors and warnings, sorted by file and line."""
    content, problems = collect(root)
    if content is not None:
        problems += check_references(content)
        problems += check_markdown_links(content)
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))


def _at(content: Content, kind: str, obj_id: str, *loc: int | str) -> tuple[str, int | None]:
    rel = content.sources[(kind, obj_id)]
    return rel, line_of(content.files[rel].nodes, loc)


def _dupes(ids: Iterable[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def check_references(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    methods = {m.id for m in content.curriculum.methods}
    topics = {t.id: t for t in content.curriculum.topics}
    cur = "curriculum/curriculum.yaml"
    for dup in _dupes(m.id for m in content.curriculum.methods):
        problems.append(Problem(cur, None, "methods", f"duplicate method id '{dup}'"))
    for dup in _dupes(t.id for t in content.curriculum.topics):
        problems.append(Problem(cur, None, "topics", f"duplicate topic id '{dup}'"))
    if sum(lang.default for lang in content.languages) != 1:
        problems.append(
            Problem(
                cur,
                line_of(content.files[cur].nodes, ("languages",)),
                "languages",
                "exactly one language must be the default",
            )
        )

    for programme in content.programmes.values():
        problems += _check_programme(content, programme.id)
    for module in content.modules.values():
        problems += _check_module(content, module, methods, topics)
    for instrument in content.instruments.values():
        where = content.sources[("instrument", instrument.id)]
        for dup in _dupes(i.id for i in instrument.items):
            problems.append(Problem(where, None, "items", f"duplicate item id '{dup}'"))
        if instrument.kind != "yes_no" and len(instrument.scale) < 2:
            rel, line = _at(content, "instrument", instrument.id, "scale")
            problems.append(
                Problem(
                    rel, line, "scale", f"a {instrument.kind} instrument needs a scale of 2+ points"
                )
            )
    for form in content.evaluation_forms.values():
        where = content.sources[("evaluation_form", form.id)]
        for dup in _dupes(o.id for o in form.options):
            problems.append(Problem(where, None, "options", f"duplicate option id '{dup}'"))
    if content.glossary is not None:
        for dup in _dupes(t.id for t in content.glossary.terms):
            problems.append(
                Problem("curriculum/glossary.yaml", None, "terms", f"duplicate term id '{dup}'")
            )
    problems += check_disclosure(content)
    problems += check_care(content)
    return problems


def _check_programme(content: Content, programme_id: str) -> list[Problem]:
    problems = []
    programme = content.programmes[programme_id]
    for i, module_id in enumerate(programme.modules):
        rel, line = _at(content, "programme", programme_id, "modules", i)
        module = content.modules.get(module_id)
        if module is None:
            problems.append(
                Problem(rel, line, f"modules[{i}]", f"no module '{module_id}' in modules/")
            )
            continue
        if module.programme != programme_id:
            problems.append(
                Problem(
                    rel,
                    line,
                    f"modules[{i}]",
                    f"module '{module_id}' says it belongs to programme '{module.programme}'",
                )
            )
        earlier = set(programme.modules[:i])
        for dep in module.builds_on:
            if dep in programme.modules and dep not in earlier:
                problems.append(
                    Problem(
                        rel,
                        line,
                        f"modules[{i}]",
                        f"'{module_id}' builds on '{dep}', which comes after "
                        "it in this programme's order",
                    )
                )
    for dup in _dupes(programme.modules):
        rel, line = _at(content, "programme", programme_id, "modules")
        problems.append(Problem(rel, line, "modules", f"module '{dup}' is listed twice"))
    return problems


def _check_module(
    content: Content, module: Module, methods: set[str], topics: dict[str, Topic]
) -> list[Problem]:
    problems: list[Problem] = []

    def at(message: str, *loc: int | str, severity: str = "error") -> None:
        rel, line = _at(content, "module", module.id, *loc)
        field = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in loc).lstrip(".")
        problems.append(Problem(rel, line, field, message, severity))  # type: ignore[arg-type]

    folder = content.root / content.sources[("module", module.id)]
    folder = folder.parent
    programme = content.programmes.get(module.programme)
    if programme is None:
        at(f"no programme '{module.programme}' in curriculum/programmes/", "programme")
    else:
        if module.id not in programme.modules:
            at(f"programme '{programme.id}' does not list this module", "programme")
        if programme.spiral and module.phase is None:
            at("the programme follows the Me-We-Us spiral: give a phase (me, we or us)", "id")
    for i, method in enumerate(module.methods):
        if method not in methods:
            at(f"'{method}' is not a method in curriculum/curriculum.yaml", "methods", i)
    for i, topic in enumerate(module.topics):
        if topic not in topics:
            at(f"'{topic}' is not a topic in curriculum/curriculum.yaml", "topics", i)
    for i, dep in enumerate(module.builds_on):
        if dep not in content.modules:
            at(f"builds on '{dep}', which is not a module", "builds_on", i)
    total = sum(s.minutes for s in module.sessions)
    if total != module.duration_minutes:
        at(
            f"sessions add up to {total} minutes, but duration_minutes is "
            f"{module.duration_minutes}",
            "duration_minutes",
        )
    handout_ids = {h.id for h in module.handouts}
    for kind, ids in (
        ("session", [s.id for s in module.sessions]),
        ("handout", [h.id for h in module.handouts]),
        ("expected change", [c.id for c in module.expected_changes]),
    ):
        for dup in _dupes(ids):
            at(f"duplicate {kind} id '{dup}'", "id")
    days = [s.day for s in module.sessions]
    if days != sorted(days):
        at("sessions must be in day order", "sessions")
    for i, session in enumerate(module.sessions):
        if session.kind == "activity" and session.method is None:
            at("an activity needs a method", "sessions", i, "method")
        if session.method is not None and session.method not in methods:
            at(
                f"'{session.method}' is not a method in curriculum/curriculum.yaml",
                "sessions",
                i,
                "method",
            )
        if session.kind == "activity" and not session.steps:
            at("an activity needs steps", "sessions", i, "steps")
        for j, handout in enumerate(session.handouts):
            if handout not in handout_ids:
                at(
                    f"no handout '{handout}' in this module's handouts",
                    "sessions",
                    i,
                    "handouts",
                    j,
                )
    hard = [t for t in module.topics if t in topics and topics[t].hard]
    if hard and not any(s.care for s in module.sessions):
        at(f"touches hard topics ({', '.join(hard)}) but no session has a care note", "topics")
    if module.notes and not (folder / module.notes).is_file():
        at(f"notes file '{module.notes}' not found beside module.yaml", "notes")
    for i, handout_file in enumerate(h.file for h in module.handouts):
        if not (folder / handout_file).is_file():
            at(f"handout file '{handout_file}' not found beside module.yaml", "handouts", i, "file")
    for i, instrument_id in enumerate(module.instruments):
        if instrument_id not in content.instruments:
            at(f"no instrument '{instrument_id}' in curriculum/instruments/", "instruments", i)
    for i, form in enumerate(module.evaluation_forms):
        if form not in content.evaluation_forms:
            at(
                f"no evaluation form '{form}' in curriculum/evaluation_forms/",
                "evaluation_forms",
                i,
            )
    for i, change in enumerate(module.expected_changes):
        if not change.measured_by:
            at(
                f"expected change '{change.id}' is measured by no instrument item",
                "expected_changes",
                i,
                severity="warning",
            )
        for j, ref in enumerate(change.measured_by):
            problem = _item_problem(content, module, ref)
            if problem:
                at(problem, "expected_changes", i, "measured_by", j)
    return problems


def _item_problem(content: Content, module: Module, ref: str) -> str | None:
    instrument_id, _, item_id = ref.partition("/")
    instrument = content.instruments.get(instrument_id)
    if instrument is None:
        return f"'{ref}': no instrument '{instrument_id}'"
    if instrument_id not in module.instruments:
        return f"'{ref}': the module does not list instrument '{instrument_id}'"
    if item_id not in {item.id for item in instrument.items}:
        return f"'{ref}': instrument '{instrument_id}' has no item '{item_id}'"
    return None


def check_markdown_links(content: Content) -> list[Problem]:
    """Relative links in module Markdown and site pages must reach a page that exists."""
    from facilitator.pages import generated_pages

    problems: list[Problem] = []
    root = content.root
    for md in sorted((root / "modules").rglob("*.md")):
        problems += _links_in(md, root, lambda target: target.is_file())
    site = root / "site"
    generated = {PurePosixPath(p) for p in generated_pages(content)}

    def in_site(target: Path) -> bool:
        rel = (
            PurePosixPath(target.resolve().relative_to(site.resolve()).as_posix())
            if target.resolve().is_relative_to(site.resolve())
            else None
        )
        return target.is_file() or (rel is not None and rel in generated)

    for md in sorted(site.rglob("*.md")) if site.is_dir() else []:
        if "overrides" in md.parts:
            continue
        problems += _links_in(md, root, in_site)
    return problems


def _links_in(md: Path, root: Path, exists: object) -> list[Problem]:
    problems = []
    rel = md.relative_to(root).as_posix()
    for lineno, line in enumerate(md.read_text("utf-8").splitlines(), start=1):
        for match in LINK.finditer(line):
            target = match["target"]
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
                continue
            path_part = target.split("#", 1)[0]
            if not path_part:
                continue
            resolved = md.parent / path_part
            if not exists(resolved):  # type: ignore[operator]
                problems.append(Problem(rel, lineno, "link", f"link to '{target}' goes nowhere"))
    return problems
