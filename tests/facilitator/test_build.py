"""The handbook build: `mkdocs build --strict` over the fixture content and the real content.

Each tree is built once per module (a subprocess, as a facilitator would run it); the tests
read the built folder. The staging tree the build starts from is tested in test_staging.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from facilitator.content import load_content
from facilitator.render import render_glossary, render_module
from facilitator.timetable import timetable
from tests.facilitator.handbook_build import FIXTURE, REPO, make_fixture_tree, mkdocs_build

LANGUAGES = ("", "bn/", "hi/")  # where each language's pages go in the built site


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_fixture_tree(tmp_path_factory.mktemp("fixture") / "tree")
    # a Bengali home page made from an older English one; no Hindi home page
    (root / "site" / "index.bn.md").write_text(
        "---\nsource: '000000000000'\nstatus: draft\n---\n# হোম\n\nস্বাগতম।\n", "utf-8"
    )
    mkdocs_build(root / "mkdocs.yml", root / "build" / "handbook")
    return root / "build" / "handbook"


@pytest.fixture(scope="module")
def real_site(real_handbook: Path) -> Path:
    return real_handbook


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text("utf-8")


def text_of(html: str) -> str:
    """The visible words of a page, roughly: tags dropped, whitespace squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---------------------------------------------------------------- output paths


FIXTURE_PAGES = [
    "index.html",
    "programmes/peer-leadership.html",
    "modules/circle-of-trust/index.html",
    "modules/circle-of-trust/strength-card.html",
    "instruments/self-check.html",
    "evaluation/useful-skills.html",
    "translations.html",
]


def test_every_page_is_built_in_every_language(fixture_site: Path) -> None:
    built = {p.relative_to(fixture_site).as_posix() for p in fixture_site.rglob("*.html")}
    expected = {f"{lang}{page}" for lang in LANGUAGES for page in FIXTURE_PAGES}
    assert built == expected | {"404.html"}


def test_the_offline_folder_carries_search_fonts_shim_and_schemas(fixture_site: Path) -> None:
    for rel in [
        "search/search_index.js",  # the offline plugin's inlined index, for file://
        "assets/iframe-worker/shim.js",
        "assets/iframe-worker/LICENSE",
        "assets/fonts/NotoSansBengali-Regular.ttf",
        "assets/fonts/NotoSansDevanagari-Bold.ttf",
        "assets/fonts/OFL.txt",
        "schema/module.schema.json",
        "schema/instrument.schema.json",
    ]:
        assert (fixture_site / rel).is_file(), rel
    # the index once: a page opened from disk reads the .js, never the .json
    assert not (fixture_site / "search/search_index.json").exists()
    schema = json.loads(read(fixture_site, "schema/module.schema.json"))
    assert "sessions" in schema["properties"]


def test_no_generated_page_is_left_in_the_docs_folder(fixture_site: Path) -> None:
    docs = fixture_site.parents[1] / "site"
    assert not (docs / "modules").exists()
    assert not (docs / "programmes").exists()


# ---------------------------------------------------------------- the module page


def test_module_page_has_the_timetable_with_running_times(fixture_site: Path) -> None:
    html = read(fixture_site, "modules/circle-of-trust/index.html")
    table = html[html.index('class="fh-timetable"') :]
    table = table[: table.index("</table>")]
    rows = [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)][1:]
    assert rows == [
        "0:00 Arriving 20 min Lead: Co-facilitator:",
        "0:20 Tea (break) 15 min",
        "0:35 My strengths (Care note) 55 min Lead: Co-facilitator: Care person:",
        "Total for the module 1 h 30 min",
    ]


def test_module_page_shows_phase_audience_and_sections(fixture_site: Path) -> None:
    words = text_of(read(fixture_site, "modules/circle-of-trust/index.html"))
    for expected in [
        "Me: heal as a person",
        "Survivors",
        "1 h 30 min (90 min)",
        "Objectives",
        "Agree the group's ground rules together.",
        "Training components",
        "Materials checklist",
        "Debrief questions",
        "What did you notice about your strength?",
        "How I feel about myself: I can say what I think in a group.",
        "Background notes for the facilitator",
    ]:
        assert expected in words, expected


def test_care_note_comes_before_the_hard_part(fixture_site: Path) -> None:
    html = read(fixture_site, "modules/circle-of-trust/index.html")
    heading = html.index('id="session-strengths"')
    care = html.index("fh-care", heading)
    first_step = html.index("Hand out paper and colours.")
    assert heading < care < first_step
    assert "admonition warning fh-care" in html


def test_links_between_module_pages_resolve(fixture_site: Path) -> None:
    html = read(fixture_site, "modules/circle-of-trust/index.html")
    assert 'href="strength-card.html"' in html  # from the notes and the handouts list
    assert 'href="../../instruments/self-check.html#item-speak-up"' in html


def test_translated_module_says_it_is_a_draft(fixture_site: Path) -> None:
    html = read(fixture_site, "bn/modules/circle-of-trust/index.html")
    assert "বিশ্বাসের বৃত্ত" in html
    assert "fh-draft" in html
    assert "এই অনুবাদটি একটি খসড়া" in html


def test_sections_left_in_english_say_so(fixture_site: Path) -> None:
    html = read(fixture_site, "bn/modules/circle-of-trust/index.html")
    heading = re.search(r"<h2[^>]*>উদ্দেশ্য", html)
    assert heading is not None
    objectives = html[heading.end() : html.index("দলের নিয়মগুলো")]
    assert "fh-fallback" not in objectives  # translated: no note
    components = html[html.index("Ground rules") - 1500 : html.index("Ground rules")]
    assert "এই অংশটি এখনও বাংলায় অনূদিত হয়নি" in components


def test_untranslated_page_falls_back_to_english_with_a_note(fixture_site: Path) -> None:
    html = read(fixture_site, "hi/modules/circle-of-trust/index.html")
    assert "A circle of trust" in html
    assert "fh-fallback" in html
    assert "इस पन्ने का अभी हिन्दी में अनुवाद नहीं हुआ है" in html
    assert "fh-draft" not in html
    handout = read(fixture_site, "bn/modules/circle-of-trust/strength-card.html")
    assert "Draw your strength here." in handout and "fh-fallback" in handout


def test_site_pages_say_when_a_translation_is_missing_draft_or_stale(fixture_site: Path) -> None:
    bengali = read(fixture_site, "bn/index.html")
    assert "হোম" in bengali and "fh-draft" in bengali and "fh-stale" in bengali
    hindi = read(fixture_site, "hi/index.html")
    assert "fh-fallback" in hindi and "इस पन्ने का अभी हिन्दी में अनुवाद नहीं हुआ है" in hindi
    assert "fh-" not in read(fixture_site, "index.html").split("md-content")[1]


def test_nav_is_titled_in_each_language(fixture_site: Path) -> None:
    assert "Programmes" in read(fixture_site, "index.html")
    assert "প্রোগ্রামগুলো" in read(fixture_site, "bn/index.html")
    assert "प्रश्नावलियाँ और मूल्यांकन फ़ॉर्म" in read(fixture_site, "hi/index.html")


def test_language_switcher_stays_on_the_same_page(fixture_site: Path) -> None:
    html = read(fixture_site, "bn/modules/circle-of-trust/index.html")
    assert 'href="../../../modules/circle-of-trust/index.html" hreflang="en"' in html
    assert 'href="../../../hi/modules/circle-of-trust/index.html" hreflang="hi"' in html


# ---------------------------------------------------------------- timetable over days


def test_multi_day_timetable_restarts_each_day_with_day_totals() -> None:
    content = load_content(FIXTURE)
    module = content.modules["circle-of-trust"]
    sessions = [module.sessions[0], *(s.model_copy(update={"day": 2}) for s in module.sessions[1:])]
    plan = timetable(module.model_copy(update={"sessions": sessions}))
    assert [(d.number, [r.start for r in d.rows], d.total) for d in plan.days] == [
        (1, ["0:00"], "20 min"),
        (2, ["0:00", "0:15"], "1 h 10 min"),
    ]
    assert plan.total == "1 h 30 min"  # a length of time, never read as a clock
    assert [r.number for d in plan.days for r in d.rows] == [1, 0, 2]  # breaks are not numbered


def test_multi_day_module_page_has_a_total_per_day(tmp_path: Path) -> None:
    root = make_fixture_tree(tmp_path / "tree")
    path = root / "modules" / "circle-of-trust" / "module.yaml"
    path.write_text(
        path.read_text("utf-8")
        .replace("    kind: break\n", "    kind: break\n    day: 2\n")
        .replace("    method: art\n", "    method: art\n    day: 2\n"),
        "utf-8",
    )
    page = render_module(load_content(root), "circle-of-trust", "en")
    assert "### Day 1" in page and "### Day 2" in page
    assert '"20"></span> | **Total for day 1** | **20 min** |' in page
    assert '"70"></span> | **Total for day 2** | **1 h 10 min** |' in page
    assert '<span class="fh-since">0:00</span> | *Tea* (break) | 15 min | |' in page
    assert "**Total for the module: 1 h 30 min (90 min)**" in page


def test_glossary_page_lists_terms_and_words_to_avoid(tmp_path: Path) -> None:
    root = make_fixture_tree(tmp_path / "tree")
    (root / "curriculum" / "glossary.yaml").write_text(
        "terms:\n"
        "  - id: survivor\n"
        "    term: Survivor\n"
        "    definition: A person who lived through trafficking and came out of it.\n"
        "    avoid: [victim]\n",
        "utf-8",
    )
    content = load_content(root)
    page = render_glossary(content, "en")
    assert page.startswith("# Glossary\n")
    assert "## Survivor { #term-survivor }" in page
    assert "*Words to avoid:* victim" in page
    assert "fh-fallback" in render_glossary(content, "bn")  # no glossary.bn.yaml yet


# ---------------------------------------------------------------- the real handbook


# Hosts named in the scripts Material's pages load (its bundle and search worker). None is
# requested by our pages: unpkg.com serves mermaid (only for pages with a diagram) and a
# ResizeObserver polyfill (only for browsers without one); api.github.com and ${e} (a GitLab
# host) fetch repository facts only when repo_url is set; the rest sit in licence comments
# or in clipboard.js's error text. The browser test checks that no page makes any request
# outside file://.
MATERIAL_SCRIPT_MENTIONS = {
    "www.w3.org",
    "lunrjs.com",
    "tartarus.org",
    "${e}",
    "api.github.com",
    "bit.ly",
    "clipboardjs.com",
    "unpkg.com",
}
HOST = re.compile(r"https?://([^/\"'`\s)<>]+)")
SCRIPT = re.compile(r'<script src="([^"]+)"')


def hosts(text: str) -> set[str]:
    return set(HOST.findall(text))


def loaded_scripts(site: Path) -> set[Path]:
    """Every script a built page loads, with the search worker and the offline index."""
    scripts = set(site.glob("assets/javascripts/workers/*.js")) | {site / "search/search_index.js"}
    for page in site.rglob("*.html"):
        for src in SCRIPT.findall(page.read_text("utf-8")):
            # 404.html links from the site's root: a server shows it at any depth
            base = site if src.startswith("/") else page.parent
            scripts.add((base / src.lstrip("/")).resolve())
    return scripts


def test_no_page_or_stylesheet_names_an_outside_host(real_site: Path) -> None:
    for path in real_site.rglob("*.html"):
        # the only URL left in a page is SVG's namespace, which is never fetched
        assert hosts(path.read_text("utf-8")) <= {"www.w3.org"}, path
    for path in real_site.rglob("*.css"):
        css = re.sub(r"/\*.*?\*/", "", path.read_text("utf-8"), flags=re.DOTALL)
        # inline SVG icons (data: URIs) carry an XML namespace and a licence comment
        css = re.sub(r"url\(\"data:[^\"]*\"\)|url\('data:[^']*'\)", "", css)
        assert hosts(css) <= {"www.w3.org"}, path
    scripts = loaded_scripts(real_site.resolve())
    assert real_site.resolve() / "assets/iframe-worker/shim.js" in scripts
    for path in scripts:
        found = hosts(path.read_text("utf-8"))
        if "assets/javascripts" in path.as_posix():
            assert found <= MATERIAL_SCRIPT_MENTIONS, (path, found - MATERIAL_SCRIPT_MENTIONS)
        else:  # the vendored shim and the search index: nothing outside
            assert found == set(), (path, found)


def test_search_index_keeps_bengali_and_hindi_words(real_site: Path) -> None:
    inline = read(real_site, "search/search_index.js")
    assert inline.startswith("var __index = ") and "\\u" not in inline  # letters, not escapes
    index = json.loads(inline.removeprefix("var __index = "))
    # one language's rules and no trimmer: lunr's trimmers strip letters outside their
    # alphabets, which would leave Bengali words unfindable
    assert index["config"]["lang"] == ["en"]
    assert "trimmer" not in index["config"]["pipeline"]
    assert "।" in index["config"]["separator"]
    bengali = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("bn/"))
    hindi = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("hi/"))
    assert re.search(r"[\u0980-\u09ff]{4,}", bengali)
    assert re.search(r"[\u0900-\u097f]{4,}", hindi)


def test_real_handbook_has_every_module_in_every_language(real_site: Path) -> None:
    content = load_content(REPO)
    for lang in LANGUAGES:
        for module_id in content.modules:
            assert (real_site / f"{lang}modules/{module_id}/index.html").is_file()
        for programme_id in content.programmes:
            assert (real_site / f"{lang}programmes/{programme_id}.html").is_file()


def test_each_day_of_a_multi_day_module_has_its_own_page(real_site: Path) -> None:
    """A five-day module on one page is too long to find one's place in on a phone."""
    content = load_content(REPO)
    several = [m for m in content.modules.values() if len({s.day for s in m.sessions}) > 1]
    assert several
    for module in several:
        days = sorted({s.day for s in module.sessions})
        for lang in LANGUAGES:
            folder = real_site / f"{lang}modules/{module.id}"
            overview = read(folder, "index.html")
            for day in days:
                page = read(folder, f"day-{day}.html")
                assert f'href="day-{day}.html"' in overview, (lang, module.id, day)
                assert 'href="index.html"' in page  # back to the module's page
                sessions = [s for s in module.sessions if s.day == day and s.kind != "break"]
                for session in sessions:
                    assert f'id="session-{session.id}"' in page
                    assert f'id="session-{session.id}"' not in overview


def test_authoring_page_has_the_field_reference_and_schema_links(real_site: Path) -> None:
    html = read(real_site, "authoring.html")
    words = text_of(html)
    assert "duration_minutes" in words and "How long the session runs, in minutes." in words
    assert "modules/&lt;id&gt;/module.yaml" in html  # shown, not swallowed as a tag
    assert 'href="schema/module.schema.json"' in html
    assert 'href="../schema/module.schema.json"' in read(real_site, "bn/authoring.html")


def test_site_pages_in_draft_say_so(real_site: Path) -> None:
    assert "fh-draft" in read(real_site, "hi/principles.html")
    assert "fh-draft" not in read(real_site, "principles.html")


def test_draft_notices_are_for_facilitators_not_on_handouts(real_site: Path) -> None:
    module = "modules/kaarya-business-stocktaking"
    for lang in ("bn", "hi"):
        assert "fh-draft" in read(real_site, f"{lang}/{module}/index.html")
        handout = read(real_site, f"{lang}/{module}/group-business-assessment.html")
        assert "fh-draft" not in handout


def test_coverage_page_shows_each_module_in_each_language(real_site: Path) -> None:
    content = load_content(REPO)
    for lang in LANGUAGES:
        html = read(real_site, f"{lang}translations.html")
        for code in ("bn", "hi"):
            section = html[html.index(f'id="language-{code}"') :]
            section = section[: section.index(f'id="other-files-{code}"')]
            for module_id in content.modules:
                assert f"modules/{module_id}/index.html" in section, (lang, code, module_id)
    words = text_of(read(real_site, "translations.html"))
    assert "Translation coverage" in words and "strings translated" in words
    assert "curriculum/glossary.yaml" in words
