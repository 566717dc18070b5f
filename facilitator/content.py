"""The content as the handbook, the printer and the tracker use it: loaded, checked across
files, and refused as a whole if anything is wrong.

    content = load_content(root)   # raises ContentError listing every error

It sits above both the loader (facilitator.load) and the checks (facilitator.checks), which
is what keeps those two from importing each other.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.checks import content_problems
from facilitator.load import Content, collect
from facilitator.problems import ContentError, errors


def load_content(root: Path) -> Content:
    """Load and check content; raise ContentError with every error if there is any."""
    content, problems = collect(root)
    if content is not None:
        problems += content_problems(content)
    if content is None or errors(problems):
        raise ContentError(problems)
    return content
