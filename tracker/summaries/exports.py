"""CSV and XLSX of a (suppressed) SummaryTable.

Numbers are written as numbers; a hidden cell as its marker ("<5" or "*"); a legend
follows the rows when anything is hidden. Text that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) gets a leading apostrophe in CSV and is
stored as quoted text in XLSX; numbers, negative ones included, stay numbers.

The CSV is the file for analysis: its headers, notes and legend stay in English whatever
the interface language, so scripts and merged exports keep working. The XLSX is the
formatted table for people: it is written in the language the table was built in, and
`gettext` translates its legend.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tracker.summaries.tables import (
    Cell,
    Column,
    ColumnKind,
    SummaryTable,
    Suppressed,
    Translate,
    suppression_legend,
    untranslated,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMATS = {
    ColumnKind.COUNT: "0",
    ColumnKind.PERCENT: "0.0%",
    ColumnKind.MEAN: "0.00",
    ColumnKind.CHANGE: "+0.00;-0.00;0.00",
    ColumnKind.EFFECT_SIZE: "+0.00;-0.00;0.00",
    ColumnKind.P_VALUE: "0.0000",
}


def neutralise_formula(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would otherwise evaluate."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_value(cell: Cell, column: Column) -> int | float | str:
    """The value written for one cell: a rounded number, or safe text."""
    if isinstance(cell, Suppressed):
        return cell.display
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, str):
        return neutralise_formula(cell)
    if column.kind == ColumnKind.COUNT:
        return round(cell)
    if column.kind == ColumnKind.PERCENT:
        return round(cell * 100, 1)  # CSV percent columns are in percent units
    if column.kind == ColumnKind.P_VALUE:
        return round(cell, 4)
    return round(cell, 3) if isinstance(cell, float) else cell


def _header(column: Column) -> str:
    label = neutralise_formula(column.label)
    return f"{label} (%)" if column.kind == ColumnKind.PERCENT else label


def _footer(table: SummaryTable) -> list[str]:
    return [neutralise_formula(note) for note in (*table.notes, *suppression_legend(table))]


def exact_marking(scope_title: str, gettext: Translate = untranslated) -> list[str]:
    """The lines every exact export for an organisation's own staff carries."""
    return [
        gettext(
            "EXACT FIGURES of %(scope)s, %(date)s: for the organisation's own staff, "
            "not for sharing outside the organisation."
        )
        % {"scope": scope_title, "date": date.today().isoformat()}
    ]


def release_marking(
    release_id: int | None,
    released_at: str | None,
    rules: Sequence[str],
    gettext: Translate = untranslated,
) -> list[str]:
    """Which release a protected export comes from, and the rules that protected it."""
    head = gettext("Release %(n)d of %(date)s: small counts protected for evaluators.") % {
        "n": release_id,
        "date": released_at,
    }
    return [head, *rules]


def table_to_csv(table: SummaryTable, marking: Sequence[str] = ()) -> str:
    """CSV text: a header row, one row per table row, then (after a blank line) the notes,
    the suppression legend and the marking (release and rules, or "exact figures"), one per
    row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_header(column) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [export_value(cell, column) for cell, column in zip(row, table.columns, strict=True)]
        )
    footer = _footer(table) + [neutralise_formula(line) for line in marking]
    if footer:
        writer.writerow([])
        for line in footer:
            writer.writerow([line])
    return buffer.getvalue()


def _xlsx_value(cell: Cell, column: Column) -> int | float | str:
    if column.kind == ColumnKind.PERCENT and isinstance(cell, int | float):
        return float(cell)  # kept as a fraction; the cell format shows it as a percentage
    if isinstance(cell, str):
        return cell  # stored as quoted text below, not with a visible apostrophe
    return export_value(cell, column)


def _number_formats(sheet: Worksheet, table: SummaryTable, header_row: int) -> None:
    """Each number cell of the table formatted as its column's kind (a percentage...)."""
    for row_cells in sheet.iter_rows(min_row=header_row + 1, max_row=header_row + len(table.rows)):
        for index, cell in enumerate(row_cells):
            column = table.columns[index]
            if (
                cell.row > header_row
                and not isinstance(cell.value, str)
                and column.kind in XLSX_FORMATS
            ):
                cell.number_format = XLSX_FORMATS[column.kind]


def _text_stays_text(sheet: Worksheet) -> None:
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            if isinstance(cell.value, str):
                # Text is text: never let openpyxl or Excel read it as a formula.
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True


def table_to_xlsx(
    table: SummaryTable,
    sheet_title: str = "Summary",
    gettext: Translate = untranslated,
    marking: Sequence[str] = (),
    *,
    exact: bool = False,
) -> bytes:
    """An XLSX workbook: the marking (if any) above the table on the first sheet, notes and
    legend on a "Legend" sheet (and under the table). An exact export's sheet is named so."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (f"EXACT {sheet_title}" if exact else sheet_title)[:31]
    for line in marking:
        sheet.append([line])
    if marking:
        sheet.append([])
    sheet.append([column.label for column in table.columns])
    header_row = len(marking) + (2 if marking else 1)
    for row in table.rows:
        sheet.append(
            [_xlsx_value(cell, column) for cell, column in zip(row, table.columns, strict=True)]
        )
    _number_formats(sheet, table, header_row)
    footer = [*table.notes, *suppression_legend(table, gettext), *marking]
    legend = workbook.create_sheet("Legend")
    legend.append([table.title])
    if footer:
        sheet.append([])
    for line in footer:
        sheet.append([line])
        legend.append([line])
    for ws in (sheet, legend):
        _text_stays_text(ws)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
