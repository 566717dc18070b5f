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
RANDOM_WORLDS = 4  # each: three releases, every scope, every format read by the attacker


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
        complements = {
            "absent": ("enrolled", "present"),
            "not_completed": ("participants", "completed"),
        }
        if column in complements:
            total, part = (cells[keys.index(k)] for k in complements[column])
            return float(total) - float(part)  # type: ignore[arg-type]
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


# ------------------------------------------------------------------ each attack on its own


def person(cohort: Cohort, code: str) -> int:
    made = participants.enrol(
        cohort, participants.ParticipantInput(code, Group.survivor, True, date(2025, 1, 1), None)
    )
    assert not isinstance(made, list)
    return made.id


def staged_world() -> dict[str, Any]:
    """Two organisations on the leaders programme: A's cohort has 12 people, B's has 4 (a
    small group answering the sensitive body questions), and attacks planted in the data:
    an absentee pair, a lone improver, a spoke few rated, unanimity beside a hidden count,
    a total with two small parts, and an exact tally of 1s and 2s on the care programme."""
    org_a = accounts.create_organisation("Org A")
    org_b = accounts.create_organisation("Org B")
    assert not isinstance(org_a, list) and not isinstance(org_b, list)
    made = {}
    for key, org, programme, size in (
        ("a", org_a, "leaders", 12),
        ("b", org_b, "leaders", 4),
        ("c", org_a, "care", 9),
    ):
        cohort = cohorts.create(
            cohorts.CohortInput(
                org.id, f"Cohort {key}", programme, "bn", "Hall", date(2025, 1, 6), None
            )
        )
        assert not isinstance(cohort, list)
        made[key] = (cohort, [person(cohort, f"{key.upper()}-{n:02d}") for n in range(size)])
    today = date(2025, 3, 1)
    cohort_a, people_a = made["a"]
    session = sessions.create(cohort_a, sessions.SessionInput("leaders-me", today, []))
    assert isinstance(session, TrainingSession)
    # 10 of 12 present: "absent" is 2, a complement nobody is shown.
    sessions.record_attendance(
        session,
        {str(p): "absent" if i < 2 else "present" for i, p in enumerate(people_a)},
        cohort_a.organisation_id,
    )
    for i, pid in enumerate(people_a):
        # One person improves on value-myself; everyone else stays the same (share 1/12).
        before = {"value-myself": 3, "speak-up": 2}
        after = {"value-myself": 4 if i == 0 else 3, "speak-up": 2}
        for point, answers in ((Timepoint.pre, before), (Timepoint.post, after)):
            assessments.save(
                cohort_a, assessments.AssessmentInput(pid, "selfworth", point, today, answers)
            )
        # Only 3 rate the voice spoke; all 12 rate the body spoke.
        wheel = {"body": 5} | ({"voice": 9} if i < 3 else {})
        assessments.save(
            cohort_a, assessments.AssessmentInput(pid, "wheel", Timepoint.pre, today, wheel)
        )
        # Everybody says yes to like-body (unanimity), 4 say yes to hide-body, 4 no.
        body = {"like-body": 1} | ({"hide-body": int(i < 4)} if i < 8 else {})
        assessments.save(
            cohort_a, assessments.AssessmentInput(pid, "body", Timepoint.pre, today, body)
        )
        choices = ["resilience"] if i < 9 else ["protest", "inner-peace"]
        evaluations.save(
            cohort_a, evaluations.EvaluationInput("useful-skills", pid, today, choices, None)
        )
    cohort_b, people_b = made["b"]
    for i, pid in enumerate(people_b):
        # The small group: one says yes to hiding her body.
        assessments.save(
            cohort_b,
            assessments.AssessmentInput(
                pid, "body", Timepoint.pre, today, {"hide-body": int(i == 0), "like-body": 1}
            ),
        )
    cohort_c, people_c = made["c"]
    for i, pid in enumerate(people_c[:3]):
        # The published seed tally: counts of 1 and 2 on an exact (non-sensitive) form.
        chosen = ["listening"] if i == 0 else ["planning"]
        evaluations.save(
            cohort_c, evaluations.EvaluationInput("seed-skills", pid, today, chosen, None)
        )
    db.session.commit()
    return {"a": cohort_a.id, "b": cohort_b.id, "c": cohort_c.id, "org_a": org_a.id}


def table_of(client: FlaskClient, token: str, scope: str, section: str) -> dict[str, Any]:
    body = client.get(f"/api/v1/summaries/{scope}", headers={"Authorization": f"Bearer {token}"})
    assert body.status_code == 200, scope
    found = next(s for s in body.get_json()["sections"] if s["key"] == section)
    return found["table"]  # type: ignore[no-any-return]


def cell(table: dict[str, Any], row_key: str, column: str) -> Any:
    return table["rows"][table["row_keys"].index(row_key)][column]


def hidden(value: Any) -> bool:
    return isinstance(value, dict) and "suppressed" in value


@pytest.fixture
def staged(app: Flask) -> dict[str, Any]:
    with app.test_request_context():
        found = staged_world()
        found["token"] = evaluator_token()
        publish_release()
    return found


def test_no_staged_attack_recovers_anything(
    app: Flask, client: FlaskClient, staged: dict[str, Any]
) -> None:
    findings = attack(app, client, staged["token"])
    assert not findings, "\n".join(map(str, findings))


def test_within_table_attacks_are_closed(client: FlaskClient, staged: dict[str, Any]) -> None:
    token, a = staged["token"], staged["a"]
    attendance = table_of(client, token, f"cohort/{a}", "attendance")
    row = attendance["row_keys"][0]
    # Complement: with 12 enrolled and 10 present both shown, "absent = 2" would be exact.
    assert hidden(cell(attendance, row, "present")) or hidden(cell(attendance, row, "enrolled"))
    # Share: one improver of 12 shown as 8% would be one person.
    paired = table_of(client, token, f"cohort/{a}", "selfworth-pre-post")
    assert hidden(cell(paired, "item:value-myself", "improved"))
    assert hidden(cell(paired, "item:value-myself", "share_improved"))
    # Per-spoke n: the voice spoke's mean rests on 3 raters, whatever the body spoke's n.
    wheel = table_of(client, token, f"cohort/{a}", "wheel-wheel")
    assert cell(wheel, "item:body", "n_0") == 12
    assert hidden(cell(wheel, "item:voice", "n_0")) and hidden(cell(wheel, "item:voice", "mean_0"))
    # Totals with bounds: "answered 8, yes <5, no <5" would pin both to 4.
    body = table_of(client, token, f"cohort/{a}", "body-pre")
    row_cells = [cell(body, "item:hide-body", c) for c in ("yes", "no", "answered")]
    assert (sum(hidden(v) for v in row_cells) >= 2 and hidden(row_cells[2])) or all(
        hidden(v) for v in row_cells
    )
    # Ordering: tally rows keep the form's order, whatever the counts.
    tally = table_of(client, token, f"cohort/{a}", "useful-skills-tally")
    assert tally["row_keys"][:5] == [
        "option:communication",
        "option:resilience",
        "option:connection",
        "option:protest",
        "option:inner-peace",
    ]


def test_a_sensitive_item_of_a_four_person_group_reveals_nothing(
    client: FlaskClient, staged: dict[str, Any]
) -> None:
    """Not her answer, not that someone said yes, not how many answered: in no scope."""
    token, b = staged["token"], staged["b"]
    for scope in (
        f"cohort/{b}",
        "organisation/" + str(_organisation_of(client, token, b)),
        "programme/leaders",
    ):
        body = table_of(client, token, scope, "body-pre")
        for column in ("yes", "no", "answered"):
            assert hidden(cell(body, "item:hide-body", column)), (scope, column)
    cohort_table = table_of(client, token, f"cohort/{b}", "body-pre")
    assert cell(cohort_table, "item:hide-body", "yes")["display"] == "n<10"
    responses = table_of(client, token, f"cohort/{b}", "body-responses")
    assert all(hidden(v["people"]) for v in responses["rows"])


def _organisation_of(client: FlaskClient, token: str, cohort_id: int) -> int:
    scopes = client.get("/api/v1/scopes", headers={"Authorization": f"Bearer {token}"})
    return next(c["organisation_id"] for c in scopes.get_json()["cohorts"] if c["id"] == cohort_id)


def test_a_published_seed_tally_is_reproduced_exactly(
    client: FlaskClient, staged: dict[str, Any]
) -> None:
    tally = table_of(client, staged["token"], f"cohort/{staged['c']}", "seed-skills-tally")
    assert cell(tally, "option:listening", "count") == 1
    assert cell(tally, "option:planning", "count") == 2
    assert cell(tally, "option:speaking", "count") == 0
    assert cell(tally, "respondents", "count") == 3


def test_one_new_response_changes_nothing_an_evaluator_sees(
    app: Flask, client: FlaskClient, staged: dict[str, Any]
) -> None:
    """Differencing over time: one response between two releases waits for more."""
    token, a = staged["token"], staged["a"]
    before = table_of(client, token, f"cohort/{a}", "useful-skills-tally")
    with app.test_request_context():
        cohort = db.session.get(Cohort, a)
        assert cohort is not None
        newcomer = person(cohort, "A-99")
        evaluations.save(
            cohort,
            evaluations.EvaluationInput(
                "useful-skills", newcomer, date(2025, 3, 2), ["communication", "connection"], None
            ),
        )
        db.session.commit()
        publish_release()
    after = table_of(client, token, f"cohort/{a}", "useful-skills-tally")
    assert after["rows"] == before["rows"]
    assert not attack(app, client, token)


def test_without_joint_protection_the_attacker_finds_the_planted_cells(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attacker is not blind: with only small counts hidden (what each table did on
    its own before), it works out the planted cells."""
    monkeypatch.setattr(releases, "protect", lambda ledger: None)
    with app.test_request_context():
        staged_world()
        token = evaluator_token()
        publish_release()
    findings = attack(app, client, token)
    sections = {f.cell[2] for f in findings}
    assert {"attendance", "selfworth-pre-post"} <= sections, sections
