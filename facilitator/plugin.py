"""The `facilitator` mkdocs plugin: a thin hook that stages the handbook before MkDocs reads it.

`mkdocs build` and `mkdocs serve` call the renderer (facilitator/staging.py) once, which writes
every page in every language into a staging docs tree; the plugin then points MkDocs at that
tree and gives each language its navigation. Nothing else happens in MkDocs' events, so the
pages do not depend on them: `facilitator render` writes the same tree for any site generator.
"""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

from facilitator.problems import ContentError
from facilitator.searchindex import write_search_index
from facilitator.staging import Staged, StagingError, stage
from facilitator.themecache import ThemeCache

CONTENT_FOLDERS = ("curriculum", "modules")


class FacilitatorConfig(base.Config):
    content_root = c.Optional(c.Type(str))
    """The folder holding curriculum/ and modules/, relative to mkdocs.yml (default: its
    own folder)."""
    staging_dir = c.Type(str, default="build/staging")
    """Where the staged docs tree is written, relative to mkdocs.yml."""
    schema_dir = c.Type(str, default="schema")
    """Where in the built site the JSON Schema files for editors go."""


class FacilitatorPlugin(BasePlugin[FacilitatorConfig]):
    def __init__(self) -> None:
        self.staged: Staged | None = None
        self.staged_for: MkDocsConfig | None = None  # the config the staging was made for
        self.served = False  # `mkdocs serve`: pages read over http, not from disk
        self.source_docs: Path | None = None  # site/: what the author edits
        self.theme_cache: ThemeCache | None = None

    def base_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    # Having on_startup, this plugin lives as long as `mkdocs serve` does (MkDocs keeps it
    # across rebuilds): it learns here whether the site will be read over http.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.served = command == "serve"

    # static-i18n runs the whole build once per language on the same config, and its
    # on_config (priority -100) sets theme.language to the language being built: ours runs
    # after it (-110) so each language gets its own nav. The staging happens once per config:
    # on the first call of a build, and again for each serve rebuild (a new config each time).
    @event_priority(-110)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.staged is None or self.staged_for is not config:
            self.staged = self._stage(config)
            self.staged_for = config
        language = config.theme.get("language") or next(iter(self.staged.navs))
        config.nav = copy.deepcopy(self.staged.navs.get(language, config.nav))
        return config

    # Runs last (-200), after every plugin that adds to the theme's environment (static-i18n
    # adds a jinja extension at priority 0): the cache keys compiled templates on it.
    @event_priority(-200)
    def on_env(
        self, env: jinja2.Environment, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        if self.theme_cache is None:
            folder = self.base_dir(config) / self.config.staging_dir / "theme-cache"
            self.theme_cache = ThemeCache(folder)
        self.theme_cache.attach(env)
        return env

    # After Material's offline plugin (-100) has copied the index into search_index.js: the
    # site keeps the one copy its pages will read (facilitator/searchindex.py).
    @event_priority(-120)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        write_search_index(Path(config.site_dir), served=self.served)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        # MkDocs watches docs_dir, which is now the staging tree that every build rewrites:
        # watch what authors edit instead.
        with contextlib.suppress(KeyError):
            server.unwatch(config.docs_dir)
        root = self._content_root(config)
        folders = [self.source_docs, *(root / f for f in CONTENT_FOLDERS)]
        for folder in folders:
            if folder is not None and folder.is_dir():
                server.watch(str(folder))
        return server

    def _content_root(self, config: MkDocsConfig) -> Path:
        return (self.base_dir(config) / (self.config.content_root or ".")).resolve()

    def _stage(self, config: MkDocsConfig) -> Staged:
        self.source_docs = Path(config.docs_dir).resolve()
        try:
            staged = stage(
                self._content_root(config),
                self.base_dir(config) / self.config.staging_dir,
                site_nav=copy.deepcopy(config.nav or ["index.md"]),
                site_dir=self.source_docs,
                schema_dir=self.config.schema_dir,
                directory_urls=config.use_directory_urls,
            )
        except ContentError as error:
            raise PluginError(f"{error}\nRun `facilitator check` for details.") from None
        except StagingError as error:
            raise PluginError(str(error)) from None
        config.docs_dir = str(staged.docs_dir)
        return staged
