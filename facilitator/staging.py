"""The staging docs tree: every handbook page in every language, written before the site
generator runs, so no page depends on a site generator's events.

    staged = stage(root, Path("build/staging"), site_nav=["index.md", "how-to-use.md"])
    staged.docs_dir      # build/staging/docs: a complete docs folder for MkDocs (or another)
    staged.navs["bn"]    # the handbook's navigation, titled in Bengali

The tree holds the generated pages (programmes, modules, handouts, instruments, forms, the
glossary, translation coverage), the handbook's own pages from site/ with their generated
parts filled in and their translation notes, the JSON Schema files and site/'s static files.
Each language's page sits beside the English one with a language suffix (index.bn.md), as
mkdocs-static-i18n's suffix layout expects; a page not yet translated is staged in English
with a note, so every language has every page.

Files are rewritten only when their text changed and files no longer produced are removed,
so a rebuild of an unchanged handbook touches nothing (and `mkdocs serve` stays calm).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from facilitator.content import load_content
from facilitator.load import TRANSLATION_NAME, Content
from facilitator.navigation import NavItem, handbook_nav
from facilitator.render import environment, localized_path, renderers
from facilitator.schema import SCHEMAS, schema_for
from facilitator.sitepages import UnknownPlaceholder, site_page_markdown
from facilitator.themecache import ThemeCache

DOCS = "docs"  # the staged docs folder, inside the staging folder
THEME_FOLDERS = ("overrides",)  # site/ folders that belong to the theme, not the docs


class StagingError(ValueError):
    """Something in site/ that the staging tree cannot hold; the message says what to do."""


@dataclass(frozen=True)
class Staged:
    docs_dir: Path
    navs: dict[str, list[NavItem]]  # language code -> the handbook's nav in that language
    default_language: str
    pages: list[str] = field(default_factory=list)  # staged Markdown, relative to docs_dir
    written: int = 0  # files whose text changed in this run


def stage(
    root: Path,
    out: Path,
    *,
    site_nav: list[NavItem] | None = None,
    site_dir: Path | None = None,
    schema_dir: str = "schema",
    directory_urls: bool = False,
    content: Content | None = None,
) -> Staged:
    """Render the whole handbook into `out`/docs; raise ContentError or StagingError."""
    content = content or load_content(root)
    # the page templates' compiled code, kept between builds like the theme's
    ThemeCache(out.resolve() / "theme-cache").attach(environment())
    site = (site_dir or root / "site").resolve()
    docs = out.resolve() / DOCS
    texts = generated_texts(content)
    texts |= site_texts(
        content, site, set(texts), schema_dir=schema_dir, directory_urls=directory_urls
    )
    texts |= schema_texts(schema_dir)
    statics = {rel: site / rel for rel in static_files(site)}
    written = sync(docs, texts, statics)
    nav = site_nav or ["index.md"]
    navs = {lang.code: handbook_nav(nav, content, lang.code) for lang in content.languages}
    markdown = sorted(p for p in texts if p.endswith(".md"))
    return Staged(docs, navs, content.default_language, markdown, written)


def generated_texts(content: Content) -> dict[str, str]:
    """Every page made from the content, in every language, by its staged path."""
    texts = {}
    for english_path, render in renderers(content).items():
        for language in content.languages:
            path = localized_path(english_path, language.code, content.default_language)
            texts[path] = render(language.code)
    return texts


def site_texts(
    content: Content, site: Path, taken: set[str], *, schema_dir: str, directory_urls: bool
) -> dict[str, str]:
    """The handbook's own pages, in every language, by their staged path."""
    texts = {}
    english = site_markdown(site)
    orphans = orphan_translations(site, english, content)
    for path in [*english, *orphans]:
        if path in taken:
            raise StagingError(
                f"site/{path} would hide the page made from the content: rename or remove it"
            )
    for english_path in english:
        for language in content.languages:
            path = localized_path(english_path, language.code, content.default_language)
            try:
                texts[path] = site_page_markdown(
                    content,
                    site,
                    english_path,
                    language.code,
                    schema_dir=schema_dir,
                    directory_urls=directory_urls,
                )
            except UnknownPlaceholder as error:
                raise StagingError(str(error)) from None
    return texts | orphans


def schema_texts(schema_dir: str) -> dict[str, str]:
    """The JSON Schema files for editors, from the content model."""
    return {
        f"{schema_dir}/{name}.schema.json": json.dumps(
            schema_for(model), indent=2, ensure_ascii=False
        )
        + "\n"
        for name, model in SCHEMAS.items()
    }


def _site_files(site: Path) -> Iterator[str]:
    for folder, dirs, files in os.walk(site):
        rel_folder = PurePosixPath(Path(folder).relative_to(site).as_posix())
        if rel_folder == PurePosixPath("."):
            dirs[:] = [d for d in dirs if d not in THEME_FOLDERS]
        dirs.sort()
        for name in sorted(files):
            yield (rel_folder / name).as_posix()


def site_markdown(site: Path) -> list[str]:
    """The handbook's own pages in English (translations sit beside them)."""
    return [
        rel
        for rel in _site_files(site)
        if rel.endswith(".md") and not TRANSLATION_NAME.match(PurePosixPath(rel).name)
    ]


def static_files(site: Path) -> list[str]:
    """Everything in site/ that is not a page: stylesheets, fonts, scripts, images."""
    return [rel for rel in _site_files(site) if not rel.endswith(".md")]


def orphan_translations(site: Path, english: list[str], content: Content) -> dict[str, str]:
    """Translated site pages with no English page: staged as written."""
    known = {
        localized_path(e, lang.code, content.default_language)
        for e in english
        for lang in content.languages
    }
    return {
        rel: (site / rel).read_text("utf-8")
        for rel in _site_files(site)
        if rel.endswith(".md") and TRANSLATION_NAME.match(PurePosixPath(rel).name)
        if rel not in known
    }


# ---------------------------------------------------------------- writing the tree


def sync(docs: Path, texts: dict[str, str], statics: dict[str, Path]) -> int:
    """Make `docs` hold exactly these files; write only what changed. Return files written."""
    written = 0
    for rel, text in texts.items():
        path = docs / rel
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        # whole or not at all: a site generator reading the tree never sees half a page
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)
        written += 1
    for rel, source in statics.items():
        written += _place(source, docs / rel)
    keep = set(texts) | set(statics)
    for path in sorted(docs.rglob("*"), reverse=True):  # files before their folders
        rel = path.relative_to(docs).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif rel not in keep:
            path.unlink()
    return written


def _place(source: Path, target: Path) -> int:
    """A static file in the staging tree: a hard link where the file system allows one (no
    copy of the fonts on every build), else a copy. Return 1 if anything was written."""
    if target.exists():
        if os.path.samefile(source, target):
            return 0
        src, dst = source.stat(), target.stat()
        if src.st_size == dst.st_size and src.st_mtime_ns == dst.st_mtime_ns:
            return 0
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return 1
