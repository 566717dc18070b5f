"""Building the handbook in tests: the fixture content with the real handbook config."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "good"


def handbook_config(nav: str) -> str:
    """The real mkdocs.yml with another nav: the fixture has only a home page of its own."""
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    return text[: text.index("\nnav:")] + "\nnav:\n" + nav


def make_fixture_tree(root: Path) -> Path:
    """The fixture content with the handbook's labels, assets and config."""
    shutil.copytree(FIXTURE, root)
    for labels in (REPO / "curriculum").glob("labels*.yaml"):
        shutil.copy(labels, root / "curriculum" / labels.name)
    shutil.copytree(REPO / "site" / "assets", root / "site" / "assets")
    shutil.copytree(REPO / "site" / "overrides", root / "site" / "overrides")
    (root / "mkdocs.yml").write_text(handbook_config("  - index.md\n"), "utf-8")
    return root


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(site_dir),
        ],
        capture_output=True,
        text=True,
        # the staging folder beside the built site: a test writes nothing into the project
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "HANDBOOK_STAGING_DIR": str(site_dir.parent / "staging"),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result
