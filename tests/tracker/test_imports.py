"""CSV import: templates, all-or-nothing writes, every bad row reported with row and field."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.tracker.conftest import AuthActions, World
from tracker import imports
from tracker.db import db
from tracker.models import (
    AssessmentResponse,
    Attendance,
    Cohort,
    EvaluationResponse,
    TrainingSession,
)
from tracker.problems import Problem


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def upload(client: FlaskClient, cohort_id: int, kind: str, text: str | bytes, **extra: str) -> str:
    data = text.encode() if isinstance(text, str) else text
    response = client.post(
        f"/cohorts/{cohort_id}/import",
        data={"kind": kind, "file": (io.BytesIO(data), "stack.csv"), **extra},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_templates_are_header_rows(client: FlaskClient, auth: AuthActions, world: World) -> None:
    auth.login("fac_a")
    attendance = client.get("/imports/templates/attendance.csv")
    assert attendance.get_data(as_text=True) == "session_date,module,participant_code,status\r\n"
    assert "attachment" in attendance.headers["Content-Disposition"]
    assessment = client.get("/imports/templates/assessments/selfworth.csv").get_data(as_text=True)
    assert assessment == (
        "participant_code,timepoint,answered_on,value-myself,speak-up,make-decisions,feel-ashamed\r\n"
    )
    evaluation = client.get("/imports/templates/evaluations.csv").get_data(as_text=True)
    assert evaluation == "participant_code,answered_on,choices,other_text\r\n"


def test_good_files_are_written(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    page = upload(
        client,
        world.cohort_a,
        "attendance",
        "session_date,module,participant_code,status\n"
        "2025-01-06,leaders-me,SUR-A01,late\n"
        "2025-01-20,leaders-we,sur-a01,Absent\n",
    )
    assert "Imported 2 rows." in page
    page = upload(
        client,
        world.cohort_a,
        "assessments",
        "participant_code,timepoint,answered_on,value-myself,speak-up,make-decisions,feel-ashamed\n"
        "SUR-A01,pre,2025-01-06,2,3,,4\n"
        "SUR-A01,retro-pre,2025-03-30,1,2,2,5\n",
        instrument="selfworth",
    )
    assert "Imported 2 rows." in page
    page = upload(
        client,
        world.cohort_a,
        "evaluations",
        "participant_code,answered_on,choices,other_text\n"
        ",2025-03-30,resilience;connection,\n"
        "SUR-A01,2025-03-30,other,Learning to sing together\n",
        form_id="useful-skills",
    )
    assert "Imported 2 rows." in page
    with app.app_context():
        assert count(Attendance) == 2
        assert count(TrainingSession) == 3  # the world has 2; the import created 2025-01-20
        assert count(AssessmentResponse) == 2
        assert count(EvaluationResponse) == 2


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
                "row 3, session_date",
                "row 4, module",
                "row 5, participant_code",
                "row 6, participant_code: SUR-B01 is not in this cohort",
                "row 7, status",
                "row 8, row: more cells than the header",
            ],
        ),
        (
            "attendance",
            "date,who,status\n2025-01-06,SUR-A01,present\n",
            {},
            ["row 1, session_date: column missing", "row 1, module", "row 1, participant_code"],
        ),
        ("attendance", "session_date,module,participant_code,status\n", {}, ["header but no rows"]),
        ("attendance", b"\xff\xfe\x00bad", {}, ["not UTF-8"]),
        (
            "assessments",
            "participant_code,timepoint,answered_on,value-myself,shoe-size\n"
            "SUR-A01,pre,2025-01-06,7,40\n"
            "SUR-A01,later,2025-01-06,3,\n"
            "SUR-A01,post,2025-01-06,,\n"
            "SUR-A01,pre,2025-01-06,3,\n",
            {"instrument": "selfworth"},
            [
                "row 2, shoe-size: not an item",
                "row 2, value-myself: 7 is not on the scale",
                "row 3, timepoint",
                "row 4, answers: no item was answered",
            ],
        ),
        (
            "assessments",
            "participant_code,timepoint,answered_on\nSUR-A01,pre,2025-01-06\n",
            {"instrument": "not-ours"},
            ["instrument: Not a valid choice"],
        ),
        (
            "evaluations",
            "participant_code,answered_on,choices,other_text\n"
            ",2025-03-30,resilience;connection;protest;inner-peace,\n"
            ",2025-03-30,other,\n"
            ",2025-03-30,flying,\n"
            ",yesterday,resilience,\n",
            {"form_id": "useful-skills"},
            [
                "row 2, choices: choose at most 3",
                "row 3, other_text",
                "row 4, choices: 'flying'",
                "row 5, answered_on",
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
    text: str,
    extra: dict[str, str],
    expected: list[str],
) -> None:
    auth.login("coord_a")
    page = upload(client, world.cohort_a, kind, text, **extra)
    assert "Nothing was saved" in page
    for fragment in expected:
        assert fragment in page.replace("&#39;", "'"), fragment
    with app.app_context():
        assert count(Attendance) == 0
        assert count(AssessmentResponse) == 0
        assert count(EvaluationResponse) == 0
        assert count(TrainingSession) == 2  # the two from the world, none created


def test_duplicate_rows_in_one_file_are_refused(app: Flask, world: World) -> None:
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        result = imports.import_attendance(
            cohort,
            "session_date,module,participant_code,status\n"
            "2025-01-06,leaders-me,SUR-A01,present\n"
            "2025-01-06,leaders-me,SUR-A01,absent\n",
            100,
        )
        assert result.problems == [Problem("participant_code", "marked twice for this session", 3)]
        capped = imports.import_attendance(
            cohort,
            "session_date,module,participant_code,status\n"
            + "2025-01-06,leaders-me,SUR-A01,present\n" * 3,
            2,
        )
        assert any("more than 2 rows" in p.message for p in capped.problems)
        assert count(Attendance) == 0
