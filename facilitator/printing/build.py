"""`facilitator print`: every PDF of the handbook, per language, with one browser open.

build/print/<lang>/handbook.pdf
build/print/<lang>/modules/<module-id>.pdf
build/print/<lang>/forms/<form>.pdf
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from facilitator.load import Content
from facilitator.printing.book import print_book
from facilitator.printing.engine import Printer, page_count
from facilitator.printing.forms import blank_forms
from facilitator.printing.packs import module_pack_html


@dataclass(frozen=True)
class Printed:
    path: Path
    pages: int
    seconds: float


def _write(path: Path, make: Callable[[], bytes]) -> Printed:
    start = time.perf_counter()
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Printed(path, page_count(data), time.perf_counter() - start)


def print_module(
    content: Content, module_id: str, lang: str, out: Path, printer: Printer
) -> Printed:
    return _write(
        out / lang / "modules" / f"{module_id}.pdf",
        lambda: printer.pdf(module_pack_html(content, module_id, lang)),
    )


def print_language(content: Content, lang: str, out: Path, printer: Printer) -> list[Printed]:
    """The handbook, every module's print pack and every blank form in one language."""
    done = [_write(out / lang / "handbook.pdf", lambda: print_book(content, lang, printer))]
    done += [print_module(content, module_id, lang, out, printer) for module_id in content.modules]
    for name, html in blank_forms(content, lang).items():
        done.append(
            _write(out / lang / "forms" / f"{name}.pdf", lambda html=html: printer.pdf(html))  # type: ignore[misc]
        )
    return done


def print_all(content: Content, out: Path, languages: Iterable[str] | None = None) -> list[Printed]:
    codes = list(languages or [x.code for x in content.languages])
    done: list[Printed] = []
    with Printer() as printer:
        for lang in codes:
            done += print_language(content, lang, out, printer)
    return done
