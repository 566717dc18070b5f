"""XLSForm: every instrument and evaluation form converts with pyxform (as ODK Central and
KoboToolbox convert them) with no error and no warning, in every curriculum language, with
care text as guidance, the choice limit as a constraint, and a version that follows the
content."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import ConvertResult, convert

from facilitator import xlsform
from facilitator.cli import main
from facilitator.content import load_content
from facilitator.load import Content
from tests.facilitator.conftest import FIXTURES, REPO

TRACKER_CONTENT = REPO / "tests" / "tracker" / "content"


def to_xform(form: xlsform.XLSForm) -> tuple[ConvertResult, list[str]]:
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(form.workbook()), file_type=".xlsx", warnings=warnings)
    return result, warnings


@pytest.fixture(scope="module")
def contents() -> dict[str, Content]:
    return {
        "curriculum": load_content(REPO),
        "fixture": load_content(FIXTURES / "good"),
        "tracker": load_content(TRACKER_CONTENT),
    }


@pytest.fixture(scope="module")
def converted(
    contents: dict[str, Content],
) -> dict[str, tuple[xlsform.XLSForm, ConvertResult, list[str]]]:
    """Every form of every content tree, converted once (pyxform is the slow part)."""
    out = {}
    for tree, content in contents.items():
        for name, form in xlsform.all_forms(content).items():
            out[f"{tree}/{name}"] = (form, *to_xform(form))
    return out


def test_every_form_converts_without_errors_or_warnings(
    contents: dict[str, Content],
    converted: dict[str, tuple[xlsform.XLSForm, ConvertResult, list[str]]],
) -> None:
    real = contents["curriculum"]
    expected = {f"curriculum/{i}" for i in [*real.instruments, *real.evaluation_forms]}
    assert expected <= set(converted) and len(expected) >= 6
    for name, (form, result, warnings) in converted.items():
        assert warnings == [], name
        assert (
            f'id="{form.form_id}"' in result.xform and f'version="{form.version}"' in result.xform
        )


def test_labels_in_every_language_of_the_curriculum(
    contents: dict[str, Content],
    converted: dict[str, tuple[xlsform.XLSForm, ConvertResult, list[str]]],
) -> None:
    real = contents["curriculum"]
    form, result, _ = converted["curriculum/body-image"]
    book = load_workbook(io.BytesIO(form.workbook()))
    header = [cell.value for cell in next(book["survey"].iter_rows(max_row=1))]
    for language in real.languages:
        suffix = f"{language.name} ({language.code})"
        assert f"label::{suffix}" in header
        assert f'<translation lang="{suffix}"' in result.xform
    default = next(lang for lang in real.languages if lang.default)
    assert f'<translation lang="{default.name} ({default.code})" default="true()">' in result.xform
    # the Bengali item text, from the translation file, is the Bengali label
    bengali = real.localized("bn").instruments["body-image"].items[0].text
    assert bengali in result.xform and bengali != real.instruments["body-image"].items[0].text


def test_care_text_is_guidance_for_the_facilitator_not_the_respondents_label(
    contents: dict[str, Content],
    converted: dict[str, tuple[xlsform.XLSForm, ConvertResult, list[str]]],
) -> None:
    content = contents["curriculum"]
    _form, result, _ = converted["curriculum/body-image"]
    care = next(i.care for i in content.instruments["body-image"].items if i.care)
    opening = care.split(".")[0]
    guidance = re.findall(r'<value form="guidance">(.*?)</value>', result.xform, re.S)
    assert any(opening in text for text in guidance)
    labels = re.findall(r"<text id=\"[^\"]*:label\">\s*<value>(.*?)</value>", result.xform, re.S)
    assert not any(opening in text for text in labels)


def test_choose_up_to_n_is_a_constraint_and_other_asks_for_words(
    contents: dict[str, Content],
    converted: dict[str, tuple[xlsform.XLSForm, ConvertResult, list[str]]],
) -> None:
    form = contents["curriculum"].evaluation_forms["useful-skills-survivors"]
    _x, result, _ = converted["curriculum/useful-skills-survivors"]
    assert (
        f'constraint="count-selected(.) &lt;= {form.choose_up_to}"' in result.xform
        and "<select ref=" in result.xform
    )
    assert "relevant=\"selected( /data/answers/choices , 'other')\"" in result.xform


def test_kinds_become_their_choice_lists(
    converted: dict[str, tuple[xlsform.XLSForm, ConvertResult, list[str]]],
) -> None:
    yes_no, _r, _w = converted["curriculum/body-image"]
    assert [c.name for c in yes_no.choices["scale"]] == ["yes", "no"]
    rating, _r, _w = converted["curriculum/wheel-of-empowerment"]
    assert [c.name for c in rating.choices["scale"]] == ["1", "2", "3", "4", "5"]
    likert, result, _w = converted["curriculum/leadership-self-assessment"]
    assert 'appearance="likert"' in result.xform
    assert "retro_pre" in [c.name for c in likert.choices["timepoints"]]  # retrospective wording
    assert [c.name for c in yes_no.choices["timepoints"]] == ["pre", "post", "follow_up"]


def test_the_code_is_typed_with_its_pattern_or_picked_from_the_cohort(
    contents: dict[str, Content],
    converted: dict[str, tuple[xlsform.XLSForm, ConvertResult, list[str]]],
) -> None:
    _f, typed, _w = converted["curriculum/body-image"]
    assert (
        'nodeset="/data/participant_code" type="string" required="true()" constraint="regex('
        in typed.xform
    )
    cohort = xlsform.instrument_form(
        contents["curriculum"],
        "body-image",
        codes=["K-001", "K-002"],
        cohort="Kolkata",
        cohort_id=7,
    )
    result, warnings = to_xform(cohort)
    assert warnings == []
    assert cohort.form_id == "body-image-cohort-7" and "Kolkata" in cohort.title
    assert "<name>K-001</name>" in result.xform and "<name>K-002</name>" in result.xform


def test_the_version_follows_the_content_and_the_form_id_stays(
    content_tree: Path, edit: Callable[[Path, str, str], None]
) -> None:
    before = xlsform.instrument_form(load_content(content_tree), "self-check")
    again = xlsform.instrument_form(load_content(content_tree), "self-check")
    assert again.version == before.version  # nothing changed: the same version
    with_codes = xlsform.instrument_form(load_content(content_tree), "self-check", codes=["A-1"])
    assert with_codes.content_version == before.content_version  # the same questions
    assert with_codes.version != before.version  # yet a new form for the server
    path = content_tree / "curriculum" / "instruments" / "self-check.yaml"
    edit(path, "label: A lot}", "label: Very much}")
    after = xlsform.instrument_form(load_content(content_tree), "self-check")
    assert after.content_version != before.content_version
    assert after.form_id == before.form_id == "self-check"


def test_the_command_writes_one_workbook_per_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "forms"
    assert main(["xlsform", "--root", str(FIXTURES / "good"), "--out", str(out)]) == 0
    content = load_content(FIXTURES / "good")
    expected = {f"{name}.xlsx" for name in [*content.instruments, *content.evaluation_forms]}
    assert {p.name for p in out.iterdir()} == expected
    one = next(iter(content.instruments))
    assert main(["xlsform", "--root", str(FIXTURES / "good"), "--out", str(tmp_path / "one"),
                 "--instrument", one]) == 0  # fmt: skip
    assert [p.name for p in (tmp_path / "one").iterdir()] == [f"{one}.xlsx"]
    assert main(["xlsform", "--root", str(FIXTURES / "good"), "--instrument", "nope"]) == 2
    assert "no instrument or evaluation form 'nope'" in capsys.readouterr().err
