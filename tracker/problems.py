"""Validation results as values: every problem, with where it is, collected before writing.

`field` is the internal name (the API and the CLI show it; a page shows the field's visible
label instead, see tracker.field_labels); `message` is a sentence in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    row: int | None = None  # a CSV row number (the header is row 1)

    def __str__(self) -> str:
        # The CLI's and the API's form, with the internal field name (English outside a request).
        where = _("row %(n)d", n=self.row) + ", " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}


class Rejected(Exception):
    """Raised at the edge (a view or the CLI) when validation found problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
