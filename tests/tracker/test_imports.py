"""CSV import: templates, all-or-nothing writes, every bad row reported with row and field,
the same file twice changing nothing, rows given twice refused, and bounded memory."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from tests.tracker.conftest import AuthActions, World, build_world
from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    Attendance,
    AuditEvent,
    Cohort,
    EvaluationResponse,
    Group,
    Membership,
    Participant,
    TrainingSession,
)
from tracker.problems import Problem
from tracker.records import cohorts, enrolment, imports

ATTENDANCE = (
    "session_date,module,participant_code,status\n"
    "2025-01-06,leaders-me,SUR-A01,late\n"
    "2025-01-20,leaders-we,sur-a01,Absent\n"
    "2025-01-20,leaders-we,SUR-A02,P\n"
)
SELFWORTH = (
    "participant_code,timepoint,answered_on,value-myself,speak-up,make-decisions,feel-ashamed\n"
)
ASSESSMENTS = SELFWORTH + "SUR-A01,pre,2025-01-06,2,3,,4\nSUR-A02,retro-pre,2025-03-30,1,2,2,5\n"
EVALUATIONS = (
    "participant_code,answered_on,choices,other_text,serial\n"
    ",2025-03-30,resilience;connection,,\n"
    "SUR-A01,2025-03-30,other,Learning to sing together,\n"
    ",2025-03-30,resilience;connection,,F-0007\n"
)
PARTICIPANTS = (
    "participant_code,group,consent_given_on\n"
    "SUR-A01,survivor,2025-01-01\n"  # already in the cohort, written the same way
    "sur-a03,Social worker,2025-02-01\n"
    "SUR-A04,other,2025-02-02\n"
)
FILES = {
    "attendance": (ATTENDANCE, {}),
    "assessments": (ASSESSMENTS, {"instrument": "selfworth"}),
    "evaluations": (EVALUATIONS, {"form_id": "useful-skills"}),
    "participants": (PARTICIPANTS, {}),
}


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def dump(skip: frozenset[str] = frozenset()) -> str:
    """Every table's rows, sorted: two dumps are equal when nothing at all changed. Pages
    requested in a test pass skip=BROWSING: a request keeps its sign-in up to date."""
    db.session.expire_all()
    return "\n".join(
        f"{table.name}: {sorted(repr(tuple(row)) for row in db.session.execute(select(table)))}"
        for table in db.metadata.sorted_tables
        if table.name not in skip
    )


BROWSING = frozenset({"sign_in"})


def upload(client: FlaskClient, cohort_id: int, kind: str, text: str | bytes, **extra: str) -> str:
    data = text.encode() if isinstance(text, str) else text
    response = client.post(
        f"/cohorts/{cohort_id}/import",
        data={"kind": kind, "file": (io.BytesIO(data), "stack.csv"), **extra},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("&#39;", "'")


def run_import(kind: str, cohort: Cohort, text: str, max_rows: int = 1000) -> imports.ImportResult:
    if kind == "attendance":
        return imports.import_attendance(cohort, text, max_rows)
    if kind == "assessments":
        return imports.import_assessments(cohort, "selfworth", text, max_rows)
    if kind == "evaluations":
        return imports.import_evaluations(cohort, "useful-skills", text, max_rows)
    return imports.import_participants(cohort, text, max_rows)


def cohort_a(world: World) -> Cohort:
    cohort = db.session.get(Cohort, world.cohort_a)
    assert cohort is not None
    return cohort


def enrol_a02(world: World) -> None:
    roll = enrolment.Roll(cohort_a(world))
    found = roll.check("SUR-A02", Group.survivor, date(2025, 1, 1))
    assert isinstance(found, enrolment.Enrolment)
    roll.write([found], Counter())
    db.session.commit()


def test_templates_are_header_rows(client: FlaskClient, auth: AuthActions, world: World) -> None:
    auth.login("coord_a")
    attendance = client.get("/imports/templates/attendance.csv")
    assert attendance.get_data(as_text=True) == "session_date,module,participant_code,status\r\n"
    assert "attachment" in attendance.headers["Content-Disposition"]
    assessment = client.get("/imports/templates/assessments/selfworth.csv").get_data(as_text=True)
    assert assessment == SELFWORTH.replace("\n", "\r\n")
    evaluation = client.get("/imports/templates/evaluations.csv").get_data(as_text=True)
    assert evaluation == "participant_code,answered_on,choices,other_text,serial\r\n"
    people = client.get("/imports/templates/participants.csv").get_data(as_text=True)
    assert people == "participant_code,group,consent_given_on\r\n"


def test_good_files_are_written_and_the_same_files_again_change_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    with app.app_context():
        enrol_a02(world)
    auth.login("coord_a")
    said = {
        "attendance": "Imported 3 rows: 3 new, 0 changed, 0 unchanged.",
        "assessments": "Imported 2 rows: 2 new, 0 changed, 0 unchanged.",
        "evaluations": "Imported 3 rows: 3 new, 0 changed, 0 unchanged.",
        "participants": "Imported 3 rows: 2 new, 0 changed, 1 unchanged.",
    }
    for kind, (text, extra) in FILES.items():
        assert said[kind] in upload(client, world.cohort_a, kind, text, **extra), kind
    with app.app_context():
        assert count(Attendance) == 3
        assert count(TrainingSession) == 3  # the world has 2; the import made 2025-01-20
        assert count(AssessmentResponse) == 2
        assert count(EvaluationResponse) == 3
        assert count(Membership) == 2 + 1 + 2  # A01 and B01, A02, then A03 and A04
        before = dump(BROWSING)
    for kind, (text, extra) in FILES.items():
        page = upload(client, world.cohort_a, kind, text, **extra)
        assert "Already imported: nothing changed" in page, kind
    with app.app_context():
        assert dump(BROWSING) == before


@pytest.fixture
def db_world(db_app: Flask) -> Iterator[tuple[Flask, World]]:
    with db_app.app_context():
        world = build_world(publish=False)
        enrol_a02(world)
    yield db_app, world


@pytest.mark.parametrize("kind", list(FILES))
def test_importing_twice_leaves_every_table_byte_for_byte_equal(
    db_world: tuple[Flask, World], kind: str
) -> None:
    app, world = db_world
    text = FILES[kind][0]
    with app.test_request_context():
        first = run_import(kind, cohort_a(world), text)
        assert first.ok and first.new > 0, first.problems
        events = count(AuditEvent)
        before = dump()
        again = run_import(kind, cohort_a(world), text)
        assert again.ok and again.nothing_changed
        assert (again.new, again.changed, again.unchanged) == (0, 0, first.new + first.unchanged)
        assert dump() == before
        assert count(AuditEvent) == events


def test_a_changed_row_is_updated_in_place(db_world: tuple[Flask, World]) -> None:
    app, world = db_world
    with app.test_request_context():
        assert run_import("assessments", cohort_a(world), ASSESSMENTS).ok
        assert run_import("attendance", cohort_a(world), ATTENDANCE).ok
        stored = db.session.execute(
            select(AssessmentResponse.id, AssessmentResponse.created_at, AssessmentResponse.version)
            .join(Participant, Participant.id == AssessmentResponse.participant_id)
            .where(Participant.code == "SUR-A01")
        ).one()
        session = db.session.scalar(
            select(TrainingSession).where(TrainingSession.held_on == date(2025, 1, 20))
        )
        assert session is not None
        roster_version = session.version
        changed = ASSESSMENTS.replace(
            "SUR-A01,pre,2025-01-06,2,3,,4", "SUR-A01,pre,2025-01-07,2,5,1,"
        )
        result = run_import("assessments", cohort_a(world), changed)
        assert (result.new, result.changed, result.unchanged) == (0, 1, 1)
        again = db.session.execute(
            select(
                AssessmentResponse.id, AssessmentResponse.created_at, AssessmentResponse.version
            ).where(AssessmentResponse.id == stored.id)
        ).one()
        assert (again.id, again.created_at, again.version) == (
            stored.id,
            stored.created_at,
            stored.version + 1,
        )
        answers = dict(
            db.session.execute(
                select(AssessmentAnswer.item_id, AssessmentAnswer.value).where(
                    AssessmentAnswer.response_id == stored.id
                )
            ).all()
        )
        assert answers == {"value-myself": 2, "speak-up": 5, "make-decisions": 1}
        marks = ATTENDANCE.replace("SUR-A02,P", "SUR-A02,absent")
        result = run_import("attendance", cohort_a(world), marks)
        assert (result.new, result.changed, result.unchanged) == (0, 1, 2)
        db.session.expire_all()
        assert session.version == roster_version + 1  # an open roster page learns of it
        assert count(Attendance) == 3 and count(TrainingSession) == 3


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "attendance",
            ATTENDANCE + "2025-01-06,leaders-me,SUR-A01,present\n",
            Problem("participant_code", "Row 2 already marks", 5),
        ),
        (
            "assessments",
            ASSESSMENTS + "sur-a01,PRE,2025-02-01,1,1,1,1\n",
            Problem("participant_code", "Row 2 already has this participant's pre answers", 4),
        ),
        (
            "evaluations",
            EVALUATIONS + "SUR-A01,2025-03-30,protest,,F-0007\n",
            Problem("serial", "Row 4 has the same serial number", 5),
        ),
        (
            "evaluations",
            EVALUATIONS + ",2025-03-30,connection;resilience,,\n",
            Problem("serial", "Row 2 has exactly the same answers", 5),
        ),
        (
            "participants",
            PARTICIPANTS + "SUR-A03,social_worker,2025-02-01\n",
            Problem("participant_code", "Row 3 has SUR-A03 already", 5),
        ),
    ],
)
def test_a_row_given_twice_is_named_with_both_rows_and_nothing_is_written(
    app: Flask, world: World, kind: str, text: str, expected: Problem
) -> None:
    with app.test_request_context():
        enrol_a02(world)
        before = dump()
        result = run_import(kind, cohort_a(world), text)
        assert [(p.field, p.row) for p in result.problems] == [(expected.field, expected.row)]
        assert result.problems[0].message.startswith(expected.message)
        assert dump() == before


def test_two_identical_forms_without_a_serial_are_told_to_number_them(
    app: Flask, world: World
) -> None:
    with app.test_request_context():
        text = "participant_code,answered_on,choices,other_text\n" + ",2025-03-30,protest,\n" * 2
        result = run_import("evaluations", cohort_a(world), text)
        assert len(result.problems) == 1
        assert "serial column" in result.problems[0].message
        numbered = "participant_code,answered_on,choices,other_text,serial\n"
        numbered += ",2025-03-30,protest,,1\n,2025-03-30,protest,,2\n"
        assert run_import("evaluations", cohort_a(world), numbered).new == 2


def test_evaluation_keys_are_the_serial_or_a_hash_of_the_normalised_row(
    app: Flask, world: World
) -> None:
    with app.test_request_context():
        old_header = (
            "participant_code,answered_on,choices,other_text\n"
            "sur-a01,2025-03-30,other;resilience,  Singing   together \n"
        )
        assert run_import("evaluations", cohort_a(world), old_header).new == 1
        assert run_import("evaluations", cohort_a(world), EVALUATIONS).new == 3
        keys = set(db.session.scalars(select(EvaluationResponse.response_key)))
        row = "\x1f".join(["SUR-A01", "2025-03-30", "other;resilience", "Singing together"])
        assert hashlib.sha256(row.encode()).hexdigest() in keys
        assert "F-0007" in keys
        # the same form typed again, choices in another order and spaces as they come
        same = "participant_code,answered_on,choices,other_text\n"
        same += "SUR-A01,2025-03-30,resilience;other,Singing together\n"
        assert run_import("evaluations", cohort_a(world), same).nothing_changed
        # a numbered form corrected and imported again: the same response, changed
        fixed = (
            "serial,participant_code,answered_on,choices,other_text\nF-0007,,2025-03-30,protest,\n"
        )
        result = run_import("evaluations", cohort_a(world), fixed)
        assert (result.new, result.changed) == (0, 1)
        stored = db.session.scalar(
            select(EvaluationResponse).where(EvaluationResponse.response_key == "F-0007")
        )
        assert stored is not None and stored.version == 2
        assert count(EvaluationResponse) == 4


BAD_ATTENDANCE = (
    "session_date,module,participant_code,status\n"
    "2025-01-06,leaders-me,SUR-A01,present\n"  # a good row: must not be written either
    "06/01/2025,leaders-me,SUR-A01,present\n"
    "2025-01-06,care-one,SUR-A01,present\n"
    "2025-01-06,leaders-me,Priya,present\n"
    "2025-01-06,leaders-me,SUR-B01,present\n"
    "2025-01-06,leaders-me,SUR-A01,asleep\n"
    "2025-01-06,leaders-me,SUR-A01,late,extra\n"
)


@pytest.mark.parametrize(
    ("kind", "text", "extra", "expected"),
    [
        (
            "attendance",
            BAD_ATTENDANCE,
            {},
            [
                "Row 3, Session date</strong>: '06/01/2025' is not a date",
                "Row 4, Module</strong>",
                "Row 5, Participant code</strong>: 'Priya' is not a participant code",
                "Row 6, Participant code</strong>: SUR-B01 is not in this cohort",
                "Row 7, Attendance</strong>",
                "Row 8</strong>: This row has more cells than the header",
            ],
        ),
        (
            "attendance",
            "date,who,status\n2025-01-06,SUR-A01,present\n",
            {},
            ["Row 1, Session date</strong>: This column is missing", "Row 1, Module</strong>"],
        ),
        ("attendance", "session_date,module,participant_code,status\n", {}, ["header but no rows"]),
        ("attendance", b"\xff\xfe\x00bad", {}, ["not UTF-8"]),
        ("attendance", "session_date,module,participant_code,status\n\x00,\x00\n", {}, ["Row 2"]),
        (
            "assessments",
            "participant_code,timepoint,answered_on,value-myself,shoe-size\n"
            "SUR-A01,pre,2025-01-06,7,40\n"
            "SUR-A01,later,2025-01-06,3,\n"
            "SUR-A01,post,2025-01-06,,\n",
            {"instrument": "selfworth"},
            [
                "Row 1, shoe-size</strong>: This column is not an item of this questionnaire",
                "Row 2, I value myself.</strong>: 7 is not on the scale",
                "Row 3, Timepoint</strong>",
                "Row 4, Answers</strong>: no item was answered",
            ],
        ),
        (
            "assessments",
            "participant_code,timepoint,answered_on\nSUR-A01,pre,2025-01-06\n",
            {"instrument": "not-ours"},
            ["Not a valid choice"],
        ),
        (
            "evaluations",
            "participant_code,answered_on,choices,other_text\n"
            ",2025-03-30,resilience;connection;protest;inner-peace,\n"
            ",2025-03-30,other,\n"
            ",2025-03-30,flying,\n"
            ",yesterday,resilience,\n",
            {"form_id": "useful-skills"},
            ["Row 2", "choose at most 3", "Row 3", "Row 4", "'flying'", "Row 5"],
        ),
        (
            "participants",
            "participant_code,group,consent_given_on\n"
            "SUR-A07,survivor,2025-01-01\n"  # a good row: must not be written either
            "SUR-A01,other,2025-01-01\n"  # in the organisation as a survivor
            "Priya,survivor,2025-01-01\n"
            "SUR-A08,survivor,\n"
            "SUR-A09,survivor,2999-01-01\n"
            "SUR-A10,volunteer,2025-01-01\n",
            {},
            [
                "Row 3, Participant code</strong>: SUR-A01 is already recorded in your "
                "organisation as Survivor, consent given on 2025-01-01",
                "Row 4, Participant code",
                "Row 5, Date consent was given</strong>: Write the date consent was given",
                "Row 6, Date consent was given</strong>: 2999-01-01 is too late",
                "Row 7, Group",
            ],
        ),
    ],
)
def test_bad_files_write_nothing_and_say_where(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    world: World,
    kind: str,
    text: str | bytes,
    extra: dict[str, str],
    expected: list[str],
) -> None:
    auth.login("coord_a")
    with app.app_context():
        before = dump(BROWSING)
    page = upload(client, world.cohort_a, kind, text, **extra)
    assert "Nothing was saved" in page
    for fragment in expected:
        assert fragment in page, fragment
    with app.app_context():
        assert dump(BROWSING) == before


def test_too_many_rows_are_refused(app: Flask, world: World) -> None:
    with app.test_request_context():
        capped = imports.import_attendance(
            cohort_a(world),
            "session_date,module,participant_code,status\n"
            + "2025-01-06,leaders-me,SUR-A01,present\n" * 3,
            2,
        )
        assert any("more than 2 rows" in p.message for p in capped.problems)
        assert count(Attendance) == 0


def test_participants_import_enrols_codes_the_organisation_has_and_is_the_coordinators(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    with app.test_request_context():
        other = cohorts.create(
            cohorts.CohortInput(
                world.org_a, "Cohort A2", "leaders", "en", "Hall", date.today(), None
            )
        )
        assert not isinstance(other, list)
        text = "participant_code,group,consent_given_on\nSUR-A01,survivor,2025-01-01\n"
        result = imports.import_participants(other, text, 100)
        assert (result.new, result.unchanged) == (1, 0)
        assert count(Participant) == 2  # SUR-A01 enrolled as she is, not made twice
        assert run_import("participants", other, text).nothing_changed
    auth.login("fac_a")
    page = upload(client, world.cohort_a, "participants", PARTICIPANTS)
    assert "Not a valid choice" in page and "Participants to enrol" not in page
    assert client.get("/imports/templates/participants.csv").status_code == 403
    auth.logout()
    auth.login("coord_b")
    assert client.post(f"/cohorts/{world.cohort_a}/import").status_code == 404
    with app.app_context():
        assert count(Participant) == 2


def paste(client: FlaskClient, cohort_id: int, codes: str, **extra: str) -> tuple[int, str]:
    data = {
        "paste-codes": codes,
        "paste-group": "survivor",
        "paste-consent_given": "y",
        "paste-consent_given_on": "2025-02-01",
    }
    data.update({f"paste-{key}": value for key, value in extra.items()})
    response = client.post(
        f"/cohorts/{cohort_id}/participants/paste", data=data, follow_redirects=True
    )
    return response.status_code, response.get_data(as_text=True).replace("&#39;", "'")


def test_pasted_codes_are_enrolled_all_or_none(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    with app.app_context():
        before = dump(BROWSING)
    status, page = paste(client, world.cohort_a, "SUR-A11\nSUR-A12\nsur-a11")
    assert status == 200 and "SUR-A11 is on line 1 and on line 3." in page
    status, page = paste(client, world.cohort_a, "SUR-A11\nPriya Das\n")
    assert "Line 2: 'Priya Das' is not a participant code" in page
    status, page = paste(client, world.cohort_a, "SUR-A11", consent_given="")
    assert "given consent" in page
    status, page = paste(client, world.cohort_a, "SUR-A11", consent_given_on="")
    assert "Write the date consent was given" in page
    with app.app_context():
        assert dump(BROWSING) == before
    status, page = paste(client, world.cohort_a, "SUR-A01\nSUR-A11", consent_given_on="2025-02-01")
    assert "Line 1: SUR-A01 is already recorded in your organisation as Survivor" in page
    codes = "SUR-A11, SUR-A12 ;SUR-A13\n\nSUR-A01\n"
    status, page = paste(client, world.cohort_a, codes, consent_given_on="2025-01-01")
    assert "3 added to this cohort; 1 were in it already." in page
    with app.app_context():
        after = dump(BROWSING)
        codes = set(db.session.scalars(select(Participant.code)))
        assert {"SUR-A11", "SUR-A12", "SUR-A13"} <= codes
    status, page = paste(client, world.cohort_a, "SUR-A12\nSUR-A13", consent_given_on="2025-01-01")
    assert "All 2 were in this cohort already: nothing changed." in page
    with app.app_context():
        assert dump(BROWSING) == after
        records = dump(BROWSING | {"audit_event"})  # signing in is audited
    auth.logout()
    auth.login("coord_b")
    assert paste(client, world.cohort_a, "SUR-A99")[0] == 404
    auth.logout()
    auth.login("fac_a")
    assert paste(client, world.cohort_a, "SUR-A99")[0] == 403
    with app.app_context():
        assert dump(BROWSING | {"audit_event"}) == records


def large_file(cohort: Cohort, rows: int) -> str:
    """`rows` assessment rows (pre and post) for a cohort given rows / 2 new participants."""
    people = rows // 2
    db.session.execute(
        insert(Participant),
        [
            {"id": 1000 + n, "organisation_id": cohort.organisation_id, "code": f"BIG-{n:05d}"}
            | {"group": "survivor", "consent_given_on": date(2025, 1, 1)}
            for n in range(people)
        ],
    )
    db.session.execute(
        insert(Membership),
        [{"cohort_id": cohort.id, "participant_id": 1000 + n} for n in range(people)],
    )
    db.session.commit()
    lines = [SELFWORTH.strip()]
    lines += [
        f"BIG-{n % people:05d},{'pre' if n < people else 'post'},2025-01-06,{n % 5 + 1},3,4,2"
        for n in range(rows)
    ]
    return "\n".join(lines) + "\n"


def test_a_large_import_stays_in_bounded_memory(app: Flask, world: World) -> None:
    """5,000 rows of 4 items: the import's own allocations stay small (3 MB; all rows handed
    to one ORM bulk insert took 25 MB). bench/import_benchmark.py measures 100,000 rows."""
    with app.test_request_context():
        cohort = cohort_a(world)
        text = large_file(cohort, 5000)
        tracemalloc.start()
        try:
            result = imports.import_assessments(cohort, "selfworth", text, 10_000)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert result.ok and result.new == 5000, result.problems[:3]
        assert count(AssessmentAnswer) == 5000 * 4
        assert peak < 10_000_000, f"peak {peak / 1e6:.1f} MB"


def test_a_file_full_of_mistakes_lists_the_first_ones_and_counts_the_rest(
    app: Flask, world: World
) -> None:
    with app.test_request_context():
        text = (
            "session_date,module,participant_code,status\n" + "someday,leaders-me,SUR-A01,P\n" * 250
        )
        result = run_import("attendance", cohort_a(world), text)
        assert len(result.problems) == 201
        assert [p.row for p in result.problems[:2]] == [2, 3]
        assert result.problems[-1].message.startswith("50 more problems are not listed")
