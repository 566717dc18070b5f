"""Collecting on phones: the cohort's XLSForm downloaded, filled in (submissions written as
ODK Central and KoboToolbox export them), imported; the same records as the paper form's CSV,
the care follow-up raised, every bad row named, the same export again changing nothing, and
the routes kept to their roles and organisations."""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyxform.xls2xform import convert
from sqlalchemy import select

from facilitator import xlsform
from tests.tracker import phone_exports
from tests.tracker.conftest import AuthActions, World, build_world, make_app
from tests.tracker.test_imports import BROWSING, cohort_a, dump, enrol_a02, upload
from tracker import content
from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    EvaluationChoice,
    EvaluationResponse,
    FollowUp,
    Participant,
)
from tracker.problems import Problem
from tracker.records.imports import collect
from tracker.records.values import CODE_PATTERN

A = "uuid:5f1c6c32-2b58-4a54-9d0e-0a1b2c3d4e01"
B = "uuid:5f1c6c32-2b58-4a54-9d0e-0a1b2c3d4e02"
C = "uuid:5f1c6c32-2b58-4a54-9d0e-0a1b2c3d4e03"
D = "uuid:5f1c6c32-2b58-4a54-9d0e-0a1b2c3d4e04"

# body: yes/no, hide-body raises a care follow-up on "yes"; care-health skipped by SUR-A01.
BODY = [
    {"instanceID": A, "participant_code": "SUR-A01", "timepoint": "pre",
     "answered_on": "2025-01-06", "like-body": "yes", "hide-body": "yes"},
    {"instanceID": B, "participant_code": "SUR-A02", "timepoint": "pre",
     "answered_on": "2025-01-06", "like-body": "no", "care-health": "yes", "hide-body": "no"},
]  # fmt: skip
BODY_PAPER = (
    "participant_code,timepoint,answered_on,like-body,care-health,hide-body\n"
    "SUR-A01,pre,2025-01-06,yes,,yes\n"
    "SUR-A02,pre,2025-01-06,no,yes,no\n"
)
# selfworth: a likert scale with Bengali labels; exported by KoboToolbox in Bengali.
SELFWORTH = [
    {"instanceID": A, "participant_code": "SUR-A01", "timepoint": "retro_pre",
     "answered_on": "2025-03-30", "value-myself": "2", "speak-up": "4", "feel-ashamed": "1"},
    {"instanceID": B, "participant_code": "SUR-A02", "timepoint": "post",
     "answered_on": "2025-03-30", "value-myself": "5", "speak-up": "5", "make-decisions": "3",
     "feel-ashamed": "2"},
]  # fmt: skip
SELFWORTH_PAPER = (
    "participant_code,timepoint,answered_on,value-myself,speak-up,make-decisions,feel-ashamed\n"
    "SUR-A01,retro_pre,2025-03-30,2,4,,1\n"
    "SUR-A02,post,2025-03-30,5,5,3,2\n"
)
# useful-skills: choose up to 3, with 'other' written in; the code may be left out.
SKILLS = [
    {"instanceID": A, "participant_code": "SUR-A01", "answered_on": "2025-03-30",
     "choices": "resilience connection other", "other_text": "Singing together"},
    {"instanceID": B, "participant_code": "", "answered_on": "2025-03-30",
     "choices": "inner-peace"},
]  # fmt: skip
SKILLS_PAPER = (
    "participant_code,answered_on,choices,other_text,serial\n"
    "SUR-A01,2025-03-30,resilience;connection;other,Singing together,F-1\n"
    ",2025-03-30,inner-peace,,F-2\n"
)


def download(client: FlaskClient, world: World, kind: str, ref: str) -> phone_exports.Phone:
    response = client.get(f"/cohorts/{world.cohort_a}/collect/{kind}/{ref}.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'{ref}-cohort-{world.cohort_a}.xlsx"')
    return phone_exports.load(response.data)


def send(client: FlaskClient, world: World, chosen: str, data: str | bytes, name: str) -> str:
    body = data.encode("utf-8") if isinstance(data, str) else data
    response = client.post(
        f"/cohorts/{world.cohort_a}/collect/",
        data={"questionnaire": chosen, "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')


def problems(page: str) -> list[str]:
    """The page's list of problems, as read: "Row 3, Participant code: ..."."""
    found = re.search(r'<div class="problems".*?</div>', page, re.S)
    items = re.findall(r"<li>(.*?)</li>", found.group(0) if found else "", re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]


def records() -> list[tuple[object, ...]]:
    """Every answer, choice and follow-up, by code: what a paper import and a phone import
    must both leave (ids, times and response keys aside)."""
    code = {p.id: p.code for p in db.session.scalars(select(Participant))}
    out: list[tuple[object, ...]] = []
    for r in db.session.scalars(select(AssessmentResponse)):
        answers = db.session.execute(
            select(AssessmentAnswer.item_id, AssessmentAnswer.value).where(
                AssessmentAnswer.response_id == r.id
            )
        )
        out.append(("assessment", code[r.participant_id], r.instrument_id, r.timepoint.value,
                    r.answered_on, sorted(tuple(a) for a in answers)))  # fmt: skip
    for e in db.session.scalars(select(EvaluationResponse)):
        chosen = db.session.scalars(
            select(EvaluationChoice.option_id).where(EvaluationChoice.response_id == e.id)
        )
        out.append(("evaluation", code.get(e.participant_id or 0), e.form_id, e.answered_on,
                    sorted(chosen), e.other_text))  # fmt: skip
    for f in db.session.scalars(select(FollowUp)):
        out.append(("follow-up", code[f.participant_id], f.instrument_id, f.timepoint.value,
                    f.item_id, f.value, f.status.value))  # fmt: skip
    return sorted(out, key=repr)


@pytest.fixture
def phone_world(app: Flask, bare_world: World) -> World:
    with app.app_context():
        enrol_a02(bare_world)
    return bare_world


@pytest.fixture
def paper_app(template_db: Path, tmp_path: Path) -> Iterator[tuple[Flask, World]]:
    """A second tracker with the same world, where the paper forms are typed in."""
    path = tmp_path / "paper.sqlite"
    shutil.copy(template_db, path)
    paper = make_app(f"sqlite:///{path}")
    with paper.app_context():
        world = build_world(publish=False)
        enrol_a02(world)
    yield paper, world
    with paper.app_context():
        db.engine.dispose()


def paper_records(
    paper_app: tuple[Flask, World], kind: str, text: str, **extra: str
) -> list[tuple[object, ...]]:
    paper, world = paper_app
    client = paper.test_client()
    AuthActions(client).login("coord_a")
    page = upload(client, world.cohort_a, kind, text, **extra)
    assert "Imported 2 rows" in page, page
    with paper.app_context():
        return records()


@pytest.mark.parametrize(
    ("kind", "ref", "submissions", "layout", "paper", "extra"),
    [
        ("assessments", "body", BODY, "odk", BODY_PAPER, {"instrument": "body"}),
        ("assessments", "selfworth", SELFWORTH, "kobo-bn", SELFWORTH_PAPER,
         {"instrument": "selfworth"}),
        ("evaluations", "useful-skills", SKILLS, "odk-split", SKILLS_PAPER,
         {"form_id": "useful-skills"}),
        ("evaluations", "useful-skills", SKILLS, "kobo-details", SKILLS_PAPER,
         {"form_id": "useful-skills"}),
        ("assessments", "body", BODY, "kobo-en-groups", BODY_PAPER, {"instrument": "body"}),
        ("evaluations", "useful-skills", SKILLS, "kobo-en-summary", SKILLS_PAPER,
         {"form_id": "useful-skills"}),
    ],
)  # fmt: skip
def test_a_phone_export_gives_the_records_of_the_paper_form(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    phone_world: World,
    paper_app: tuple[Flask, World],
    kind: str,
    ref: str,
    submissions: list[dict[str, str]],
    layout: str,
    paper: str,
    extra: dict[str, str],
) -> None:
    auth.login("coord_a")
    phone = download(client, phone_world, kind, ref)
    if layout == "odk":
        export = phone_exports.odk_central(phone, submissions)
    elif layout == "odk-split":
        export = phone_exports.odk_central(phone, submissions, split=True, groups=False)
    elif layout == "kobo-bn":
        export = phone_exports.kobotoolbox(phone, submissions, language=phone.language("bn"))
        assert "একটু" in export  # the Bengali label of 2, not the number, is what comes back
    elif layout == "kobo-en-groups":  # labels, with the group's label before each question's
        export = phone_exports.kobotoolbox(phone, submissions, language=phone.language("en"),
                                           groups=True)  # fmt: skip
        assert '"Body image questions/I like my body."' in export
    elif layout == "kobo-en-summary":  # labels joined by spaces, labels with spaces of their own
        export = phone_exports.kobotoolbox(phone, submissions, language=phone.language("en"),
                                           multiple="summary")  # fmt: skip
        assert '"Resilience Feeling connected with others Other (write it in)"' in export
    else:
        export = phone_exports.kobotoolbox(phone, submissions, delimiter=",", multiple="details")
    page = send(client, phone_world, f"{kind}:{ref}", export, "export.csv")
    assert "Imported from" in page and "2 new" in page, page
    with app.app_context():
        phone_records = records()
    assert phone_records == paper_records(paper_app, kind, paper, **extra)
    assert phone_records  # something was compared


def test_a_care_item_answered_yes_raises_the_follow_up(
    app: Flask, client: FlaskClient, auth: AuthActions, phone_world: World
) -> None:
    auth.login("fac_a")
    phone = download(client, phone_world, "assessments", "body")
    page = send(client, phone_world, "assessments:body", phone_exports.odk_central(phone, BODY),
                "body.csv")  # fmt: skip
    assert "Imported from ODK Central: 2 new, 0 changed, 0 unchanged (submissions: 2)." in page
    with app.app_context():
        raised = [tuple(r) for r in db.session.execute(select(FollowUp.item_id, FollowUp.value))]
    assert raised == [("hide-body", 1)]
    cohort_page = client.get(f"/cohorts/{phone_world.cohort_a}").get_data(as_text=True)
    assert "I want to hide my body." in cohort_page  # the open follow-up, on the cohort page


def test_every_bad_row_is_named_and_nothing_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions, phone_world: World
) -> None:
    auth.login("coord_a")
    phone = download(client, phone_world, "assessments", "body")
    rows = [
        BODY[0],
        {**BODY[1], "participant_code": "SUR-Z99"},  # row 3: not in this cohort
        {**BODY[1], "instanceID": C, "form_version": "0123456789-abcdef"},  # row 4: old form
        {**BODY[0], "timepoint": "post"},  # row 5: the same submission as row 2
        {**BODY[1], "instanceID": D, "like-body": "maybe"},  # row 6: not an answer
    ]
    page = send(client, phone_world, "assessments:body", phone_exports.odk_central(phone, rows),
                "body.csv")  # fmt: skip
    assert "Nothing was saved" in page
    version = download(client, phone_world, "assessments", "body").version.split("-")[0]
    assert problems(page) == [
        "Row 3, Participant code: SUR-Z99 is not in this cohort.",
        "Row 4, Form version: This submission was made with another version of the form "
        f"(0123456789), not the one the tracker has now ({version}): its questions may "
        "differ, so it is not imported. Put the form from the tracker on the phones again; if "
        "these answers are needed, enter them by hand.",
        "Row 5, Submission: This is the same submission as row 2: each submission once, please.",
        "Row 6, I like my body.: 'maybe' is not a number",
    ]
    with app.app_context():
        assert db.session.scalar(select(AssessmentResponse.id)) is None
        assert db.session.scalar(select(FollowUp.id)) is None


def test_kobo_names_a_wrong_form_version_and_leaves_out_rejected_submissions(
    app: Flask, client: FlaskClient, auth: AuthActions, phone_world: World
) -> None:
    auth.login("coord_a")
    phone = download(client, phone_world, "evaluations", "useful-skills")
    rows = [SKILLS[0], {**SKILLS[1], "form_version": ""}]
    page = send(client, phone_world, "evaluations:useful-skills",
                phone_exports.kobotoolbox(phone, rows), "skills.csv")  # fmt: skip
    assert problems(page) == [
        "Row 3, Form version: This submission carries no form version: it was not made with a "
        "form downloaded from the tracker, so it is not imported."
    ]
    rejected = [SKILLS[0], {**SKILLS[1], "_validation_status": "validation_status_not_approved"}]
    page = send(client, phone_world, "evaluations:useful-skills",
                phone_exports.kobotoolbox(phone, rejected), "skills.csv")  # fmt: skip
    assert "Imported from KoboToolbox: 1 new" in page
    assert "Left out, as rejected in review: 1." in page


def test_the_same_export_again_changes_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, phone_world: World
) -> None:
    auth.login("coord_a")
    body = phone_exports.odk_central(download(client, phone_world, "assessments", "body"), BODY)
    skills_phone = download(client, phone_world, "evaluations", "useful-skills")
    skills = phone_exports.kobotoolbox(skills_phone, SKILLS)
    archive = io.BytesIO()  # ODK Central's download: a zip with the form's CSV inside
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr(
            f"{skills_phone.form_id}.csv", phone_exports.odk_central(skills_phone, SKILLS)
        )
    assert "2 new" in send(client, phone_world, "assessments:body", body, "body.csv")
    assert "2 new" in send(client, phone_world, "evaluations:useful-skills", skills, "s.csv")
    with app.app_context():
        before = dump(BROWSING)
    for chosen, data, name in (
        ("assessments:body", body, "body.csv"),
        ("evaluations:useful-skills", skills, "s.csv"),
        ("evaluations:useful-skills", archive.getvalue(), "s.csv.zip"),
    ):
        page = send(client, phone_world, chosen, data, name)
        assert "Already imported from" in page and "nothing changed (submissions: 2," in page
    with app.app_context():
        assert dump(BROWSING) == before


def test_a_file_that_is_not_an_export_is_refused_in_plain_words(
    client: FlaskClient, auth: AuthActions, phone_world: World
) -> None:
    auth.login("coord_a")
    page = send(client, phone_world, "assessments:body", BODY_PAPER, "typed.csv")
    assert "This file is not an export from ODK Central or KoboToolbox" in page
    phone = download(client, phone_world, "assessments", "body")
    other = send(client, phone_world, "assessments:selfworth",
                 phone_exports.odk_central(phone, BODY), "body.csv")  # fmt: skip
    assert "None of this questionnaire's questions is a column of this export" in other


ROLES = {"coord_a": 200, "fac_a": 200, "admin": 200, "fac_a2": 404, "coord_b": 404,
         "evaluator": 403}  # fmt: skip


@pytest.mark.parametrize(("user", "status"), ROLES.items())
def test_download_and_import_keep_to_roles_and_organisations(
    app: Flask, client: FlaskClient, auth: AuthActions, phone_world: World, user: str, status: int
) -> None:
    auth.login(user)
    base = f"/cohorts/{phone_world.cohort_a}/collect"
    assert client.get(f"{base}/").status_code == status
    assert client.get(f"{base}/assessments/body.xlsx").status_code == status
    posted = client.post(f"{base}/", data={"questionnaire": "assessments:body"})
    assert posted.status_code == status
    if status == 200:  # a questionnaire of another programme, or none at all: not found
        assert client.get(f"{base}/assessments/nope.xlsx").status_code == 404
        assert client.get(f"{base}/other/body.xlsx").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AssessmentResponse.id)) is None


def test_the_typed_code_pattern_is_the_trackers() -> None:
    """The form's constraint (for a form without a cohort) accepts what the tracker accepts."""
    import re

    whole, digit = re.findall(r"regex\(\., '([^']+)'\)", xlsform.CODE_CONSTRAINT)
    for code in ("SUR-014", "K-001", "sur-a01", "A1", "1-A", "Priya", "SUR 014", "S", "-SUR1",
                 "ABCDEFGHIJ" * 4 + "1", "ŚUR-1"):  # fmt: skip
        form_ok = bool(re.search(whole, code)) and bool(re.search(digit, code))
        upper = code.upper()
        tracker_ok = bool(CODE_PATTERN.match(upper)) and any(ch.isdigit() for ch in upper)
        assert form_ok == tracker_ok, code


def test_the_cohort_form_lists_its_codes_and_the_import_page_says_how(
    app: Flask, client: FlaskClient, auth: AuthActions, phone_world: World
) -> None:
    auth.login("coord_a")
    phone = download(client, phone_world, "assessments", "body")
    assert [name for name, _ in phone.choices["participants"]] == ["SUR-A01", "SUR-A02"]
    data = client.get(f"/cohorts/{phone_world.cohort_a}/collect/assessments/body.xlsx").data
    warnings: list[str] = []
    xform = convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=warnings).xform
    assert warnings == [] and "<name>SUR-A02</name>" in xform  # loads on a phone as it is
    assert phone.fields[1].kind == "select_one participants"
    with app.app_context():
        generic = xlsform.instrument_form(content.content(), "body")
    assert phone.version.split("-")[0] == generic.content_version  # the codes aside, the same
    assert phone.version != generic.version
    cohort = client.get(f"/cohorts/{phone_world.cohort_a}").get_data(as_text=True)
    assert f"/cohorts/{phone_world.cohort_a}/collect/" in cohort
    page = client.get(f"/cohorts/{phone_world.cohort_a}/import").get_data(as_text=True)
    assert "Collect on phones, offline: step by step" in page
    with app.app_context():
        assert cohort_a(phone_world).name == "Cohort A"


def test_a_zip_is_read_within_the_upload_limit(app: Flask) -> None:
    def packed(**files: str) -> bytes:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for name, text in files.items():
                zipped.writestr(name, text)
        return archive.getvalue()

    with app.test_request_context():
        root = collect.export_text(packed(**{"body.csv": "a", "body-repeat.csv": "b"}), 100)
        assert root == "a"  # the root table, not a repeat group's
        empty = collect.export_text(packed(**{"media/1.jpg": "x"}), 100)
        assert isinstance(empty, Problem) and "holds no CSV file" in empty.message
        bomb = collect.export_text(packed(**{"body.csv": "0" * 10_000}), 1000)
        assert isinstance(bomb, Problem) and "too large" in bomb.message
        broken = collect.export_text(b"PK\x03\x04 not really a zip", 1000)
        assert isinstance(broken, Problem) and "cannot be opened" in broken.message
