"""The `facilitator` mkdocs plugin: module, programme and instrument pages rendered from
curriculum/ and modules/ during the build, so no generated page is ever committed.

Event handlers stay thin; the work is in render.py, navigation.py and sitepages.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from facilitator import pages
from facilitator.load import Content, load_content
from facilitator.navigation import handbook_nav
from facilitator.problems import ContentError
from facilitator.render import localized_path, renderers
from facilitator.schema import write_schemas
from facilitator.sitepages import site_page_markdown

CONTENT_FOLDERS = ("curriculum", "modules")


class FacilitatorConfig(base.Config):
    content_root = c.Optional(c.Type(str))
    """The folder holding curriculum/ and modules/, relative to mkdocs.yml (default: its
    own folder)."""
    schema_dir = c.Type(str, default="schema")
    """Where in the built site the JSON Schema files for editors go."""


def content_fingerprint(root: Path) -> tuple[tuple[str, int], ...]:
    """Every content file and its modification time: a changed file means a reload."""
    return tuple(
        (path.as_posix(), path.stat().st_mtime_ns)
        for folder in CONTENT_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    )


class FacilitatorPlugin(BasePlugin[FacilitatorConfig]):
    def __init__(self) -> None:
        self.content: Content | None = None
        self._fingerprint: tuple[tuple[str, int], ...] = ()
        self._site_nav: list[Any] | None = None
        self.language = "en"
        self.generated: dict[str, tuple[str, str]] = {}  # src_uri -> (English page, language)
        self.renderers: dict[str, Callable[[str], str]] = {}

    def root(self, config: MkDocsConfig) -> Path:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        return (base_dir / (self.config.content_root or ".")).resolve()

    # static-i18n runs the whole build once per language on the same config, and its
    # on_config (priority -100) sets theme.language to the language being built: ours runs
    # after it so the nav is titled in that language.
    @event_priority(-110)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content = self._load(self.root(config))
        self.language = config.theme.get("language") or self.content.default_language
        if self._site_nav is None:
            self._site_nav = copy.deepcopy(config.nav or ["index.md"])
        config.nav = handbook_nav(self._site_nav, self.content, self.language)
        return config

    # Generated pages must be in the file list before static-i18n's on_files (priority
    # -100) sorts files by language suffix and picks each page's version for the build.
    @event_priority(0)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.content is not None
        self.renderers = renderers(self.content)
        self.generated = add_generated_files(files, config, self.content)
        return files

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # static-i18n rebuilds File objects from their path, so a generated file's content
        # cannot ride on the File itself: it is rendered here, when the page is read.
        entry = self.generated.get(page.file.src_uri)
        if entry is None or self.content is None:
            return None
        english_path, lang = entry
        return self.renderers[english_path](lang)

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if page.file.src_uri in self.generated or self.content is None:
            return markdown
        return site_page_markdown(
            markdown,
            page,
            self.content,
            self.language,
            self.config.schema_dir,
            Path(config.docs_dir),
        )

    def on_post_build(self, config: MkDocsConfig) -> None:
        write_schemas(Path(config.site_dir) / self.config.schema_dir)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        root = self.root(config)
        for folder in CONTENT_FOLDERS:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def _load(self, root: Path) -> Content:
        fingerprint = content_fingerprint(root)
        if self.content is None or fingerprint != self._fingerprint:
            try:
                self.content = load_content(root)
            except ContentError as error:
                raise PluginError(f"{error}\nRun `facilitator check` for details.") from None
            self._fingerprint = fingerprint
        return self.content


def add_generated_files(
    files: Files, config: MkDocsConfig, content: Content
) -> dict[str, tuple[str, str]]:
    """Add every generated page in every language; return src_uri -> (English page, lang)."""
    generated: dict[str, tuple[str, str]] = {}
    # handouts are reached from their module page, not the nav: no "not in nav" notice
    handouts = {
        pages.handout_page(m.id, h.id) for m in content.modules.values() for h in m.handouts
    }
    for english_path in renderers(content):
        inclusion = (
            InclusionLevel.NOT_IN_NAV if english_path in handouts else InclusionLevel.UNDEFINED
        )
        for language in content.languages:
            src = localized_path(english_path, language.code, content.default_language)
            if files.get_file_from_path(src) is not None:
                raise PluginError(
                    f"site/{src} would hide the page generated from the content: "
                    "rename or remove it"
                )
            files.append(
                File(
                    src,
                    config.docs_dir,
                    config.site_dir,
                    config.use_directory_urls,
                    inclusion=inclusion,
                )
            )
            generated[src] = (english_path, language.code)
    return generated
