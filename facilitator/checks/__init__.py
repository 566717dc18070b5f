"""The checks across files, one module per concern; every check returns Problems and writes
nothing.

    problems = check(root)                # everything `facilitator check` reports, sorted
    problems = content_problems(content)  # what facilitator.content.load_content refuses

A file that does not load is reported once, by the loader; the checks here still know its id
(`Content.unreadable`), so a programme that lists it says nothing more.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.care import check_care
from facilitator.checks.businesses import check_businesses
from facilitator.checks.carenotes import check_care_notes
from facilitator.checks.files import check_module_files
from facilitator.checks.instruments import check_instruments
from facilitator.checks.links import check_markdown_links
from facilitator.checks.lists import check_text_lists
from facilitator.checks.pictures import check_pictures
from facilitator.checks.programmes import check_programmes
from facilitator.checks.references import check_references
from facilitator.checks.sessions import check_sessions
from facilitator.checks.spiral import check_spiral
from facilitator.checks.terms import check_terms
from facilitator.checks.vocabulary import check_vocabulary
from facilitator.disclosure import check_disclosure
from facilitator.load import Content, collect
from facilitator.problems import Problem

# What content must satisfy before the handbook or the tracker uses it.
CONTENT_CHECKS = (
    check_vocabulary,
    check_programmes,
    check_spiral,
    check_references,
    check_sessions,
    check_care_notes,
    check_module_files,
    check_instruments,
    check_disclosure,
    check_care,
    check_businesses,
    check_pictures,
)
# Also run by `facilitator check`: the author's own files, which the build reads as they are,
# and the glossary's words in translations (warnings: wording, not a broken page).
AUTHOR_CHECKS = (check_markdown_links, check_text_lists, check_terms)


def content_problems(content: Content) -> list[Problem]:
    return [problem for rule in CONTENT_CHECKS for problem in rule(content)]


def check(root: Path) -> list[Problem]:
    """Everything `facilitator check` reports, errors and warnings, sorted by file and line."""
    content, problems = collect(root)
    if content is not None:
        problems += content_problems(content)
        problems += [problem for rule in AUTHOR_CHECKS for problem in rule(content)]
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))
