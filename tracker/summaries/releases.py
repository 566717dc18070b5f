"""Releases: the only figures evaluators see.

A release is made by `publish` (the `tracker release` command on a schedule, or an admin or
coordinator on the releases page). It takes each cohort's current counts (its parts), keeps
the previous version of a part whose counts changed by fewer people than its threshold (the
change waits for the next release), builds every scope's tables, and protects them jointly
with every earlier release (`publish.ledger_for`, `protection.protect`). It is stored with
the part versions it used, so it never changes afterwards, whatever happens to live data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitator.load import Content
from facilitator.model import Module
from tracker import content
from tracker.businesses import parts as business_parts
from tracker.db import db
from tracker.models import Cohort, Organisation, PartVersion, Release
from tracker.records import audit
from tracker.summaries import parts as part_queries
from tracker.summaries import publish as publishing
from tracker.summaries.figures import EXACT, Figure, Terms
from tracker.summaries.parts import PartData
from tracker.summaries.protection import Ledger, Status, protect
from tracker.summaries.rules import Rules
from tracker.summaries.scopes import CohortInfo, PartRef, Scope
from tracker.summaries.sections import Section, build_sections
from tracker.summaries.tables import Translate, untranslated

StatusMap = dict[Terms, tuple[Status, tuple[float, float] | None]]


class ReleaseError(Exception):
    """A release could not be made; nothing was stored."""


# ------------------------------------------------------------------ live counts


def cohort_infos(cohort_ids: Iterable[int] | None = None) -> dict[int, CohortInfo]:
    query = select(Cohort).order_by(Cohort.starts_on, Cohort.id)
    if cohort_ids is not None:
        query = query.where(Cohort.id.in_(list(cohort_ids)))
    return {
        c.id: CohortInfo(c.id, c.name, c.organisation_id, c.programme_id, c.starts_on.isoformat())
        for c in db.session.scalars(query)
    }


# Each part kind and the ids of what it summarises, as a module lists them.
_REFS: tuple[tuple[str, Callable[[Module], list[str]]], ...] = (
    ("assess", lambda module: module.instruments),
    ("form", lambda module: module.evaluation_forms),
)


def live_parts(
    cohorts: dict[int, CohortInfo], loaded: Content, completion_share: float
) -> dict[int, dict[str, PartData]]:
    ids = list(cohorts)
    found: dict[int, dict[str, PartData]] = {cid: {} for cid in ids}
    for cid, data in part_queries.attendance_parts(ids, completion_share).items():
        found[cid]["attendance"] = data
    for kind, refs in _REFS:
        for ref_id, users in _users_of(cohorts, loaded, refs).items():
            for cid, data in _part_for(kind, ref_id, users, loaded).items():
                found[cid][f"{kind}:{ref_id}"] = data
    for cid, data in business_parts.cohort_parts(cohorts, loaded).items():
        found[cid][business_parts.PART] = data
    return found


def _users_of(
    cohorts: dict[int, CohortInfo], loaded: Content, refs: Callable[[Module], list[str]]
) -> dict[str, list[int]]:
    """{instrument or form id: the cohorts whose programme uses it}."""
    found: dict[str, list[int]] = {}
    for cohort in cohorts.values():
        programme = loaded.programmes.get(cohort.programme_id)
        for module_id in programme.modules if programme else []:
            module = loaded.modules.get(module_id)
            for ref in refs(module) if module else []:
                users = found.setdefault(ref, [])
                if cohort.id not in users:
                    users.append(cohort.id)
    return found


def _part_for(
    kind: str, ref_id: str, cohort_ids: list[int], loaded: Content
) -> dict[int, PartData]:
    if kind == "form":
        return part_queries.form_parts(cohort_ids, ref_id)
    instrument = loaded.instruments.get(ref_id)
    if instrument is None:
        return {}
    values = [p.value for p in instrument.scale] or [0, 1]
    return part_queries.assessment_parts(
        cohort_ids,
        ref_id,
        reverse_items=[item.id for item in instrument.items if item.reverse],
        scale_min=min(values),
        scale_max=max(values),
        with_values=instrument.kind != "likert",
    )


# ------------------------------------------------------------------ scopes


@dataclass(frozen=True)
class ScopeSpec:
    kind: str
    key: str
    title: str
    cohort_ids: tuple[int, ...]


def scope_specs(
    cohorts: dict[int, CohortInfo], organisations: dict[int, str], loaded: Content
) -> list[ScopeSpec]:
    specs = [ScopeSpec("cohort", str(c.id), c.name, (c.id,)) for c in cohorts.values()]
    for org_id in sorted({c.organisation_id for c in cohorts.values()}):
        ids = tuple(c.id for c in cohorts.values() if c.organisation_id == org_id)
        specs.append(ScopeSpec("organisation", str(org_id), organisations.get(org_id, ""), ids))
    for programme_id in sorted({c.programme_id for c in cohorts.values()}):
        ids = tuple(c.id for c in cohorts.values() if c.programme_id == programme_id)
        programme = loaded.programmes.get(programme_id)
        specs.append(
            ScopeSpec(
                "programme", programme_id, programme.title if programme else programme_id, ids
            )
        )
    return specs


def scope_sections(
    spec: ScopeSpec,
    cohorts: dict[int, CohortInfo],
    parts: dict[int, dict[str, PartRef]],
    loaded: Content,
    gettext: Translate,
    completion_share: float,
) -> list[Section]:
    scope = Scope(
        spec.kind,
        spec.key,
        spec.title,
        [cohorts[cid] for cid in spec.cohort_ids],
        {cid: parts.get(cid, {}) for cid in spec.cohort_ids},
    )
    return build_sections(scope, loaded, gettext, completion_share)


# ------------------------------------------------------------------ stored releases


@dataclass(frozen=True)
class Loaded:
    """A stored release, parsed."""

    id: int
    created_at: str
    organisation_id: int | None
    cohorts: dict[int, CohortInfo]
    organisations: dict[int, str]
    parts: dict[int, dict[str, PartRef]]
    statuses: StatusMap
    shown_values: dict[Terms, tuple[str, float]]
    waiting: list[Any]


def _terms_json(terms: Terms) -> list[list[Any]]:
    return [[a[0], a[1], a[2], a[3], c] for a, c in terms]


def _terms_from(found: list[list[Any]]) -> Terms:
    return tuple(((int(c), str(p), int(v), str(n)), int(k)) for c, p, v, n, k in found)


def latest_id() -> int | None:
    return db.session.scalar(select(func.max(Release.id)))


def release_ids() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Release.id, Release.created_at).order_by(Release.id.desc()))
    return [(rid, at.isoformat(timespec="minutes")) for rid, at in rows]


def load(release_id: int) -> Loaded | None:
    return _load(release_id)


@lru_cache(maxsize=8)
def _load_cached(database: str, release_id: int) -> Loaded | None:
    release = db.session.get(Release, release_id)
    if release is None:
        return None
    meta = json.loads(release.cohorts)
    cohorts = {
        int(cid): CohortInfo(
            int(cid), m["name"], m["organisation_id"], m["programme_id"], m["starts_on"]
        )
        for cid, m in meta["cohorts"].items()
    }
    organisations = {int(k): v for k, v in meta["organisations"].items()}
    versions = json.loads(release.parts)
    parts = _part_data(
        [(int(cid), key, v) for cid, by_key in versions.items() for key, v in by_key.items()]
    )
    statuses: StatusMap = {}
    shown: dict[Terms, tuple[str, float]] = {}
    for terms_json, status, kind, low, high, value in json.loads(release.statuses):
        terms = _terms_from(terms_json)
        statuses[terms] = (status, None if low is None else (low, high))
        if status == "shown":
            shown[terms] = (kind, value)
    return Loaded(
        release.id,
        release.created_at.isoformat(timespec="minutes"),
        release.organisation_id,
        cohorts,
        organisations,
        parts,
        statuses,
        shown,
        json.loads(release.waiting),
    )


def _load(release_id: int) -> Loaded | None:
    return _load_cached(str(db.engine.url), release_id)


def forget_cached() -> None:
    _load_cached.cache_clear()


def _part_data(wanted: list[tuple[int, str, int]]) -> dict[int, dict[str, PartRef]]:
    found: dict[int, dict[str, PartRef]] = {}
    if not wanted:
        return found
    cohort_ids = sorted({cid for cid, _, _ in wanted})
    want = set(wanted)
    rows = db.session.execute(
        select(
            PartVersion.cohort_id, PartVersion.part_key, PartVersion.version, PartVersion.data
        ).where(PartVersion.cohort_id.in_(cohort_ids))
    )
    for cid, key, version, data in rows:
        if (cid, key, version) in want:
            found.setdefault(cid, {})[key] = (version, json.loads(data))
    return found


def history() -> list[Loaded]:
    ids = [rid for rid, _ in release_ids()]
    return [found for rid in reversed(ids) if (found := load(rid)) is not None]


# ------------------------------------------------------------------ publishing


@dataclass
class Outcome:
    release_id: int
    refreshed: int
    waiting: list[tuple[int, str, int]]  # (cohort, part, people changed) that wait
    hidden: int
    shown: int


def publish(
    loaded: Content, completion_share: float, made_by: str, organisation_id: int | None = None
) -> Outcome:
    """Make and store a new release (one transaction). `organisation_id`: refresh only that
    organisation's counts; everyone else's stay as the last release had them."""
    past = history()
    previous = past[-1] if past else None
    cohorts, organisations = _current_cohorts(previous, organisation_id)
    live = live_parts(
        {cid: c for cid, c in cohorts.items() if _refreshable(c, organisation_id)},
        loaded,
        completion_share,
    )
    chosen, waiting, refreshed = _choose_versions(cohorts, live, previous, loaded)
    cohorts = {cid: c for cid, c in cohorts.items() if chosen.get(cid)}
    ledger, positions, respondents = _new_figures(
        cohorts, organisations, chosen, loaded, completion_share
    )
    _add_past(ledger, past, loaded, completion_share, positions, respondents)
    for cid, by_key in chosen.items():
        for key, ref in by_key.items():
            ledger.relations += publishing.relations(cid, key, ref, loaded, completion_share)
    try:
        # protect() checks every requirement with the LP and hides until it holds; hiding
        # only widens what can be deduced, so what it checked stays true (audit() repeats
        # the whole proof in the tests).
        protect(ledger)
    except RuntimeError as error:
        raise ReleaseError(str(error)) from error
    return _store(
        ledger,
        cohorts,
        organisations,
        chosen,
        waiting,
        (made_by, organisation_id, previous.id if previous else 0),
        refreshed,
    )


def publish_recorded(made_by: str, organisation_id: int | None = None) -> Outcome:
    """Publish with the app's curriculum and completion share, audit it and commit: what
    the `tracker release` command, the Releases page and the demo all do. On a refusal
    nothing is stored and ReleaseError is raised."""
    share = float(current_app.config["COMPLETION_SHARE"])
    try:
        outcome = publish(content.content(), share, made_by, organisation_id)
    except ReleaseError:
        db.session.rollback()
        raise
    detail = f"{outcome.refreshed} parts refreshed, {len(outcome.waiting)} waiting"
    audit.record("publish", "release", outcome.release_id, organisation_id, detail)
    db.session.commit()
    return outcome


def _refreshable(cohort: CohortInfo, organisation_id: int | None) -> bool:
    return organisation_id is None or cohort.organisation_id == organisation_id


def _current_cohorts(
    previous: Loaded | None, organisation_id: int | None
) -> tuple[dict[int, CohortInfo], dict[int, str]]:
    live = cohort_infos()
    organisations = {o.id: o.name for o in db.session.scalars(select(Organisation))}
    cohorts: dict[int, CohortInfo] = {}
    for cid, cohort in live.items():
        if _refreshable(cohort, organisation_id):
            cohorts[cid] = cohort
        elif previous is not None and cid in previous.cohorts:
            cohorts[cid] = previous.cohorts[cid]
    if previous is not None:
        # A cohort deleted since keeps its released counts (its disappearance would be a
        # difference like any other), and its name as released.
        for cid, cohort in previous.cohorts.items():
            cohorts.setdefault(cid, cohort)
        for oid, name in previous.organisations.items():
            organisations.setdefault(oid, name)
    return cohorts, organisations


def _choose_versions(
    cohorts: dict[int, CohortInfo],
    live: dict[int, dict[str, PartData]],
    previous: Loaded | None,
    loaded: Content,
) -> tuple[dict[int, dict[str, PartRef]], list[tuple[int, str, int]], int]:
    chosen: dict[int, dict[str, PartRef]] = {}
    waiting: list[tuple[int, str, int]] = []
    refreshed = 0
    newest = _newest_versions()
    for cid in cohorts:
        before = previous.parts.get(cid, {}) if previous else {}
        now = live.get(cid)
        keys = set(before) | set(now or {})
        for key in sorted(keys):
            old = before.get(key)
            data = (now or {}).get(key) if now is not None else None
            if now is None or data is None:
                if old is not None:
                    chosen.setdefault(cid, {})[key] = old  # not refreshed: carried over
                continue
            if old is not None and old[1] == data:
                chosen.setdefault(cid, {})[key] = old
                continue
            change = _change_size(old[1], data) if old is not None else None
            needed = _part_threshold(key, loaded)
            if change is not None and change < needed:
                chosen.setdefault(cid, {})[key] = old  # type: ignore[assignment]
                waiting.append((cid, key, change))
                continue
            version = newest.get((cid, key), 0) + 1
            chosen.setdefault(cid, {})[key] = (version, data)
            refreshed += 1
    return chosen, waiting, refreshed


def _newest_versions() -> dict[tuple[int, str], int]:
    rows = db.session.execute(
        select(PartVersion.cohort_id, PartVersion.part_key, func.max(PartVersion.version)).group_by(
            PartVersion.cohort_id, PartVersion.part_key
        )
    )
    return {(cid, key): version for cid, key, version in rows}


def _change_size(old: PartData, new: PartData) -> int:
    """How many people at least changed between two versions of a part: the largest change
    of any count in it (a lower bound, so a change waits rather than shows too early)."""
    a, b = _counts(old), _counts(new)
    return int(max((abs(b.get(k, 0) - a.get(k, 0)) for k in set(a) | set(b)), default=0))


def _counts(data: PartData) -> dict[str, float]:
    """Every number in a part, flattened; paired histograms count people per pair."""
    found: dict[str, float] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}/{k}", v)
        elif isinstance(value, list):
            if value and isinstance(value[0], list) and len(value[0]) in (3, 4):
                for row in value:
                    found[f"{prefix}/{row[:-1]}"] = float(row[-1])
                found[f"{prefix}/#"] = float(len(value))
            else:
                for i, v in enumerate(value):
                    walk(f"{prefix}/{i}", v)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found[prefix] = float(value)

    walk("", data)
    return found


def _part_threshold(key: str, loaded: Content) -> int:

    rules = Rules(loaded)
    if key.startswith("assess:"):
        instrument = loaded.instruments.get(key.removeprefix("assess:"))
        if instrument is not None:
            return max(
                [rules.instrument(instrument).threshold]
                + [rules.item(instrument, item).threshold for item in instrument.items]
            )
    if key.startswith("form:"):
        form = loaded.evaluation_forms.get(key.removeprefix("form:"))
        if form is not None:
            return rules.form(form).threshold
    return rules.default().threshold


def _new_figures(
    cohorts: dict[int, CohortInfo],
    organisations: dict[int, str],
    chosen: dict[int, dict[str, PartRef]],
    loaded: Content,
    completion_share: float,
) -> tuple[
    Ledger, dict[publishing.Position, Figure], dict[publishing.Position, publishing.Position]
]:
    ledger = Ledger()
    positions: dict[publishing.Position, Figure] = {}
    respondents: dict[publishing.Position, publishing.Position] = {}
    for spec in scope_specs(cohorts, organisations, loaded):
        scope_key = f"{spec.kind}:{spec.key}"
        for section in scope_sections(
            spec, cohorts, chosen, loaded, untranslated, completion_share
        ):
            publishing.add_table(ledger, scope_key, section.key, section.table, positions)
            _respondent_positions(scope_key, section, respondents)
    return ledger, positions, respondents


def _respondent_positions(
    scope_key: str, section: Section, found: dict[publishing.Position, publishing.Position]
) -> None:
    table = section.table
    for r, cells in table.respondents_cell.items():
        if not cells:
            continue
        basis = (scope_key, section.key, table.row_keys[r], table.columns[cells[0][1]].key)
        for c in range(len(table.columns)):
            if (r, c) in table.links:
                found[(scope_key, section.key, table.row_keys[r], table.columns[c].key)] = basis


def _add_past(
    ledger: Ledger,
    past: list[Loaded],
    loaded: Content,
    completion_share: float,
    positions: dict[publishing.Position, Figure],
    respondents: dict[publishing.Position, publishing.Position],
) -> None:
    for release in past:
        publishing.add_history(
            ledger,
            (
                (_past_figure(release, terms), status, label)
                for terms, (status, label) in release.statuses.items()
            ),
        )
        for cid, by_key in release.parts.items():
            for key, ref in by_key.items():
                ledger.relations += publishing.relations(cid, key, ref, loaded, completion_share)
    if past:
        before = _positions_of(past[-1], loaded, completion_share)
        publishing.add_differences(ledger, before, positions, respondents)


def _past_figure(release: Loaded, terms: Terms) -> Figure:
    kind, value = release.shown_values.get(terms, ("count", 0.0))
    return Figure(terms, value, "sum" if kind == "sum" else "count", EXACT)


def _positions_of(
    release: Loaded, loaded: Content, completion_share: float
) -> dict[publishing.Position, Figure]:
    found: dict[publishing.Position, Figure] = {}
    scratch = Ledger()
    for spec in scope_specs(release.cohorts, release.organisations, loaded):
        for section in scope_sections(
            spec, release.cohorts, release.parts, loaded, untranslated, completion_share
        ):
            publishing.add_table(
                scratch, f"{spec.kind}:{spec.key}", section.key, section.table, found
            )
    return found


def _store(
    ledger: Ledger,
    cohorts: dict[int, CohortInfo],
    organisations: dict[int, str],
    chosen: dict[int, dict[str, PartRef]],
    waiting: list[tuple[int, str, int]],
    made: tuple[str, int | None, int],  # by whom, for which organisation, after which release
    refreshed: int,
) -> Outcome:
    made_by, organisation_id, follows = made
    existing = {
        (cid, key, version)
        for cid, key, version in db.session.execute(
            select(PartVersion.cohort_id, PartVersion.part_key, PartVersion.version)
        )
    }
    for cid, by_key in chosen.items():
        for key, (version, data) in by_key.items():
            if (cid, key, version) not in existing:
                db.session.add(
                    PartVersion(
                        cohort_id=cid,
                        part_key=key,
                        version=version,
                        data=json.dumps(data, sort_keys=True),
                    )
                )
    rows = []
    hidden = shown = 0
    for terms, known in ledger.known.items():
        if not known.new:
            continue
        label = known.label
        shown += known.status == "shown"
        hidden += known.status != "shown"
        rows.append(
            [
                _terms_json(terms),
                known.status,
                known.figure.kind,
                None if label is None else label[0],
                None if label is None else label[1],
                known.figure.value if known.status == "shown" else None,
            ]
        )
    release = Release(
        made_by=made_by,
        organisation_id=organisation_id,
        cohorts=json.dumps(
            {
                "cohorts": {str(cid): c.as_json() for cid, c in cohorts.items()},
                "organisations": {
                    str(k): v
                    for k, v in organisations.items()
                    if k in {c.organisation_id for c in cohorts.values()}
                },
            }
        ),
        parts=json.dumps(
            {str(cid): {k: v for k, (v, _) in by_key.items()} for cid, by_key in chosen.items()}
        ),
        statuses=json.dumps(rows),
        waiting=json.dumps(waiting),
        follows=follows,
    )
    db.session.add(release)
    try:
        db.session.flush()
    except IntegrityError as error:
        # Another release was stored after this one read the history: this one was not
        # protected against it, so it must not be published (publish again).
        raise ReleaseError("another release was published while this one was made") from error
    return Outcome(release.id, refreshed, waiting, hidden, shown)
