"""The built handbook in a real browser, opened from disk (file://) as a facilitator would.

Debian's Chromium through Playwright (no browser download). Screenshots go to
build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from facilitator.content import load_content
from facilitator.load import Content
from facilitator.pages import module_days
from facilitator.printing.engine import CHROMIUM, LAUNCH_ARGS
from tests.facilitator.handbook_build import REPO, make_fixture_tree, mkdocs_build

SCREENSHOTS = REPO / "build" / "screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
)


@pytest.fixture(scope="module")
def handbook(real_handbook: Path) -> Path:
    return real_handbook


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REPO)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("file://", "data:", "blob:", "about:"))
            else outside.append(request.url)
        ),
    )
    yield page
    context.close()
    assert outside == [], f"requests outside the handbook folder: {outside}"


def open_page(page: Page, site: Path, rel: str) -> None:
    page.goto((site / rel).as_uri())
    page.wait_for_load_state("load")


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text().rstrip("¶").strip()


def first_module(content: Content) -> str:
    programme = next(iter(content.programmes.values()))
    return next(m for m in programme.modules if m in content.modules)


def search(page: Page, query: str) -> list[str]:
    """Type into the search box as a reader does; return the result links."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reads the query on key events
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [str(link) for link in links]


@pytest.mark.parametrize("lang", ["en", "bn", "hi"])
def test_navigation_from_home_to_a_module(
    page: Page, handbook: Path, content: Content, lang: str
) -> None:
    module_id = first_module(content)
    content = content.localized(lang)
    programme = next(iter(content.programmes.values()))
    prefix = "" if lang == "en" else f"{lang}/"
    open_page(page, handbook, f"{prefix}index.html")
    page.locator("article").get_by_role("link", name=programme.title).first.click()
    assert page.url.endswith(f"{prefix}programmes/{programme.id}.html")
    page.locator("article").get_by_role("link", name=content.modules[module_id].title).click()
    assert page.url.endswith(f"{prefix}modules/{module_id}/index.html")
    assert heading(page) == content.modules[module_id].title
    assert page.locator(".fh-timetable table").first.is_visible()
    # the left navigation lists the module under its programme
    nav = page.locator(".md-nav--primary")
    assert nav.get_by_role("link", name=content.modules[module_id].title).count() >= 1


def module_path(lang: str, module_id: str) -> str:
    return f"{'' if lang == 'en' else lang + '/'}modules/{module_id}/index.html"


def switch_language(page: Page, lang: str) -> None:
    page.hover(".md-header__option .md-select")
    page.locator(f'.md-select__link[hreflang="{lang}"]').click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize(("start", "then"), [("en", "bn"), ("bn", "hi"), ("hi", "en")])
def test_language_switcher_keeps_the_reader_on_the_same_page(
    page: Page, handbook: Path, content: Content, start: str, then: str
) -> None:
    module_id = first_module(content)
    open_page(page, handbook, module_path(start, module_id))
    switch_language(page, then)
    assert page.url == (handbook / module_path(then, module_id)).as_uri()
    assert heading(page) == content.localized(then).modules[module_id].title


def longest_word(text: str, script: str) -> str:
    return max(re.findall(f"[{script}]+", text), key=len)


@pytest.mark.parametrize(
    ("lang", "script"),
    [("en", "A-Za-z"), ("bn", "\u0980-\u09ff"), ("hi", "\u0900-\u097f")],
)
def test_search_finds_a_module_by_a_word_of_its_title(
    page: Page, handbook: Path, content: Content, lang: str, script: str
) -> None:
    module_id = first_module(content)
    title = content.localized(lang).modules[module_id].title
    word = longest_word(title, script)
    prefix = "" if lang == "en" else f"{lang}/"
    open_page(page, handbook, f"{prefix}index.html")
    links = search(page, word)
    assert any(f"{prefix}modules/{module_id}/index.html" in link for link in links), (word, links)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"search-{lang}.png")


FONT_CHECK = """async ([family, sample]) => {
    await document.fonts.load(`16px "${family}"`, sample);
    await document.fonts.ready;
    const span = (font) => {
        const el = document.createElement('span');
        el.style.font = `32px ${font}`;
        el.style.position = 'absolute';
        el.style.whiteSpace = 'nowrap';
        el.textContent = sample;
        document.body.appendChild(el);
        const width = el.getBoundingClientRect().width;
        el.remove();
        return width;
    };
    const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === family);
    // U+E000 is a private-use code point: every font draws it as a box ("tofu")
    const tofu = '\ue000'.repeat([...sample].length);
    return {
        loaded: faces.some((f) => f.status === 'loaded'),
        ours: span(`"${family}"`),
        tofu: (() => {
            const el = document.createElement('span');
            el.style.cssText = `font: 32px "${family}"; position: absolute; white-space: nowrap`;
            el.textContent = tofu;
            document.body.appendChild(el);
            const width = el.getBoundingClientRect().width;
            el.remove();
            return width;
        })(),
    };
}"""


@pytest.mark.parametrize(
    ("lang", "family", "sample"),
    [("bn", "Noto Sans Bengali", "আমার শক্তি"), ("hi", "Noto Sans Devanagari", "मेरी ताक़त")],
)
def test_indic_text_renders_with_the_fonts_the_handbook_carries(
    page: Page, handbook: Path, content: Content, lang: str, family: str, sample: str
) -> None:
    module_id = first_module(content)
    open_page(page, handbook, f"{lang}/modules/{module_id}/index.html")
    result = page.evaluate(FONT_CHECK, [family, sample])
    assert result["loaded"], f"{family} did not load from the handbook folder"
    # Shaped by our font, the string is not as wide as the same number of boxes ("tofu").
    assert abs(result["ours"] - result["tofu"]) > 2, result
    used = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family in used
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"module-{lang}.png")


def test_fallback_note_shows_on_an_untranslated_page(page: Page, tmp_path: Path) -> None:
    # The fixture's Hindi has no module translation: the page is English with a note.
    root = make_fixture_tree(tmp_path / "tree")
    mkdocs_build(root / "mkdocs.yml", root / "build" / "handbook")
    open_page(page, root / "build" / "handbook", "hi/modules/circle-of-trust/index.html")
    note = page.locator(".admonition.fh-fallback").first
    assert note.is_visible()
    assert "हिन्दी" in note.inner_text()
    assert heading(page) == "A circle of trust"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "fallback-hi.png")


# ---------------------------------------------------------------- reading on a phone

PHONE: ViewportSize = {"width": 360, "height": 740}
# The page's width, and the elements that stick out of the screen or scroll inside it.
OVERFLOW = """() => {
  const width = document.documentElement.scrollWidth;
  const blocks = '.md-content :is(table, .md-typeset__table, pre, img, svg, .admonition, ul, p)';
  const out = [...document.querySelectorAll(blocks)]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map((e) => e.tagName + '.' + e.className);
  // a table that scrolls sideways inside its own box is just as hard to read
  const scrolls = [...document.querySelectorAll('.md-content table, .md-typeset__table')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => e.tagName + ': ' + e.innerText.slice(0, 40));
  return [width, out.concat(scrolls)];
}"""


@pytest.mark.parametrize("lang", ["bn", "hi"])
def test_every_module_page_fits_a_phone_without_sideways_scrolling(
    browser: Browser, handbook: Path, content: Content, lang: str
) -> None:
    too_wide = {}
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    # the day pages of the longest module too (a day's page holds what its module's page
    # held for that day; one module keeps the test quick)
    longest = max(content.modules.values(), key=lambda m: len(module_days(m)))
    for module_id, module in content.modules.items():
        days = [f"day-{day}.html" for day in module_days(module) if module is longest]
        for name in ["index.html", *days]:
            open_page(phone, handbook, module_path(lang, module_id).replace("index.html", name))
            width, sticking_out = phone.evaluate(OVERFLOW)
            if width > PHONE["width"] or sticking_out:  # off the page, or cut off inside it
                too_wide[f"{module_id}/{name}"] = (width, sticking_out)
    open_page(phone, handbook, module_path(lang, first_module(content)))
    assert phone.locator(".fh-timetable .fh-at").first.inner_text() == "9:30"
    # Care notes and the agenda read at the size of the body text, not smaller.
    sizes = phone.evaluate(
        """() => ['.md-typeset > p', '.fh-timetable td', '.fh-care p:not(.admonition-title)']
            .map((s) => getComputedStyle(document.querySelector(s)).fontSize)"""
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.locator("#session-plan").scroll_into_view_if_needed()
    phone.screenshot(path=SCREENSHOTS / f"agenda-360-{lang}.png")
    context.close()
    assert too_wide == {}
    assert len(set(sizes)) == 1, sizes


def test_the_start_time_sets_the_agenda_s_clock_and_is_remembered(
    page: Page, handbook: Path, content: Content
) -> None:
    module_id = first_module(content)
    open_page(page, handbook, module_path("hi", module_id))
    first, second = page.locator(".fh-timetable .fh-at").all()[:2]
    assert first.inner_text() == "9:30"  # the default start, before anyone sets one
    page.fill("#fh-start", "10:15")
    offset = int(second.get_attribute("data-offset") or 0)
    assert second.inner_text() == f"{(615 + offset) // 60}:{(615 + offset) % 60:02d}"
    open_page(page, handbook, module_path("bn", module_id))  # another page, another language
    assert page.input_value("#fh-start") == "10:15"
    assert page.locator(".fh-timetable .fh-at").first.inner_text() == "10:15"


@pytest.mark.parametrize(("start", "then"), [("bn", "hi"), ("hi", "bn")])
def test_the_language_switch_keeps_the_section_being_read(
    page: Page, handbook: Path, content: Content, start: str, then: str
) -> None:
    module = content.modules[first_module(content)]
    care = next(s for s in module.sessions if s.care)
    open_page(page, handbook, module_path(start, module.id))
    # scrolled to a session, no #anchor in the address: the switch still lands there
    page.evaluate(f"document.getElementById('session-{care.id}').scrollIntoView()")
    switch_language(page, then)
    assert page.url == (handbook / module_path(then, module.id)).as_uri() + f"#session-{care.id}"
    top = page.evaluate(f"document.getElementById('session-{care.id}').getBoundingClientRect().top")
    assert 0 <= top < 200
    # an address with an #anchor keeps it as it is
    page.goto((handbook / module_path(then, module.id)).as_uri() + "#before-the-day")
    page.wait_for_load_state("load")
    switch_language(page, start)
    assert page.url.endswith(f"{module_path(start, module.id)}#before-the-day")
