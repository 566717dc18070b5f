"""The staging docs tree: every page in every language, written before any site generator runs.

Over the fixture content (no site build here, except one plain MkDocs build of the staged
tree, to show it needs no plugin and gives the same pages as `mkdocs build` with it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from facilitator.cli import main
from facilitator.content import load_content
from facilitator.plugin import FacilitatorConfig, FacilitatorPlugin
from facilitator.render import render_coverage
from facilitator.siteconfig import plain_config, read_settings
from facilitator.staging import StagingError, stage
from facilitator.themecache import ThemeCache
from tests.facilitator.handbook_build import REPO, make_fixture_tree, mkdocs_build

GENERATED = [
    "programmes/peer-leadership",
    "modules/circle-of-trust/index",
    "modules/circle-of-trust/strength-card",
    "instruments/self-check",
    "evaluation/useful-skills",
    "translations",
]
SITE_PAGES = ["index"]
SCHEMAS = [
    "curriculum",
    "evaluation-form",
    "glossary",
    "instrument",
    "labels",
    "module",
    "programme",
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_fixture_tree(tmp_path / "tree")


def staged_files(docs: Path) -> set[str]:
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}


def test_every_page_is_staged_in_every_language(tree: Path) -> None:
    staged = stage(tree, tree / "build" / "staging", site_nav=["index.md"])
    pages = {
        f"{page}{suffix}.md" for page in GENERATED + SITE_PAGES for suffix in ("", ".bn", ".hi")
    }
    schemas = {f"schema/{name}.schema.json" for name in SCHEMAS}
    statics = {
        p.relative_to(tree / "site").as_posix()
        for p in (tree / "site" / "assets").rglob("*")
        if p.is_file()
    }
    assert staged_files(staged.docs_dir) == pages | schemas | statics
    assert sorted(staged.pages) == sorted(pages)
    assert not (tree / "site" / "modules").exists()  # nothing written into site/


def test_each_language_gets_its_own_nav(tree: Path) -> None:
    navs = stage(tree, tree / "build" / "staging", site_nav=["index.md"]).navs
    assert list(navs) == ["en", "bn", "hi"]
    assert navs["en"][0] == "index.md" and navs["en"][-1] == "translations.md"
    assert "Programmes" in navs["en"][1]
    assert "প্রোগ্রামগুলো" in navs["bn"][1]


def test_a_module_over_two_days_gets_a_page_per_day_and_nav_entries(
    tree: Path, edit: Callable[[Path, str, str], None]
) -> None:
    module = tree / "modules" / "circle-of-trust" / "module.yaml"
    edit(module, "    method: art\n", "    method: art\n    day: 2\n")
    edit(module, "    kind: break\n", "    kind: break\n    day: 2\n")
    staged = stage(tree, tree / "build" / "staging", site_nav=["index.md"])
    docs = staged.docs_dir / "modules" / "circle-of-trust"
    for suffix in ("", ".bn", ".hi"):
        assert (docs / f"day-1{suffix}.md").is_file() and (docs / f"day-2{suffix}.md").is_file()
    overview = (docs / "index.md").read_text("utf-8")
    day2 = (docs / "day-2.md").read_text("utf-8")
    # the sessions' notes on their day's page; the module's page links there
    assert "{ #session-strengths }" in day2 and "{ #session-strengths }" not in overview
    assert "(day-2.md#session-strengths)" in overview
    assert day2.startswith("# A circle of trust: Day 2")
    assert "[← Day 1](day-1.md)" in day2 and "(index.md)" in day2 and "Day 3" not in day2
    assert "{ #session-arrive }" not in day2  # day 1's session stays on day 1's page
    programme = staged.navs["en"][1]["Programmes"][0]
    entry = next(iter(programme.values()))[1]
    assert entry == {
        "A circle of trust": [
            {"Overview": "modules/circle-of-trust/index.md"},
            {"Day 1": "modules/circle-of-trust/day-1.md"},
            {"Day 2": "modules/circle-of-trust/day-2.md"},
        ]
    }


def test_a_second_run_writes_nothing_and_old_pages_go(
    tree: Path, edit: Callable[[Path, str, str], None]
) -> None:
    out = tree / "build" / "staging"
    first = stage(tree, out, site_nav=["index.md"])
    before = {p: p.stat().st_mtime_ns for p in first.docs_dir.rglob("*.md")}
    again = stage(tree, out, site_nav=["index.md"])
    assert again.written == 0
    assert {p: p.stat().st_mtime_ns for p in again.docs_dir.rglob("*.md")} == before
    # the handout taken out of the module: its pages leave the staging tree too
    folder = tree / "modules" / "circle-of-trust"
    edit(folder / "module.yaml", "    handouts: [strength-card]\n", "")
    edit(folder / "module.yaml", "handouts:\n  - {id: strength-card", "x:\n  - {id: strength-card")
    text = (folder / "module.yaml").read_text("utf-8")
    (folder / "module.yaml").write_text(re.sub(r"(?m)^x:\n.*\n", "", text), "utf-8")
    (folder / "notes.md").write_text("# Background\n", "utf-8")
    (folder / "handouts" / "strength-card.md").unlink()
    docs = stage(tree, out, site_nav=["index.md"]).docs_dir
    assert not list(docs.glob("modules/circle-of-trust/strength-card*"))
    assert (docs / "modules/circle-of-trust/index.md").is_file()


def test_site_pages_keep_front_matter_and_get_their_notes(tree: Path) -> None:
    (tree / "site" / "index.md").write_text(
        "---\ntitle: Home\n---\n# Home\n\n<!-- facilitator:programmes -->\n", "utf-8"
    )
    docs = stage(tree, tree / "build" / "staging", site_nav=["index.md"]).docs_dir
    english = (docs / "index.md").read_text("utf-8")
    assert english.startswith("---\ntitle: Home\n---\n# Home\n")
    assert "(programmes/peer-leadership.md)" in english and "fh-" not in english
    hindi = (docs / "index.hi.md").read_text("utf-8")  # no index.hi.md: English with a note
    assert hindi.startswith("---\ntitle: Home\n---\n# Home\n\n!!! info fh-fallback")
    assert "इस पन्ने का अभी हिन्दी में अनुवाद नहीं हुआ है" in hindi


def test_a_site_page_that_would_hide_a_generated_page_is_refused(tree: Path) -> None:
    (tree / "site" / "programmes").mkdir()
    (tree / "site" / "programmes" / "peer-leadership.md").write_text("# Mine\n", "utf-8")
    with pytest.raises(StagingError, match=r"site/programmes/peer-leadership\.md would hide"):
        stage(tree, tree / "build" / "staging", site_nav=["index.md"])


def test_an_unknown_placeholder_names_the_page_and_the_known_ones(tree: Path) -> None:
    (tree / "site" / "index.md").write_text("# Home\n\n<!-- facilitator:programme -->\n", "utf-8")
    with pytest.raises(StagingError, match=r"site/index\.md: .* names no generated part") as error:
        stage(tree, tree / "build" / "staging", site_nav=["index.md"])
    assert "programmes" in str(error.value)


def test_coverage_page_counts_what_each_language_lacks(tree: Path) -> None:
    content = load_content(tree)
    page = render_coverage(content, "en")
    bengali = page[page.index("{ #language-bn }") : page.index("{ #language-hi }")]
    hindi = page[page.index("{ #language-hi }") :]
    module_row = next(r for r in bengali.splitlines() if "circle-of-trust/index.md" in r)
    cells = [c.strip() for c in module_row.split("|")[1:-1]]
    translated, total = (int(n) for n in cells[1].split(" / "))
    assert 0 < translated < total  # the fixture's module.bn.yaml is partly translated
    hindi_row = next(r for r in hindi.splitlines() if "circle-of-trust/index.md" in r)
    assert hindi_row.split("|")[2].strip() == f"0 / {total}"  # no Hindi at all
    assert "not yet translated" in hindi_row
    assert "প্রোগ্রামগুলো" not in page  # the English page is labelled in English
    bengali_page = render_coverage(content, "bn")
    assert bengali_page.startswith("# অনুবাদের অগ্রগতি\n") and "fh-fallback" not in bengali_page


def test_coverage_page_in_english_words_says_so(tree: Path) -> None:
    labels = tree / "curriculum" / "labels.hi.yaml"
    kept = [line for line in labels.read_text("utf-8").splitlines() if "coverage_" not in line]
    labels.write_text("\n".join(kept) + "\n", "utf-8")
    page = render_coverage(load_content(tree), "hi")
    assert page.startswith("# Translation coverage\n\n!!! info fh-fallback")


def test_render_command_writes_a_tree_mkdocs_builds_without_the_plugin(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    assert main(["render"]) == 0
    out = tree / "build" / "staging"
    config = (out / "mkdocs.yml").read_text("utf-8")
    assert "facilitator" not in config.split("plugins:")[1].split("i18n")[0]
    assert "docs_dir: docs" in config and "custom_dir: ../../site/overrides" in config
    plain = tree / "build" / "plain"
    mkdocs_build(out / "mkdocs.yml", plain)
    built = {p.relative_to(plain).as_posix() for p in plain.rglob("*.html")}
    assert {"index.html", "bn/modules/circle-of-trust/index.html", "hi/translations.html"} <= built
    assert (plain / "schema" / "module.schema.json").is_file()
    bengali = (plain / "bn" / "index.html").read_text("utf-8")
    assert "প্রোগ্রামগুলো" in bengali  # the nav of each language, given to static-i18n
    # and the same pages as `mkdocs build` with the plugin (404.html shows the language
    # switcher of whichever page static-i18n built last)
    with_plugin = tree / "build" / "handbook"
    mkdocs_build(tree / "mkdocs.yml", with_plugin)
    assert {p.relative_to(with_plugin).as_posix() for p in with_plugin.rglob("*.html")} == built
    for rel in sorted(built - {"404.html"}):
        assert (plain / rel).read_text("utf-8") == (with_plugin / rel).read_text("utf-8"), rel


def test_plain_config_keeps_other_plugins_and_gives_each_language_its_nav(tree: Path) -> None:
    settings = read_settings(tree / "mkdocs.yml")
    assert settings.directory_urls is False and settings.docs_dir == "site"
    staged = stage(tree, settings.staging_dir, site_nav=settings.nav)
    text = plain_config(tree / "mkdocs.yml", staged, settings.staging_dir)
    assert "!!python/object/apply:pymdownx.slugs.slugify" in text
    names = [line.strip() for line in text.splitlines() if line.startswith("  - ")]
    assert "- search:" in names and "- offline" in names and "- facilitator" not in names


class FakeServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(os.path.abspath(path))

    def unwatch(self, path: str) -> None:
        self.watched.remove(os.path.abspath(path))


def test_serve_watches_what_authors_edit_not_the_staging_tree(tree: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(str(tree / "mkdocs.yml"))
    plugin = config.plugins["facilitator"]
    assert isinstance(plugin, FacilitatorPlugin)
    config = plugin.on_config(config)
    server = FakeServer()
    server.watch(config.docs_dir)  # what `mkdocs serve` does before calling plugins
    plugin.on_serve(server, config, builder=None)
    assert str(tree / "build" / "staging" / "docs") not in server.watched
    assert {str(tree / f) for f in ("site", "curriculum", "modules")} <= set(server.watched)


def test_serve_keeps_the_plugin_and_stages_again_for_each_rebuild(
    tree: Path, edit: Callable[[Path, str, str], None]
) -> None:
    """`mkdocs serve` keeps a plugin that has on_startup; each rebuild brings a new config,
    which must be staged afresh, while static-i18n's builds of one config reuse the staging."""
    from mkdocs.config import load_config

    config = load_config(str(tree / "mkdocs.yml"))
    plugin = config.plugins["facilitator"]
    assert isinstance(plugin, FacilitatorPlugin)
    plugin.on_startup(command="serve", dirty=False)
    assert plugin.served
    plugin.on_config(config)
    first = plugin.staged
    plugin.on_config(config)  # static-i18n: the same config, another language
    assert plugin.staged is first
    edit(
        tree / "modules" / "circle-of-trust" / "module.yaml",
        "    method: art\n",
        "    method: art\n    day: 2\n",
    )
    plugin.on_config(load_config(str(tree / "mkdocs.yml")))  # an author's edit, a rebuild
    assert plugin.staged is not first
    assert (plugin.staged.docs_dir / "modules/circle-of-trust/day-2.md").is_file()


def test_theme_templates_compile_once_for_every_language(tmp_path: Path) -> None:
    templates = {"page.html": "{% for x in items %}{{ x }}{% endfor %}"}
    cache = ThemeCache(tmp_path / "cache")
    compiled: list[str] = []

    def environment() -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.DictLoader(templates))
        original = env.compile

        def counting(source: str, *args: object, **kwargs: object) -> object:
            compiled.append(source)
            return original(source, *args, **kwargs)  # type: ignore[arg-type]

        env.compile = counting  # type: ignore[method-assign,assignment]
        cache.attach(env)
        return env

    for _ in range(3):  # three languages, three environments
        assert environment().get_template("page.html").render(items=[1, 2]) == "12"
    assert len(compiled) == 1
    templates["page.html"] = "{{ items | length }}"  # an edited override compiles afresh
    assert environment().get_template("page.html").render(items=[1, 2]) == "2"
    assert len(compiled) == 2
    later = ThemeCache(tmp_path / "cache")  # the next build reads the files
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    later.attach(env)
    assert env.get_template("page.html").render(items=[1]) == "1"


def test_the_build_and_every_plugin_setting_are_documented() -> None:
    page = (REPO / "docs" / "handbook-build.md").read_text("utf-8")
    settings = [name for name, _ in FacilitatorConfig._schema]
    assert {"staging_dir", "content_root", "schema_dir"} <= set(settings)
    assert [name for name in settings if f"`{name}`" not in page] == []
    for needed in ("HANDBOOK_STAGING_DIR", "facilitator render", "Zensical", "search.json"):
        assert needed in page
    assert "docs/handbook-build.md" in (REPO / "README.md").read_text("utf-8")
