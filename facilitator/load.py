"""The one loader of curriculum content, used by the handbook and the tracker alike.

    content, problems = collect(root)     # English, and every problem of its files
    content_bn = content.localized("bn")  # same shape, Bengali where translated

`collect` reads and validates each file on its own; the checks across files are in
`facilitator.checks`, and `facilitator.content.load_content` runs both and raises on errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from facilitator.business_model import BusinessRecords
from facilitator.header import Record, read_yaml_header
from facilitator.illustration_model import Illustrations
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
from facilitator.problems import Problem
from facilitator.scorecard_model import Scorecard
from facilitator.translate import Overlay, Translation, overlay
from facilitator.translation_checks import (
    TRANSLATION_NAME,
    orphans,
    script_of,
    string_problems,
)
from facilitator.yamlfile import YamlFile, line_of, read_yaml, validate

M = TypeVar("M", bound=BaseModel)


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
    # (kind, id) of English files that did not parse or validate: the checks across files
    # still know these ids, so that one mistake gives one message
    unreadable: set[tuple[str, str]] = field(default_factory=set)
    scorecard: Scorecard | None = None  # curriculum/scorecard.yaml, where there is one
    businesses: BusinessRecords | None = None  # curriculum/businesses.yaml, where there is one
    illustrations: Illustrations | None = None  # curriculum/illustrations.yaml, where there is one
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
    unreadable: set[tuple[str, str]],
) -> dict[str, M]:
    """Every file of one kind, by its folder's (module) or file's name: the name is the id
    others refer to, so an object is known by it even when its `id:` is wrong or the file
    does not load."""
    out: dict[str, M] = {}
    paths = sorted(folder.glob("*/module.yaml") if kind == "module" else folder.glob("*.yaml"))
    for path in paths:
        if _is_translation(path):
            continue
        name = path.parent.name if kind == "module" else path.stem
        rel = path.relative_to(root).as_posix()
        obj = _read_model(path, root, model, problems, files)
        declared = _declared_id(files.get(rel))
        if obj is None:
            unreadable.update((kind, i) for i in {name, declared} if i)
            continue
        if declared != name:
            where = "folder" if kind == "module" else "file"
            problems.append(
                Problem(
                    rel,
                    _line(files[rel], "id"),
                    "id",
                    f"id '{declared}' must match the {where} name '{name}': change the id "
                    f"or rename the {where}, so that both are the same",
                )
            )
            unreadable.add((kind, str(declared)))
            obj = obj.model_copy(update={"id": name})
        out[name] = obj
        sources[(kind, name)] = rel
    return out


def _declared_id(parsed: YamlFile | None) -> str | None:
    value = parsed.data.get("id") if parsed is not None else None
    return value if isinstance(value, str) else None


def _line(parsed: YamlFile, key: str) -> int | None:
    return line_of(parsed.nodes, (key,))


def collect(root: Path) -> tuple[Content | None, list[Problem]]:
    """Load everything under `root`; return the content (None if unusable) and all problems."""
    root = root.resolve()
    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    sources: dict[tuple[str, str], str] = {}
    unreadable: set[tuple[str, str]] = set()
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
    shared = (problems, files, sources, unreadable)  # what every kind adds to
    programmes = _read_kind(cur_dir / "programmes", root, Programme, "programme", *shared)
    instruments = _read_kind(cur_dir / "instruments", root, Instrument, "instrument", *shared)
    forms = _read_kind(
        cur_dir / "evaluation_forms", root, EvaluationForm, "evaluation_form", *shared
    )
    modules = _read_kind(root / "modules", root, Module, "module", *shared)
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
        unreadable=unreadable,
    )
    sources[("curriculum", "curriculum")] = "curriculum/curriculum.yaml"
    if labels_path.is_file():
        sources[("labels", "labels")] = "curriculum/labels.yaml"
    if glossary_path.is_file():
        sources[("glossary", "glossary")] = "curriculum/glossary.yaml"
    scorecard_path = cur_dir / "scorecard.yaml"
    if scorecard_path.is_file():
        content.scorecard = _read_model(scorecard_path, root, Scorecard, problems, files)
        if content.scorecard is not None:
            sources[("scorecard", "scorecard")] = "curriculum/scorecard.yaml"
    businesses_path = cur_dir / "businesses.yaml"
    if businesses_path.is_file():
        content.businesses = _read_model(businesses_path, root, BusinessRecords, problems, files)
        if content.businesses is not None:
            sources[("businesses", "businesses")] = "curriculum/businesses.yaml"
    pictures_path = cur_dir / "illustrations.yaml"
    if pictures_path.is_file():
        content.illustrations = _read_model(pictures_path, root, Illustrations, problems, files)
        if content.illustrations is not None:
            sources[("illustrations", "illustrations")] = "curriculum/illustrations.yaml"
    problems += _read_translations(content)
    return content, problems


# ---------------------------------------------------------------- translations

MODELS: dict[str, type[BaseModel]] = {
    "curriculum": Curriculum,
    "labels": Labels,
    "glossary": Glossary,
    "programme": Programme,
    "module": Module,
    "instrument": Instrument,
    "evaluation_form": EvaluationForm,
    "scorecard": Scorecard,
    "businesses": BusinessRecords,
    "illustrations": Illustrations,
}


def english_object(content: Content, kind: str, obj_id: str) -> BaseModel | None:
    """The English object of a (kind, id) of `content.sources`."""
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
        case "scorecard":
            return content.scorecard
        case "businesses":
            return content.businesses
        case "illustrations":
            return content.illustrations
    return None


def overlay_for(
    content: Content,
    kind: str,
    obj_id: str,
    lang: str,
    with_lines: bool = False,
    record: Record | None = None,
) -> Overlay | None:
    """The English object (kind, id) with `lang`'s translation laid over it, and how each
    string stands; None if there is no such object."""
    english = english_object(content, kind, obj_id)
    if english is None:
        return None
    dumped = english.model_dump(mode="json")
    rel = content.sources[(kind, obj_id)]
    translation = content.raw_translations.get((rel, lang))
    if translation is None:
        return overlay(MODELS[kind], dumped, {}, "")
    if record is None:
        known = content.translations.get((rel, lang))
        record = known.record if known else None
    translated = translation.nodes if with_lines else translation.data
    return overlay(MODELS[kind], dumped, translated, translation.rel, record)


def _read_translations(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    languages = {lang.code: lang for lang in content.languages if not lang.default}
    english_script = script_of(
        next((lang.name for lang in content.languages if lang.default), "English")
    )
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
            record, found = read_yaml_header(parsed, content.files[rel].source_hash)
            problems += found
            result = overlay_for(content, kind, obj_id, lang, record=record)
            assert result is not None
            if result.problems:  # parse again, with lines, to say where they are
                located = overlay_for(content, kind, obj_id, lang, with_lines=True, record=record)
                assert located is not None
                problems += located.problems
            problems += string_problems(parsed, result.strings, languages[lang], english_script)
            content.translations[(rel, lang)] = Translation(
                english=rel,
                language=lang,
                file=parsed.rel,
                record=record,
                strings=tuple(result.strings),
                fallbacks=tuple(result.fallbacks),
            )
    # translation files whose English source or language does not exist
    return problems + orphans(content.root, languages)


def _localize(content: Content, lang: str) -> Content:
    localized: dict[tuple[str, str], Any] = {}
    fallbacks: dict[tuple[str, str], tuple[str, ...]] = {}
    for kind, obj_id in content.sources:
        result = overlay_for(content, kind, obj_id, lang)
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
        scorecard=localized.get(("scorecard", "scorecard"), content.scorecard),
        businesses=localized.get(("businesses", "businesses"), content.businesses),
        illustrations=localized.get(("illustrations", "illustrations"), content.illustrations),
    )
