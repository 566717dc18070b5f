"""Printed handbook, module print packs and paper forms: what a facilitator holds in her hand.

The PDFs are made once per session (Chromium through Playwright) from a small content tree
with Bengali and Hindi translations, then read back the way a reader or a screen reader
would: the text layer (pdftotext), the fonts (pdffonts), the pages and the outline (pypdf).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from facilitator import csvlayout
from facilitator.cli import main
from facilitator.content import load_content
from facilitator.printing.build import print_all
from facilitator.printing.document import document
from facilitator.printing.engine import (
    bookmarks,
    chromium_available,
    pdf_from_html,
    same_heading,
)
from facilitator.printing.forms import attendance_sheet_html, questionnaire_html
from facilitator.printing.html import to_html
from facilitator.printing.packs import module_part
from facilitator.printing.paper import paper_problems
from facilitator.printing.pdfpage import PrintedPdf
from tests.facilitator.print_tree import (
    BENGALI_WORDS,
    HINDI_WORDS,
    PrintRun,
    print_run,
    real_paper_run,
)

pytestmark = [
    pytest.mark.skipif(
        not chromium_available(),
        reason="no Chromium at /usr/bin/chromium: apt-get install chromium",
    ),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="no pdftotext: apt-get install poppler-utils"
    ),
]

MODULE = "circle-of-trust"
HANDOUT_TITLES = {
    "en": ["My strength card", "My safe people"],
    "bn": ["আমার শক্তির কার্ড", "My safe people"],  # the second handout is not translated
    "hi": ["मेरा ताक़त कार्ड", "मेरे भरोसे के लोग"],
}


@pytest.fixture(scope="session")
def run(tmp_path_factory: pytest.TempPathFactory) -> PrintRun:
    return print_run(tmp_path_factory)


def text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def pages_of(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def test_every_pdf_is_written_for_every_language(run: PrintRun) -> None:
    written = sorted(p.path.relative_to(run.out).as_posix() for p in run.printed)
    expected = sorted(
        f"{lang}/{name}"
        for lang in ("en", "bn", "hi")
        for name in (
            "handbook.pdf",
            f"modules/{MODULE}.pdf",
            "forms/attendance-peer-leadership.pdf",
            "forms/self-check.pdf",
            "forms/useful-skills.pdf",
        )
    )
    assert written == expected
    assert all(p.path.is_file() and p.path.read_bytes().startswith(b"%PDF") for p in run.printed)


@pytest.mark.parametrize(
    ("lang", "words"), [("bn", BENGALI_WORDS), ("hi", HINDI_WORDS)], ids=["bn", "hi"]
)
def test_bengali_and_hindi_extract_as_the_real_words(
    run: PrintRun, lang: str, words: list[str]
) -> None:
    for name in ("handbook.pdf", f"modules/{MODULE}.pdf"):
        extracted = text(run.out / lang / name)
        missing = [word for word in words if word not in extracted]
        assert not missing, f"{lang}/{name}: {missing} not in the text layer"
    form = text(run.out / lang / "forms/self-check.pdf")
    assert words[3 if lang == "bn" else 2] in form  # আত্মবিশ্বাস / सुरक्षित in an item


def test_every_font_is_embedded_and_none_is_drawn_as_type3(run: PrintRun) -> None:
    for printed in run.printed:
        result = subprocess.run(
            ["pdffonts", str(printed.path)], check=True, capture_output=True, text=True
        )
        rows = result.stdout.splitlines()[2:]
        assert rows, f"{printed.path}: no fonts"
        for row in rows:
            emb = row.split()[-5]  # columns end: emb sub uni object-number generation
            assert emb == "yes", f"{printed.path}: not embedded: {row}"
            assert "Type 3" not in row, f"{printed.path}: glyphs drawn, not text: {row}"
    families = subprocess.run(
        ["pdffonts", str(run.out / "hi" / "handbook.pdf")], capture_output=True, text=True
    ).stdout
    assert "NotoSansDevanagari" in families
    assert "NotoSansBengali" not in families  # Hindi is never drawn with Bengali glyphs


def test_page_counts_are_sensible(run: PrintRun) -> None:
    for lang in ("en", "bn", "hi"):
        handbook = pages_of(run.out / lang / "handbook.pdf")
        # cover + contents + how to use + principles + programme + module plan + 2 handouts
        # + questionnaire + form
        assert 10 <= handbook <= 18, (lang, handbook)
        pack = pages_of(run.out / lang / "modules" / f"{MODULE}.pdf")
        # before the day, the plan with the day's agenda on a page of its own, the handouts
        assert 3 <= pack <= 8, (lang, pack)
        for form in ("self-check", "useful-skills"):
            # one sheet and one data entry page
            assert pages_of(run.out / lang / "forms" / f"{form}.pdf") == 2, (lang, form)
        assert pages_of(run.out / lang / "forms/attendance-peer-leadership.pdf") == 1


@pytest.mark.parametrize("lang", ["en", "bn", "hi"])
def test_every_handout_starts_on_a_new_page(run: PrintRun, lang: str) -> None:
    for name in ("handbook.pdf", f"modules/{MODULE}.pdf"):
        pdf = run.out / lang / name
        marks = bookmarks(pdf.read_bytes())
        for title in HANDOUT_TITLES[lang]:
            found = [i for i, mark in enumerate(marks) if same_heading(mark.title, title)]
            assert found, f"{name}: no heading {title!r} in {marks}"
            index = found[-1]
            page = marks[index].page
            # nothing above it on its page: the heading before it is on an earlier page
            assert marks[index - 1].page < page, f"{name}: {title!r} shares page {page}"
            lines = [line.strip() for line in text(pdf, page).splitlines() if line.strip()]
            assert title in lines[:3], f"{name} page {page} starts {lines[:3]}"


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_contents_page_numbers_point_at_the_headings(run: PrintRun, lang: str) -> None:
    pdf = run.out / lang / "handbook.pdf"
    marks = bookmarks(pdf.read_bytes())
    total = pages_of(pdf)
    contents = text(pdf, 2)
    entries = re.findall(r"^(\S.*?)[ .]*?\s+(\d+)\s*$", contents, re.MULTILINE)
    listed = {title.strip(" ."): int(page) for title, page in entries if title.strip(" .")}
    module_title = run.content.localized(lang).modules[MODULE].title
    assert module_title in listed, contents
    checked = 0
    for title, page in listed.items():
        heading_pages = [m.page for m in marks if m.depth < 2 and same_heading(m.title, title)]
        if title == module_title:
            assert heading_pages == [page], (title, page, heading_pages)
        if heading_pages:
            assert heading_pages[0] == page, (title, page, heading_pages)
            # and that page carries its number at the foot
            assert re.search(rf"\b{page}\s*/\s*{total}\b", text(pdf, page))
            checked += 1
    assert checked >= 5  # programme, module, instruments part, questionnaire, form
    assert not re.search(r"\b1\s*/\s*\d", text(pdf, 1))  # the cover has no number


def test_module_pages_carry_running_heads(run: PrintRun) -> None:
    pdf = run.out / "hi" / "modules" / f"{MODULE}.pdf"
    title = run.content.localized("hi").modules[MODULE].title
    total = pages_of(pdf)
    for page in range(1, total + 1):
        page_text = text(pdf, page)
        assert title in page_text, page
        assert re.search(rf"\b{page}\s*/\s*{total}\b", page_text)


@pytest.mark.parametrize("lang", ["en", "bn", "hi"])
def test_forms_list_item_ids_in_csv_order(run: PrintRun, lang: str) -> None:
    questionnaire = text(run.out / lang / "forms/self-check.pdf")
    ids = [i.id for i in run.content.instruments["self-check"].items]
    # The respondent's sheet carries no data codes; the data-entry page lists them in order.
    first_item = run.content.localized(lang).instruments["self-check"].items[0].text
    sheets = [page for page in questionnaire.split("\f") if first_item[:20] in page]
    assert sheets and not any(i in page for i in ids for page in sheets)
    positions = [questionnaire.index(i) for i in ids]
    assert positions == sorted(positions)
    # the data-entry grid has exactly the tracker's import columns, in their order
    grid = questionnaire[questionnaire.rindex("participant_code") :]
    columns = csvlayout.assessment_columns(run.content.instruments["self-check"])
    assert [grid.index(c) for c in columns] == sorted(grid.index(c) for c in columns)
    evaluation = text(run.out / lang / "forms/useful-skills.pdf")
    form = run.content.evaluation_forms["useful-skills"]
    sheet = evaluation.split("\f")[0]
    assert not any(re.search(rf"\b{o.id}\b", sheet) for o in form.options)
    assert re.search(r"courage.*communication.*other", evaluation, re.DOTALL)
    grid = evaluation[evaluation.rindex("participant_code") :]
    columns = list(csvlayout.EVALUATION_COLUMNS)
    assert [grid.index(c) for c in columns] == sorted(grid.index(c) for c in columns)
    attendance = text(run.out / lang / "forms/attendance-peer-leadership.pdf")
    assert ", ".join(csvlayout.ATTENDANCE_COLUMNS) in attendance.replace("\n", " ")
    assert run.content.localized(lang).modules[MODULE].title in attendance


def test_tracker_fills_in_a_cohort_s_codes(run: PrintRun) -> None:
    codes = ["K-001", "K-002", "K-003"]
    html = attendance_sheet_html(
        run.content, "hi", "कोलकाता 2026", codes, ["सत्र 1", "सत्र 2", "सत्र 3"]
    )
    pdf = pdf_from_html(html)
    found = text_of(pdf)
    assert re.search(r"K-001.*K-002.*K-003", found, re.DOTALL)
    assert "कोलकाता 2026" in found and "सत्र 3" in found
    sheets = pdf_from_html(
        questionnaire_html(run.content, "bn", "self-check", participant_codes=codes)
    )
    assert len(PdfReader(io.BytesIO(sheets)).pages) == len(codes) + 1  # then data entry
    for page, code in enumerate(codes, start=1):
        assert code in text_of(sheets, page)
    assert re.search(r"K-001\s+K-002\s+K-003", text_of(sheets, len(codes) + 1))


def text_of(pdf: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, "-", "-"],
        input=pdf,
        check=True,
        capture_output=True,
    )
    return result.stdout.decode("utf-8")


def test_cli_prints_one_module_in_one_language(run: PrintRun, tmp_path: Path) -> None:
    out = tmp_path / "print"
    code = main(
        ["print", "--root", str(run.root), "--out", str(out), "--lang", "hi", "--module", MODULE]
    )
    assert code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        f"hi/modules/{MODULE}.pdf"
    ]
    assert main(["print", "--root", str(run.root), "--out", str(out), "--module", "nope"]) == 1


# ------------------------------------------------------------------- the book's front pages


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_book_opens_with_how_to_use_it_and_the_principles(run: PrintRun, lang: str) -> None:
    pdf = run.out / lang / "handbook.pdf"
    titles = [mark.title for mark in bookmarks(pdf.read_bytes()) if mark.depth == 0]
    programme = run.content.localized(lang).programmes["peer-leadership"].title
    front = ["How to use this handbook", "Facilitation principles"]  # no Hindi translation yet
    found = [next(i for i, t in enumerate(titles) if same_heading(t, f)) for f in front]
    start = next(i for i, t in enumerate(titles) if same_heading(t, programme))
    assert found == sorted(found) and found[-1] < start, titles
    contents = text(pdf, 2)
    assert contents.index("How to use this handbook") < contents.index(programme)
    assert "Safety first. Anyone may pass." in text(pdf)


# ----------------------------------------------------------------------- room to write


def test_blanks_in_a_handout_become_room_to_write(run: PrintRun) -> None:
    handout = (
        "# Plan\n\nName: ______ Date: ______\n\n## Goals\n\nWhat do you want?\n\n1.\n2.\n\n"
        "## Strengths\n\nWhat are you good at?\n\n## Check\n\n- [ ] Done\n\n"
        "## Steps\n\n1. ______\n2. ______\n\n**My buddy:**\n\n---\n\n*A handout of X*\n"
    )
    plain = to_html(handout, run.root)
    assert "fh-write" not in plain and "______" in plain  # the site's own HTML is untouched
    paper = to_html(handout, run.root, fill_in=True)
    assert "______" not in paper and "[ ]" not in paper
    assert paper.count('class="fh-fill"') == 2  # Name and Date
    assert paper.count('class="fh-fill fh-fill-line"') == 2  # 1. ______ in a list
    assert re.search(r'<span class="fh-write-number">1\.</span>.*2\.</span>', paper)
    # a question, then the next heading: lines to answer on; a label at the end: lines too
    after = paper[paper.index("What are you good at?") : paper.index("<h2", paper.index("good at"))]
    assert after.count('class="fh-write-line"') == 3
    assert paper.count('class="fh-tick"') == 1
    assert paper.rstrip().endswith("<p><em>A handout of X</em></p>")  # the closing rule stays
    assert "<hr />" in paper


def _handout_pdf(body: str, section: str = "fh-handout") -> bytes:
    html = f'<section class="{section}" lang="en">{body}</section>'
    return pdf_from_html(document(html, lang="en", title="t"))


def test_a_page_without_room_to_write_is_caught(run: PrintRun, tmp_path: Path) -> None:
    """The measure fails hairline blank rows and lines drawn too close; a handout's print of
    the same blanks passes."""
    handout = (
        "# Money\n\n| day | money in |\n| --- | --- |\n| | |\n| | |\n\nName: ___<br>Date: ___\n"
    )
    line = '<span style="display: inline-block; width: 30mm; border-bottom: 0.6pt solid #000">'
    bare = tmp_path / "bare.pdf"
    # as the site's stylesheet would print it, outside a handout: rows and lines crowded
    bare.write_bytes(_handout_pdf(to_html(handout, run.root).replace("___", line + "</span>"), "x"))
    found = {
        p.message.split(" is only")[0].split(" has only")[0] for p in paper_problems(bare, [1])
    }
    assert found == {"a blank table row", "a line to write on"}, found
    fitted = tmp_path / "fitted.pdf"
    fitted.write_bytes(_handout_pdf(to_html(handout, run.root, fill_in=True)))
    assert paper_problems(fitted, [1]) == []


def _handout_pages(pdf: PrintedPdf, titles: list[str]) -> range:
    """The pages from the first handout to the end of a print pack."""
    starts = [m.page + 1 for m in pdf.headings for t in titles[:1] if same_heading(m.title, t)]
    return range(starts[-1], pdf.count + 1) if starts else range(0)


def test_every_handout_and_form_leaves_room_to_write_in_every_language(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The real curriculum on paper: blank rows and lines a pen fits in, no heading alone at
    the foot of a page, no page that holds only a spilled line or two."""
    real = real_paper_run(tmp_path_factory)
    problems = []
    for printed in real.printed:
        rel = printed.path.relative_to(real.out)
        lang, kind = rel.parts[0], rel.parts[1]
        with PrintedPdf(printed.path) as pdf:
            if kind == "forms":
                fill_in = range(1, pdf.count + 1)
            else:
                part = module_part(real.content, printed.path.stem, lang)
                fill_in = _handout_pages(pdf, [h.title for h in part.handouts])
                assert fill_in or not part.handouts, rel
        problems += [str(p) for p in paper_problems(printed.path, fill_in)]
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------- size and reprinting


def test_pdfs_are_packed_into_object_streams(run: PrintRun) -> None:
    for printed in run.printed:
        assert b"/ObjStm" in printed.path.read_bytes(), printed.path


def test_a_second_print_reprints_only_what_changed(run: PrintRun, tmp_path: Path) -> None:
    root, out = tmp_path / "content", tmp_path / "print"
    shutil.copytree(run.root, root)
    shutil.copytree(run.out, out)
    content = load_content(root)
    start = time.perf_counter()
    again = print_all(content, out)
    assert all(p.reused for p in again) and len(again) == len(run.printed)
    assert time.perf_counter() - start < 5
    handout = root / "modules/circle-of-trust/handouts/safe-people.md"
    handout.write_text(handout.read_text("utf-8") + "\nAnd one more line.\n", "utf-8")
    changed = {
        p.path.relative_to(out).as_posix()
        for p in print_all(load_content(root), out)
        if not p.reused
    }
    assert changed == {
        f"{lang}/{name}"
        for lang in ("en", "bn", "hi")
        for name in ("handbook.pdf", f"modules/{MODULE}.pdf")
    }
    # Bengali has no translation of this handout: it prints the English, as changed
    assert "And one more line." in text(out / "bn" / "modules" / f"{MODULE}.pdf")
