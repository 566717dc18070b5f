"""Keep the docs honest: every command the tools offer is documented in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def subcommands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


def test_every_facilitator_command_is_in_the_readme() -> None:
    from facilitator.cli import build_parser

    names = subcommands(build_parser())
    assert "check" in names
    missing = [n for n in names if f"`facilitator {n}" not in README]
    assert missing == []


def test_readme_gives_the_two_quick_start_commands() -> None:
    assert "make start" in README and "make test" in README


def test_every_tracker_command_is_in_the_readme() -> None:
    from tracker import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    ours = sorted(
        name
        for name, command in app.cli.commands.items()
        if command.callback is not None and command.callback.__module__.startswith("tracker")
    )
    assert {"init-db", "demo", "serve"} <= set(ours)
    missing = [n for n in ours if f"`tracker {n}" not in README]
    assert missing == []


def test_every_tracker_setting_is_in_the_readme() -> None:
    from tracker.config import defaults

    missing = [key for key in defaults("/tmp") if f"`{key}`" not in README]
    assert missing == []


def test_the_disclosure_design_is_written_down_and_linked() -> None:
    design = (Path(__file__).resolve().parents[1] / "docs" / "disclosure.md").read_text("utf-8")
    for heading in ("## Threat model", "## The promise", "## How", "## Limits"):
        assert heading in design
    assert "docs/disclosure.md" in README


def test_the_deployment_page_covers_serving_settings_and_is_linked() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "deployment.md").read_text("utf-8")
    for needed in ("tracker serve", "PROXY_HOPS", "SECRET_KEY", "DATABASE_URL", "HTTPS"):
        assert needed in page
    assert "RATELIMIT_STORAGE_URI" in page and "docs/deployment.md" in README


def test_every_benchmark_and_its_options_are_in_the_bench_readme() -> None:
    """bench/README.md names each script, and every long option a script's parser takes."""
    import re

    bench = Path(__file__).resolve().parents[1] / "bench"
    readme = (bench / "README.md").read_text("utf-8")
    missing = []
    for script in sorted(bench.glob("*.py")):
        if f"bench/{script.name}" not in readme:
            missing.append(script.name)
        text = script.read_text("utf-8")
        for option, rest in re.findall(r"add_argument\(\s*\"(--[a-z-]+)\"([^)]*)", text):
            if option not in readme and "SUPPRESS" not in rest:  # hidden: for the script itself
                missing.append(f"{script.name} {option}")
    assert missing == []
