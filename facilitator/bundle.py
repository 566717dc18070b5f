"""`facilitator bundle`: the offline handbook as zips to copy onto a laptop or a phone.

    build/bundle/handbook-<lang>.zip   that language's pages, the shared assets, its module
                                       packs and forms
    build/bundle/handbook-all.zip      every language, and each one's whole handbook.pdf

A language's zip leaves out the whole-handbook PDF: its 400 pages repeat the module packs
(what a facilitator prints for a day) and the pages themselves, and with it the zip would
be half as big again (over 11 MB in Bengali and Hindi, against under 8 MB without).

Each zip holds one folder; unzip it and double-click its index.html. The site must have
been built for file:// use (mkdocs-material's offline plugin): a page opened from disk
searches with search/search_index.js, so the zips carry that file alone (made from the .json
a web server would use, if the site has that copy instead), written once, Bengali and Hindi
as letters, not escapes (facilitator/searchindex.py). Every
page links its PDFs; in a language's zip the language menu, whose other languages are not
in it, is taken out (facilitator.printing.offline).
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from facilitator.printing.labels import PRINT_LABELS
from facilitator.printing.offline import offline_page, page_pdfs
from facilitator.searchindex import as_script, index_text

SEARCH_JSON = "search/search_index.json"  # for a web server: not in a zip
SEARCH_JS = "search/search_index.js"  # for file://: the index as a script
WHOLE_BOOK = "handbook.pdf"  # in the all-languages zip only (see above)
SKIPPED_SUFFIXES = (".map", ".gz")  # source maps and the gzipped sitemap: no use offline
# A server's "not found" page, never opened from disk; the index, if the site has the .json,
# goes in as search_index.js (make_bundle).
SKIPPED = ("404.html",)
# lunr's word splitters and stemmers for other languages: the index is built with English
# rules only (mkdocs.yml, search: lang: en), so the search worker never loads them.
SKIPPED_FOLDERS = ("assets/javascripts/lunr/",)
# Something a page would load from another host (not a plain link a reader may follow).
OUTSIDE = re.compile(
    r"""(?:\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b(?![^>]*\brel\s*=\s*["']?(?:canonical|alternate)\b)[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)""",
    re.I,
)


@dataclass(frozen=True)
class Bundle:
    path: Path
    language: str  # a language code, or "all"
    size: int  # bytes of the zip
    size_without_pdfs: int  # compressed bytes of everything but the PDFs


class BundleError(RuntimeError):
    pass


def _language_of(rel: PurePosixPath, others: set[str]) -> str | None:
    """The language folder a file sits in, None for the default language and shared files."""
    return rel.parts[0] if len(rel.parts) > 1 and rel.parts[0] in others else None


def _index_file(site: Path) -> Path | None:
    """The site's search index: search_index.js (a site built to open from disk), else the
    .json (a site built to be served)."""
    for rel in (SEARCH_JS, SEARCH_JSON):
        if (site / rel).is_file():
            return site / rel
    return None


def _keep(rel: PurePosixPath, lang: str | None, default: str, others: set[str]) -> bool:
    """Whether a site file goes into the bundle of `lang` (None: every language)."""
    if rel.name.endswith(SKIPPED_SUFFIXES) or str(rel) in SKIPPED:
        return False
    if str(rel).startswith(SKIPPED_FOLDERS):
        return False
    if lang is None:
        return True
    owner = _language_of(rel, others)
    if lang == default:
        return owner is None
    if owner is not None:
        return owner == lang
    # The default language's own pages stay out; the shared assets, search and images go in.
    return rel.suffix != ".html" and rel.name not in ("sitemap.xml",)


def _search_index(text: str, lang: str | None, default: str, others: set[str]) -> str:
    """search_index.js with only the pages of `lang` (None: all), Bengali and Hindi as
    letters rather than escapes (a third of the bytes)."""
    data = json.loads(index_text(text))

    def wanted(location: str) -> bool:
        if lang is None:
            return True
        owner = _language_of(PurePosixPath(location or "index.html"), others)
        return owner is None if lang == default else owner == lang

    data["docs"] = [d for d in data.get("docs", []) if wanted(str(d.get("location", "")))]
    return as_script(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _redirect(lang: str, name: str) -> str:
    """An index.html at the top of a language's bundle that opens its own home page."""
    target = f"{lang}/index.html"
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        f"<title>{html.escape(name)}</title></head>"
        f'<body><p><a href="{target}">{html.escape(name)}</a></p></body></html>\n'
    )


def _pdfs(prints: Path, lang: str, folder: str, *, whole_book: bool) -> dict[str, Path]:
    """The PDFs of `lang`, by their path in the zip; `whole_book`: with handbook.pdf."""
    source = prints / lang
    if not source.is_dir():
        return {}
    return {
        f"{folder}/{pdf.relative_to(source).as_posix()}": pdf
        for pdf in sorted(source.rglob("*.pdf"))
        if whole_book or pdf.relative_to(source).as_posix() != WHOLE_BOOK
    }


def _page(
    text: str, rel: PurePosixPath, lang: str | None, default: str, others: set[str], labels: Labels
) -> str:
    """A page with links to its PDFs; in a language's zip, without the language menu."""
    owner = _language_of(rel, others) or default
    inside = PurePosixPath(*rel.parts[1:]) if owner != default else rel
    pdf_folder = "pdf" if lang else f"pdf/{owner}"
    links = page_pdfs(inside, labels.pdfs, pdf_folder)
    words = {**PRINT_LABELS, **labels.words.get(default, {}), **labels.words.get(owner, {})}
    return offline_page(text, len(rel.parts) - 1, words, links, one_language=lang is not None)


@dataclass(frozen=True)
class Labels:
    """What a bundle's pages say around their PDF links, per language, and the PDFs in it."""

    words: dict[str, dict[str, str]]
    pdfs: set[str] = field(default_factory=set)


def make_bundle(
    site: Path,
    prints: Path,
    out: Path,
    lang: str | None,
    languages: dict[str, str],
    default: str,
    words: dict[str, dict[str, str]] | None = None,
) -> Bundle:
    """One zip: `lang`'s pages (None: all languages), shared assets and PDFs."""
    others = {code for code in languages if code != default}
    name = f"handbook-{lang or 'all'}"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.zip"
    pdfs: dict[str, Path] = {}
    for code in [lang] if lang else list(languages):
        pdfs |= _pdfs(prints, code, "pdf" if lang else f"pdf/{code}", whole_book=lang is None)
    labels = Labels(words or {}, set(pdfs))
    index = _index_file(site)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for file in sorted(p for p in site.rglob("*") if p.is_file()):
            rel = PurePosixPath(file.relative_to(site).as_posix())
            if not _keep(rel, lang, default, others):
                continue
            arcname = f"{name}/{rel}"
            if str(rel) in (SEARCH_JS, SEARCH_JSON):  # one copy, as a script
                if file == index:
                    text = _search_index(file.read_text("utf-8"), lang, default, others)
                    archive.writestr(f"{name}/{SEARCH_JS}", text)
            elif rel.suffix == ".html":
                text = _page(file.read_text("utf-8"), rel, lang, default, others, labels)
                archive.writestr(arcname, text)
            else:
                archive.write(file, arcname)
        if lang is not None and lang != default:
            archive.writestr(f"{name}/index.html", _redirect(lang, languages[lang]))
        for arcname, pdf in pdfs.items():
            # PDFs are already compressed: store them as they are.
            archive.write(pdf, f"{name}/{arcname}", zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as archive:
        pdf_bytes = sum(i.compress_size for i in archive.infolist() if i.filename.endswith(".pdf"))
    size = path.stat().st_size
    return Bundle(path, lang or "all", size, size - pdf_bytes)


def make_bundles(
    site: Path,
    prints: Path,
    out: Path,
    languages: dict[str, str],
    default: str,
    words: dict[str, dict[str, str]] | None = None,
) -> list[Bundle]:
    """A zip per language and one with all of them; `words`: each language's labels."""
    if not (site / "index.html").is_file():
        raise BundleError(f"no built handbook in {site}: run `mkdocs build` first")
    bundles = [
        make_bundle(site, prints, out, code, languages, default, words) for code in languages
    ]
    bundles.append(make_bundle(site, prints, out, None, languages, default, words))
    return bundles


def outside_references(bundle: Path) -> list[tuple[str, str]]:
    """(file, snippet) for every page or stylesheet in the zip that loads from another host."""
    found = []
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".html", ".css")):
                continue
            text = archive.read(info).decode("utf-8", errors="replace")
            for match in OUTSIDE.finditer(text):
                found.append((info.filename, text[match.start() : match.end() + 60]))
    return found
