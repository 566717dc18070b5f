"""The handbook's mkdocs.yml as `facilitator render` reads it, and the plain config it writes
beside a staging tree so the staged pages build without our plugin.

    settings = read_settings(Path("mkdocs.yml"))
    text = plain_config(Path("mkdocs.yml"), staged, Path("build/staging"))

The plain config is the handbook's own, with docs_dir pointing at the staged docs, paths
made to work from the staging folder, our plugin left out (its work is done) and each
language's navigation given to mkdocs-static-i18n.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from facilitator.navigation import NavItem
from facilitator.staging import Staged

PLUGIN = "facilitator"


@dataclass(frozen=True)
class SiteSettings:
    """What the renderer needs from mkdocs.yml, with MkDocs' defaults."""

    base: Path  # the folder of mkdocs.yml: every path below is relative to it
    docs_dir: str = "docs"
    site_dir: str = "site"
    nav: list[NavItem] = field(default_factory=lambda: ["index.md"])
    directory_urls: bool = True
    plugin: dict[str, Any] = field(default_factory=dict)  # our plugin's own options

    @property
    def content_root(self) -> Path:
        return (self.base / str(self.plugin.get("content_root") or ".")).resolve()

    @property
    def staging_dir(self) -> Path:
        return self.base / str(self.plugin.get("staging_dir") or "build/staging")

    @property
    def schema_dir(self) -> str:
        return str(self.plugin.get("schema_dir") or "schema")


def _yaml() -> YAML:
    yaml = YAML()  # round trip: keeps the comments and the !!python tag of the slugify
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain lists and dicts; MkDocs' `!ENV [NAME, default]`
    as the variable's value, or the default."""
    if getattr(getattr(value, "tag", None), "value", None) == "!ENV":
        items = list(value) if isinstance(value, list) else [str(value)]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
        return next((os.environ[str(n)] for n in names if str(n) in os.environ), default)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _plugin_options(plugins: Any) -> dict[str, Any]:
    for entry in plugins or []:
        if entry == PLUGIN:
            return {}
        if isinstance(entry, dict) and PLUGIN in entry:
            return _plain(entry[PLUGIN]) or {}
    return {}


def read_settings(config_file: Path) -> SiteSettings:
    data = _yaml().load(config_file.read_text("utf-8")) or {}
    return SiteSettings(
        base=config_file.resolve().parent,
        docs_dir=str(data.get("docs_dir", "docs")),
        site_dir=str(data.get("site_dir", "site")),
        nav=_plain(data.get("nav")) or ["index.md"],
        directory_urls=bool(data.get("use_directory_urls", True)),
        plugin=_plugin_options(data.get("plugins")),
    )


def plain_config(config_file: Path, staged: Staged, out: Path) -> str:
    """mkdocs.yml for the staged tree in `out`: builds the same site without our plugin."""
    yaml = _yaml()
    data = yaml.load(config_file.read_text("utf-8"))
    base = config_file.resolve().parent
    out = out.resolve()

    def moved(path: str) -> str:
        return Path(os.path.relpath(base / path, out)).as_posix()

    data["docs_dir"] = Path(os.path.relpath(staged.docs_dir, out)).as_posix()
    data["site_dir"] = moved(str(data.get("site_dir", "site")))
    theme = data.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = moved(str(theme["custom_dir"]))
    plugins = CommentedSeq(p for p in data.get("plugins") or [] if p != PLUGIN and not _is_ours(p))
    for entry in plugins:
        if isinstance(entry, dict) and "i18n" in entry:
            for language in entry["i18n"].get("languages") or []:
                nav = staged.navs.get(str(language.get("locale")))
                if nav is not None:
                    language["nav"] = nav
    data["plugins"] = plugins
    data["nav"] = staged.navs[staged.default_language]
    text = io.StringIO()
    yaml.dump(data, text)
    header = (
        "# Written by `facilitator render`: the handbook's mkdocs.yml for the staged pages in\n"
        "# docs/ beside it (our plugin's work is done). Do not edit: it is made anew.\n"
    )
    return header + text.getvalue()


def _is_ours(entry: Any) -> bool:
    return isinstance(entry, CommentedMap | dict) and PLUGIN in entry
