"""A coordinator's day in a real browser: a new cohort, its participants, the roster on a
phone, pre and post self-assessments, the summary's charts moving, and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, LiveTracker, visit

CODES = ["BR-001", "BR-002", "BR-003", "BR-004", "BR-005", "BR-006"]
ABSENT = {"BR-002", "BR-005"}
LATE = {"BR-003"}
# Pre and post answers (1-5) for the four items of the fixture's self-worth check-in; the
# last item is reverse-worded, so lower is better there.
PRE = {"value-myself": 2, "speak-up": 1, "make-decisions": 2, "feel-ashamed": 4}
POST = {"value-myself": 4, "speak-up": 4, "make-decisions": 5, "feel-ashamed": 2}
ASSESSED = CODES[:5]


def overall_score(answers: dict[str, int]) -> float:
    return sum(6 - v if item == "feel-ashamed" else v for item, v in answers.items()) / 4


def create_cohort(page: Page, tracker: LiveTracker) -> int:
    visit(page, f"{tracker.url}/cohorts/")
    page.get_by_role("link", name="New cohort").click()
    page.fill("#name", "Browser cohort")
    page.select_option("#programme_id", "leaders")
    page.select_option("#language", "bn")
    page.fill("#place", "Community hall")
    page.fill("#starts_on", "2026-03-02")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Cohort created.")
    found = re.search(r"/cohorts/(\d+)$", page.url)
    assert found, page.url
    return int(found.group(1))


def add_participants(page: Page, tracker: LiveTracker, cohort_id: int) -> None:
    visit(page, f"{tracker.url}/cohorts/{cohort_id}/participants")
    for code in CODES:
        page.fill("#code", code)
        page.select_option("#group", "survivor")
        page.check("#consent_given")
        page.fill("#consent_given_on", "2026-03-01")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(".flash")).to_contain_text(code)
    rows = page.locator("main table tbody tr td:first-child")
    assert rows.all_inner_texts() == CODES


def new_session(page: Page, tracker: LiveTracker, cohort_id: int) -> str:
    visit(page, f"{tracker.url}/cohorts/{cohort_id}")
    page.get_by_role("link", name="New session").click()
    page.select_option("#module_id", "leaders-me")
    page.fill("#held_on", "2026-03-02")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/sessions/\d+/attendance$"))
    return page.url


def take_roster_on_a_phone(page: Page, roster_url: str, screenshots: Path) -> None:
    page.set_viewport_size(PHONE)
    visit(page, roster_url)
    # Nothing wider than the phone: no sideways scrolling to reach a choice.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for code in CODES:
        row = page.locator("ul.roster li", has=page.locator(f"legend:text-is('{code}')"))
        status = "absent" if code in ABSENT else "late" if code in LATE else None
        if status is None:
            continue
        choice = row.locator(f"label[for$='-{status}']")
        box = choice.bounding_box()
        assert box is not None and box["height"] >= 40, f"{code}: {box} is not thumb-sized"
        choice.click()
        expect(row.locator(f"input[type='radio'][value='{status}']")).to_be_checked()
    page.screenshot(path=str(screenshots / "tracker-roster-phone.png"), full_page=True)
    save = page.locator(".sticky-save button")
    expect(save).to_be_in_viewport()  # sticky: reachable without scrolling to the end
    save.click()
    expect(page.locator(".flash")).to_contain_text(f"Attendance saved for {len(CODES)}")
    for code in CODES:
        row = page.locator("ul.roster li", has=page.locator(f"legend:text-is('{code}')"))
        expected = "absent" if code in ABSENT else "late" if code in LATE else "present"
        expect(row.locator(f"input[type='radio'][value='{expected}']")).to_be_checked()
    page.screenshot(path=str(screenshots / "tracker-roster-phone-saved.png"), full_page=True)


def answer(
    page: Page, tracker: LiveTracker, cohort_id: int, code: str, column: int, values: dict[str, int]
) -> None:
    visit(page, f"{tracker.url}/cohorts/{cohort_id}/assessments/selfworth")
    row = page.locator("main table tbody tr", has=page.locator(f"td:text-is('{code}')"))
    row.locator("a").nth(column).click()
    for item, value in values.items():
        page.check(f"input[name='item-{item}'][value='{value}']")
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".flash")).to_contain_text(f"Answers saved for {code}")


def chart(page: Page, section: str) -> tuple[list[str], list[float]]:
    """A summary section's chart as drawn: its texts (labels and the figures printed on the
    bars), and the widths of its bars."""
    svg = page.locator(f"section:has(#h-{section}) .chart svg")
    expect(svg).to_have_count(1)
    texts = [(t or "").strip() for t in svg.locator("text").all_text_contents()]
    widths = svg.evaluate(
        "svg => [...svg.querySelectorAll('rect')].map(r => Number(r.getAttribute('width')))"
    )
    return texts, widths


def download_csv(page: Page, section: str) -> tuple[str, list[list[str]]]:
    with page.expect_download() as download_info:
        page.locator(f"section:has(#h-{section}) a:text-is('CSV')").click()
    download = download_info.value
    text = Path(download.path()).read_text("utf-8")
    return download.suggested_filename, list(csv.reader(io.StringIO(text)))


def test_coordinator_runs_a_cohort(page: Page, tracker: LiveTracker, screenshots: Path) -> None:
    tracker.login(page, "coord_a")
    cohort_id = create_cohort(page, tracker)
    add_participants(page, tracker, cohort_id)
    roster_url = new_session(page, tracker, cohort_id)
    take_roster_on_a_phone(page, roster_url, screenshots)

    page.set_viewport_size(DESKTOP)
    summary_url = f"{tracker.url}/summaries/cohort/{cohort_id}"
    visit(page, summary_url)
    before_texts, before_bars = chart(page, "selfworth-pre-post")
    assert "100%" not in before_texts  # no answers yet: no bar has a figure

    for code in ASSESSED:
        answer(page, tracker, cohort_id, code, 0, PRE)
        answer(page, tracker, cohort_id, code, 1, POST)
    # The same form in the cohort's language, through the header's language switcher.
    page.select_option("#ui-language", "bn")
    page.locator("header form:has(#ui-language) button").click()
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    expect(page.locator("main h1")).to_have_text("আত্মমূল্য যাচাই")
    page.screenshot(path=str(screenshots / "tracker-assessment-overview-bn.png"), full_page=True)
    page.select_option("#ui-language", "en")
    page.locator("header form:has(#ui-language) button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    visit(page, summary_url)
    after_texts, after_bars = chart(page, "selfworth-pre-post")
    # Every one of the 5 pairs improved on every item: five bars, each printed "100%".
    assert after_texts.count("100%") == 5, after_texts
    assert sum(after_bars) > sum(before_bars), (before_bars, after_bars)
    page.screenshot(path=str(screenshots / "tracker-summary.png"), full_page=True)
    page.locator("section:has(#h-selfworth-pre-post)").screenshot(
        path=str(screenshots / "tracker-summary-pre-post.png")
    )

    name, rows = download_csv(page, "attendance")
    assert name == f"cohort-{cohort_id}-attendance-EXACT-not-for-sharing.csv"
    # Four of six came (one of them late counts as present), two were absent.
    assert rows[:2] == [
        ["Session", "Present", "Enrolled", "Attendance (%)"],
        ["2026-03-02 · Module leaders-me", "4", "6", "66.7"],
    ]
    name, rows = download_csv(page, "selfworth-pre-post")
    assert name == f"cohort-{cohort_id}-selfworth-pre-post-EXACT-not-for-sharing.csv"
    assert rows[0][:5] == ["Item", "Matched pairs", "Improved", "Unchanged", "Worsened"]
    overall = dict(
        zip(rows[0], next(row for row in rows if row and row[0] == "Overall score"), strict=False)
    )
    # Means over the four items, the reverse-worded one recoded (6 - answer).
    assert [overall[k] for k in ("Matched pairs", "Mean before", "Mean after", "Mean change")] == [
        "5",
        f"{overall_score(PRE):.2f}",
        f"{overall_score(POST):.2f}",
        "2.5",
    ]
    assert overall["Improved"] == "5" and overall["Unchanged"] == "0"
