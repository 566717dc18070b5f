"""The advocacy brief: one district and period on one or two printed pages, for a collective
to carry into a meeting with officials, and the CSV of the same figures.

Made from a shared period only: the brief leaves the organisation, so nothing in it is more
exact than what evaluators read, and every copy of a period's brief shows the same figures.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from flask import render_template

from facilitator.load import Content
from facilitator.printing.document import document
from tracker.scorecards.models import Collective
from tracker.scorecards.periods import bounds
from tracker.scorecards.view import DistrictFigures, PeriodFigures
from tracker.summaries.exports import export_value, neutralise_formula
from tracker.summaries.tables import (
    ColumnKind,
    SummaryTable,
    display_cell,
    display_rows,
    suppression_legend,
)

CSS = """
.sc-brief h1 { font-size: 17pt; margin: 0 0 2pt; }
.sc-brief .sc-sub { font-size: 12pt; margin: 0 0 6pt; }
.sc-brief .sc-headline { font-size: 13pt; font-weight: bold; margin: 6pt 0; }
.sc-brief h2 { font-size: 12.5pt; margin: 8pt 0 3pt; }
.sc-brief ul, .sc-brief ol { margin: 2pt 0 4pt; padding-left: 16pt; }
.sc-brief li { margin: 1pt 0; }
.sc-brief svg { font-family: inherit; max-width: 100%; height: auto; }
.sc-brief .sc-chart { break-inside: avoid; }
.sc-brief table { font-size: 9.5pt; }
.sc-brief td.num, .sc-brief th.num { text-align: right; }
.sc-brief .sc-method { font-size: 9.5pt; }
.sc-brief .sc-foot { font-size: 8.5pt; color: #333; margin-top: 8pt; }
"""


def slug(text: str) -> str:
    """A district's name as part of a file name (ASCII letters and digits; else 'district')."""
    found = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return found[:40] or "district"


def html(
    collective: Collective,
    figures: PeriodFigures,
    district: DistrictFigures,
    local: Content,
    language: str,
) -> str:
    """The brief as a whole HTML document, ready for Chromium's print (call within the
    brief's language: its words are looked up in the catalogue of the current locale)."""
    scorecard = local.scorecard
    assert scorecard is not None
    first, last = bounds(figures.period)
    overall = district.overall
    body = render_template(
        "scorecards/brief.html",
        css=CSS,
        collective=collective,
        scorecard=scorecard,
        figures=figures,
        district=district,
        chart=next(s.chart_svg for s in district.sections if s.key == "questions-all"),
        ratings=display_cell(district.ratings, ColumnKind.COUNT),
        headlines=_headlines(overall),
        worst=[
            (
                name,
                display_cell(bad, ColumnKind.COUNT),
                display_cell(n, ColumnKind.COUNT),
                display_cell(share, ColumnKind.PERCENT),
            )
            for name, bad, n, share in district.worst
        ],
        offices=district.sections[0].table,
        office_rows=display_rows(district.sections[0].table),
        first=first,
        last=last,
        today=date.today(),
    )
    languages = tuple(lang.code for lang in local.languages)
    title = f"{scorecard.title} · {district.district} · {figures.label}"
    return document(body, lang=language, title=title, languages=languages)


def _headlines(overall: SummaryTable) -> list[tuple[str, list[tuple[str, str]], str]]:
    """(question, [(face, share)], change) for each question, as displayed."""
    faces = [
        (overall.columns[overall.column_index(f"share_{f}")].label, f)
        for f in ("good", "okay", "bad")
    ]
    found = []
    for row in overall.rows:
        shares = [
            (name, display_cell(row[overall.column_index(f"share_{f}")], ColumnKind.PERCENT))
            for name, f in faces
        ]
        change = row[overall.column_index("change")]
        found.append((str(row[0]), shares, display_cell(change, ColumnKind.TEXT)))
    return found


def csv_text(collective: Collective, figures: PeriodFigures, district: DistrictFigures) -> str:
    """The brief's figures as CSV: what it rests on first, then each table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    day = figures.published_at.isoformat() if figures.published_at else ""
    shared = f"Shared by the collective on {day}."
    head = [
        f"Citizen scorecard of {collective.name}, {district.district}, {figures.period}.",
        shared,
        *figures.rules,
    ]
    for line in head:
        writer.writerow([neutralise_formula(line)])
    tables = [district.sections[0].table, district.overall, district.services]
    for table in tables:
        writer.writerow([])
        writer.writerow([neutralise_formula(table.title)])
        writer.writerow([_header(column.label, column.kind) for column in table.columns])
        for row in table.rows:
            writer.writerow(
                [
                    export_value(cell, column)
                    for cell, column in zip(row, table.columns, strict=True)
                ]
            )
        for note in [*table.notes, *suppression_legend(table)]:
            writer.writerow([neutralise_formula(note)])
    return buffer.getvalue()


def _header(text: str, kind: ColumnKind) -> str:
    return neutralise_formula(f"{text} (%)" if kind == ColumnKind.PERCENT else text)
