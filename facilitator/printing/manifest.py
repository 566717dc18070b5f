"""What each PDF was printed from, so that `facilitator print` reprints only what changed.

build/print/manifest.json holds, for every PDF, a hash of everything it is made from: the
content files it reads in its language (English and that language's translations), the
code and templates that turn them into pages, the fonts and the browser. A PDF whose hash
is unchanged and whose file is still there is kept as it is.

    en/modules/utthan-resilience.pdf   curriculum/**, modules/utthan-resilience/**
    bn/forms/body-image.pdf            curriculum/**, modules/*/module*.yaml
    hi/handbook.pdf                    curriculum/**, modules/**, site/*.md
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import facilitator
from facilitator.printing.document import FONTS, font_file
from facilitator.printing.engine import CHROMIUM

MANIFEST = "manifest.json"
LANGUAGE_SUFFIX = 2  # `module.bn.yaml`, `money-book.hi.md`: a two-letter code before the suffix


def _language_of(path: Path) -> str | None:
    parts = path.name.split(".")
    return parts[-2] if len(parts) >= 3 and len(parts[-2]) == LANGUAGE_SUFFIX else None


def _hash_files(root: Path, files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def recipe() -> str:
    """The code, templates, fonts and browser that print: a change to any reprints all."""
    package = Path(facilitator.__file__).parent
    code = [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css")]
    digest = hashlib.sha256(_hash_files(package, code).encode())
    machine = [font_file(name) for pair in FONTS.values() for name in pair] + [CHROMIUM]
    for path in machine:
        stat = path.stat() if path.exists() else None
        digest.update(
            f"{path}:{stat.st_size if stat else 0}:{stat.st_mtime_ns if stat else 0}".encode()
        )
    return digest.hexdigest()


def inputs(root: Path, lang: str, patterns: Iterable[str]) -> str:
    """A hash of the files matching `patterns` under `root` that `lang` reads, and the recipe."""
    files = [
        path
        for pattern in patterns
        for path in root.glob(pattern)
        if path.is_file() and _language_of(path) in (None, lang)
    ]
    return hashlib.sha256(f"{recipe()}:{_hash_files(root, files)}".encode()).hexdigest()


@dataclass
class Manifest:
    """PDF path (relative to the print folder) -> the hash of its inputs and its pages."""

    folder: Path
    entries: dict[str, dict[str, object]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(folder, data if isinstance(data, dict) else {})

    def fresh(self, rel: str, key: str) -> int | None:
        """The page count of a PDF printed from these very inputs, None if it must print."""
        entry = self.entries.get(rel)
        if not entry or entry.get("inputs") != key or not (self.folder / rel).is_file():
            return None
        pages = entry.get("pages")
        return pages if isinstance(pages, int) else None

    def record(self, rel: str, key: str, pages: int) -> None:
        self.entries[rel] = {"inputs": key, "pages": pages}

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.entries, indent=1, sort_keys=True)
        (self.folder / MANIFEST).write_text(text + "\n", "utf-8")
