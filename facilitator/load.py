"""The one loader of curriculum content, used by the handbook and the tracker alike.

    content = load_content(root)        # English; raises ContentError listing every error
    content_bn = content.localized("bn")  # same shape, Bengali where translated

`collect(root)` does the same work but returns the problems instead of raising, for
`facilitator check`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from facilitator.model import (
    Curriculum,
    EvaluationForm,
    Glossary,
    Instrument,
    Labels,
    Language,
    Module,
    Programme,
)
from facilitator.problems import ContentError, Problem, errors
from facilitator.translate import Overlay, Status, header_problems, overlay
from facilitator.yamlfile import YamlFile, line_of, read_yaml, validate

M = TypeVar("M", bound=BaseModel)
TRANSLATION_NAME = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[a-z]{2,3})\.(?P<ext>yaml|md)$")


@dataclass(frozen=True)
class Translation:
    """One translation file and how it stands against its English source."""

    english: str  # the English file, relative to the root
    language: str
    file: str  # the translation file, relative to the root
    source: str | None  # the English hash recorded in the translation
    current: str  # the English file's hash now
    status: Status | None
    total: int  # translatable strings (1 for a Markdown page)
    translated: int
    fallbacks: tuple[str, ...] = ()

    @property
    def stale(self) -> bool:
        return self.source != self.current


@dataclass
class Content:
    root: Path
    language: str
    curriculum: Curriculum
    labels: dict[str, str]
    glossary: Glossary | None
    programmes: dict[str, Programme]
    modules: dict[str, Module]
    instruments: dict[str, Instrument]
    evaluation_forms: dict[str, EvaluationForm]
    files: dict[str, YamlFile]  # English source files by their relative path
    sources: dict[tuple[str, str], str]  # (kind, id) -> relative path of its file
    translations: dict[tuple[str, str], Translation] = field(default_factory=dict)
    raw_translations: dict[tuple[str, str], YamlFile] = field(default_factory=dict)
    fallbacks: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    _localized: dict[str, Content] = field(default_factory=dict, repr=False)

    @property
    def languages(self) -> list[Language]:
        return self.curriculum.languages

    @property
    def default_language(self) -> str:
        return next((lang.code for lang in self.languages if lang.default), "en")

    def programme_modules(self, programme_id: str) -> list[Module]:
        return [self.modules[m] for m in self.programmes[programme_id].modules if m in self.modules]

    def localized(self, language: str) -> Content:
        """The content with `language`'s translations laid over English."""
        if language == self.language:
            return self
        if language not in {lang.code for lang in self.languages}:
            raise KeyError(f"unknown language '{language}'")
        if language not in self._localized:
            self._localized[language] = _localize(self, language)
        return self._localized[language]


# ---------------------------------------------------------------- reading


def _is_translation(path: Path) -> bool:
    return TRANSLATION_NAME.match(path.name) is not None


def _read_model(
    path: Path, root: Path, model: type[M], problems: list[Problem], files: dict[str, YamlFile]
) -> M | None:
    parsed, found = read_yaml(path, root)
    problems += found
    if parsed is None:
        return None
    files[parsed.rel] = parsed
    obj, found = validate(model, parsed)
    problems += found
    return obj


def _read_kind(
    folder: Path,
    root: Path,
    model: type[M],
    kind: str,
    problems: list[Problem],
    files: dict[str, YamlFile],
    sources: dict[tuple[str, str], str],
) -> dict[str, M]:
    out: dict[str, M] = {}
    paths = sorted(folder.glob("*/module.yaml") if kind == "module" else folder.glob("*.yaml"))
    for path in paths:
        if _is_translation(path):
            continue
        obj = _read_model(path, root, model, problems, files)
        if obj is None:
            continue
        rel = path.relative_to(root).as_posix()
        obj_id: str = obj.id  # type: ignore[attr-defined]
        expected = path.parent.name if kind == "module" else path.stem
        if obj_id != expected:
            problems.append(
                Problem(
                    rel,
                    _line(files[rel], "id"),
                    "id",
                    f"id '{obj_id}' must match the "
                    f"{'folder' if kind == 'module' else 'file'} name "
                    f"'{expected}'",
                )
            )
        if obj_id in out:
            problems.append(
                Problem(
                    rel,
                    _line(files[rel], "id"),
                    "id",
                    f"duplicate {kind} id '{obj_id}' (also in {sources[(kind, obj_id)]})",
                )
            )
            continue
        out[obj_id] = obj
        sources[(kind, obj_id)] = rel
    return out


def _line(parsed: YamlFile, key: str) -> int | None:
    return line_of(parsed.nodes, (key,))


def collect(root: Path) -> tuple[Content | None, list[Problem]]:
    """Load everything under `root`; return the content (None if unusable) and all problems."""
    root = root.resolve()
    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    sources: dict[tuple[str, str], str] = {}
    cur_dir = root / "curriculum"
    curriculum_path = cur_dir / "curriculum.yaml"
    if not curriculum_path.is_file():
        return None, [Problem("curriculum/curriculum.yaml", None, "", "file not found")]
    curriculum = _read_model(curriculum_path, root, Curriculum, problems, files)
    labels_path = cur_dir / "labels.yaml"
    labels = (
        _read_model(labels_path, root, Labels, problems, files)
        if labels_path.is_file()
        else Labels(labels={})
    )
    glossary_path = cur_dir / "glossary.yaml"
    glossary = (
        _read_model(glossary_path, root, Glossary, problems, files)
        if glossary_path.is_file()
        else None
    )
    programmes = _read_kind(
        cur_dir / "programmes", root, Programme, "programme", problems, files, sources
    )
    instruments = _read_kind(
        cur_dir / "instruments", root, Instrument, "instrument", problems, files, sources
    )
    forms = _read_kind(
        cur_dir / "evaluation_forms",
        root,
        EvaluationForm,
        "evaluation_form",
        problems,
        files,
        sources,
    )
    modules = _read_kind(root / "modules", root, Module, "module", problems, files, sources)
    if curriculum is None:
        return None, problems
    content = Content(
        root=root,
        language=next((lang.code for lang in curriculum.languages if lang.default), "en"),
        curriculum=curriculum,
        labels=labels.labels if labels else {},
        glossary=glossary,
        programmes=dict(sorted(programmes.items(), key=lambda kv: (kv[1].order, kv[0]))),
        modules=modules,
        instruments=instruments,
        evaluation_forms=forms,
        files=files,
        sources=sources,
    )
    sources[("curriculum", "curriculum")] = "curriculum/curriculum.yaml"
    if labels_path.is_file():
        sources[("labels", "labels")] = "curriculum/labels.yaml"
    if glossary_path.is_file():
        sources[("glossary", "glossary")] = "curriculum/glossary.yaml"
    problems += _read_translations(content)
    return content, problems


def load_content(root: Path) -> Content:
    """Load and check content; raise ContentError with every error if there is any."""
    from facilitator.check import check_references

    content, problems = collect(root)
    if content is not None:
        problems += check_references(content)
    if content is None or errors(problems):
        raise ContentError(problems)
    return content


# ---------------------------------------------------------------- translations

MODELS: dict[str, type[BaseModel]] = {
    "curriculum": Curriculum,
    "labels": Labels,
    "glossary": Glossary,
    "programme": Programme,
    "module": Module,
    "instrument": Instrument,
    "evaluation_form": EvaluationForm,
}


def _english_object(content: Content, kind: str, obj_id: str) -> BaseModel | None:
    match kind:
        case "curriculum":
            return content.curriculum
        case "labels":
            return Labels(labels=content.labels)
        case "glossary":
            return content.glossary
        case "programme":
            return content.programmes.get(obj_id)
        case "module":
            return content.modules.get(obj_id)
        case "instrument":
            return content.instruments.get(obj_id)
        case "evaluation_form":
            return content.evaluation_forms.get(obj_id)
    return None


def _overlay_for(
    content: Content, kind: str, obj_id: str, lang: str, with_lines: bool = False
) -> Overlay | None:
    english = _english_object(content, kind, obj_id)
    if english is None:
        return None
    dumped = english.model_dump(mode="json")
    translation = content.raw_translations.get((content.sources[(kind, obj_id)], lang))
    if translation is None:
        return overlay(MODELS[kind], dumped, {}, "", ())
    translated = translation.nodes if with_lines else translation.data
    return overlay(MODELS[kind], dumped, translated, translation.rel, ())


def _read_translations(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    languages = {lang.code for lang in content.languages if not lang.default}
    for (kind, obj_id), rel in content.sources.items():
        english_path = content.root / rel
        for lang in sorted(languages):
            path = english_path.with_name(f"{english_path.stem}.{lang}.yaml")
            if not path.is_file():
                continue
            parsed, found = read_yaml(path, content.root)
            problems += found
            if parsed is None:
                continue
            content.raw_translations[(rel, lang)] = parsed
            source, status, found = header_problems(parsed)
            problems += found
            result = _overlay_for(content, kind, obj_id, lang)
            assert result is not None
            if result.problems:  # parse again, with lines, to say where they are
                located = _overlay_for(content, kind, obj_id, lang, with_lines=True)
                assert located is not None
                problems += located.problems
            content.translations[(rel, lang)] = Translation(
                english=rel,
                language=lang,
                file=parsed.rel,
                source=source,
                current=content.files[rel].source_hash,
                status=status,
                total=result.total,
                translated=result.translated,
                fallbacks=tuple(result.fallbacks),
            )
    # translation files whose English source or language does not exist
    for folder in ("curriculum", "modules"):
        for path in sorted((content.root / folder).rglob("*.yaml")):
            match = TRANSLATION_NAME.match(path.name)
            if not match:
                continue
            rel = path.relative_to(content.root).as_posix()
            english = path.with_name(f"{match['stem']}.yaml").relative_to(content.root)
            if match["lang"] not in languages:
                problems.append(
                    Problem(
                        rel,
                        1,
                        "",
                        f"'{match['lang']}' is not a language in curriculum/curriculum.yaml",
                    )
                )
            elif not (content.root / english).is_file():
                problems.append(
                    Problem(
                        rel, 1, "", f"no English source {english.as_posix()} for this translation"
                    )
                )
    return problems


def _localize(content: Content, lang: str) -> Content:
    localized: dict[tuple[str, str], Any] = {}
    fallbacks: dict[tuple[str, str], tuple[str, ...]] = {}
    for kind, obj_id in content.sources:
        result = _overlay_for(content, kind, obj_id, lang)
        if result is None:
            continue
        result.data.pop("translation", None)
        localized[(kind, obj_id)] = MODELS[kind].model_validate(result.data)
        fallbacks[(kind, obj_id)] = tuple(result.fallbacks)

    def pick(kind: str, originals: dict[str, M]) -> dict[str, M]:
        return {key: localized.get((kind, key), value) for key, value in originals.items()}

    labels = localized.get(("labels", "labels"))
    return Content(
        root=content.root,
        language=lang,
        curriculum=localized[("curriculum", "curriculum")],
        labels=labels.labels if isinstance(labels, Labels) else content.labels,
        glossary=localized.get(("glossary", "glossary"), content.glossary),
        programmes=pick("programme", content.programmes),
        modules=pick("module", content.modules),
        instruments=pick("instrument", content.instruments),
        evaluation_forms=pick("evaluation_form", content.evaluation_forms),
        files=content.files,
        sources=content.sources,
        translations=content.translations,
        raw_translations=content.raw_translations,
        fallbacks=fallbacks,
    )
