"""Paper forms a facilitator fills in by hand, laid out to be typed back into the tracker.

Every data-entry grid has the tracker's CSV import columns (facilitator.csvlayout): the
participant code, the timepoint and date, then the items by id in the instrument's order;
each question and option carries its id in small print so the person typing the answers in
can match them. With participant codes (the tracker,
for a real cohort) each respondent gets a sheet with the code filled in; without, one blank.

    html = attendance_sheet_html(content, "bn", "Kolkata 2026", ["K-001"], ["Day 1", "Day 2"])
    pdf = pdf_from_html(html)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from facilitator import csvlayout
from facilitator.care import follow_up_values
from facilitator.load import Content
from facilitator.printing.document import document, render
from facilitator.printing.engine import pdf_from_html
from facilitator.printing.labels import print_labels
from facilitator.printing.scorecard import scorecard_sheet_html

__all__ = [
    "attendance_sheet_html",
    "blank_form",
    "blank_forms",
    "evaluation_form_html",
    "form_names",
    "pdf_from_html",
    "programme_attendance_html",
    "questionnaire_html",
]

# Rows on a sheet with no participant codes: a typical cohort and a few more on a portrait
# page; as many as fit on a landscape page (8.5 mm each, room for a pen).
BLANK_ROWS = 20
BLANK_ROWS_LANDSCAPE = 16
SESSIONS_ON_PORTRAIT = 5  # more do not fit across a portrait page with room to write
TIMEPOINTS = ("pre", "post", "follow_up")


@dataclass(frozen=True)
class Column:
    """One answer column: what the respondent reads above it, and its value in the CSV."""

    label: str
    value: str


def _codes(content: Content) -> tuple[str, ...]:
    return tuple(language.code for language in content.languages)


def _rows(participant_codes: Sequence[str], blank_rows: int | None, landscape: bool) -> list[str]:
    if participant_codes:
        return list(participant_codes)
    if blank_rows is None:
        blank_rows = BLANK_ROWS_LANDSCAPE if landscape else BLANK_ROWS
    return [""] * blank_rows


def attendance_sheet_html(
    content: Content,
    lang: str,
    cohort_label: str,
    participant_codes: Sequence[str],
    session_labels: Sequence[str],
    *,
    subtitle: str = "",
    blank_rows: int | None = None,
) -> str:
    """A cohort's attendance sheet: participant codes down the side, a column per session."""
    labels = print_labels(content, lang)
    landscape = len(session_labels) > SESSIONS_ON_PORTRAIT
    body = render(
        "attendance.html.j2",
        L=labels,
        cohort=cohort_label,
        subtitle=subtitle,
        rows=_rows(participant_codes, blank_rows, landscape),
        sessions=list(session_labels),
        entry_note=labels["attendance_entry_note"].replace(
            "{columns}", ", ".join(csvlayout.ATTENDANCE_COLUMNS)
        ),
    )
    return document(
        body,
        lang=lang,
        title=labels["attendance_sheet"],
        languages=_codes(content),
        landscape=landscape,
    )


def programme_attendance_html(content: Content, lang: str, programme_id: str) -> str:
    """A blank attendance sheet for a cohort of a programme: one column per module."""
    local = content.localized(lang)
    sessions = [m.title for m in local.programme_modules(programme_id)]
    title = local.programmes[programme_id].title
    return attendance_sheet_html(content, lang, "", [], sessions, subtitle=title)


def _answer_columns(content: Content, lang: str, instrument_id: str) -> list[Column]:
    instrument = content.localized(lang).instruments[instrument_id]
    labels = print_labels(content, lang)
    if instrument.kind == "yes_no":
        return [Column(labels["yes"], "1"), Column(labels["no"], "0")]
    return [Column(point.label, str(point.value)) for point in instrument.scale]


def questionnaire_html(
    content: Content,
    lang: str,
    instrument_id: str,
    *,
    cohort_label: str = "",
    participant_codes: Sequence[str] = (),
    timepoint: str | None = None,
    blank_rows: int | None = None,
) -> str:
    """A self-assessment questionnaire: one sheet per respondent, then a data entry grid."""
    instrument = content.localized(lang).instruments[instrument_id]
    labels = print_labels(content, lang)
    instructions = instrument.instructions
    if timepoint == "retro_pre" and instrument.retrospective_instructions:
        instructions = instrument.retrospective_instructions
    body = render(
        "questionnaire.html.j2",
        L=labels,
        instrument=instrument,
        instructions=instructions,
        columns=_answer_columns(content, lang, instrument_id),
        cohort=cohort_label,
        sheets=list(participant_codes) or [""],
        timepoint=timepoint,
        timepoints=TIMEPOINTS + (("retro_pre",) if instrument.retrospective_instructions else ()),
        grid_columns=csvlayout.assessment_columns(instrument),
        grid_rows=_rows(participant_codes, blank_rows, landscape=True),
        grid_fixed={"timepoint": timepoint} if timepoint else {},
        follow_up=bool(follow_up_values(instrument)),
    )
    return document(body, lang=lang, title=instrument.title, languages=_codes(content))


def evaluation_form_html(
    content: Content,
    lang: str,
    form_id: str,
    *,
    cohort_label: str = "",
    participant_codes: Sequence[str] = (),
    blank_rows: int | None = None,
) -> str:
    """A 'most useful skills' form: options to tick, with their ids, then a data entry grid."""
    form = content.localized(lang).evaluation_forms[form_id]
    labels = print_labels(content, lang)
    body = render(
        "evaluation.html.j2",
        L=labels,
        form=form,
        choose=labels["choose_up_to"].replace("{n}", str(form.choose_up_to)),
        cohort=cohort_label,
        sheets=list(participant_codes) or [""],
        grid_columns=list(csvlayout.EVALUATION_COLUMNS),
        grid_rows=_rows(participant_codes, blank_rows, landscape=True),
        grid_note=labels["choices_note"].replace("{separator}", csvlayout.CHOICE_SEPARATOR),
    )
    return document(body, lang=lang, title=form.title, languages=_codes(content))


ATTENDANCE = "attendance-"
SCORECARD = "citizen-scorecard"


def form_names(content: Content) -> list[str]:
    """The file stem of every blank paper form of the curriculum."""
    names = [f"{ATTENDANCE}{programme_id}" for programme_id in content.programmes]
    names += [*content.instruments, *content.evaluation_forms]
    return [*names, SCORECARD] if content.scorecard is not None else names


def blank_form(content: Content, lang: str, name: str) -> str:
    """One blank paper form in `lang`, by its file stem."""
    if name in content.instruments:
        return questionnaire_html(content, lang, name)
    if name in content.evaluation_forms:
        return evaluation_form_html(content, lang, name)
    if name == SCORECARD:
        return scorecard_sheet_html(content, lang)
    return programme_attendance_html(content, lang, name.removeprefix(ATTENDANCE))


def blank_forms(content: Content, lang: str) -> dict[str, str]:
    """Every blank paper form of the curriculum in `lang`: file stem -> HTML."""
    return {name: blank_form(content, lang, name) for name in form_names(content)}
