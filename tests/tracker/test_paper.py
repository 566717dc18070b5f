"""Paper forms for a real cohort: its codes filled in, its language, nobody else's cohort."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from facilitator.printing.engine import chromium_available
from tests.tracker.conftest import AuthActions, World
from tracker.db import db
from tracker.models import Cohort
from tracker.records import participants


def _enrol(app: Flask, cohort_id: int, code: str) -> None:
    from datetime import date

    from tracker.models import Group

    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        assert cohort is not None
        made = participants.enrol(
            cohort, participants.ParticipantInput(code, Group.survivor, True, date(2025, 1, 2), "")
        )
        assert not isinstance(made, list), made


FORMS = (
    "attendance.html",
    "assessments/selfworth/pre.html",
    "assessments/selfworth/post.html",
    "evaluations/useful-skills.html",
)


@pytest.mark.parametrize("form", FORMS)
def test_forms_carry_the_cohorts_codes_in_its_language(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World, form: str
) -> None:
    _enrol(app, world.cohort_a, "SUR-A02")
    auth.login("coord_a")
    response = client.get(f"/cohorts/{world.cohort_a}/paper/{form}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="bn">' in page  # cohort A runs in Bengali
    assert "SUR-A01" in page and "SUR-A02" in page
    assert "SUR-B01" not in page  # organisation B's participant
    # The printed form brings its own styles: the tracker's strict policy would drop them.
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"]


def test_questionnaire_is_the_translated_instrument_with_its_timepoint(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    page = client.get(f"/cohorts/{world.cohort_a}/paper/assessments/selfworth/post.html")
    text = page.get_data(as_text=True)
    assert "আত্মমূল্য যাচাই" in text  # the Bengali title of the instrument
    assert "value-myself" in text  # item ids, the columns of the CSV import
    assert text.count("✓") == 1  # one sheet (one code), the post box ticked


def test_attendance_sheet_lists_the_cohorts_sessions(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    text = client.get(f"/cohorts/{world.cohort_a}/paper/attendance.html").get_data(as_text=True)
    assert "2025-01-06 · Module leaders-me" in text


def test_index_links_every_form_of_the_programme(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    page = client.get(f"/cohorts/{world.cohort_a}/paper/").get_data(as_text=True)
    for form in FORMS:
        assert f"/cohorts/{world.cohort_a}/paper/{form}" in page, form
    assert f"/cohorts/{world.cohort_a}/paper/assessments/selfworth/retro_pre.pdf" in page
    assert "SUR-A01" in page
    show = client.get(f"/cohorts/{world.cohort_a}").get_data(as_text=True)
    assert f"/cohorts/{world.cohort_a}/paper/" in show


def test_another_organisations_coordinator_gets_404(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_b")
    for form in ("", *FORMS, "attendance.pdf"):
        assert client.get(f"/cohorts/{world.cohort_a}/paper/{form}").status_code == 404, form


def test_unknown_forms_formats_and_timepoints_are_404(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("admin")
    for form in (
        "attendance.docx",
        "assessments/no-such-instrument/pre.html",
        "assessments/selfworth/someday.html",
        "assessments/body/retro_pre.html",  # body has no retrospective instructions
        "evaluations/no-such-form.html",
    ):
        assert client.get(f"/cohorts/{world.cohort_a}/paper/{form}").status_code == 404, form


@pytest.mark.skipif(not chromium_available(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_attendance_sheet_as_pdf(client: FlaskClient, auth: AuthActions, world: World) -> None:
    from pypdf import PdfReader

    auth.login("coord_a")
    response = client.get(f"/cohorts/{world.cohort_a}/paper/attendance.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    # pypdf puts spaces between some glyph runs ("SUR - A 01"): compare without them.
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "SUR-A01" in text and "CohortA" in text and "SUR-B01" not in text
