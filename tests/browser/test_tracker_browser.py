"""A coordinator's day in a real browser: a new cohort, its participants, the roster on a
phone, pre and post self-assessments, the summary's charts moving, and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveTracker

CODES = ["BR-001", "BR-002", "BR-003", "BR-004", "BR-005", "BR-006"]
ABSENT = {"BR-002", "BR-005"}
LATE = {"BR-003"}
# Pre and post answers (1-5) for the four items of the fixture's self-worth check-in; the
# last item is reverse-worded, so lower is better there.
PRE = {"value-myself": 2, "speak-up": 1, "make-decisions": 2, "feel-ashamed": 4}
POST = {"value-myself": 4, "speak-up": 4, "make-decisions": 5, "feel-ashamed": 2}
ASSESSED = CODES[:5]


def create_cohort(page: Page, tracker: LiveTracker) -> int:
    page.goto(f"{tracker.url}/cohorts/")
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
    page.goto(f"{tracker.url}/cohorts/{cohort_id}/participants")
    for code in CODES:
        page.fill("#code", code)
        page.select_option("#group", "survivor")
        page.check("#consent_given")
        page.fill("#consent_given_on", "2026-03-01")
        page.get_by_role("button", name="Add").click()
        expect(page.locator(".flash")).to_contain_text(code)
    rows = page.locator("main table tbody tr td:first-child")
    assert rows.all_inner_texts() == CODES


def new_session(page: Page, tracker: LiveTracker, cohort_id: int) -> str:
    page.goto(f"{tracker.url}/cohorts/{cohort_id}")
    page.get_by_role("link", name="New session").click()
    page.select_option("#module_id", "leaders-me")
    page.fill("#held_on", "2026-03-02")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/sessions/\d+/attendance$"))
    return page.url


def take_roster_on_a_phone(page: Page, roster_url: str, screenshots: Path) -> None:
    page.set_viewport_size(PHONE)
    page.goto(roster_url)
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
        expect(row.locator(f"input[value='{status}']")).to_be_checked()
    page.screenshot(path=str(screenshots / "tracker-roster-phone.png"), full_page=True)
    save = page.locator(".sticky-save button")
    expect(save).to_be_in_viewport()  # sticky: reachable without scrolling to the end
    save.click()
    expect(page.locator(".flash")).to_contain_text(f"Attendance saved for {len(CODES)}")
    for code in CODES:
        row = page.locator("ul.roster li", has=page.locator(f"legend:text-is('{code}')"))
        expected = "absent" if code in ABSENT else "late" if code in LATE else "present"
        expect(row.locator(f"input[value='{expected}']")).to_be_checked()
    page.screenshot(path=str(screenshots / "tracker-roster-phone-saved.png"), full_page=True)


def answer(page: Page, tracker: LiveTracker, cohort_id: int, code: str, column: int, values: dict[str, int]) -> None:
    page.goto(f"{tracker.url}/cohorts/{cohort_id}/assessments/selfworth")
    row = page.locator("main table tbody tr", has=page.locator(f"td:text-is('{code}')"))
    row.locator("a").nth(column).click()
    for item, value in values.items():
        page.check(f"input[name='item-{item}'][value='{value}']")
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".flash")).to_contain_text(f"Answers saved for {code}")


def chart_texts(page: Page, section: str) -> list[str]:
    svg = page.locator(f"section:has(#h-{section}) svg")
    return svg.locator("text").all_inner_texts()


def test_coordinator_runs_a_cohort(page: Page, tracker: LiveTracker, screenshots: Path) -> None:
    tracker.login(page, "coord_a")
    cohort_id = create_cohort(page, tracker)
    add_participants(page, tracker, cohort_id)
    roster_url = new_session(page, tracker, cohort_id)
    take_roster_on_a_phone(page, roster_url, screenshots)

    page.set_viewport_size({"width": 1280, "height": 900})
    summary_url = f"{tracker.url}/summaries/cohort/{cohort_id}"
    page.goto(summary_url)
    print(page.locator("main").inner_text())
    before = {s: chart_texts(page, s) for s in ("selfworth-pre-post",)}
    print(before)
    for code in ASSESSED:
        answer(page, tracker, cohort_id, code, 0, PRE)
        answer(page, tracker, cohort_id, code, 1, POST)
    page.goto(summary_url)
    print(page.locator("main").inner_text())
    after = {s: chart_texts(page, s) for s in ("selfworth-pre-post",)}
    print(after)
    page.screenshot(path=str(screenshots / "tracker-summary.png"), full_page=True)
    with page.expect_download() as download_info:
        page.locator("section:has(#h-attendance) a:text-is('CSV')").click()
    download = download_info.value
    path = download.path()
    print(download.suggested_filename, Path(path).read_text())
    assert False
