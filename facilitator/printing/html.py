"""Rendered handbook Markdown -> HTML for print, with the site's own Markdown extensions.

The extensions come from mkdocs.yml when the content root has one (so a page prints as the
site shows it); otherwise the same list the handbook uses is assumed.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown

from facilitator.printing.room import WritingRoomExtension

# mkdocs.yml's extensions, for a content tree without one of its own (test fixtures).
DEFAULT_EXTENSIONS: list[Any] = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "toc",
]

# A link to another page of the site, which paper cannot follow: keep its words only.
PAGE_LINK = re.compile(
    r'<a href="(?![a-z][a-z0-9+.-]*:|#)[^"]*"(?: [^>]*)?>(?P<text>.*?)</a>', re.DOTALL
)
# Links out of the handbook (https:, mailto:) print as text too, with the address after.
OUTSIDE_LINK = re.compile(
    r'<a href="(?P<href>(?:https?|mailto):[^"]*)"(?: [^>]*)?>(?P<text>.*?)</a>', re.DOTALL
)


def _emoji_config(config: dict[str, Any]) -> dict[str, Any]:
    """Material's icons as inline SVG, which print without any network."""
    try:
        from material.extensions.emoji import to_svg, twemoji
    except ImportError:  # pragma: no cover - material is a dependency
        return config
    return {"emoji_index": twemoji, "emoji_generator": to_svg, **config}


def _split(entries: list[Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict):
            for name, config in entry.items():
                names.append(name)
                configs[name] = dict(config or {})
        else:
            names.append(str(entry))
    if "pymdownx.emoji" in names:
        configs["pymdownx.emoji"] = _emoji_config(configs.get("pymdownx.emoji", {}))
    # The site's permalink anchors and search-only options mean nothing on paper.
    if "toc" in configs:
        configs["toc"] = {k: v for k, v in configs["toc"].items() if k in ("slugify",)}
    return names, configs


def site_extensions(root: Path) -> list[Any]:
    """mkdocs.yml's markdown_extensions for this content root, or the default list."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        return DEFAULT_EXTENSIONS
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as handle:
        config = yaml_load(handle)
    return list(config.get("markdown_extensions") or DEFAULT_EXTENSIONS)


@lru_cache(maxsize=8)
def _converter(root: Path, fill_in: bool) -> markdown.Markdown:
    names, configs = _split(site_extensions(root))
    extensions: list[Any] = [*names, WritingRoomExtension()] if fill_in else names
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


# `{: .class }` under a table: Python-Markdown's attr_list does not attach it to tables, and
# it would print as a stray table row.
TABLE_ATTRS = re.compile(r"^(\|.*\|[ \t]*\n)\{:[^}\n]*\}[ \t]*$", re.MULTILINE)


def to_html(text: str, root: Path, *, fill_in: bool = False) -> str:
    """One page of handbook Markdown as an HTML fragment for paper.

    `fill_in`: a handout, whose blanks become room to write (facilitator.printing.room).
    """
    converter = _converter(root, fill_in)
    converter.reset()
    body = converter.convert(TABLE_ATTRS.sub(r"\1", text))
    body = OUTSIDE_LINK.sub(
        lambda m: f'{m["text"]} <span class="fh-url">({html.escape(m["href"])})</span>', body
    )
    return PAGE_LINK.sub(lambda m: f'<span class="fh-link">{m["text"]}</span>', body)
