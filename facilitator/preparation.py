"""What to arrange before a module's day: the "before the day" checklist at the top of its page.

Built from the module itself, so every module has one: who runs each session (the roles in
its sessions), whether care is needed (care notes, hard topics: a counsellor, a quiet corner,
helplines), the materials (with room to write how many where the text gives no number) and
what to print. Where the module's notes hold their own "Before the day" section, that section
moves here, to the start, rather than staying last on the page.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from facilitator.load import Content
from facilitator.model import Module

# The English heading of a notes section that belongs at the start: "Before the day",
# "Before the two days", "Before the week".
BEFORE = re.compile(r"^## +Before the\b", re.IGNORECASE)
SECTION = re.compile(r"^## ", re.MULTILINE)
# A material that says how many: a number, "a"/"an"/"one" in front, or "each"/"every".
NUMBER = re.compile(
    r"\d|^(a|an|one)\b|\b(one|two|three|four|five|six|eight|ten|twelve|pair|each|every)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Material:
    text: str
    counted: bool  # the text says how many; otherwise the page leaves room to write it


@dataclass(frozen=True)
class Preparation:
    team: list[str]  # who the sessions name (lead, co, care), in order of first appearance
    care: bool  # a session carries a care note or the module touches a hard topic
    materials: list[Material]
    handouts: list[str]  # titles, to print one per participant
    forms: list[str]  # instrument and evaluation form titles, to print
    notes_title: str | None  # that section's heading ("Before the two days"), if any
    notes: str | None  # the notes' own "Before the ..." section (Markdown), if any, untitled
    # The sessions' roles name a counsellor as the care person: she is listed once, on the
    # checklist's own line for a counsellor (name and phone), not also among the team.
    counsellor_named: bool = False


def _distinct(values: list[str | None]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def _title_and_body(notes: str | None) -> tuple[str | None, str | None]:
    """A notes section's heading text (without its `{ #anchor }`) and what follows it.

    The checklist shows the heading as a line of bold text, not a heading, so that the
    page's contents list "Before the day" once."""
    if not notes:
        return None, notes
    first, _, body = notes.partition("\n")
    if not first.startswith("## "):
        return None, notes
    title = re.sub(r"\s*\{[^}]*\}\s*$", "", first[3:]).strip()
    return title or None, body.strip() + "\n"


def preparation(content: Content, module: Module, lang: str, notes: str | None) -> Preparation:
    """The checklist for `module` (already in `lang`); `notes`: its own section, if any."""
    local = content.localized(lang)
    topics = {t.id: t for t in local.curriculum.topics}
    materials = list(dict.fromkeys(m for s in module.sessions for m in s.materials))
    forms = [local.instruments[i].title for i in module.instruments if i in local.instruments]
    forms += [
        local.evaluation_forms[f].title
        for f in module.evaluation_forms
        if f in local.evaluation_forms
    ]
    english = content.modules[module.id]
    english_materials = list(dict.fromkeys(m for s in english.sessions for m in s.materials))
    # Whether a material is counted is read from the English (digits and number words),
    # matched by place; a translation may write numbers in its own digits.
    counted = [bool(NUMBER.search(m)) for m in english_materials]
    # Whether a care person is a counsellor is read from the English, session by session.
    counsellors = [
        bool(s.roles and s.roles.care and "counsellor" in s.roles.care.lower())
        for s in english.sessions
    ]
    if len(counsellors) != len(module.sessions):
        counsellors = [False] * len(module.sessions)
    team = [
        who
        for s, counsellor in zip(module.sessions, counsellors, strict=True)
        if s.roles
        for who in (s.roles.lead, s.roles.co, None if counsellor else s.roles.care)
    ]
    notes_title, notes_body = _title_and_body(notes)
    return Preparation(
        team=_distinct(team),
        care=any(s.care for s in module.sessions)
        or any(topics[t].hard for t in module.topics if t in topics),
        materials=[
            Material(text, counted[i] if len(counted) == len(materials) else False)
            for i, text in enumerate(materials)
        ],
        handouts=[h.title for h in module.handouts],
        forms=forms,
        notes_title=notes_title,
        notes=notes_body,
        counsellor_named=any(counsellors),
    )


def split_notes(english: str, local: str) -> tuple[str | None, str]:
    """The notes' "Before the ..." section and the notes without it.

    The section is found by its English heading and taken from the translation at the same
    place (translations keep the English order of sections); where the two do not line up,
    the notes stay whole."""
    english_parts = _sections(english)
    local_parts = _sections(local)
    places = [i for i, part in enumerate(english_parts) if BEFORE.match(part)]
    if not places or len(english_parts) != len(local_parts):
        return None, local
    place = places[0]
    before = local_parts[place]
    rest = local_parts[:place] + local_parts[place + 1 :]
    return before.strip() + "\n", "".join(rest)


def _sections(text: str) -> list[str]:
    """The text cut before each `## ` heading (the first part is what comes before any)."""
    cuts = [m.start() for m in SECTION.finditer(text)]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]
