"""The offline bundle: a zip per language that opens from disk with search and no network."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import sync_playwright

from facilitator.bundle import BundleError, make_bundles, outside_references
from facilitator.cli import main
from facilitator.printing.engine import CHROMIUM, LAUNCH_ARGS, chromium_available
from facilitator.searchindex import write_search_index
from tests.facilitator.handbook_build import REPO, handbook_config, mkdocs_build
from tests.facilitator.print_tree import make_print_tree, print_run

LANGUAGES = {"en": "English", "bn": "বাংলা", "hi": "हिन्दी"}
PAGE = '<!doctype html><html lang="{lang}"><head>'
PAGE += '<link rel="stylesheet" href="{up}assets/stylesheets/main.css">'
PAGE += '<link rel="alternate" href="{up}hi/index.html" hreflang="hi"></head>'
PAGE += '<body><div class="md-header__option">\n  <div class="md-select">\n'
PAGE += '<ul class="md-select__list"><li><a href="{up}bn/index.html" hreflang="bn">বাংলা</a></li>'
PAGE += "</ul>\n    </div>\n  </div>\n</div>"
PAGE += '<article class="md-content__inner md-typeset"><h1>Title</h1><p>Text</p></article>'
PAGE += '<a href="https://example.org/">a link out is fine</a>'
PAGE += '<script src="{up}assets/javascripts/bundle.js"></script></body></html>'
SEARCH_DOCS = [
    {"location": "index.html", "title": "Home", "text": ""},
    {"location": "modules/m/index.html", "title": "Module", "text": ""},
    {"location": "bn/index.html", "title": "হোম", "text": ""},
    {"location": "bn/modules/m/index.html", "title": "মডিউল", "text": ""},
    {"location": "hi/index.html", "title": "होम", "text": ""},
]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built handbook laid out as mkdocs-static-i18n writes it (English at the top)."""
    root = tmp_path / "handbook"
    for lang, prefix in (("en", ""), ("bn", "bn/"), ("hi", "hi/")):
        up = "../" if prefix else ""
        write(root / f"{prefix}index.html", PAGE.format(lang=lang, up=up))
        write(root / f"{prefix}modules/m/index.html", PAGE.format(lang=lang, up=up + "../../"))
    write(root / "404.html", PAGE.format(lang="en", up=""))
    write(root / "assets/stylesheets/main.css", "body { font-family: 'Noto Sans Bengali'; }")
    write(root / "assets/javascripts/bundle.js", "console.log('search');")
    write(root / "assets/javascripts/bundle.js.map", "{}")
    write(root / "assets/javascripts/lunr/wordcut.js", "// Thai word splitting")
    write(root / "assets/fonts/NotoSansBengali-Regular.ttf", "font")
    index = {"config": {"lang": ["en"]}, "docs": SEARCH_DOCS}
    # `mkdocs build` keeps the copy a page opened from disk reads (facilitator/searchindex.py)
    write(root / "search/search_index.js", "var __index = " + json.dumps(index))
    write(root / "sitemap.xml", "<urlset></urlset>")
    return root


@pytest.fixture
def prints(tmp_path: Path) -> Path:
    root = tmp_path / "print"
    for lang in LANGUAGES:
        for name in ("handbook.pdf", "modules/m.pdf", "forms/self-check.pdf"):
            path = root / lang / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.4 " + lang.encode() + b" " * 2000)
    return root


LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#?]*)""", re.I)


def dead_links(folder: Path) -> list[tuple[str, str]]:
    """(page, link) for every link or source on a page of an unzipped bundle that leads to
    no file in it (links out to the web and to places on the same page are not followed)."""
    dead = []
    for page in sorted(folder.rglob("*.html")):
        for target in LINK.findall(page.read_text("utf-8")):
            if not target or re.match(r"[a-z][a-z0-9+.-]*:|//", target, re.I):
                continue
            path = (page.parent / unquote(target)).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                dead.append((page.relative_to(folder).as_posix(), target))
    return dead


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return sorted(archive.namelist())


def search_locations(path: Path, name: str) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read(name).decode("utf-8")
    if name.endswith(".js"):
        assert text.startswith("var __index = ")
        text = text.removeprefix("var __index = ")
    return [doc["location"] for doc in json.loads(text)["docs"]]


def test_each_language_gets_its_pages_the_shared_assets_and_its_pdfs(
    site: Path, prints: Path, tmp_path: Path
) -> None:
    bundles = make_bundles(site, prints, tmp_path / "bundle", LANGUAGES, "en")
    assert [b.path.name for b in bundles] == [
        "handbook-en.zip",
        "handbook-bn.zip",
        "handbook-hi.zip",
        "handbook-all.zip",
    ]
    shared = [  # no search_index.json (a web server's), no lunr for other languages
        "assets/fonts/NotoSansBengali-Regular.ttf",
        "assets/javascripts/bundle.js",
        "assets/stylesheets/main.css",
        "search/search_index.js",
    ]
    # a language's packs and forms; the whole handbook.pdf (which repeats the packs) is in
    # the all-languages zip only
    pdfs = ["pdf/forms/self-check.pdf", "pdf/modules/m.pdf"]
    assert names(bundles[1].path) == sorted(
        f"handbook-bn/{n}"
        for n in [*shared, *pdfs, "index.html", "bn/index.html", "bn/modules/m/index.html"]
    )
    assert names(bundles[0].path) == sorted(
        f"handbook-en/{n}"
        for n in [*shared, *pdfs, "index.html", "modules/m/index.html", "sitemap.xml"]
    )
    everything = names(bundles[3].path)
    for lang in LANGUAGES:
        assert f"handbook-all/pdf/{lang}/handbook.pdf" in everything
    assert "handbook-all/hi/modules/m/index.html" in everything
    assert not [n for n in everything if n.endswith(".map")]


def test_a_language_bundle_opens_at_its_own_home_page(
    site: Path, prints: Path, tmp_path: Path
) -> None:
    bundles = make_bundles(site, prints, tmp_path / "bundle", LANGUAGES, "en")
    with zipfile.ZipFile(bundles[2].path) as archive:
        home = archive.read("handbook-hi/index.html").decode("utf-8")
    assert 'lang="hi"' in home
    assert 'url=hi/index.html"' in home and 'href="hi/index.html"' in home


def test_search_finds_only_the_bundled_language(site: Path, prints: Path, tmp_path: Path) -> None:
    bundles = {b.language: b.path for b in make_bundles(site, prints, tmp_path, LANGUAGES, "en")}
    name = "search/search_index.js"
    assert search_locations(bundles["bn"], f"handbook-bn/{name}") == [
        "bn/index.html",
        "bn/modules/m/index.html",
    ]
    assert search_locations(bundles["en"], f"handbook-en/{name}") == [
        "index.html",
        "modules/m/index.html",
    ]
    assert len(search_locations(bundles["all"], f"handbook-all/{name}")) == len(SEARCH_DOCS)


def test_the_search_index_is_written_once_in_letters_not_escapes(
    site: Path, prints: Path, tmp_path: Path
) -> None:
    for bundle in make_bundles(site, prints, tmp_path, LANGUAGES, "en"):
        with zipfile.ZipFile(bundle.path) as archive:
            names = archive.namelist()
            script = archive.read(f"handbook-{bundle.language}/search/search_index.js")
        assert not [n for n in names if n.endswith("search_index.json")]
        assert b"\\u" not in script
        if bundle.language in ("bn", "all"):
            assert "মডিউল".encode() in script


def test_a_site_built_to_be_served_bundles_its_json_index_as_a_script(
    site: Path, prints: Path, tmp_path: Path
) -> None:
    script = site / "search/search_index.js"
    write(site / "search/search_index.json", script.read_text("utf-8").split("= ", 1)[1])
    script.unlink()
    bundles = {b.language: b.path for b in make_bundles(site, prints, tmp_path, LANGUAGES, "en")}
    name = "handbook-bn/search/search_index.js"
    assert search_locations(bundles["bn"], name) == ["bn/index.html", "bn/modules/m/index.html"]
    assert not [n for n in names(bundles["bn"]) if n.endswith("search_index.json")]


@pytest.mark.parametrize(
    ("served", "kept", "dropped"),
    [
        (False, "search_index.js", "search_index.json"),
        (True, "search_index.json", "search_index.js"),
    ],
)
def test_the_built_site_keeps_one_search_index_in_letters(
    site: Path, served: bool, kept: str, dropped: str
) -> None:
    """As Material's offline plugin leaves it: the .json and a .js copy, both escaped."""
    escaped = json.dumps({"docs": SEARCH_DOCS})
    write(site / "search/search_index.json", escaped)
    write(site / "search/search_index.js", "var __index = " + escaped)
    write_search_index(site, served=served)
    assert not (site / "search" / dropped).exists()
    text = (site / "search" / kept).read_text("utf-8")
    assert "\\u" not in text and "মডিউল" in text and "होम" in text
    assert len(text.encode()) < len(escaped)
    if not served:
        assert text.startswith("var __index = ")
    assert json.loads(text.removeprefix("var __index = ")) == {"docs": SEARCH_DOCS}


def read_page(bundle: Path, name: str) -> str:
    with zipfile.ZipFile(bundle) as archive:
        return archive.read(name).decode("utf-8")


def test_a_language_bundle_has_no_menu_of_missing_languages(
    site: Path, prints: Path, tmp_path: Path
) -> None:
    bundles = {b.language: b.path for b in make_bundles(site, prints, tmp_path, LANGUAGES, "en")}
    page = read_page(bundles["bn"], "handbook-bn/bn/modules/m/index.html")
    assert "md-select" not in page and "hreflang" not in page
    assert "handbook-all.zip" in page  # where the other languages are
    everything = read_page(bundles["all"], "handbook-all/bn/modules/m/index.html")
    assert "md-select" in everything and 'hreflang="hi"' in everything


def test_every_page_links_its_pdfs_in_its_language(
    site: Path, prints: Path, tmp_path: Path
) -> None:
    words = {"en": {"pdf_print": "Print", "pdf_pack": "this pack", "pdf_handbook": "all"}}
    words["bn"] = {"pdf_print": "প্রিন্ট", "pdf_pack": "প্যাক", "pdf_handbook": "সব"}
    bundles = {
        b.language: b.path for b in make_bundles(site, prints, tmp_path, LANGUAGES, "en", words)
    }
    module = read_page(bundles["bn"], "handbook-bn/bn/modules/m/index.html")
    pdf_part = module[module.index("</h1>") : module.index("<p>Text")]
    assert 'href="../../../pdf/modules/m.pdf">প্যাক (PDF)</a>' in pdf_part
    assert "handbook.pdf" not in module  # not in a language's zip: no dead link to it
    home = read_page(bundles["all"], "handbook-all/index.html")
    assert 'href="pdf/en/handbook.pdf">all (PDF)</a>' in home and "pdf/en/modules" not in home
    # in the zip of every language, each language's pages link that language's PDFs
    hindi = read_page(bundles["all"], "handbook-all/hi/modules/m/index.html")
    assert 'href="../../../pdf/hi/modules/m.pdf"' in hindi


def test_sizes_are_reported_with_and_without_pdfs(site: Path, prints: Path, tmp_path: Path) -> None:
    for bundle in make_bundles(site, prints, tmp_path, LANGUAGES, "en"):
        assert bundle.size == bundle.path.stat().st_size
        assert 0 < bundle.size_without_pdfs < bundle.size


def test_nothing_is_loaded_from_an_outside_host(site: Path, prints: Path, tmp_path: Path) -> None:
    clean = make_bundles(site, prints, tmp_path / "clean", LANGUAGES, "en")
    assert all(outside_references(b.path) == [] for b in clean)  # a link out is not a load
    write(site / "bn/index.html", '<script src="https://unpkg.com/iframe-worker/shim"></script>')
    write(site / "assets/stylesheets/main.css", "@import url('https://fonts.googleapis.com/x');")
    dirty = make_bundles(site, prints, tmp_path / "dirty", LANGUAGES, "en")
    found = {name for name, _ in outside_references(dirty[1].path)}
    assert found == {"handbook-bn/bn/index.html", "handbook-bn/assets/stylesheets/main.css"}


def test_no_built_site_is_an_error_that_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="mkdocs build"):
        make_bundles(tmp_path / "nothing", tmp_path, tmp_path, LANGUAGES, "en")


def test_cli_writes_the_bundles_and_prints_their_sizes(
    site: Path, prints: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_print_tree(tmp_path / "content")
    out = tmp_path / "bundle"
    args = ["bundle", "--root", str(root), "--site", str(site), "--print-dir", str(prints)]
    assert main([*args, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for lang in [*LANGUAGES, "all"]:
        assert f"handbook-{lang}.zip" in printed
    assert "MB without PDFs" in printed
    write(site / "index.html", '<link rel="stylesheet" href="https://cdn.example/x.css">')
    assert main([*args, "--out", str(out)]) == 1


@pytest.mark.skipif(not chromium_available(), reason="no Chromium at /usr/bin/chromium")
def test_an_unzipped_bundle_opens_searches_and_stays_offline(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """The real thing: build the site, bundle Bengali, unzip, open index.html, search."""
    run = print_run(tmp_path_factory)
    root = tmp_path / "content"
    shutil.copytree(run.root, root)
    for folder in ("assets", "overrides"):
        shutil.copytree(REPO / "site" / folder, root / "site" / folder)
    (root / "mkdocs.yml").write_text(handbook_config("  - index.md\n"), "utf-8")
    mkdocs_build(root / "mkdocs.yml", root / "build" / "handbook")
    bundles = make_bundles(
        root / "build" / "handbook", run.out, tmp_path / "bundle", LANGUAGES, "en"
    )
    for bundle in bundles:
        assert outside_references(bundle.path) == [], bundle.path.name
        with zipfile.ZipFile(bundle.path) as archive:
            archive.extractall(tmp_path / "unzipped")
        folder = tmp_path / "unzipped" / bundle.path.stem
        assert dead_links(folder) == [], bundle.path.name
    bengali = bundles[1].path
    assert "handbook-bn/pdf/modules/circle-of-trust.pdf" in names(bengali)
    module = tmp_path / "unzipped/handbook-bn/bn/modules/circle-of-trust/index.html"
    assert 'href="../../../pdf/modules/circle-of-trust.pdf"' in module.read_text("utf-8")
    home = tmp_path / "unzipped" / "handbook-bn" / "index.html"
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(home.as_uri())
        page.wait_for_url("**/bn/index.html")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("বিশ্বাসের")
        box.press("End")  # Material reads the query on key events
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        links = page.locator(".md-search-result__item > a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        browser.close()
    assert any("bn/modules/circle-of-trust/index.html" in link for link in links), links
    outside = [url for url in requests if not url.startswith(("file:", "data:", "blob:"))]
    assert outside == []
