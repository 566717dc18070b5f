"""Starting a module or a handout from a skeleton that already passes `facilitator check`.

    new_module(root, "my-module", "utthan", phase="us")  # modules/my-module/ + the programme
    new_handout(root, "my-module", "my-card")              # handouts/my-card.md + module.yaml

Skeletons are English only: translations come later, one file at a time. The files an author
already has (the programme, the module) are edited round-trip, so their comments and layout
stay as they were. Refusals are ScaffoldError, with the message the author reads.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from facilitator.fixits import as_id, did_you_mean, one_of
from facilitator.load import Content, collect
from facilitator.model import ID_PATTERN, Phase, Programme
from facilitator.scaffold_text import HANDOUT, MODULE, NOTES

PHASES = [phase.value for phase in Phase]


class ScaffoldError(Exception):
    """A request the scaffold refuses; the message says why and what to do instead."""


@dataclass
class Written:
    created: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the author should know or do next


# ---------------------------------------------------------------- a module


def new_module(root: Path, module_id: str, programme_id: str, phase: str | None) -> Written:
    content = _content(root)
    _check_id(module_id, "module")
    folder = root / "modules" / module_id
    if folder.exists() or module_id in content.modules:
        raise ScaffoldError(f"there is already a module '{module_id}' (modules/{module_id}/)")
    programme = _programme(content, programme_id)
    listed = [p.id for p in content.programmes.values() if module_id in p.modules]
    if listed:
        raise ScaffoldError(
            f"programme '{listed[0]}' already lists a module '{module_id}': choose another id"
        )
    written = Written()
    phase = _phase(content, programme, phase, written)
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(_module_yaml(content, module_id, programme, phase), "utf-8")
    (folder / "notes.md").write_text(NOTES.format(title=_title(module_id)), "utf-8")
    written.created += [folder / "module.yaml", folder / "notes.md"]
    written.changed.append(_add_to_programme(content, programme, module_id, phase))
    written.notes.append(
        "the expected change in module.yaml is not yet measured by any instrument item: "
        "name one in measured_by (instruments are in curriculum/instruments/)"
    )
    return written


def _content(root: Path) -> Content:
    content, _ = collect(root)
    if content is None:
        raise ScaffoldError(
            "curriculum/curriculum.yaml cannot be read: run `facilitator check` and fix it first"
        )
    return content


def _check_id(value: str, what: str) -> None:
    if not re.match(ID_PATTERN, value) or len(value) > 64:
        raise ScaffoldError(
            f"'{value}' cannot be a {what} id: use only small letters (a-z), digits and "
            f"hyphens, at most 64, like '{as_id(value)[:64]}'"
        )


def _programme(content: Content, programme_id: str) -> Programme:
    programme = content.programmes.get(programme_id)
    if programme is None:
        hint = did_you_mean(programme_id, content.programmes)
        raise ScaffoldError(
            f"there is no programme '{programme_id}'{hint} (the programmes are "
            f"{one_of(content.programmes, 'and')}, in curriculum/programmes/)"
        )
    return programme


def _phase(content: Content, programme: Programme, phase: str | None, written: Written) -> str:
    if not programme.spiral:
        if phase is not None:
            raise ScaffoldError(
                f"programme '{programme.id}' does not follow the Me-We-Us spiral, so its "
                "modules have no phase: leave out --phase"
            )
        return ""
    if phase is not None:
        if phase not in PHASES:
            raise ScaffoldError(f"phase '{phase}' is not known: choose {one_of(PHASES)}")
        return phase
    phases = [m.phase.value for m in content.programme_modules(programme.id) if m.phase]
    chosen = phases[-1] if phases else PHASES[0]
    written.notes.append(f"phase {chosen}, like the last module of '{programme.id}' (--phase)")
    return chosen


def _title(item_id: str) -> str:
    return item_id.replace("-", " ").capitalize()


def _module_yaml(content: Content, module_id: str, programme: Programme, phase: str) -> str:
    methods = [m.id for m in content.curriculum.methods]

    def pick(wanted: str, fallback: str) -> str:
        return wanted if wanted in methods else fallback

    opening = pick("grounding", methods[0])
    main = pick("small-group-work", methods[0])
    closing = pick("closing-circle", opening)
    used = list(dict.fromkeys([opening, main, closing]))
    phase_line = (
        f"phase: {phase}  # me, we or us: where the module stands in the Me-We-Us spiral\n"
        if phase
        else ""
    )
    return MODULE.format(
        id=module_id,
        title=_title(module_id),
        programme=programme.id,
        phase_line=phase_line,
        audience=programme.audience.value,
        methods=", ".join(used),
        opening=opening,
        main=main,
        closing=closing,
    )


def _add_to_programme(content: Content, programme: Programme, module_id: str, phase: str) -> Path:
    """Add the id to the programme's list: at the end, or in a spiral programme after the
    last module of the same or an earlier phase, so that the spiral's order holds."""
    path = content.root / content.sources[("programme", programme.id)]
    data = _load(path)
    modules: CommentedSeq = data["modules"]
    phased = [
        (index, PHASES.index(module.phase))
        for index, listed in enumerate(modules)
        if (module := content.modules.get(str(listed))) is not None and module.phase
    ]
    position = len(modules)
    if phase and phased:
        earlier = [index for index, rank in phased if rank <= PHASES.index(phase)]
        position = earlier[-1] + 1 if earlier else phased[0][0]
    modules.insert(position, module_id)
    _dump(data, path)
    return path


# ---------------------------------------------------------------- a handout


def new_handout(root: Path, module_id: str, handout_id: str, title: str | None) -> Written:
    folder = root / "modules" / module_id
    if not (folder / "module.yaml").is_file():
        modules = [p.name for p in (root / "modules").glob("*") if (p / "module.yaml").is_file()]
        raise ScaffoldError(
            f"there is no module '{module_id}' (no file modules/{module_id}/module.yaml)"
            + did_you_mean(module_id, modules)
        )
    _check_id(handout_id, "handout")
    data = _load(folder / "module.yaml")
    handouts = data.get("handouts") or CommentedSeq()
    if any(isinstance(h, dict) and h.get("id") == handout_id for h in handouts):
        raise ScaffoldError(f"module '{module_id}' already has a handout '{handout_id}'")
    rel_file = f"handouts/{handout_id}.md"
    if (folder / rel_file).exists():
        raise ScaffoldError(f"modules/{module_id}/{rel_file} exists already: choose another id")
    title = title or _title(handout_id)
    entry = CommentedMap([("id", handout_id), ("title", title), ("file", rel_file)])
    entry.fa.set_flow_style()
    handouts.append(entry)
    if "handouts" not in data:
        keys = list(data)
        at = keys.index("expected_changes") if "expected_changes" in keys else len(keys)
        data.insert(at, "handouts", handouts)
    (folder / "handouts").mkdir(exist_ok=True)
    (folder / rel_file).write_text(HANDOUT.format(title=title), "utf-8")
    _dump(data, folder / "module.yaml")
    return Written(
        created=[folder / rel_file],
        changed=[folder / "module.yaml"],
        notes=[
            f"to use it in a session, add {handout_id} to that session's handouts, like "
            f"handouts: [{handout_id}]"
        ],
    )


# ---------------------------------------------------------------- round trip


def _yaml() -> YAML:
    """Settings that write the handbook's files back exactly as they were read."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap an author's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(path: Path) -> Any:
    try:
        data = _yaml().load(path.read_text("utf-8"))
    except YAMLError:
        data = None
    if not isinstance(data, CommentedMap):
        raise ScaffoldError(f"{path.name} cannot be read: run `facilitator check` and fix it first")
    return data


def _dump(data: Any, path: Path) -> None:
    out = io.StringIO()
    _yaml().dump(data, out)
    path.write_text(out.getvalue(), "utf-8")
