"""The citizen scorecard: entry by form and CSV, corrections that know their version, who
reaches what, the figures against a count of our own, their protection, sharing a period
for good, the advocacy brief on paper in Bengali and English, the blank sheet."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from facilitator.content import load_content
from facilitator.printing.engine import Printer, chromium_available, page_count
from facilitator.printing.scorecard import scorecard_sheet_html
from facilitator.scorecard_model import FACE_IDS, csv_columns
from facilitator.scorecard_xlsform import scorecard_form
from tests.tracker.conftest import PASSWORD, AuthActions, World, make_app
from tracker import content
from tracker.db import db
from tracker.models import AuditEvent, EvaluatorGrant, Organisation, Role
from tracker.records import accounts
from tracker.scorecards import demo, protect, records, sharing, view
from tracker.scorecards.counts import PeriodCounts, live
from tracker.scorecards.models import Collective, Outcome, ScorecardPublication, ScorecardRound
from tracker.scorecards.periods import period_of
from tracker.scorecards.tables import ALL, Atoms, relations
from tracker.summaries import protection
from tracker.summaries.tables import Suppressed

ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2025-Q1"
OFFICES = ("ahtu-police", "dlsa", "health-centre", "block-office", "panchayat")
SERVICES = ("victim-compensation", "complaint", "health-care", "ration-card", "case-news")
QUESTIONS = ("respect", "got-service", "waiting", "privacy", "payment")


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def sheet(**given: object) -> records.RoundInput:
    values: dict[str, object] = {
        "held_on": date(2025, 2, 3),
        "district": "Alpha",
        "block": "North block",
        "duty_bearer": "dlsa",
        "service": "victim-compensation",
        "outcome": Outcome.pending,
        "days_waited": 40,
        "answers": {"respect": "good", "waiting": "bad"},
        "round_key": None,
    }
    values.update(given)
    return records.RoundInput(**values)  # type: ignore[arg-type]


def make_collective(app: Flask, organisation_id: int, name: str = "Collective A") -> int:
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        assert organisation is not None
        made = records.create_collective(organisation, name)
        assert isinstance(made, Collective), made
        return made.id


def add(app: Flask, collective_id: int, sheets: list[records.RoundInput]) -> list[int]:
    with app.app_context():
        collective = db.session.get(Collective, collective_id)
        assert collective is not None
        scorecard = content.content().scorecard
        assert scorecard is not None
        ids = []
        for data in sheets:
            saved = records.save(scorecard, collective, data)
            assert isinstance(saved, ScorecardRound), saved
            ids.append(saved.id)
        return ids


def share(app: Flask, collective_id: int, period: str = PERIOD) -> int:
    with app.app_context():
        collective = db.session.get(Collective, collective_id)
        assert collective is not None
        shared = sharing.publish(content.content(), collective, period, "test")
        assert isinstance(shared, ScorecardPublication), shared
        return shared.id


def random_sheets(rng: random.Random, n: int, period_start: date) -> list[records.RoundInput]:
    found = []
    for _ in range(n):
        found.append(
            sheet(
                held_on=period_start + timedelta(days=rng.randint(0, 88)),
                district=rng.choice(("Alpha", "Beta")),
                block=rng.choice(("B1", "B2")),
                duty_bearer=rng.choices(OFFICES, (6, 5, 3, 1, 1))[0],
                service=rng.choices(SERVICES, (5, 3, 3, 1, 1))[0],
                outcome=rng.choice([None, *Outcome]),
                days_waited=rng.choice([None, rng.randint(0, 90)]),
                answers={q: rng.choice(FACE_IDS) for q in QUESTIONS if rng.random() < 0.9}
                or {"respect": "okay"},
            )
        )
    return found


# ------------------------------------------------------------------ entry


def test_a_sheet_typed_in_is_saved_anonymous_and_audited(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    collective_id = make_collective(app, bare_world.org_a)
    auth.login("fac_a")
    form = {
        "held_on": "2025-02-03", "district": " Alpha ", "block": "North  block",
        "duty_bearer": "ahtu-police", "service": "complaint", "outcome": "refused",
        "days_waited": "12", "face-respect": "bad", "face-privacy": "good", "face-waiting": "",
    }  # fmt: skip
    response = client.post(f"/scorecards/{collective_id}/rounds/new", data=form)
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalars(select(ScorecardRound)).one()
        assert (saved.district, saved.block, saved.outcome, saved.days_waited) == (
            "Alpha", "North block", Outcome.refused, 12,
        )  # fmt: skip
        assert records.answers_of([saved.id])[saved.id] == {"respect": "bad", "privacy": "good"}
        # Anonymous by design: no column of a scorecard can hold a person.
        columns = {c["name"] for c in inspect(db.engine).get_columns("scorecard_round")}
        assert not {c for c in columns if "participant" in c or "code" in c or "name" in c}
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "scorecard_round"))
        assert [e.action for e in event] == ["record"]


def test_form_problems_name_the_visible_fields_and_save_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    collective_id = make_collective(app, bare_world.org_a)
    auth.login("coord_a")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    form = {"held_on": tomorrow, "district": "", "block": "B", "duty_bearer": "the-mayor",
            "service": "complaint", "days_waited": "two weeks"}  # fmt: skip
    page = client.post(f"/scorecards/{collective_id}/rounds/new", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nothing was saved" in text
    assert "Date of the visit" in text and "Days waited" in text
    form |= {"held_on": "2025-02-03", "days_waited": "3"}
    text = client.post(f"/scorecards/{collective_id}/rounds/new", data=form).get_data(as_text=True)
    assert "Kind of office" in text and "District" in text and "Answers" in text
    assert "the-mayor" in text  # what she typed, named back to her
    with app.app_context():
        assert count(ScorecardRound) == 0


def test_a_correction_based_on_an_old_version_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    collective_id = make_collective(app, bare_world.org_a)
    (round_id,) = add(app, collective_id, [sheet()])
    auth.login("coord_a")
    url = f"/scorecards/{collective_id}/rounds/{round_id}"
    form = client.get(url).get_data(as_text=True)
    assert 'name="version" value="1"' in form
    base = {"held_on": "2025-02-03", "district": "Alpha", "block": "North block",
            "duty_bearer": "dlsa", "service": "victim-compensation", "outcome": "granted",
            "face-respect": "good", "version": "1"}  # fmt: skip
    assert client.post(url, data=base).status_code == 302
    late = client.post(url, data=base | {"outcome": "refused", "face-respect": "bad"})
    text = late.get_data(as_text=True)
    assert late.status_code == 200 and "Someone else saved this scorecard" in text
    assert "Outcome" in text  # what they changed, by its label
    with app.app_context():
        saved = db.session.get(ScorecardRound, round_id)
        assert saved is not None and saved.outcome is Outcome.granted and saved.version == 2
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "scorecard_round")
        ).all()
        assert actions == ["record", "update"]


def test_deleting_is_for_coordinators_and_knows_its_version(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    collective_id = make_collective(app, bare_world.org_a)
    (round_id,) = add(app, collective_id, [sheet()])
    url = f"/scorecards/{collective_id}/rounds/{round_id}/delete"
    auth.login("fac_a")
    assert client.post(url, data={"version": "1"}).status_code == 403
    auth.logout()
    auth.login("coord_a")
    assert client.post(url, data={"version": "7"}).status_code == 200  # stale: shown again
    with app.app_context():
        assert count(ScorecardRound) == 1
    assert client.post(url, data={"version": "1"}).status_code == 302
    with app.app_context():
        assert count(ScorecardRound) == 0
        assert (
            db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "delete"))
            == "delete"
        )


# ------------------------------------------------------------------ import


def csv_of(rows: list[dict[str, str]], columns: list[str]) -> str:
    lines = [",".join(columns)]
    lines += [",".join(row.get(c, "") for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def test_import_is_all_or_nothing_idempotent_and_names_rows_and_columns(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    collective_id = make_collective(app, bare_world.org_a)
    with app.app_context():
        scorecard = content.content().scorecard
        assert scorecard is not None
        columns = csv_columns(scorecard)
    good = [
        {"held_on": "2025-01-10", "district": "Alpha", "block": "B1", "duty_bearer": "dlsa",
         "service": "legal-aid", "respect": "good", "payment": "bad"},
        {"serial": "S-2", "held_on": "2025-01-11", "district": "alpha", "block": "B1",
         "duty_bearer": "court", "service": "case-news", "outcome": "pending",
         "days_waited": "31", "waiting": "okay"},
    ]  # fmt: skip
    bad = [*good, {"held_on": "2025-01-12", "district": "Alpha", "block": "B2",
                   "duty_bearer": "dlsa", "service": "legal-aid", "outcome": "maybe",
                   "respect": "great"}]  # fmt: skip
    auth.login("fac_a")
    url = f"/scorecards/{collective_id}/import"

    def send(text: str) -> str:
        data = {"file": (__import__("io").BytesIO(text.encode()), "sheets.csv")}
        response = client.post(url, data=data, content_type="multipart/form-data")
        if response.status_code == 302:
            return client.get(f"/scorecards/{collective_id}").get_data(as_text=True)
        return response.get_data(as_text=True)

    refused = send(csv_of(bad, columns))
    assert "Nothing was saved" in refused
    assert "Row 4, Outcome" in refused and "Row 4, Respect" in refused
    with app.app_context():
        assert count(ScorecardRound) == 0
    assert "Imported 2 rows: 2 new, 0 changed, 0 unchanged." in send(csv_of(good, columns))
    assert "Already imported: nothing changed (2 rows" in send(csv_of(good, columns))
    changed = [good[0], good[1] | {"outcome": "granted"}]  # the same sheet number, corrected
    assert "0 new, 1 changed, 1 unchanged" in send(csv_of(changed, columns))
    twice = send(csv_of([good[0], good[0]], columns))
    assert "Row 3, Sheet number" in twice and "Row 2 has exactly the same answers" in twice
    with app.app_context():
        districts = set(db.session.scalars(select(ScorecardRound.district)))
        assert districts == {"Alpha"}  # 'alpha' is the district first written 'Alpha'
        assert count(ScorecardRound) == 2
        imports_audited = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import")
        )
        assert imports_audited == 2  # the import that changed nothing left no trace


# ------------------------------------------------------------------ who reaches what

ROLES = ("anonymous", "admin", "coord_a", "fac_a", "fac_a2", "coord_b", "evaluator")
STAFF_A = {"admin", "coord_a", "fac_a", "fac_a2"}
SIGNED_IN = set(ROLES) - {"anonymous"}


def expect(
    allowed: set[str], ok: int = 200, hidden: frozenset[str] = frozenset()
) -> dict[str, int]:
    return {
        role: ok
        if role in allowed
        else 302
        if role == "anonymous"
        else 404
        if role in hidden
        else 403
        for role in ROLES
    }


def routes(c: int, r: int, p: int) -> list[tuple[str, str, dict[str, int]]]:
    """Every scorecard route with a real collective, round and shared period of org A."""
    other = frozenset({"coord_b"})
    own = expect(STAFF_A, hidden=other)
    coordinators = expect({"admin", "coord_a"}, hidden=other)
    return [
        ("GET", "/scorecards/", expect(SIGNED_IN)),
        ("GET", "/scorecards/collectives/new", expect({"admin", "coord_a", "coord_b"})),
        ("GET", "/scorecards/template.csv", expect(STAFF_A | {"coord_b"})),
        ("GET", "/scorecards/sheet.html?lang=bn", expect(STAFF_A | {"coord_b"})),
        ("GET", f"/scorecards/{c}", own),
        ("GET", f"/scorecards/{c}/rounds/new", own),
        ("GET", f"/scorecards/{c}/rounds/{r}", own),
        ("GET", f"/scorecards/{c}/rounds/{r}/delete", coordinators),
        ("GET", f"/scorecards/{c}/import", own),
        ("GET", f"/scorecards/{c}/periods/{PERIOD}", own),
        ("GET", f"/scorecards/{c}/periods/{PERIOD}?view=preview", own),
        ("GET", f"/scorecards/{c}/periods/{PERIOD}/brief.csv", own),
        ("GET", f"/scorecards/{c}/periods/{PERIOD}/brief.html?lang=hi", own),
        ("POST", f"/scorecards/{c}/periods/{PERIOD}/publish",
         expect({"admin", "coord_a"}, 302, hidden=frozenset({"coord_b"}))),
        # Shared: every organisation's staff, and evaluators granted organisation A.
        ("GET", f"/scorecards/shared/{p}", expect(SIGNED_IN)),
        ("GET", f"/scorecards/shared/{p}/brief.csv", expect(SIGNED_IN)),
        ("GET", f"/scorecards/shared/{p}/brief.html?lang=bn", expect(SIGNED_IN)),
    ]  # fmt: skip


@pytest.fixture
def shared_world(app: Flask, bare_world: World) -> tuple[World, int, int, int]:
    collective_id = make_collective(app, bare_world.org_a)
    ids = add(app, collective_id, random_sheets(random.Random(5), 40, date(2025, 1, 1)))
    return bare_world, collective_id, ids[0], share(app, collective_id)


def test_every_scorecard_route_for_every_role(
    app: Flask, shared_world: tuple[World, int, int, int]
) -> None:
    _, c, r, p = shared_world
    failures = []
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            client.post("/login", data={"username": role, "password": PASSWORD})
        for method, url, codes in routes(c, r, p):
            status = client.open(url, method=method).status_code
            if status != codes[role]:
                failures.append(f"{role}: {method} {url}: {status}, expected {codes[role]}")
    assert not failures, "\n".join(failures)


def test_another_organisation_changes_nothing_of_a_collective(
    app: Flask, client: FlaskClient, auth: AuthActions, shared_world: tuple[World, int, int, int]
) -> None:
    _, c, r, _p = shared_world
    with app.app_context():
        before = [(x.id, x.version) for x in db.session.scalars(select(ScorecardRound))]
    auth.login("coord_b")
    form = {"held_on": "2025-02-03", "district": "X", "block": "Y", "duty_bearer": "dlsa",
            "service": "legal-aid", "face-respect": "bad", "version": "1"}  # fmt: skip
    for url in (f"/scorecards/{c}/rounds/new", f"/scorecards/{c}/rounds/{r}",
                f"/scorecards/{c}/rounds/{r}/delete", f"/scorecards/{c}/import",
                f"/scorecards/{c}/periods/2025-Q2/publish"):  # fmt: skip
        assert client.post(url, data=form).status_code == 404, url
    with app.app_context():
        assert [(x.id, x.version) for x in db.session.scalars(select(ScorecardRound))] == before
        assert count(ScorecardPublication) == 1


def test_evaluators_read_only_shared_periods_of_granted_organisations(
    app: Flask, shared_world: tuple[World, int, int, int]
) -> None:
    world, _c, _r, p = shared_world
    with app.app_context():
        other = accounts.create_user(accounts.UserInput("evaluator_b", Role.evaluator, None,
                                                        PASSWORD))  # fmt: skip
        assert not isinstance(other, list)
        db.session.add(EvaluatorGrant(user_id=other.id, organisation_id=world.org_b))
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "evaluator_b", "password": PASSWORD})
    assert client.get(f"/scorecards/shared/{p}").status_code == 404
    assert "Collective A" not in client.get("/scorecards/").get_data(as_text=True)
    granted = app.test_client()
    granted.post("/login", data={"username": "evaluator", "password": PASSWORD})
    granted.post("/language", data={"language": "en"})
    index = granted.get("/scorecards/").get_data(as_text=True)
    assert f"/scorecards/shared/{p}" in index and "January – March 2025" in index
    page = granted.get(f"/scorecards/shared/{p}").get_data(as_text=True)
    assert "Shared by the collective on" in page and "North block" not in page  # no block


# ------------------------------------------------------------------ figures


def expected_counts(sheets: list[records.RoundInput], days: int) -> dict[str, Counter[tuple]]:
    """The same figures, counted here one sheet at a time without the tracker's queries."""
    found: dict[str, Counter[tuple]] = {k: Counter() for k in ("n", "face", "service")}
    for s in sheets:
        d, k = s.district, s.duty_bearer
        found["n"][(d, k)] += 1
        found["n"][(d, ALL)] += 1
        for question, face in s.answers.items():
            found["face"][(d, k, question, face)] += 1
            found["face"][(d, ALL, question, face)] += 1
        late = s.days_waited is not None and s.days_waited > days
        refused = s.outcome is Outcome.refused
        for name, hit in (("ratings", True), ("granted", s.outcome is Outcome.granted),
                          ("pending", s.outcome is Outcome.pending), ("refused", refused),
                          ("delayed", late), ("refused_or_delayed", refused or late)):  # fmt: skip
            found["service"][(d, s.service, name)] += int(hit)
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_figures_match_a_count_of_our_own(app: Flask, bare_world: World, seed: int) -> None:
    rng = random.Random(seed)
    collective_id = make_collective(app, bare_world.org_a)
    sheets = random_sheets(rng, rng.randint(20, 70), date(2025, 1, 1))
    add(app, collective_id, sheets)
    with app.test_request_context():
        collective = db.session.get(Collective, collective_id)
        assert collective is not None
        figures = view.figures(collective, PERIOD, "exact", content.content(), str)
        assert figures is not None
        want = expected_counts(sheets, 30)
        for district in figures.districts:
            d = district.district
            ratings = district.sections[0].table
            for key, row in zip(ratings.row_keys, ratings.rows, strict=True):
                assert row[1] == want["n"][(d, key)], (d, key)
            for section in district.sections:
                if not section.key.startswith("questions-"):
                    continue
                office = section.key.removeprefix("questions-")
                table = section.table
                for key, row in zip(table.row_keys, table.rows, strict=True):
                    faces = [want["face"][(d, office, key, f)] for f in FACE_IDS]
                    assert row[1:5] == [*faces, sum(faces)], (d, office, key)
                    if sum(faces):
                        assert row[5] == pytest.approx(faces[0] / sum(faces))
            services = district.services
            names = [c.key for c in services.columns[1:-1]]
            for key, row in zip(services.row_keys, services.rows, strict=True):
                assert row[1:-1] == [want["service"][(d, key, n)] for n in names], (d, key)
            shares = [row[-1] for row in services.rows]
            assert shares == sorted(shares, reverse=True)  # most often refused or delayed first
            total = sum(want["service"][(d, s, "ratings")] for s in SERVICES)
            assert district.ratings == total == want["n"][(d, ALL)]


@pytest.mark.parametrize("seed", range(4))
def test_shared_figures_pass_the_interval_audit_and_show_no_small_count(
    app: Flask, bare_world: World, seed: int
) -> None:
    rng = random.Random(100 + seed)
    collective_id = make_collective(app, bare_world.org_a)
    add(app, collective_id, random_sheets(rng, rng.randint(8, 90), date(2025, 1, 1)))
    with app.test_request_context():
        loaded = content.content()
        scorecard = loaded.scorecard
        assert scorecard is not None
        rule = protect.rule(loaded)
        counts = PeriodCounts.from_json(live(collective_id, PERIOD, 30).as_json())
        counts.least = view.least(rule)
        tables = view.build(counts, collective_id, scorecard, rule, str)
        ledger = protect.ledger(view.every_table(tables), relations(
            counts, Atoms(collective_id, PERIOD), scorecard))  # fmt: skip
        protection.protect(ledger)
        assert protection.audit(ledger) == []  # no hidden count can be narrowed
        collective = db.session.get(Collective, collective_id)
        assert collective is not None
        shown = view.figures(collective, PERIOD, "preview", loaded, str)
        assert shown is not None
        for district in shown.districts:
            for section in district.sections:
                table = section.table
                for row in table.rows:
                    for cell, column in zip(row, table.columns, strict=True):
                        if column.kind == "count" and isinstance(cell, int | float):
                            assert not rule.small(cell), (section.key, row)
                # An office's own table only where none of its counts has to be hidden.
                if section.key not in (f"questions-{ALL}", "ratings", "services"):
                    assert not any(isinstance(c, Suppressed) for r in table.rows for c in r)


def test_a_shared_period_stays_as_it_was_shared(
    app: Flask, client: FlaskClient, auth: AuthActions, shared_world: tuple[World, int, int, int]
) -> None:
    _, c, _r, p = shared_world
    auth.login("coord_a")
    before = client.get(f"/scorecards/shared/{p}/brief.csv").get_data(as_text=True)
    add(app, c, [sheet(held_on=date(2025, 3, 30), district="Alpha")] * 1)
    assert client.get(f"/scorecards/shared/{p}/brief.csv").get_data(as_text=True) == before
    again = client.post(f"/scorecards/{c}/periods/{PERIOD}/publish", follow_redirects=True)
    assert "already shared" in again.get_data(as_text=True)
    this_quarter = f"/scorecards/{c}/periods/{period_of(date.today())}/publish"
    add(app, c, [sheet(held_on=date.today())])
    assert "has not ended yet" in client.post(this_quarter, follow_redirects=True).get_data(
        as_text=True
    )
    # A brief is made only from a shared period: nothing to subtract between two copies.
    assert client.get(f"/scorecards/{c}/periods/2025-Q2/brief.csv").status_code == 404
    with app.app_context():
        assert count(ScorecardPublication) == 1


# ------------------------------------------------------------------ paper and content


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, check=True, capture_output=True
    )
    return result.stdout.decode("utf-8")


needs_print = pytest.mark.skipif(
    not chromium_available() or shutil.which("pdftotext") is None,
    reason="needs Chromium at /usr/bin/chromium and pdftotext (poppler-utils)",
)


@needs_print
def test_the_brief_prints_in_bengali_and_english_with_intact_text(
    template_db: Path, tmp_path: Path
) -> None:
    shutil.copy(template_db, tmp_path / "t.sqlite")
    app = make_app(f"sqlite:///{tmp_path / 't.sqlite'}", CONTENT_ROOT=str(ROOT))
    with app.app_context():
        organisation = accounts.create_organisation("Org A")
        assert not isinstance(organisation, list)
        user = accounts.create_user(
            accounts.UserInput("coord", Role.coordinator, organisation.id, PASSWORD)
        )
        assert not isinstance(user, list)
        organisation_id = organisation.id
    collective_id = make_collective(app, organisation_id, "Nodi collective")
    add(app, collective_id, random_sheets(random.Random(9), 70, date(2025, 1, 1)))
    publication = share(app, collective_id)
    client = app.test_client()
    client.post("/login", data={"username": "coord", "password": PASSWORD})
    texts = {}
    for lang in ("bn", "en"):
        url = f"/scorecards/shared/{publication}/brief.pdf?district=Alpha&lang={lang}"
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert 1 <= page_count(response.data) <= 2
        texts[lang] = pdf_text(response.data)
    bengali = ("নাগরিক স্কোরকার্ড", "সম্মান", "গোপনীয়তা", "সংঘের যে সদস্যরা")
    assert [w for w in bengali if w not in texts["bn"]] == []
    assert "Citizen scorecard" in texts["en"] and "Respect" in texts["en"]
    assert "Nodi collective" in texts["bn"] and "Alpha" in texts["en"]


@needs_print
def test_the_blank_sheet_is_one_page_with_its_bengali_intact() -> None:
    loaded = load_content(ROOT)
    with Printer() as printer:
        pdf = printer.pdf(scorecard_sheet_html(loaded, "bn"))
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    assert "নাগরিক স্কোরকার্ড" in text and "আপনার গোপনীয়তা কি রাখা হয়েছিল?" in text


def test_the_sheet_the_form_and_the_phone_read_one_definition() -> None:
    loaded = load_content(ROOT)
    scorecard = loaded.scorecard
    assert scorecard is not None
    html = scorecard_sheet_html(loaded, "hi")
    # Three faces to circle for each question, and the import's codes in small print.
    assert html.count('class="face face-') == 3 * (len(scorecard.questions) + 1)
    assert all(f">{office.id}<" in html for office in scorecard.duty_bearers)
    form = scorecard_form(loaded)
    names = [row.get("name") for row in form.survey]
    assert [c for c in csv_columns(scorecard) if c not in names] == []
    assert not [row for row in form.survey if "code" in str(row.get("name"))]  # anonymous
    for lang in ("bn", "hi"):
        found = loaded.translations[("curriculum/scorecard.yaml", lang)]
        assert found.translated == found.total, lang  # every string, in both languages


def test_the_demo_adds_a_collective_once_with_three_shared_quarters(
    app: Flask, bare_world: World
) -> None:
    with app.app_context():
        organisation = db.session.get(Organisation, bare_world.org_a)
        assert organisation is not None
        said = demo.add(content.content(), organisation)
        db.session.commit()
        assert "quarters shared" in said
        assert "already" in demo.add(content.content(), organisation)
        assert count(ScorecardPublication) == 3
        districts = set(db.session.scalars(select(ScorecardRound.district)))
        assert len(districts) == 2
        held = [d for d in db.session.scalars(select(ScorecardRound.held_on))]
        assert min(held) >= date(2025, 1, 1) and max(held) <= date(2025, 12, 31)
        assert not re.search(r"[A-Z]{3}-\d", str(districts))  # places only, no codes
