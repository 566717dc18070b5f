"""Render handbook pages (Markdown) from the content model with jinja2 templates.

Each `render_*` function returns one page's Markdown in one language; staging.py writes them
all into the staging docs tree before the site is built, and print packs render the same
pages to HTML/PDF:

    render_module(content, "utthan-resilience", "bn") -> str

Templates only loop and branch: timings, notes and links are computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from pydantic import BaseModel

from facilitator import pages, pictures
from facilitator.coverage import CoverageRow, module_rows
from facilitator.load import Content
from facilitator.model import Language, Module
from facilitator.moduletext import MarkdownPart, demote, module_markdown, relative
from facilitator.notices import (
    fallback_note,
    object_notices,
    section_note,
    strings,
)
from facilitator.preparation import preparation, split_notes
from facilitator.timetable import DurationWords, duration, timetable


def _indent(text: str, width: int = 4) -> str:
    pad = " " * width
    return "\n".join(pad + line if line.strip() else line for line in str(text).splitlines())


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


@cache
def environment() -> Environment:
    """The page templates' jinja environment, made once per process."""
    env = Environment(
        loader=PackageLoader("facilitator", "templates"),
        undefined=StrictUndefined,  # a label missing from labels.yaml fails the build
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the output is Markdown, escaped per cell where needed
    )
    env.filters["mdindent"] = _indent
    env.filters["cell"] = _cell
    env.filters["duration"] = _duration
    env.filters["demote"] = demote
    env.globals["pictures"] = pictures.shown  # a session's illustrations, localized
    return env


@pass_context
def _duration(context: Context, minutes: int) -> str:
    """`{{ minutes | duration }}`: "1 h 30 min" in the page's language (its labels, `L`)."""
    return duration(minutes, DurationWords.from_labels(context["L"]))


class Labels:
    """Template labels by key: `L.objectives` or `L["phase_me"]`; a missing key fails."""

    def __init__(self, labels: dict[str, str]) -> None:
        self._labels = labels

    def __getitem__(self, key: str) -> str:
        return self._labels[key]

    def __getattr__(self, key: str) -> str:
        try:
            return self._labels[key]
        except KeyError:
            raise AttributeError(key) from None


def _base(content: Content, lang: str, page: str) -> dict[str, Any]:
    local = content.localized(lang)
    curriculum = local.curriculum
    return {
        "L": Labels(local.labels),
        "page": page,
        "link": lambda target: relative(page, target),
        "methods": {m.id: m for m in curriculum.methods},
        "topics": {t.id: t for t in curriculum.topics},
        "content": local,
    }


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context).strip() + "\n"


# ---------------------------------------------------------------- pages


def _parts(english: BaseModel, local: BaseModel, *names: str) -> dict[str, tuple[Any, Any]]:
    """Sections named after list fields, plus 'header' for the object's own strings."""
    parts = {name: (getattr(english, name), getattr(local, name)) for name in names}
    header = [
        n
        for n, info in type(english).model_fields.items()
        if n not in names
        and isinstance(info.json_schema_extra, dict)
        and info.json_schema_extra.get("translatable")
    ]
    parts["header"] = (
        [s for n in header for s in strings(getattr(english, n))],
        [s for n in header for s in strings(getattr(local, n))],
    )
    return parts


def _module_sections(english: Module, local: Module) -> dict[str, tuple[Any, Any]]:
    sections = _parts(english, local, "objectives", "components", "handouts", "expected_changes")
    sections["header"] = ([english.title, english.summary], [local.title, local.summary])
    for en_session, session in zip(english.sessions, local.sessions, strict=True):
        sections[f"session:{session.id}"] = (en_session, session)
    return sections


def render_module(
    content: Content,
    module_id: str,
    lang: str,
    *,
    start: int | None = None,
    paper: bool = False,
    day: int | None = None,
) -> str:
    """`start`: when each day starts (minutes after midnight) for clock times in the agenda;
    `paper`: for print, with blanks to write the times in where no start is given, and the
    whole module in one document; `day`: that day's own web page, for a module over several
    days (whose page then links each day's page instead of holding every session)."""
    local = content.localized(lang)
    module = local.modules[module_id]
    english = content.modules[module_id]
    day_pages = (
        {} if paper else {d: pages.module_day_page(module_id, d) for d in pages.module_days(module)}
    )
    page = day_pages[day] if day else pages.module_page(module_id)
    notes = module_markdown(content, english, module.notes, lang) if module.notes else None
    before_notes = None
    if notes and module.notes:
        english_notes = module_markdown(content, english, module.notes, content.default_language)
        before_notes, rest = split_notes(english_notes.text, notes.text)
        notes = MarkdownPart(rest, notes.notices)
    materials = list(dict.fromkeys(m for s in module.sessions for m in s.materials))
    items = {f"{i.id}/{item.id}": (i, item) for i in local.instruments.values() for item in i.items}
    handout_sessions = {
        h.id: [s for s in module.sessions if h.id in s.handouts] for h in module.handouts
    }
    en_methods = content.curriculum.methods
    methods_note = section_note(
        content,
        lang,
        strings([m for m in en_methods if m.id in module.methods]),
        strings([m for m in local.curriculum.methods if m.id in module.methods]),
    )
    return _render(
        "module_day.md.j2" if day else "module.md.j2",
        day_pages=day_pages,
        this_day=day,
        methods_note=methods_note,
        **_base(content, lang, page),
        module=module,
        programme=local.programmes.get(module.programme),
        builds_on=[local.modules[m] for m in module.builds_on if m in local.modules],
        plan=timetable(module, DurationWords.from_labels(local.labels), start),
        paper=paper,
        prep=preparation(content, module, lang, before_notes),
        materials=materials,
        items=items,
        handout_sessions=handout_sessions,
        notes=notes,
        notices=object_notices(
            content, lang, ("module", module_id), _module_sections(english, module)
        ),
        pages=pages,
    )


def render_handout(content: Content, module_id: str, handout_id: str, lang: str) -> str:
    local = content.localized(lang)
    module = local.modules[module_id]
    handout = next(h for h in module.handouts if h.id == handout_id)
    english = content.modules[module_id]
    body = module_markdown(content, english, handout.file, lang)
    first, _, rest = body.text.lstrip().partition("\n")
    title, text = (
        (first[2:].strip(), rest) if first.startswith("# ") else (handout.title, body.text)
    )
    return _render(
        "handout.md.j2",
        **_base(content, lang, pages.handout_page(module_id, handout_id)),
        module=module,
        handout=handout,
        title=title,
        text=pictures.embed(text, local),
        notices=body.notices,
    )


def render_programme(content: Content, programme_id: str, lang: str) -> str:
    local = content.localized(lang)
    programme = local.programmes[programme_id]
    modules = local.programme_modules(programme_id)
    phases: list[tuple[str, list[tuple[int, Module]]]] = []
    for number, module in enumerate(modules, start=1):
        phase = module.phase.value if programme.spiral and module.phase else ""
        if not phases or phases[-1][0] != phase:
            phases.append((phase, []))
        phases[-1][1].append((number, module))
    return _render(
        "programme.md.j2",
        **_base(content, lang, pages.programme_page(programme_id)),
        programme=programme,
        phases=phases,
        total=duration(
            sum(m.duration_minutes for m in modules), DurationWords.from_labels(local.labels)
        ),
        notices=object_notices(
            content,
            lang,
            ("programme", programme_id),
            {"header": (content.programmes[programme_id], programme)},
        ),
        pages=pages,
    )


def render_instrument(content: Content, instrument_id: str, lang: str) -> str:
    local = content.localized(lang)
    instrument = local.instruments[instrument_id]
    measures = {
        item.id: [
            (module, change)
            for module in local.modules.values()
            for change in module.expected_changes
            if f"{instrument_id}/{item.id}" in change.measured_by
        ]
        for item in instrument.items
    }
    return _render(
        "instrument.md.j2",
        **_base(content, lang, pages.instrument_page(instrument_id)),
        instrument=instrument,
        measures=measures,
        used_by=[m for m in local.modules.values() if instrument_id in m.instruments],
        notices=object_notices(
            content,
            lang,
            ("instrument", instrument_id),
            _parts(content.instruments[instrument_id], instrument, "scale", "items"),
        ),
        pages=pages,
    )


def render_evaluation_form(content: Content, form_id: str, lang: str) -> str:
    local = content.localized(lang)
    form = local.evaluation_forms[form_id]
    return _render(
        "evaluation_form.md.j2",
        **_base(content, lang, pages.evaluation_form_page(form_id)),
        form=form,
        used_by=[m for m in local.modules.values() if form_id in m.evaluation_forms],
        notices=object_notices(
            content,
            lang,
            ("evaluation_form", form_id),
            _parts(content.evaluation_forms[form_id], form, "options"),
        ),
        pages=pages,
    )


def render_glossary(content: Content, lang: str) -> str:
    local = content.localized(lang)
    assert local.glossary is not None and content.glossary is not None
    return _render(
        "glossary.md.j2",
        **_base(content, lang, pages.GLOSSARY_PAGE),
        glossary=local.glossary,
        # The English term beside a translated one: the word a reader meets in English papers.
        english={term.id: term.term for term in content.glossary.terms},
        notices=object_notices(
            content, lang, ("glossary", "glossary"), {"terms": (content.glossary, local.glossary)}
        ),
    )


@dataclass(frozen=True)
class LanguageCoverage:
    """One translated language's section of the coverage page."""

    code: str
    name: str
    summary: str
    modules: list[tuple[Module, CoverageRow]]  # in teaching order
    files: list[CoverageRow]  # curriculum/ and site/ files


def _coverage_section(
    content: Content, lang: str, language: Language, rows: list[CoverageRow]
) -> LanguageCoverage:
    local = content.localized(lang)
    mine = [r for r in rows if r.language == language.code]
    by_module = {r.module: r for r in mine if r.module is not None}
    taught = [m for p in content.programmes.values() for m in p.modules]
    order = dict.fromkeys([*taught, *sorted(content.modules)])
    total = sum(r.total for r in mine)
    counts = {
        "translated": sum(r.translated for r in mine),
        "stale": sum(r.stale for r in mine),
        "missing": sum(r.missing for r in mine),
        "reviewed": sum(r.reviewed for r in mine),
    }
    percent = f"{counts['translated'] / total:.0%}" if total else "100%"
    return LanguageCoverage(
        code=language.code,
        name=language.name,
        summary=local.labels["coverage_summary"].format(total=total, percent=percent, **counts),
        modules=[(local.modules[m], by_module[m]) for m in order if m in by_module],
        files=[r for r in mine if r.module is None],
    )


def render_coverage(content: Content, lang: str, rows: list[CoverageRow] | None = None) -> str:
    """Translation coverage, per module and per language (`rows`: module_rows, if known)."""
    rows = module_rows(content) if rows is None else rows
    others = [x for x in content.languages if x.code != content.default_language]
    return _render(
        "coverage.md.j2",
        **_base(content, lang, pages.COVERAGE_PAGE),
        languages=[_coverage_section(content, lang, x, rows) for x in others],
        note=_coverage_note(content, lang),
        pages=pages,
    )


def _coverage_note(content: Content, lang: str) -> str:
    """The page's own words (labels) still in English: said, as on every other page."""
    keys = [k for k in content.labels if k.startswith("coverage_")]
    local = content.localized(lang).labels
    same = sum(1 for k in keys if local.get(k) == content.labels[k])
    if lang == content.default_language or same == 0:
        return ""
    return fallback_note(content, lang, "fallback_page" if same == len(keys) else "fallback_some")


def renderers(content: Content) -> dict[str, Callable[[str], str]]:
    """Every generated page (English path relative to site/) and how to render it."""
    out: dict[str, Callable[[str], str]] = {}
    for pid in content.programmes:
        out[pages.programme_page(pid)] = lambda lang, pid=pid: render_programme(content, pid, lang)  # type: ignore[misc]
    for mid, module in content.modules.items():
        out[pages.module_page(mid)] = lambda lang, mid=mid: render_module(content, mid, lang)  # type: ignore[misc]
        for day in pages.module_days(module):
            out[pages.module_day_page(mid, day)] = (
                lambda lang, mid=mid, day=day: render_module(content, mid, lang, day=day)  # type: ignore[misc]
            )
        for h in module.handouts:
            out[pages.handout_page(mid, h.id)] = (
                lambda lang, mid=mid, hid=h.id: render_handout(content, mid, hid, lang)  # type: ignore[misc]
            )
    for iid in content.instruments:
        out[pages.instrument_page(iid)] = lambda lang, iid=iid: render_instrument(
            content, iid, lang
        )  # type: ignore[misc]
    for fid in content.evaluation_forms:
        out[pages.evaluation_form_page(fid)] = (
            lambda lang, fid=fid: render_evaluation_form(content, fid, lang)  # type: ignore[misc]
        )
    if content.glossary is not None:
        out[pages.GLOSSARY_PAGE] = lambda lang: render_glossary(content, lang)
    if pages.has_coverage_page(content):
        rows = cache(lambda: module_rows(content))  # one report for the page in every language
        out[pages.COVERAGE_PAGE] = lambda lang: render_coverage(content, lang, rows())
    return out


def localized_path(english_path: str, lang: str, default_language: str) -> str:
    """static-i18n's suffix layout: modules/x/index.md -> modules/x/index.bn.md."""
    if lang == default_language:
        return english_path
    path = PurePosixPath(english_path)
    return path.with_name(f"{path.stem}.{lang}{path.suffix}").as_posix()
