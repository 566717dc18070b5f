"""Fixtures shared across the test packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.facilitator.handbook_build import REPO, mkdocs_build


@pytest.fixture(scope="session")
def real_handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook, built once per test run with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("real-handbook") / "handbook"
    mkdocs_build(REPO / "mkdocs.yml", out)
    return out
