"""Generate a tracker database at the scale in DESIGN.md, for the summary benchmark.

13 organisations, 26 cohorts, 5,000 participants, 12 sessions per cohort with attendance,
pre/post answers on a 20-item instrument, a wheel rating, a yes/no questionnaire and an
evaluation form. Codes only; everything is invented.

    .venv/bin/python bench/tracker_generate.py [FOLDER] [--scale N] [--url DATABASE_URL]

writes FOLDER/tracker.sqlite (default build/bench-tracker), or the database at --url (an empty
PostgreSQL database, say). --scale N multiplies the organisations, and so the cohorts and
participants, by N; each cohort keeps its size (about 192 participants), so a cohort's own
summary has the same work at every scale and only the other cohorts' data grows.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ORGANISATIONS = 13
COHORTS_PER_ORGANISATION = 2
PARTICIPANTS = 5000
SESSIONS = 12
ITEMS = 20
PROGRAMMES = ("bench-leaders", "bench-care", "bench-business")
MODULES_PER_PROGRAMME = 6


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML()
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def write_content(root: Path) -> None:
    """A curriculum of the right shape: 3 programmes, a 20-item likert instrument and more."""
    cur = root / "curriculum"
    _dump(
        cur / "curriculum.yaml",
        {
            "languages": [
                {"code": "en", "name": "English", "default": True},
                {"code": "bn", "name": "বাংলা"},
                {"code": "hi", "name": "हिन्दी"},
            ],
            "methods": [{"id": "small-group", "label": "Small groups", "description": "Groups."}],
        },
    )
    scale5 = [{"value": v, "label": f"Point {v}"} for v in range(1, 6)]
    _dump(
        cur / "instruments" / "bench-likert.yaml",
        {
            "id": "bench-likert",
            "title": "Twenty-item self-assessment",
            "kind": "likert",
            "audience": "survivors",
            "instructions": "Choose how much you agree.",
            "scale": scale5,
            "items": [
                {"id": f"item-{i:02d}", "text": f"Statement {i}", "level": "learning",
                 "reverse": i % 7 == 0}
                for i in range(1, ITEMS + 1)
            ],
        },
    )  # fmt: skip
    _dump(
        cur / "instruments" / "bench-wheel.yaml",
        {
            "id": "bench-wheel",
            "title": "Wheel",
            "kind": "rating",
            "audience": "survivors",
            "instructions": "Rate each spoke.",
            "scale": [{"value": v, "label": str(v)} for v in range(1, 11)],
            "items": [
                {"id": s, "text": s.title(), "level": "learning"}
                for s in ("body", "money", "spirit", "voice")
            ],
        },
    )
    _dump(
        cur / "instruments" / "bench-yes-no.yaml",
        {
            "id": "bench-yes-no",
            "title": "Yes or no",
            "kind": "yes_no",
            "audience": "survivors",
            "instructions": "Answer yes or no.",
            "items": [
                {"id": f"q{i}", "text": f"Question {i}", "level": "learning"} for i in range(1, 6)
            ],
        },
    )
    _dump(
        cur / "evaluation_forms" / "bench-useful.yaml",
        {
            "id": "bench-useful",
            "title": "Most useful skills",
            "audience": "mixed",
            "question": "Which three were most useful?",
            "choose_up_to": 3,
            "options": [{"id": f"skill-{i}", "text": f"Skill {i}"} for i in range(1, 11)],
        },
    )
    for order, programme in enumerate(PROGRAMMES):
        modules = [f"{programme}-m{i}" for i in range(1, MODULES_PER_PROGRAMME + 1)]
        _dump(
            cur / "programmes" / f"{programme}.yaml",
            {"id": programme, "title": programme.replace("-", " ").title(), "summary": "Bench.",
             "audience": "survivors", "order": order, "modules": modules},
        )  # fmt: skip
        for module in modules:
            _dump(
                root / "modules" / module / "module.yaml",
                {
                    "id": module, "title": module, "programme": programme,
                    "audience": "survivors", "summary": "Bench module.", "duration_minutes": 60,
                    "objectives": ["Practise."], "components": ["One."], "methods": ["small-group"],
                    "sessions": [{"id": "s", "title": "S", "minutes": 60, "method": "small-group",
                                  "steps": ["Do it."]}],
                    "expected_changes": [{"id": "c", "text": "Change."}],
                    "instruments": ["bench-likert", "bench-wheel", "bench-yes-no"],
                    "evaluation_forms": ["bench-useful"],
                },
            )  # fmt: skip


Rows = list[dict[str, Any]]


def generate(folder: Path, seed: int = 1, scale: int = 1, url: str | None = None) -> str:
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.db import MIGRATIONS, db

    folder.mkdir(parents=True, exist_ok=True)
    content = folder / "content"
    write_content(content)
    if url is None:
        path = folder.resolve() / "tracker.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_ROOT": str(content), "SECRET_KEY": "bench"}
    )
    rows = invented_rows(random.Random(seed), scale)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        _insert(rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Plans as a running server has them: a freshly loaded table is not yet in the
            # visibility map, so PostgreSQL would cost index-only scans as heap reads and
            # choose whole-table scans (autovacuum would catch up later; measure after it).
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM (ANALYZE)"
                )
        db.engine.dispose()
    print(
        f"{len(rows['organisations'])} organisations, {len(rows['cohorts'])} cohorts, "
        f"{len(rows['participants'])} participants, {len(rows['sessions'])} sessions, "
        f"{len(rows['attendance'])} attendance marks, {len(rows['responses'])} assessment "
        f"responses, {len(rows['answers'])} answers, {len(rows['evaluations'])} evaluations"
    )
    return url


def invented_rows(rng: random.Random, scale: int = 1) -> dict[str, Rows]:
    """Every table's rows, by table: in the order the random draws were always made."""
    rows: dict[str, Rows] = {
        "organisations": [
            {"id": i + 1, "name": f"Bench organisation {i + 1}"}
            for i in range(ORGANISATIONS * scale)
        ],
        "cohorts": _cohorts(scale),
    }
    rows["participants"], rows["memberships"] = _people(rows["cohorts"], scale)
    members: dict[int, list[int]] = {}
    for row in rows["memberships"]:
        members.setdefault(row["cohort_id"], []).append(row["participant_id"])
    rows["sessions"], rows["attendance"] = _sessions(rng, rows["cohorts"], members)
    rows["responses"], rows["answers"] = [], []
    rows["evaluations"], rows["choices"] = [], []
    for cohort in rows["cohorts"]:
        for pid in members[cohort["id"]]:
            _answers(rng, cohort, pid, rows)
    return rows


def _insert(rows: dict[str, Rows]) -> None:
    from sqlalchemy import insert

    from tracker import models
    from tracker.db import db

    for name, model in (
        ("organisations", models.Organisation),
        ("cohorts", models.Cohort),
        ("participants", models.Participant),
        ("memberships", models.Membership),
        ("sessions", models.TrainingSession),
        ("attendance", models.Attendance),
        ("responses", models.AssessmentResponse),
    ):
        db.session.execute(insert(model), rows[name])
    answers = rows["answers"]
    for start in range(0, len(answers), 50000):
        db.session.execute(insert(models.AssessmentAnswer), answers[start : start + 50000])
    db.session.execute(insert(models.EvaluationResponse), rows["evaluations"])
    db.session.execute(insert(models.EvaluationChoice), rows["choices"])


def _cohorts(scale: int) -> Rows:
    cohorts = []
    for index in range(ORGANISATIONS * COHORTS_PER_ORGANISATION * scale):
        start = date(2024, 1, 1) + timedelta(days=20 * index)
        cohorts.append({
            "id": index + 1, "organisation_id": index // COHORTS_PER_ORGANISATION + 1,
            "name": f"Bench cohort {index + 1}", "programme_id": PROGRAMMES[index % 3],
            "language": ("bn", "hi", "en")[index % 3], "place": "Bench hall",
            "starts_on": start, "ends_on": start + timedelta(weeks=SESSIONS),
        })  # fmt: skip
    return cohorts


def _people(cohorts: Rows, scale: int) -> tuple[Rows, Rows]:
    participants, memberships = [], []
    for number in range(PARTICIPANTS * scale):
        cohort = cohorts[number % len(cohorts)]
        participants.append({
            "id": number + 1, "organisation_id": cohort["organisation_id"],
            "code": f"SUR-{number + 1:05d}", "group": "survivor",
            "consent_given_on": cohort["starts_on"],
        })  # fmt: skip
        memberships.append({"cohort_id": cohort["id"], "participant_id": number + 1})
    return participants, memberships


def _sessions(
    rng: random.Random, cohorts: Rows, members: dict[int, list[int]]
) -> tuple[Rows, Rows]:
    sessions: Rows = []
    attendance: Rows = []
    statuses = ("present", "present", "present", "present", "late", "excused", "absent")
    for cohort in cohorts:
        for week in range(SESSIONS):
            session_id = len(sessions) + 1
            module = f"{cohort['programme_id']}-m{week % MODULES_PER_PROGRAMME + 1}"
            held_on = cohort["starts_on"] + timedelta(weeks=week)
            sessions.append(
                {"id": session_id, "cohort_id": cohort["id"], "module_id": module,
                 "held_on": held_on}
            )  # fmt: skip
            attendance += [
                {"session_id": session_id, "participant_id": pid, "status": rng.choice(statuses)}
                for pid in members[cohort["id"]]
            ]
    return sessions, attendance


def _answers(rng: random.Random, cohort: dict[str, Any], pid: int, rows: dict[str, Rows]) -> None:
    """One participant's pre and post answers to every instrument, and her evaluation."""
    responses, answers = rows["responses"], rows["answers"]
    growth = rng.uniform(-0.5, 1.5)
    for instrument, items, low, high in (
        ("bench-likert", [f"item-{i:02d}" for i in range(1, ITEMS + 1)], 1, 5),
        ("bench-wheel", ["body", "money", "spirit", "voice"], 1, 10),
        ("bench-yes-no", [f"q{i}" for i in range(1, 6)], 0, 1),
    ):
        before = {item: rng.randint(low, (low + high) // 2) for item in items}
        for timepoint, shift in (("pre", 0.0), ("post", growth)):
            response_id = len(responses) + 1
            responses.append({
                "id": response_id, "cohort_id": cohort["id"], "participant_id": pid,
                "instrument_id": instrument, "timepoint": timepoint,
                "answered_on": cohort["starts_on"],
            })  # fmt: skip
            answers += [
                {"response_id": response_id, "item_id": item,
                 "value": max(low, min(high, round(value + shift * (high - low) / 4)))}
                for item, value in before.items()
            ]  # fmt: skip
    evaluation_id = len(rows["evaluations"]) + 1
    rows["evaluations"].append({"id": evaluation_id, "cohort_id": cohort["id"],
                                "form_id": "bench-useful", "participant_id": pid,
                                "answered_on": cohort["ends_on"]})  # fmt: skip
    for option in rng.sample(range(1, 11), 3):
        rows["choices"].append({"response_id": evaluation_id, "option_id": f"skill-{option}"})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default="build/bench-tracker", type=Path)
    parser.add_argument("--scale", type=int, default=1, help="organisations times N")
    parser.add_argument("--url", help="write to this database instead of FOLDER/tracker.sqlite")
    arguments = parser.parse_args()
    started = time.perf_counter()
    written = generate(arguments.folder, scale=arguments.scale, url=arguments.url)
    print(f"written {written} in {time.perf_counter() - started:.1f} s")
