"""CSV and XLSX exports: exact CSV text, XLSX read back, suppression and formula safety."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tracker.summaries.exports import neutralise_formula, table_to_csv, table_to_xlsx
from tracker.summaries.statistics import YesShare
from tracker.summaries.tables import (
    Cell,
    Column,
    ColumnKind,
    SummaryTable,
    Suppressed,
    yes_no_table,
)


def body_image() -> SummaryTable:
    """A table as protection leaves it: a small count hidden, the cells that would give it
    away hidden too (which ones is protection's business, tested in test_protection)."""
    table = yes_no_table(
        "Body image questionnaire",
        [
            ("I like my body", YesShare(23, 3, 3 / 23)),
            ("I can say no to touch", YesShare(20, 15, 0.75)),
        ],
        notes=["Cohort: Kolkata 1, post-training"],
    )
    table.rows[0][1] = Suppressed(5, "primary")
    table.rows[0][2] = Suppressed(5, "secondary")
    table.rows[0][4] = Suppressed(5, "derived")
    table.rows[0][5] = Suppressed(5, "derived")
    return table


def test_csv_exact_output_with_suppression_and_legend() -> None:
    expected = (
        "Item,Yes,No,Answered,Yes (%),No (%)\r\n"
        "I like my body,<5,*,23,*,*\r\n"
        "I can say no to touch,15,5,20,75.0,25.0\r\n"
        "\r\n"
        '"Cohort: Kolkata 1, post-training"\r\n'
        '"<5: a count from 0 to 4, hidden to protect participants."\r\n'
        '"*: hidden so that a small count cannot be worked out from totals, '
        'or computed from a hidden count."\r\n'
    )
    assert table_to_csv(body_image()) == expected


def test_csv_without_notes_or_hidden_cells_has_no_footer() -> None:
    columns = [Column("s", "Session"), Column("n", "Present", ColumnKind.COUNT)]
    table = SummaryTable("Attendance", columns, [["Session 1", 12]])
    assert table_to_csv(table) == "Session,Present\r\nSession 1,12\r\n"


def formula_table() -> SummaryTable:
    columns = [
        Column("option", "Option"),
        Column("change", "Mean change", ColumnKind.CHANGE),
        Column("count", "Count", ColumnKind.COUNT),
    ]
    rows: list[list[Cell]] = [
        ['=HYPERLINK("http://x")', -0.5, 7],
        ["+1", -1.25, 9],
        ["-2+3", 0.0, 8],
        ["@SUM(A1)", 2.0, 6],
        ["Ordinary - with a dash", -3.0, 5],
    ]
    return SummaryTable("Tally", columns, rows, notes=["=cmd|' /C calc'!A0"])


def test_csv_neutralises_formulas_but_keeps_negative_numbers() -> None:
    lines = table_to_csv(formula_table()).splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",-0.5,7'
    assert lines[2] == "'+1,-1.25,9"
    assert lines[3] == "'-2+3,0.0,8"
    assert lines[4] == "'@SUM(A1),2.0,6"
    assert lines[5] == "Ordinary - with a dash,-3.0,5"
    assert lines[-1] == "'=cmd|' /C calc'!A0"
    assert neutralise_formula("\tx") == "'\tx" and neutralise_formula("x=1") == "x=1"


def test_xlsx_reads_back_with_numbers_markers_and_legend_sheet() -> None:
    workbook = load_workbook(io.BytesIO(table_to_xlsx(body_image())))
    assert workbook.sheetnames == ["Summary", "Legend"]
    sheet = workbook["Summary"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Item", "Yes", "No", "Answered", "Yes", "No"]
    assert rows[1] == ["I like my body", "<5", "*", 23, "*", "*"]
    assert rows[2] == ["I can say no to touch", 15, 5, 20, 0.75, 0.25]
    assert sheet.cell(row=3, column=5).number_format == "0.0%"
    legend = [r[0] for r in workbook["Legend"].iter_rows(values_only=True)]
    assert legend[0] == "Body image questionnaire"
    assert any(str(line).startswith("<5: a count from 0 to 4") for line in legend)
    assert any(str(line).startswith("*: hidden") for line in legend)


def test_xlsx_stores_formula_like_text_as_text_and_numbers_as_numbers() -> None:
    workbook = load_workbook(io.BytesIO(table_to_xlsx(formula_table())))
    sheet = workbook["Summary"]
    first = sheet.cell(row=2, column=1)
    assert first.data_type == "s" and first.value == '=HYPERLINK("http://x")'
    assert first.quotePrefix
    assert sheet.cell(row=3, column=1).quotePrefix
    assert not sheet.cell(row=6, column=1).quotePrefix
    assert sheet.cell(row=2, column=2).value == -0.5
    assert sheet.cell(row=2, column=2).data_type == "n"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
