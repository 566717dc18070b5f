"""The sections of a scope's summary, built from its cohorts' parts: attendance, completion,
attendance bands and evaluation tallies here; instruments in `instrument_sections`.

Each builder sums cohort atoms into Figures (so protection can reason about them), computes
shares and statistics from the same sums, and translates its words with `gettext`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from facilitator.load import Content
from facilitator.model import EvaluationForm, Instrument, Module
from tracker.businesses import sections as business_sections  # a module: it imports ours
from tracker.summaries import instrument_sections
from tracker.summaries.figures import Figure, Protection, difference
from tracker.summaries.parts import BAND_LOWS
from tracker.summaries.rules import Rules
from tracker.summaries.scopes import Scope, TableMaker, atom, total
from tracker.summaries.section import Section
from tracker.summaries.tables import Column, ColumnKind, SummaryTable, Translate

BANDS = tuple(
    (low, label)
    for low, label in zip(BAND_LOWS, ("0–24%", "25–49%", "50–74%", "75–100%"), strict=True)
)
ATTENDANCE = "attendance"
Used = TypeVar("Used", Instrument, EvaluationForm)


def build_sections(
    scope: Scope, loaded: Content, gettext: Translate, completion_share: float
) -> list[Section]:
    rules = Rules(loaded)
    sections = attendance_sections(scope, loaded, gettext, rules.default(), completion_share)
    for instrument in _used(scope, loaded, lambda m: m.instruments, loaded.instruments):
        sections += instrument_sections.build(scope, instrument, gettext, rules)
    for form in _used(scope, loaded, lambda m: m.evaluation_forms, loaded.evaluation_forms):
        sections.append(tally_section(scope, form, gettext, rules.form(form)))
    sections += business_sections.build(scope, loaded, gettext, rules.default())
    return sections


def _used(
    scope: Scope, loaded: Content, refs: Callable[[Module], list[str]], found: dict[str, Used]
) -> list[Used]:
    """Instruments (or forms) the scope's programmes use, in teaching order, once each."""
    seen: list[str] = []
    for programme_id in scope.programme_ids():
        programme = loaded.programmes.get(programme_id)
        for module_id in programme.modules if programme else []:
            module = loaded.modules.get(module_id)
            for ref in refs(module) if module else []:
                if ref not in seen and ref in found:
                    seen.append(ref)
    return [found[ref] for ref in seen]


# ------------------------------------------------------------------ attendance


def attendance_sections(
    scope: Scope, loaded: Content, gettext: Translate, rule: Protection, completion_share: float
) -> list[Section]:
    return [
        Section(
            "attendance",
            gettext("Attendance"),
            _per_session(scope, loaded, gettext, rule),
            "attendance",
            rules=[rule],
        ),
        Section(
            "attendance-bands",
            gettext("Attendance per participant"),
            _bands(scope, gettext, rule),
            rules=[rule],
        ),
        Section(
            "completion",
            gettext("Completion"),
            _completion(scope, completion_share, gettext, rule),
            rules=[rule],
        ),
    ]


def _per_session(
    scope: Scope, loaded: Content, gettext: Translate, rule: Protection
) -> SummaryTable:
    several = scope.several
    maker = TableMaker(
        gettext("Attendance per module") if several else gettext("Attendance per session"),
        [
            Column("session", gettext("Session")),
            Column("present", gettext("Present"), ColumnKind.COUNT),
            Column("enrolled", gettext("Enrolled"), ColumnKind.COUNT),
            Column(
                "rate",
                gettext("Attendance"),
                ColumnKind.PERCENT,
                derived_from=("present", "enrolled"),
            ),
        ],
        [gettext("Present counts those on time and those who came late.")],
    )
    # One cohort: a row per session. Several: a row per module, summed over cohorts.
    rows: dict[str, tuple[str, list[Any], list[Any]]] = {}
    for cohort, version, data in scope.each(ATTENDANCE):
        enrolled = atom(cohort, ATTENDANCE, version, "enrolled")
        for session_id, module_id, held_on, present in data["sessions"]:
            module = loaded.modules.get(module_id)
            name = module.title if module else module_id
            key = f"module:{module_id}" if several else f"session:{session_id}:{module_id}"
            label = name if several else f"{held_on} · {name}"
            entry = rows.setdefault(key, (label, [], []))
            entry[1].append((atom(cohort, ATTENDANCE, version, f"present:{session_id}"), present))
            entry[2].append((enrolled, data["enrolled"]))
    for key, (label, present_atoms, enrolled_atoms) in rows.items():
        came = total(present_atoms, "count", rule)
        expected = total(enrolled_atoms, "count", rule)
        rate = came.value / expected.value if expected.value else None
        maker.row(key, {"session": label, "present": came, "enrolled": expected, "rate": rate})
        maker.complement(difference(expected, came, rule=rule))
    return maker.table


def _bands(scope: Scope, gettext: Translate, rule: Protection) -> SummaryTable:
    """How many participants attended what share of their cohort's sessions."""
    maker = TableMaker(
        gettext("Participants by share of sessions attended"),
        [
            Column("band", gettext("Sessions attended")),
            Column("participants", gettext("Participants"), ColumnKind.COUNT),
        ],
    )
    everyone: list[Any] = []
    for index, (_, label) in enumerate(BANDS):
        entries = [
            (atom(cohort, ATTENDANCE, version, f"band:{index}"), data["bands"][index])
            for cohort, version, data in scope.each(ATTENDANCE)
        ]
        everyone += entries
        maker.row(f"band:{index}", {"band": label, "participants": total(entries, "count", rule)})
    maker.row(
        "all", {"band": gettext("All participants"), "participants": total(everyone, "count", rule)}
    )
    return maker.table


def _completion(scope: Scope, share: float, gettext: Translate, rule: Protection) -> SummaryTable:
    maker = TableMaker(
        gettext("Completion (attended at least %(share)s of sessions)") % {"share": f"{share:.0%}"},
        [
            Column("group", gettext("Group")),
            Column("participants", gettext("Participants"), ColumnKind.COUNT),
            Column("completed", gettext("Completed"), ColumnKind.COUNT),
            Column(
                "share",
                gettext("Completed"),
                ColumnKind.PERCENT,
                derived_from=("completed", "participants"),
            ),
        ],
    )
    all_members: list[Any] = []
    all_completed: list[Any] = []
    for cohort, version, data in scope.each(ATTENDANCE):
        members = [(atom(cohort, ATTENDANCE, version, "enrolled"), data["enrolled"])]
        done = [
            (
                atom(cohort, ATTENDANCE, version, "completed"),
                data["completed"] if data["held"] else 0,
            )
        ]
        all_members += members
        all_completed += done
        _completion_row(maker, f"cohort:{cohort.id}", cohort.name, members, done, rule)
    _completion_row(maker, "all", gettext("All cohorts"), all_members, all_completed, rule)
    return maker.table


def _completion_row(
    maker: TableMaker, key: str, label: str, members: list[Any], done: list[Any], rule: Protection
) -> None:
    participants = total(members, "count", rule)
    completed = total(done, "count", rule)
    maker.row(
        key,
        {
            "group": label,
            "participants": participants,
            "completed": completed,
            "share": completed.value / participants.value if participants.value else None,
        },
    )
    maker.complement(difference(participants, completed, rule=rule))


# ------------------------------------------------------------------ evaluations


def tally_section(
    scope: Scope, form: EvaluationForm, gettext: Translate, rule: Protection
) -> Section:
    """Times each option was chosen and the share of respondents who chose it. Rows follow
    the form's order; the exact view and charts may sort by count, but never by a hidden one."""
    part_key = f"form:{form.id}"
    maker = TableMaker(
        form.question,
        [
            Column("option", gettext("Option")),
            Column("count", gettext("Times chosen"), ColumnKind.COUNT),
            Column("share", gettext("Share of respondents"), ColumnKind.PERCENT),
        ],
        [gettext("Each respondent could choose up to %(n)d options.") % {"n": form.choose_up_to}],
    )
    cohorts = list(scope.each(part_key))
    respondents = total(
        [(atom(c, part_key, v, "respondents"), d["respondents"]) for c, v, d in cohorts],
        "count",
        rule,
    )
    options = [(o.id, o.text) for o in form.options]
    if form.other:
        options.append(("other", gettext("Other")))
    n_options = len(options)
    for option_id, text in options:
        chosen = total(
            [
                (atom(c, part_key, v, f"option:{option_id}"), d["options"].get(option_id, 0))
                for c, v, d in cohorts
            ],
            "count",
            rule,
        )
        share = chosen.value / respondents.value if respondents.value else None
        c_count = maker.index("count")
        r = len(maker.table.rows)
        # The share rests on the option's count and on the respondents row (the last one).
        maker.row(
            f"option:{option_id}",
            {"option": text, "count": chosen, "share": share},
            extra_depends={"share": ((r, c_count), (n_options, c_count))},
        )
        maker.complement(difference(respondents, chosen, rule=rule))
    maker.row("respondents", {"option": gettext("Respondents"), "count": respondents})
    return Section(f"{form.id}-tally", form.title, maker.table, "tally", rules=[rule])


__all__ = ["BANDS", "Figure", "Section", "build_sections"]
