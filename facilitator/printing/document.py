"""An HTML document ready for Chromium's print: fonts, the print stylesheet, running heads.

Each script has its own font family name, so Chromium never draws Hindi with Bengali glyphs,
and elements carry `lang` so each language leads with its own font.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from facilitator.printing.engine import PrintError

FONT_DIRS = [Path(d) for d in os.environ.get("FACILITATOR_FONTS", "").split(os.pathsep) if d] + [
    Path("/usr/share/fonts/truetype/noto")
]

# family -> (regular file, bold file): Debian's fonts-noto-core.
FONTS = {
    "Print Latin": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Print Bengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    "Print Devanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
}
# Which family leads for each language; the others follow for mixed text.
LEAD = {"bn": "Print Bengali", "hi": "Print Devanagari"}


def font_file(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise PrintError(f"font {name} not found in {FONT_DIRS}: apt-get install fonts-noto-core")


@lru_cache(maxsize=1)
def fonts_css() -> str:
    """@font-face rules (regular and a real bold: a synthetic bold prints as Type 3 glyphs)."""
    rules = []
    for family, (regular, bold) in FONTS.items():
        for weight, name in (("normal", regular), ("bold", bold)):
            rules.append(
                f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
                f"src: url('{font_file(name).as_uri()}'); }}"
            )
    return "\n".join(rules)


def font_stack(lang: str) -> str:
    lead = LEAD.get(lang, "Print Latin")
    families = [lead] + [f for f in FONTS if f != lead]
    return ", ".join(f"'{f}'" for f in families) + ", sans-serif"


def languages_css(languages: list[str]) -> str:
    return "\n".join(f":lang({code}) {{ font-family: {font_stack(code)}; }}" for code in languages)


@lru_cache(maxsize=1)
def print_css() -> str:
    return (resources.files("facilitator.printing") / "templates" / "print.css").read_text("utf-8")


def css_string(text: str) -> str:
    """A CSS string literal (for `content:` in running heads)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    escaped = escaped.replace("<", "\\3c ")  # never '</style>' inside the style element
    return f'"{escaped}"'


@dataclass(frozen=True)
class RunningHead:
    """Named page for a part of a document, and the words at the top of its pages."""

    name: str
    left: str
    right: str = ""

    def css(self, lang: str) -> str:
        boxes = f"@top-left {{ content: {css_string(self.left)}; }}"
        if self.right:
            boxes += f" @top-right {{ content: {css_string(self.right)}; }}"
        return f"@page {self.name} {{ {boxes} }}\n.fh-page-{self.name} {{ page: {self.name}; }}"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("facilitator.printing", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


ENV = _environment()


def render(template: str, **context: object) -> str:
    return ENV.get_template(template).render(**context)


def document(
    body: str,
    *,
    lang: str,
    title: str,
    heads: list[RunningHead] | None = None,
    languages: tuple[str, ...] = ("en", "bn", "hi"),
    landscape: bool = False,
) -> str:
    """A whole HTML document around `body` (already HTML, already escaped)."""
    css = "\n".join(
        [
            fonts_css(),
            f"html {{ font-family: {font_stack(lang)}; }}",
            print_css(),
            languages_css(sorted({lang, *languages})),
            *(head.css(lang) for head in heads or []),
            "@page { size: A4 landscape; margin: 10mm 12mm 12mm; }" if landscape else "",
        ]
    )
    return render("document.html.j2", lang=lang, title=title, css=css, body=body)
