"""YAML syntax errors in plain words: what is wrong on the line, and how to write it instead.

The parser says "mapping values are not allowed here" or "found character '\\t' that cannot
start any token"; the author needs "put text that contains ': ' in quotes" or "indent with
spaces, not tabs". The line the message names is the one the author has to change, which is
not always the line where the parser gave up.
"""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

from facilitator.fixits.fields import every_field_name

KEY = re.compile(r"^(?P<lead>\s*(?:- +)?)(?P<key>[^\s#'\"\[{][^:]*?):(?:\s|$)")
LEADING_TAB = re.compile(r"^ *\t")

INDENTATION = (
    "the spaces at the start of this line do not line up: the fields of one block, and the "
    "items of one list, start at the same column"
)
GENERAL = (
    "this line does not follow the layout of a YAML file: check the spaces at the start of "
    "the line, and put text that contains : # [ ] { } or a quote in quotes"
)


def quoted(text: str) -> str:
    """`text` in the quotes that need no escaping inside it."""
    if '"' not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def explain_syntax(error: MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The 1-based line to fix, and what to do there."""
    lines = text.splitlines()
    tab = next((n for n, line in enumerate(lines, 1) if LEADING_TAB.match(line)), None)
    if tab is not None:
        return tab, "this line is indented with a tab: indent with spaces only"
    problem = str(error.problem or "")
    at = error.problem_mark.line + 1 if error.problem_mark else None
    began = error.context_mark.line + 1 if error.context_mark else at
    column = error.problem_mark.column if error.problem_mark else 0

    def line(number: int | None) -> str:
        return lines[number - 1] if number and 0 < number <= len(lines) else ""

    if "mapping values are not allowed" in problem:
        return at, _colon_in_text(line(at), column)
    if "could not find expected ':'" in problem:
        return began, (
            "this line needs a colon after its field name, like title: My module; if the line "
            "carries on the text above it, indent it further than that field's name"
        )
    if "',' or ']'" in problem or "',' or '}'" in problem:
        return began, (
            "a one-line list in [ ] (or group in { }) must close on the same line, and an item "
            "that contains [ ] { } , or a quote needs quotes of its own, like "
            '[Paper, "Blue, red and green cards"]'
        )
    if "duplicate key" in problem:
        key = re.search(r'duplicate key "([^"]*)"', problem)
        name = key[1] if key else "this field"
        return at, f"'{name}' is given twice in the same block: keep one of them"
    if "end of stream" in problem and "quoted" in str(error.context or ""):
        return began, "a quote opens on this line and is never closed: end the text with it"
    return at, _start_or_layout(problem, line(at), column)


def _colon_in_text(source: str, column: int) -> str:
    """`key: text: more` is text with ': ' in it; `  key: value` under a value is indentation."""
    match = KEY.match(source)
    if match is None or column < match.end():
        return INDENTATION
    lead, key, rest = match["lead"], match["key"], source[match.end() :].strip()
    if lead.strip() == "-" and key not in every_field_name():
        example = f"{lead}{quoted(f'{key}: {rest}')}"
    else:
        example = f"{lead}{key}: {quoted(rest)}"
    return f"put text that contains ': ' in quotes, like {example.strip()}"


def _start_or_layout(problem: str, source: str, column: int) -> str:
    match = KEY.match(source)
    value = source[match.end() :].strip() if match else ""
    if value[:1] in "'\"" and value and not value.endswith(value[0]):
        example = f"{match['key'] if match else 'title'}: {quoted(value)}"
        return (
            f"text that starts with a quote must end with it: put it all in quotes, like {example}"
        )
    first = source[column : column + 1] if column < len(source) else ""
    bad_start = any(words in problem for words in ("cannot start any token", "alias", "tag"))
    if bad_start and (first.strip() or value[:1] in "@`*&!%"):
        char = first.strip() or value[:1]
        return f"text cannot start with {char}: put it in quotes, like {quoted(value)}"
    if "block" in problem or "expected key" in problem or "indicator" in problem:
        return INDENTATION
    return GENERAL
