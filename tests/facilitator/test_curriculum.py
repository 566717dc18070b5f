"""What matters about the real curriculum, not its wording."""

from __future__ import annotations

import re

import pytest

from facilitator.content import load_content
from facilitator.coverage import STATUSES, report
from facilitator.load import Content, collect
from facilitator.translations_command import broken_translations

from .conftest import REPO


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REPO)


def test_three_programmes_with_their_modules_in_order(content: Content) -> None:
    assert list(content.programmes) == ["utthan", "caring-connections", "kaarya"]
    for programme in content.programmes.values():
        assert len(programme.modules) >= 3, programme.id
        assert all(m in content.modules for m in programme.modules)
    listed = [m for p in content.programmes.values() for m in p.modules]
    assert sorted(listed) == sorted(content.modules), "every module sits in one programme"


def test_the_spiral_programme_has_every_phase_in_order(content: Content) -> None:
    order = {"me": 0, "we": 1, "us": 2}
    phases = [m.phase for m in content.programme_modules("utthan")]
    assert {p.value for p in phases if p} == {"me", "we", "us"}
    assert [order[p.value] for p in phases if p] == sorted(order[p.value] for p in phases if p)


def test_every_module_has_timed_sessions_that_add_up(content: Content) -> None:
    for module in content.modules.values():
        activities = [s for s in module.sessions if s.kind == "activity"]
        assert len(activities) >= 3, module.id
        assert sum(s.minutes for s in module.sessions) == module.duration_minutes, module.id
        assert all(s.steps and s.method for s in activities), module.id


def test_every_hard_topic_module_has_complete_care_notes(content: Content) -> None:
    hard = {t.id for t in content.curriculum.topics if t.hard}
    hard_modules = [m for m in content.modules.values() if hard & set(m.topics)]
    assert len(hard_modules) >= 4  # shame, body, stigma, disclosure are all taught
    for module in hard_modules:
        notes = [s.care for s in module.sessions if s.care]
        assert notes, module.id
        for note in notes:
            assert all(
                [note.content_note, note.grounding, note.right_to_pass, note.closing, note.referral]
            ), module.id


def test_every_expected_change_is_measured(content: Content) -> None:
    for module in content.modules.values():
        for change in module.expected_changes:
            assert change.measured_by, f"{module.id}/{change.id}"


# The questionnaires the reference gives, read out to survivors: complete in every language.
# A new instrument may be written in English first, like a new module.
TRANSLATED_INSTRUMENTS = (
    "leadership-self-assessment",
    "restorative-care-self-assessment",
    "wheel-of-empowerment",
    "body-image",
)


def test_every_instrument_item_exists_in_every_language(content: Content) -> None:
    for lang in ("bn", "hi"):
        localized = content.localized(lang)
        for instrument_id in TRANSLATED_INSTRUMENTS:
            instrument = content.instruments[instrument_id]
            translated = localized.instruments[instrument_id]
            assert [i.id for i in translated.items] == [i.id for i in instrument.items]
            for english, item in zip(instrument.items, translated.items, strict=True):
                assert item.text != english.text, f"{lang}: {instrument_id}/{item.id}"
                script = r"[\u0980-\u09FF]" if lang == "bn" else r"[\u0900-\u097F]"
                assert re.search(script, item.text), f"{lang}: {instrument_id}/{item.id}"
            falls_back = localized.fallbacks[("instrument", instrument_id)]
            assert falls_back == (), f"{lang}: {instrument_id} falls back for {falls_back}"


def test_the_instruments_the_issue_asks_for(content: Content) -> None:
    kinds = {i.id: i.kind for i in content.instruments.values()}
    assert kinds["leadership-self-assessment"] == "likert"
    assert kinds["restorative-care-self-assessment"] == "likert"
    assert kinds["wheel-of-empowerment"] == "rating"
    assert kinds["body-image"] == "yes_no"
    body = content.instruments["body-image"]
    harm = [i for i in body.items if "hurt" in i.text.lower()]
    assert harm and all(i.care for i in harm), "a self-harm item tells the facilitator what to do"
    for instrument in content.instruments.values():
        assert {i.level for i in instrument.items}, instrument.id


# The skills in the reference's two evaluation charts (annual report 2013-14), as the option
# ids that stand for them: ids are stable where wording is free to improve.
SURVIVOR_CHART = [
    "inner-peace",
    "protect-others",
    "study-and-earn",
    "read-intentions",
    "capacity-to-protest",
    "resilience",
    "connection",
    "communication",
    "courage-confidence",
]
SOCIAL_WORKER_CHART = [
    "working-with-the-survivor",
    "structured-information-collection",
    "strength-from-collectivisation",
    "addressing-stigma",
    "advocacy-skills",
    "confidence-and-communication",
    "leadership-and-self-empowerment",
    "gender-sexuality-breaking-taboo",
    "nurturing-resilience",
    "support-plan-with-survivor",
]


@pytest.mark.parametrize(
    ("form_id", "chart"),
    [
        ("useful-skills-survivors", SURVIVOR_CHART),
        ("useful-lessons-social-workers", SOCIAL_WORKER_CHART),
    ],
)
def test_evaluation_forms_cover_the_reference_charts(
    content: Content, form_id: str, chart: list[str]
) -> None:
    form = content.evaluation_forms[form_id]
    assert [c for c in chart if c not in {o.id for o in form.options}] == []
    assert form.other and form.choose_up_to == 3
    for lang in ("bn", "hi"):
        localized = content.localized(lang).evaluation_forms[form_id]
        assert all(o.text != e.text for o, e in zip(localized.options, form.options, strict=True))


def test_no_translation_is_broken(content: Content) -> None:
    # what CI fails on; missing and stale strings are shown to readers with a note instead
    _, problems = collect(REPO)
    assert broken_translations(content, problems) == []
    for rep in report(content):
        for row in rep.rows:
            assert row.translated + row.stale + row.missing == row.total, row.file
            assert row.status in STATUSES, row.file
