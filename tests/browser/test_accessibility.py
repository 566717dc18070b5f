"""axe-core in the page: the handbook (from disk, each language) and the tracker's busiest
pages have no serious or critical accessibility violations, and every chart has a text
alternative and a table of the same numbers beside it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, LiveTracker, local_page, visit

AXE = resources.files("axe_playwright_python") / "axe.min.js"
BLOCKING = {"serious", "critical"}
LANGUAGES = ("en", "bn", "hi")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical violations on the open page, as axe reports them."""
    page.add_script_tag(content=AXE.read_text("utf-8"))
    result = page.evaluate(
        """async () => {
            const found = await axe.run(document, {resultTypes: ['violations']});
            return found.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 8).map(n => n.target.join(' ')),
                summary: v.nodes.length ? v.nodes[0].failureSummary : '',
            }));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    on {v['targets']}\n    {v['summary']}"
        for v in violations
    )


# ------------------------------------------------------------------ the handbook


def first_module(site: Path) -> str:
    modules = sorted(p.name for p in (site / "modules").iterdir() if (p / "index.html").is_file())
    assert modules, f"no module pages in {site}"
    return modules[0]


def handbook_pages(site: Path, lang: str) -> list[str]:
    prefix = "" if lang == "en" else f"{lang}/"
    return [f"{prefix}index.html", f"{prefix}modules/{first_module(site)}/index.html"]


def handbook_violations(page: Page, site: Path, lang: str) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for rel in handbook_pages(site, lang):
        path = site / rel
        assert path.is_file(), path
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == lang, rel
        found[rel] = axe_violations(page)
    return found


def report(found: dict[str, list[dict[str, Any]]]) -> str:
    return "\n".join(
        f"{rel}: {v['id']} ({v['impact']}): {v['help']}\n    on {v['targets']}\n    {v['summary']}"
        for rel, violations in found.items()
        for v in violations
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_handbook_pages_in_every_language(page: Page, handbook: Path, lang: str) -> None:
    found = handbook_violations(page, handbook, lang)
    assert not any(found.values()), report(found)


# ------------------------------------------------------------------ the tracker


@pytest.fixture(scope="module")
def recorded(tracker: LiveTracker) -> LiveTracker:
    """Cohort A with a pre and a post self-assessment, so that its summary has charts."""
    from tracker.db import db
    from tracker.models import Cohort, Timepoint
    from tracker.records import assessments

    world = tracker.world
    with tracker.app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        for point, value in ((Timepoint.pre, 2), (Timepoint.post, 4)):
            saved = assessments.save(
                cohort,
                assessments.AssessmentInput(
                    world.participant_a,
                    "selfworth",
                    point,
                    date(2025, 1, 6),
                    {"value-myself": value, "speak-up": value},
                ),
            )
            assert not isinstance(saved, list), saved
    return tracker


@pytest.fixture
def tracker_page(browser: Browser) -> Iterator[Page]:
    # The tracker's CSP forbids inline scripts, rightly; axe is injected as one.
    with local_page(browser, bypass_csp=True) as opened:
        yield opened


def test_roster_on_a_phone(tracker_page: Page, recorded: LiveTracker) -> None:
    page = tracker_page
    recorded.login(page, "fac_a", language=None)
    page.set_viewport_size(PHONE)
    visit(page, f"{recorded.url}/sessions/{recorded.world.session_a}/attendance")
    assert_accessible(page, "roster")
    # Every choice has a name a screen reader announces with the participant's code.
    radios = page.locator("ul.roster input[type=radio]")
    assert radios.count() == 4
    expect(page.get_by_role("group", name="SUR-A01")).to_be_attached()
    page.locator(".sticky-save button").click()
    expect(page.locator(".flash")).to_be_visible()
    assert_accessible(page, "roster after saving")


def test_assessment_form_in_bengali(
    tracker_page: Page, recorded: LiveTracker, screenshots: Path
) -> None:
    page = tracker_page
    recorded.login(page, "fac_a", language=None)  # the interface follows the cohort: Bengali
    world = recorded.world
    url = f"{recorded.url}/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}"
    visit(page, url)
    assert page.locator("html").get_attribute("lang") == "bn"
    expect(page.locator("h1")).to_have_text("আত্মমূল্য যাচাই")
    page.screenshot(path=str(screenshots / "tracker-assessment-bn.png"), full_page=True)
    assert_accessible(page, "assessment form (bn)")


@pytest.mark.parametrize("view", ["coordinator", "evaluator"])
def test_summary_charts_have_text_and_tables(
    tracker_page: Page, recorded: LiveTracker, screenshots: Path, view: str
) -> None:
    page = tracker_page
    recorded.login(page, "coord_a")
    query = "?view=evaluator" if view == "evaluator" else ""
    visit(page, f"{recorded.url}/summaries/cohort/{recorded.world.cohort_a}{query}")
    page.screenshot(path=str(screenshots / f"tracker-summary-a11y-{view}.png"), full_page=True)
    assert_accessible(page, f"summary ({view})")
    charts = page.locator(".figure svg")
    assert charts.count() >= 2, "the summary should have an attendance and an assessment chart"
    for index in range(charts.count()):
        chart = charts.nth(index)
        described = chart.evaluate(
            """svg => {
                const byIds = (attr) => (svg.getAttribute(attr) || '').split(/\\s+/)
                    .filter(Boolean).map(id => document.getElementById(id))
                    .filter(Boolean).map(el => el.textContent.trim()).join(' ');
                const title = svg.querySelector(':scope > title');
                const desc = svg.querySelector(':scope > desc');
                return {
                    role: svg.getAttribute('role'),
                    title: title ? title.textContent.trim() : '',
                    name: svg.getAttribute('aria-label') || byIds('aria-labelledby')
                        || (title ? title.textContent.trim() : ''),
                    desc: desc ? desc.textContent.trim() : '',
                    tableBeside: !!svg.closest('.figure').querySelector('table caption'),
                };
            }"""
        )
        assert described["role"] == "img", described
        assert described["name"], f"chart {index} has no text alternative: {described}"
        assert described["tableBeside"], f"chart {index} has no data table beside it"
        # The description goes through the figures (or says which are hidden), beyond the title.
        assert described["desc"] and described["desc"] != described["title"], described
        # What the browser itself computes as the name, as a screen reader would get it.
        assert described["title"], described
        expect(chart).to_have_accessible_name(re.compile("^" + re.escape(described["title"])))


def test_paper_forms_page_and_a_printed_form(
    tracker_page: Page, recorded: LiveTracker, screenshots: Path
) -> None:
    page = tracker_page
    recorded.login(page, "coord_a")
    visit(page, f"{recorded.url}/cohorts/{recorded.world.cohort_a}/paper/")
    assert_accessible(page, "paper forms")
    # The printed questionnaire, as the coordinator downloads it: a PDF from the server.
    with page.expect_download() as download_info:
        page.locator("tr", has_text="Before (pre)").get_by_role("link", name="PDF").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith("-selfworth-pre.pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    # Its print-ready HTML, in the cohort's language, with the cohort's code filled in.
    visit(page, f"{recorded.url}/cohorts/{recorded.world.cohort_a}/paper/")
    page.locator("tr", has_text="Before (pre)").get_by_role("link", name="HTML").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    expect(page.locator(".fh-filled").first).to_have_text("SUR-A01")
    page.screenshot(path=str(screenshots / "tracker-paper-questionnaire-bn.png"), full_page=True)
