"""Fix-it messages: every problem a parser finds, said in plain words with the fix.

explain_all(Module, error.errors())  # [(loc, "minutes must be a whole number, like 35")]
explain_syntax(yaml_error, text)     # (line, "put text that contains ': ' in quotes, ...")
did_you_mean("debreif", fields)      # ": did you mean 'debrief'?"
"""

from __future__ import annotations

from facilitator.fixits.fields import explain_all
from facilitator.fixits.suggest import as_id, closest, did_you_mean, one_of
from facilitator.fixits.syntax import explain_syntax

__all__ = ["as_id", "closest", "did_you_mean", "explain_all", "explain_syntax", "one_of"]
