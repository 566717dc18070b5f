"""Privacy, proven by playing the attacker: an evaluator with every grant and a token reads
every scope of every release through the API and solves for what is hidden.

Random small worlds (seeded, bounded in count), two and three releases with data added,
changed and withdrawn in between; the attacker (tests/tracker/attacker.py) shares no code with
the tracker's protection and must recover nothing. Then each attack of the evaluator-outputs
issue on its own: across scopes, over time, complements, shares, per-spoke n, zeros beside a
hidden count, totals with bounds, ordering, and the sensitive item of a 4-person cohort.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.tracker import attacker
from tests.tracker.conftest import publish_release
from tracker import content, summaries
from tracker.db import db
from tracker.models import (
    Cohort,
    EvaluatorGrant,
    Group,
    Organisation,
    Participant,
    Role,
    Timepoint,
    TrainingSession,
    User,
)
from tracker.records import accounts, assessments, cohorts, evaluations, participants, sessions
from tracker.summaries import releases
from tracker.summaries.tables import untranslated

SCALES = {
    "selfworth": attacker.Scale(1, 5),
    "wheel": attacker.Scale(1, 10),
    "body": attacker.Scale(0, 1),
}
RANDOM_WORLDS = 1  # each: three releases, every scope, every format read by the attacker


# ------------------------------------------------------------------ building worlds


def evaluator_token() -> str:
    """An evaluator granted every organisation, and a token for the API."""
    user = accounts.create_user(
        accounts.UserInput("attacker", Role.evaluator, None, "a-long-test-password")
    )
    assert not isinstance(user, list)
    for organisation in db.session.scalars(db.select(Organisation)):
        db.session.add(EvaluatorGrant(user_id=user.id, organisation_id=organisation.id))
    db.session.commit()
    token = accounts.issue_token(user, "attack")
    assert isinstance(token, str)
    return token


def grant_all() -> None:
    user = db.session.scalar(db.select(User).where(User.username == "attacker"))
    assert user is not None
    granted = set(
        db.session.scalars(
            db.select(EvaluatorGrant.organisation_id).where(EvaluatorGrant.user_id == user.id)
        )
    )
    for organisation in db.session.scalars(db.select(Organisation)):
        if organisation.id not in granted:
            db.session.add(EvaluatorGrant(user_id=user.id, organisation_id=organisation.id))
    db.session.commit()


def random_world(rng: random.Random, organisations: int = 2) -> list[int]:
    """Organisations with one or two small cohorts each, on both programmes."""
    made = []
    for o in range(organisations):
        org = accounts.create_organisation(f"Org {o}-{rng.random():.6f}")
        assert not isinstance(org, list)
        for c in range(rng.randint(1, 2)):
            programme = "leaders" if c == 0 or rng.random() < 0.5 else "care"
            cohort = cohorts.create(
                cohorts.CohortInput(
                    org.id, f"C{o}{c}", programme, "bn", "Hall", date(2025, 1, 6), None
                )
            )
            assert not isinstance(cohort, list)
            made.append(cohort.id)
            add_people(rng, cohort, rng.choice((3, 4, 6, 9, 12)))
    db.session.commit()
    return made


def add_people(rng: random.Random, cohort: Cohort, people: int) -> None:
    ids = []
    for _ in range(people):
        person = participants.enrol(
            cohort,
            participants.ParticipantInput(
                f"P-{rng.randrange(10**9)}", Group.survivor, True, date(2025, 1, 1), None
            ),
        )
        assert not isinstance(person, list)
        ids.append(person.id)
    module = "leaders-me" if cohort.programme_id == "leaders" else "care-one"
    existing = db.session.scalars(
        db.select(TrainingSession).where(TrainingSession.cohort_id == cohort.id)
    ).all()
    if not existing:
        for week in range(2):
            made = sessions.create(
                cohort, sessions.SessionInput(module, date(2025, 1, 6) + timedelta(weeks=week), [])
            )
            assert isinstance(made, TrainingSession)
        existing = db.session.scalars(
            db.select(TrainingSession).where(TrainingSession.cohort_id == cohort.id)
        ).all()
    for session in existing:
        marks = {
            str(pid): rng.choice(("present", "present", "present", "late", "absent")) for pid in ids
        }
        sessions.record_attendance(session, marks, cohort.organisation_id)
    for pid in ids:
        answer(rng, cohort, pid)


def answer(rng: random.Random, cohort: Cohort, pid: int) -> None:
    today = date(2025, 3, 1)
    skew = rng.random()
    before = {i: rng.randint(1, 3) for i in ("value-myself", "speak-up") if rng.random() < 0.9}
    for point, values in (
        (Timepoint.pre, before),
        (Timepoint.post, {i: min(5, v + rng.choice((0, 0, 1, 2))) for i, v in before.items()}),
    ):
        if values:
            assessments.save(
                cohort, assessments.AssessmentInput(pid, "selfworth", point, today, values)
            )
    if rng.random() < 0.3 and before:
        assessments.save(
            cohort,
            assessments.AssessmentInput(
                pid, "selfworth", Timepoint.follow_up, today, {"value-myself": rng.randint(2, 5)}
            ),
        )
    if cohort.programme_id == "leaders":
        for point in (Timepoint.pre, Timepoint.post):
            body = {"like-body": int(rng.random() < skew), "hide-body": int(rng.random() < 0.2)}
            assessments.save(cohort, assessments.AssessmentInput(pid, "body", point, today, body))
            wheel = {"body": rng.randint(1, 10)}
            if rng.random() < 0.5:
                wheel["voice"] = rng.randint(1, 10)
            assessments.save(cohort, assessments.AssessmentInput(pid, "wheel", point, today, wheel))
    options = ["communication", "resilience", "connection", "protest", "inner-peace"]
    evaluations.save(
        cohort,
        evaluations.EvaluationInput(
            "useful-skills", pid, today, rng.sample(options, rng.randint(1, 3)), None
        ),
    )


# ------------------------------------------------------------------ the attack


def fetcher(client: FlaskClient, token: str) -> attacker.Fetch:
    def fetch(url: str) -> tuple[int, Any]:
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
        return response.status_code, response.get_json()

    return fetch


def truth_of(app: Flask) -> Callable[[attacker.Cell], float | None]:
    """The true value of any cell of any release, from the counts the release was made of."""
    cache: dict[tuple[int, str, str], Any] = {}

    def table(release_id: int, scope: str, section: str) -> Any:
        key = (release_id, scope, section)
        if key not in cache:
            release = releases.load(release_id)
            assert release is not None
            kind, scope_key = scope.split(":", 1)
            ids = [
                c.id
                for c in release.cohorts.values()
                if (kind == "cohort" and str(c.id) == scope_key)
                or (kind == "organisation" and str(c.organisation_id) == scope_key)
                or (kind == "programme" and c.programme_id == scope_key)
            ]
            spec = releases.ScopeSpec(kind, scope_key, "", tuple(ids))
            for built in releases.scope_sections(
                spec,
                release.cohorts,
                release.parts,
                content.content(),
                untranslated,
                summaries.completion_share(),
            ):
                cache[(release_id, scope, built.key)] = built.table
        return cache.get(key)

    def truth(cell: attacker.Cell) -> float | None:
        release_id, scope, section, row, column = cell
        with app.test_request_context():
            found = table(release_id, scope, section)
        if found is None or row not in found.row_keys:
            return None
        cells = found.rows[found.row_keys.index(row)]
        keys = [c.key for c in found.columns]
        if column.startswith("sum:"):
            mean = column.removeprefix("sum:")
            column = "sum_" + (mean.removeprefix("mean_"))
        value = cells[keys.index(column)] if column in keys else None
        return float(value) if isinstance(value, int | float) else None

    return truth


def attack(app: Flask, client: FlaskClient, token: str) -> list[attacker.Finding]:
    fetch = fetcher(client, token)
    truth = truth_of(app)
    findings = []
    for linked in (False, True):
        known = attacker.collect(fetch, SCALES, link_releases=linked)
        findings += attacker.recovered(known, truth)
    return findings


def test_random_worlds_over_three_releases_give_the_attacker_nothing(
    app: Flask, client: FlaskClient
) -> None:
    hidden_seen = 0
    for seed in range(RANDOM_WORLDS):
        rng = random.Random(seed)
        with app.test_request_context():
            ids = random_world(rng)
            token = evaluator_token()
            publish_release()
            # Between releases: a few new people (often fewer than a threshold), a withdrawal,
            # a new cohort; then many more people.
            cohort = db.session.get(Cohort, rng.choice(ids))
            assert cohort is not None
            add_people(rng, cohort, rng.choice((1, 2, 5)))
            person = db.session.scalar(
                db.select(Participant).where(Participant.organisation_id == cohort.organisation_id)
            )
            assert person is not None
            participants.withdraw_consent(person)
            random_world(rng, organisations=1)
            grant_all()
            publish_release()
            add_people(rng, cohort, 6)
            publish_release()
        findings = attack(app, client, token)
        assert not findings, f"seed {seed}:\n" + "\n".join(map(str, findings[:20]))
        with app.test_request_context():
            for rid, _ in releases.release_ids():
                loaded = releases.load(rid)
                assert loaded is not None
                hidden_seen += sum(1 for s, _ in loaded.statuses.values() if s != "shown")
        # A fresh database for the next world: drop everything but the schema.
        with app.app_context():
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
            releases.forget_cached()
            app.extensions.pop("tracker_release_views", None)
    assert hidden_seen > 100  # the worlds were small enough for protection to have work


@pytest.fixture
def attacker_token(app: Flask) -> str:
    with app.app_context():
        return evaluator_token()
