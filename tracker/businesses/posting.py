"""What a business page does with a posted form: read it into checked input, then save it.
The same steps for a business, a stocktaking and a payment, added or edited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tracker.problems import Problem

Form = TypeVar("Form")
Data = TypeVar("Data")
Saved = TypeVar("Saved")


def submitted(
    form: Form,
    parse: Callable[[Form], Data | list[Problem]],
    save: Callable[[Data], Saved],
) -> Saved | list[Problem] | None:
    """None when nothing valid was posted (a first visit, or a form Flask-WTF refused);
    the problems of what was posted; else what saving it gave."""
    if not _valid(form):
        return None
    data = parse(form)
    return data if isinstance(data, list) else save(data)


def _valid(form: Any) -> bool:
    return bool(form.validate_on_submit())
