"""Compiled theme templates kept between the languages of one build and between builds.

MkDocs makes a fresh jinja environment for every build, and static-i18n builds once per
language, so Material's templates were parsed and compiled three times a build (about a tenth
of its time). jinja's bytecode cache is its own, documented way to skip that work: the code
compiled from a template is kept by the template's name and checked against a hash of its
source, so an edited template (an override in site/overrides) is compiled afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


class ThemeCache(FileSystemBytecodeCache):
    """jinja's file cache, with the buckets of this process also kept in memory."""

    def __init__(self, folder: Path) -> None:
        self.root = folder
        self.memory: dict[str, bytes] = {}
        super().__init__(str(folder))

    def attach(self, env: jinja2.Environment) -> None:
        # Compiled code depends on the environment's extensions and syntax options as well as
        # on the template: environments that differ there keep their code apart.
        options = [
            sorted(env.extensions),
            env.block_start_string,
            env.variable_start_string,
            env.comment_start_string,
            env.line_statement_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.autoescape if isinstance(env.autoescape, bool) else "callable",
            jinja2.__version__,
        ]
        digest = hashlib.sha256(repr(options).encode()).hexdigest()[:12]
        self.directory = str(self.root / digest)
        with contextlib.suppress(OSError):
            Path(self.directory).mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = self

    # A cache never stops a build: a folder that cannot be read or written means compiling.
    def load_bytecode(self, bucket: Bucket) -> None:
        key = f"{self.directory}/{bucket.key}"
        if key in self.memory:
            bucket.bytecode_from_string(self.memory[key])
            return
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memory[f"{self.directory}/{bucket.key}"] = bucket.bytecode_to_string()
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
