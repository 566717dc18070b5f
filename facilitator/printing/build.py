"""`facilitator print`: every PDF of the handbook, per language, with one browser open.

build/print/<lang>/handbook.pdf
build/print/<lang>/modules/<module-id>.pdf
build/print/<lang>/forms/<form>.pdf
build/print/manifest.json          what each PDF was printed from (reprint only what changed)

Each PDF is a job: its path, the content files it is made from, and how to make it. A job
whose inputs are unchanged since its PDF was printed is skipped, and the browser is started
only when some job has to print.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from facilitator.load import Content
from facilitator.printing.book import print_book
from facilitator.printing.compact import compact
from facilitator.printing.engine import Printer, page_count
from facilitator.printing.fit import print_fitted
from facilitator.printing.forms import blank_form, form_names
from facilitator.printing.manifest import Manifest, inputs
from facilitator.printing.packs import module_pack_html

# What the PDFs are made from, besides the code (manifest.recipe): globs under the root.
EVERYWHERE = ("mkdocs.yml", "curriculum/**/*")
ALL_MODULES = ("modules/**/*",)
MODULE_TITLES = ("modules/*/module*.yaml",)
FRONT_PAGES = ("site/*.md",)


@dataclass(frozen=True)
class Printed:
    path: Path
    pages: int
    seconds: float
    reused: bool = False  # unchanged since the last print: not printed again


@dataclass(frozen=True)
class Job:
    rel: str  # where the PDF goes, under the print folder
    lang: str
    sources: tuple[str, ...]  # globs of the content files it is made from
    make: Callable[[Printer], bytes]
    variant: str = ""  # what else it is printed with (the agenda's start time), for the manifest


def module_job(content: Content, module_id: str, lang: str, start: int | None = None) -> Job:
    def make(printer: Printer) -> bytes:
        printer.load(module_pack_html(content, module_id, lang, start))
        return print_fitted(printer).pdf

    sources = (*EVERYWHERE, f"modules/{module_id}/**/*")
    variant = "" if start is None else f"start={start}"
    return Job(f"{lang}/modules/{module_id}.pdf", lang, sources, make, variant)


def language_jobs(content: Content, lang: str, start: int | None = None) -> list[Job]:
    """The handbook, every module's print pack and every blank form in one language."""
    jobs = [
        Job(
            f"{lang}/handbook.pdf",
            lang,
            (*EVERYWHERE, *ALL_MODULES, *FRONT_PAGES),
            lambda printer: print_book(content, lang, printer),
        )
    ]
    jobs += [module_job(content, module_id, lang, start) for module_id in content.modules]
    jobs += [form_job(content, name, lang) for name in form_names(content)]
    return jobs


def form_job(content: Content, name: str, lang: str) -> Job:
    def make(printer: Printer) -> bytes:
        return printer.pdf(blank_form(content, lang, name))

    return Job(f"{lang}/forms/{name}.pdf", lang, (*EVERYWHERE, *MODULE_TITLES), make)


def run(content: Content, jobs: Iterable[Job], out: Path, *, force: bool = False) -> list[Printed]:
    """Print the jobs whose inputs changed (every job with `force`) into `out`."""
    manifest = Manifest.load(out)
    done: list[Printed] = []
    with ExitStack() as stack:
        printer: Printer | None = None
        for job in jobs:
            key = inputs(content.root, job.lang, job.sources) + job.variant
            pages = None if force else manifest.fresh(job.rel, key)
            if pages is not None:
                done.append(Printed(out / job.rel, pages, 0.0, reused=True))
                continue
            if printer is None:
                printer = stack.enter_context(Printer())
            start = time.perf_counter()
            data = compact(job.make(printer))
            path = out / job.rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            printed = Printed(path, page_count(data), time.perf_counter() - start)
            manifest.record(job.rel, key, printed.pages)
            manifest.save()  # after each PDF: an interrupted run keeps what it printed
            done.append(printed)
    return done


def print_all(
    content: Content,
    out: Path,
    languages: Iterable[str] | None = None,
    *,
    force: bool = False,
    start: int | None = None,
) -> list[Printed]:
    codes = list(languages or [x.code for x in content.languages])
    jobs = [job for lang in codes for job in language_jobs(content, lang, start)]
    return run(content, jobs, out, force=force)


def print_module(
    content: Content,
    module_id: str,
    languages: Iterable[str],
    out: Path,
    *,
    force: bool = False,
    start: int | None = None,
) -> list[Printed]:
    if module_id not in content.modules:
        raise KeyError(f"no module {module_id!r}")
    jobs = [module_job(content, module_id, lang, start) for lang in languages]
    return run(content, jobs, out, force=force)
