"""Care follow-ups and referrals: raised by an answer that meets its item's rule (form or
import), seen by the cohort's facilitators and coordinator only, edited with version checks,
erased with consent withdrawal."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.tracker.conftest import AuthActions, World
from tracker.db import db
from tracker.models import (
    Attendance,
    AttendanceStatus,
    AuditEvent,
    Cohort,
    FollowUp,
    FollowUpStatus,
    Participant,
    Referral,
    ReferralOutcome,
    Timepoint,
)
from tracker.records import assessments, care, imports, participants

BODY_CSV = "participant_code,timepoint,answered_on,like-body,care-health,hide-body\n"
ITEM_TEXT = "I want to hide my body."
CARE_BN = "সে হ্যাঁ বললে সেদিনই পরে তার সঙ্গে একান্তে কথা বলুন।"  # the item's care text, in bn


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def answer(client: FlaskClient, world: World, **items: str) -> None:
    """Save the pre answers on the form, based on the version the form was opened at."""
    url = f"/cohorts/{world.cohort_a}/assessments/body/pre/{world.participant_a}"
    version = re.search(r'name="version" value="(\d+)"', client.get(url).get_data(as_text=True))
    assert version is not None
    response = client.post(
        url,
        data={"answered_on": "2025-01-06", "version": version[1]}
        | {f"item-{k}": v for k, v in items.items()},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def follow_ups(app: Flask) -> list[tuple[str, str, int, FollowUpStatus]]:
    with app.app_context():
        return [
            (f.item_id, f.timepoint.value, f.value, f.status)
            for f in db.session.scalars(select(FollowUp).order_by(FollowUp.id))
        ]


def raise_one(app: Flask, world: World) -> int:
    """A "yes" to hide-body for SUR-A01 at pre, saved the way the form saves it."""
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        saved = assessments.save(
            cohort,
            assessments.AssessmentInput(
                world.participant_a, "body", Timepoint.pre, date(2025, 1, 6), {"hide-body": 1}
            ),
        )
        assert isinstance(saved, int)
        return db.session.scalar(select(FollowUp.id)) or 0


def refer(client: FlaskClient, world: World, follow_up_id: int, **fields: str) -> str:
    data = {"referred_on": "2025-01-07", "service": "counsellor", "outcome": "waiting"} | fields
    return client.post(
        f"/cohorts/{world.cohort_a}/follow-ups/{follow_up_id}/referral",
        data=data,
        follow_redirects=True,
    ).get_data(as_text=True)


# ---------------------------------------------------------------- raised by answers


def test_a_yes_on_the_form_shows_on_the_cohort_page_once(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    answer(client, world, **{"like-body": "1", "hide-body": "1"})
    answer(client, world, **{"like-body": "0", "hide-body": "1"})  # saved again: still one
    assert follow_ups(app) == [("hide-body", "pre", 1, FollowUpStatus.open)]
    for user in ("fac_a", "coord_a", "admin"):
        auth.logout()
        auth.login(user)
        page = client.get(f"/cohorts/{world.cohort_a}").get_data(as_text=True)
        section = page[page.index('id="follow-ups"') : page.index("</section>")]
        assert "SUR-A01" in section and ITEM_TEXT in section, user
    with app.app_context():
        raised = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "raise"))
        assert [(e.entity, e.detail) for e in raised] == [("follow_up", "body/hide-body pre")]


def test_the_item_text_follows_the_interface_language(
    client: FlaskClient, auth: AuthActions, world: World, app: Flask
) -> None:
    raise_one(app, world)
    auth.login("coord_a", language="bn")
    page = client.get(f"/cohorts/{world.cohort_a}").get_data(as_text=True)
    assert "আমি আমার শরীর লুকিয়ে রাখতে চাই।" in page and ITEM_TEXT not in page
    auth.login("coord_a", language="en")
    page = client.get(f"/cohorts/{world.cohort_a}").get_data(as_text=True)
    assert ITEM_TEXT in page


def test_the_answer_form_shows_the_item_s_own_care_text(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    page = client.get(
        f"/cohorts/{world.cohort_a}/assessments/body/pre/{world.participant_a}"
    ).get_data(as_text=True)
    assert CARE_BN in page  # in the cohort's language, like the items


def test_the_printed_form_tells_her_and_keeps_care_text_for_the_facilitator(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    page = client.get(f"/cohorts/{world.cohort_a}/paper/assessments/body/pre.html").get_data(
        as_text=True
    )
    facilitator_page, sheets = page.split('<section class="fh-form">', 1)
    assert CARE_BN in facilitator_page
    assert "For the facilitator" in facilitator_page
    assert CARE_BN not in sheets
    assert "Your facilitator reads your answers" in sheets
    selfworth = client.get(
        f"/cohorts/{world.cohort_a}/paper/assessments/selfworth/pre.html"
    ).get_data(as_text=True)
    assert "Your facilitator reads your answers" not in selfworth  # no rule, no promise


def test_csv_import_raises_and_a_second_import_adds_nothing(app: Flask, world: World) -> None:
    text = BODY_CSV + "SUR-A01,pre,2025-01-06,1,1,yes\nSUR-A01,post,2025-03-30,1,1,no\n"
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        assert imports.import_assessments(cohort, "body", text, 1000).ok
        first = db.session.scalars(select(FollowUp)).all()
        assert [(f.timepoint, f.value) for f in first] == [(Timepoint.pre, 1)]
        ids = [f.id for f in first]
        assert imports.import_assessments(cohort, "body", text, 1000).ok
        assert [f.id for f in db.session.scalars(select(FollowUp))] == ids
        raised = select(func.count()).where(AuditEvent.action == "raise")
        assert db.session.scalar(raised) == 1


def test_a_changed_or_cleared_answer_removes_an_open_follow_up(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    answer(client, world, **{"hide-body": "1"})
    answer(client, world, **{"hide-body": "0"})  # changed to "no"
    assert follow_ups(app) == []
    answer(client, world, **{"hide-body": "1"})
    answer(client, world, **{"like-body": "1"})  # the care item passed: cleared
    assert follow_ups(app) == []
    with app.app_context():
        removed = select(func.count()).where(AuditEvent.action == "remove")
        assert db.session.scalar(removed) == 2


def test_a_follow_up_with_a_referral_stays_when_the_answer_changes(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    follow_up_id = raise_one(app, world)
    auth.login("coord_a")
    refer(client, world, follow_up_id)
    answer(client, world, **{"hide-body": "0"})
    assert follow_ups(app) == [("hide-body", "pre", 1, FollowUpStatus.open)]
    with app.app_context():  # a deleted response forgets only what has no referral
        assert care.forget_answers(world.cohort_a, world.participant_a, "body", Timepoint.pre) == 0
        assert count(FollowUp) == 1


def test_forget_answers_removes_an_open_follow_up_without_referral(
    app: Flask, world: World
) -> None:
    raise_one(app, world)
    with app.app_context():
        assert care.forget_answers(world.cohort_a, world.participant_a, "body", Timepoint.post) == 0
        assert care.forget_answers(world.cohort_a, world.participant_a, "body", Timepoint.pre) == 1
        db.session.commit()
        assert count(FollowUp) == 0


# ---------------------------------------------------------------- referrals, closing


def test_coordinator_records_edits_and_closes_with_version_checks(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    follow_up_id = raise_one(app, world)
    auth.login("coord_a")
    form = client.get(f"/cohorts/{world.cohort_a}/follow-ups/{follow_up_id}/referral")
    assert form.status_code == 200 and ITEM_TEXT in form.get_data(as_text=True)
    page = refer(client, world, follow_up_id, next_check_on="2025-01-14", note="call on Monday")
    assert "Referral recorded for SUR-A01." in page and "Counsellor" in page
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.made_by, referral.version, referral.follow_up_id) == (
            "coord_a",
            1,
            follow_up_id,
        )
        referral_id = referral.id
    edit_url = f"/cohorts/{world.cohort_a}/referrals/{referral_id}"
    base = {"referred_on": "2025-01-07", "service": "counsellor", "next_check_on": ""}
    saved = client.post(edit_url, data=base | {"outcome": "reached", "version": "1"})
    assert saved.status_code == 302
    # A second editor, still on version 1, is refused: nothing of hers overwrites.
    stale = client.post(
        edit_url, data=base | {"outcome": "declined", "service": "helpline", "version": "1"}
    )
    text = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert "Someone else saved this referral" in text
    # What changed, by the fields' visible labels: only where hers differs from what is now.
    assert "Outcome: <strong>reached</strong>" in text
    assert "Service: <strong>Counsellor</strong>" in text
    assert "Next check: <strong>" not in text  # the same in both: not listed
    assert 'name="version" type="hidden" value="2"' in text
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        assert referral is not None
        assert (referral.outcome, referral.service, referral.version) == (
            ReferralOutcome.reached,
            "counsellor",
            2,
        )
    status_url = f"/cohorts/{world.cohort_a}/follow-ups/{follow_up_id}/status"
    closed = client.post(status_url, data={"status": "closed", "version": "1"})
    assert closed.status_code == 302
    again = client.post(
        status_url, data={"status": "open", "version": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Someone else changed this follow-up" in again
    assert "It is now closed (by coord_a on" in again
    assert follow_ups(app) == [("hide-body", "pre", 1, FollowUpStatus.closed)]
    page = client.get(f"/cohorts/{world.cohort_a}").get_data(as_text=True)
    assert "No open follow-ups." in page  # closed: off the cohort's list
    reopened = client.post(status_url, data={"status": "open", "version": "2"})
    assert reopened.status_code == 302
    assert follow_ups(app) == [("hide-body", "pre", 1, FollowUpStatus.open)]
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity.in_(["referral", "follow_up"]))
        ).all()
        assert actions == ["raise", "create", "update", "close", "reopen"]


def test_bad_referrals_name_the_field_and_save_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    follow_up_id = raise_one(app, world)
    auth.login("fac_a")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for fields, label, message in (
        ({"service": "astrologer"}, "Service", "Choose a kind of service from the list."),
        ({"referred_on": tomorrow}, "Date referred", "The referral date is in the future."),
        ({"referred_on": "07/01/2025"}, "Date referred", "Give the date of the referral"),
        ({"next_check_on": "2025-01-01"}, "Next check", "cannot come before the referral"),
        ({"outcome": "cured"}, "Outcome", "Choose an outcome from the list."),
        ({"note": "x" * 501}, "Note", "Keep the note under 500 characters."),
    ):
        page = refer(client, world, follow_up_id, **fields)
        assert "Nothing was saved" in page, fields
        assert re.search(rf">{label}[^<]*</a>: [^<]*{re.escape(message)}", page), (fields, page)
    with app.app_context():
        assert count(Referral) == 0


def test_participant_page_shows_her_record(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    follow_up_id = raise_one(app, world)
    auth.login("fac_a")
    refer(client, world, follow_up_id, service="legal-aid")
    with app.app_context():
        db.session.add(
            Attendance(
                session_id=world.session_a,
                participant_id=world.participant_a,
                status=AttendanceStatus.late,
            )
        )
        db.session.commit()
    page = client.get(f"/cohorts/{world.cohort_a}/participants/{world.participant_a}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "SUR-A01" in text and "Legal aid" in text and ITEM_TEXT in text
    assert "Late" in text  # attendance per session
    assert re.search(r"Before \(pre\): <strong>Yes</strong>", text)  # the answer's label
    roster = client.get(f"/cohorts/{world.cohort_a}/participants").get_data(as_text=True)
    assert f"/cohorts/{world.cohort_a}/participants/{world.participant_a}" in roster


# ---------------------------------------------------------------- who reaches it


def care_urls(world: World, follow_up_id: int, referral_id: int) -> list[tuple[str, str]]:
    a, p = world.cohort_a, world.participant_a
    return [
        ("GET", f"/cohorts/{a}/participants/{p}"),
        ("GET", f"/cohorts/{a}/follow-ups/{follow_up_id}/referral"),
        ("POST", f"/cohorts/{a}/follow-ups/{follow_up_id}/referral"),
        ("GET", f"/cohorts/{a}/participants/{p}/referral"),
        ("POST", f"/cohorts/{a}/participants/{p}/referral"),
        ("GET", f"/cohorts/{a}/referrals/{referral_id}"),
        ("POST", f"/cohorts/{a}/referrals/{referral_id}"),
        ("POST", f"/cohorts/{a}/follow-ups/{follow_up_id}/status"),
    ]


def _with_referral(app: Flask, world: World) -> tuple[int, int]:
    follow_up_id = raise_one(app, world)
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        follow_up = db.session.get(FollowUp, follow_up_id)
        assert cohort is not None
        made = care.add_referral(
            cohort,
            world.participant_a,
            follow_up,
            care.ReferralInput(date(2025, 1, 7), "counsellor", ReferralOutcome.waiting, None, None),
            "coord_a",
        )
        assert isinstance(made, Referral)
        return follow_up_id, made.id


def _snapshot(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        rows = [(f.id, f.status, f.version) for f in db.session.scalars(select(FollowUp))] + [
            (r.id, r.outcome, r.service, r.version) for r in db.session.scalars(select(Referral))
        ]
        return rows


def test_evaluators_and_other_cohorts_never_reach_care(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    follow_up_id, referral_id = _with_referral(app, world)
    before = _snapshot(app)
    post = {
        "referred_on": "2025-01-08",
        "service": "shelter",
        "outcome": "declined",
        "status": "closed",
        "version": "1",
    }
    for user, expected in (("evaluator", 403), ("coord_b", 404), ("fac_a2", 404)):
        auth.login(user)
        for method, url in care_urls(world, follow_up_id, referral_id):
            response = client.open(url, method=method, data=post if method == "POST" else None)
            assert response.status_code == expected, (user, method, url)
        auth.logout()
    assert _snapshot(app) == before
    auth.login("fac_a2")
    assert client.get(f"/cohorts/{world.cohort_a}").status_code == 404


def test_ids_of_another_cohort_in_my_cohort_s_urls_are_404(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    follow_up_id, referral_id = _with_referral(app, world)
    auth.login("coord_b")  # her own cohort B, organisation A's follow-up and referral ids
    b = world.cohort_b
    for url in (
        f"/cohorts/{b}/follow-ups/{follow_up_id}/referral",
        f"/cohorts/{b}/referrals/{referral_id}",
        f"/cohorts/{b}/participants/{world.participant_a}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/cohorts/{b}/follow-ups/{follow_up_id}/status", data={"status": "closed", "version": "1"}
    )
    assert response.status_code == 404
    assert follow_ups(app) == [("hide-body", "pre", 1, FollowUpStatus.open)]


def test_withdrawing_consent_erases_follow_ups_and_referrals(app: Flask, world: World) -> None:
    _with_referral(app, world)
    with app.app_context():
        person = db.session.get(Participant, world.participant_a)
        assert person is not None
        participants.withdraw_consent(person)
        assert count(FollowUp) == 0 and count(Referral) == 0


def test_summaries_never_read_care_records() -> None:
    """Referral records are participant-level: no evaluator output may be computed from them."""
    summaries = Path(__file__).resolve().parents[2] / "tracker" / "summaries"
    for path in summaries.rglob("*.py"):
        text = path.read_text("utf-8")
        for name in ("FollowUp", "Referral", "follow_up_id", "records.care"):
            assert name not in text, (path.name, name)


def test_raising_changing_and_forgetting_on_both_databases(db_app: Flask) -> None:
    """The bulk statements (insert returning, update by key, delete) on SQLite and PostgreSQL."""
    from tests.tracker.conftest import build_world

    with db_app.test_request_context():
        world = build_world(publish=False)
        cohort_a = db.session.get(Cohort, world.cohort_a)
        assert cohort_a is not None

        def write(when: date, hide_body: int | None) -> None:
            answers = {"like-body": 1} | ({} if hide_body is None else {"hide-body": hide_body})
            entry = assessments.AssessmentInput(
                world.participant_a, "body", Timepoint.pre, when, answers
            )
            assessments.write([(world.cohort_a, entry)])
            db.session.commit()

        write(date(2025, 1, 6), 1)
        first = db.session.scalars(select(FollowUp)).one()
        write(date(2025, 1, 8), 1)  # the same answer on a corrected date: the same follow-up
        db.session.expire_all()
        again = db.session.scalars(select(FollowUp)).one()
        assert (again.id, again.answered_on) == (first.id, date(2025, 1, 8))
        write(date(2025, 1, 8), None)
        assert count(FollowUp) == 0
        write(date(2025, 1, 8), 1)
        assert care.forget_answers(world.cohort_a, world.participant_a, "body", Timepoint.pre) == 1
        db.session.commit()
        assert count(FollowUp) == 0
