"""Business records (Kaarya): entry on her page with version checks, the CSV import (all or
nothing, idempotent), every route for every role, erasure with her consent withdrawal, and
the business summary's figures against a computation of our own on random data, protected
for evaluators.

The fixture curriculum gains a curriculum/businesses.yaml naming its `leaders` programme, so
the shared world's cohorts keep business records here (and nowhere else in the suite).
"""

from __future__ import annotations

import io
import random
import re
import shutil
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.tracker.conftest import CONTENT, AuthActions, World, build_world, make_app
from tracker import content, summaries
from tracker.businesses.models import (
    Business,
    BusinessPartner,
    Disbursement,
    MoneyKind,
    Stage,
    Stocktaking,
    StocktakingRisk,
)
from tracker.db import db
from tracker.models import AuditEvent, Cohort, Group, Participant, User
from tracker.records import participants
from tracker.summaries import releases

BUSINESSES_YAML = """\
programmes: [leaders]
kinds:
  - {id: tailoring, label: Tailoring}
  - {id: poultry, label: Poultry}
  - {id: other, label: Another kind of business}
sources:
  - {id: organisation, label: The organisation}
  - {id: bank, label: A bank}
risks:
  - {id: debts, label: Debts}
  - {id: competition, label: Competition}
  - {id: other, label: Another risk}
"""
BUSINESSES_BN = """\
translation: {source: fixture, status: draft}
kinds:
  - {id: tailoring, label: সেলাইয়ের কাজ}
"""
RISKS = ("debts", "competition", "other")
SOURCES = ("organisation", "bank")


@pytest.fixture(scope="session")
def business_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(CONTENT, root)
    (root / "curriculum" / "businesses.yaml").write_text(BUSINESSES_YAML, "utf-8")
    (root / "curriculum" / "businesses.bn.yaml").write_text(BUSINESSES_BN, "utf-8")
    return root


@pytest.fixture
def app(template_db: Path, tmp_path: Path, business_content: Path) -> Iterator[Flask]:
    path = tmp_path / "tracker.sqlite"
    shutil.copy(template_db, path)
    made = make_app(f"sqlite:///{path}", CONTENT_ROOT=str(business_content), SUMMARY_CACHE_SIZE=0)
    yield made
    with made.app_context():
        db.engine.dispose()


@pytest.fixture
def kaarya(app: Flask) -> World:
    """The shared world, with a second participant in cohort A (a partner) and no release."""
    with app.app_context():
        world = build_world(publish=False)
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        partner = participants.enrol(
            cohort,
            participants.ParticipantInput("SUR-A02", Group.survivor, True, date(2025, 1, 1), None),
        )
        assert not isinstance(partner, list)
        return world


def partner_id(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(select(Participant.id).where(Participant.code == "SUR-A02"))
        assert found is not None
        return found


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def version_in(page: str) -> str:
    found = re.search(r'name="version"[^>]*value="(\d+)"', page)
    assert found is not None, page
    return found[1]


def add_business(client: FlaskClient, world: World, **fields: str) -> str:
    """Record a business on her page; the business page's URL."""
    data = {"business_kind": "tailoring", "started_on": "2025-02-01"} | fields
    url = f"/cohorts/{world.cohort_a}/participants/{world.participant_a}/businesses/new"
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


# ---------------------------------------------------------------- content


def test_the_lists_are_content_translated_like_the_rest(app: Flask) -> None:
    from facilitator.business_model import BusinessRecords

    with app.app_context():
        english = content.content().businesses
        bengali = content.content("bn").businesses
    assert english.keeps_records("leaders") and not english.keeps_records("care")
    assert [k.label for k in bengali.kinds] == ["সেলাইয়ের কাজ", "Poultry", "Another kind of business"]
    with pytest.raises(ValueError, match="risks: the id 'debts' is given twice"):
        BusinessRecords.model_validate(
            {
                "programmes": ["x"],
                "kinds": [{"id": "a", "label": "A"}],
                "sources": [{"id": "b", "label": "B"}],
                "risks": [{"id": "debts", "label": "D"}, {"id": "debts", "label": "E"}],
            }
        )


def test_a_misspelt_programme_is_named_with_its_line(
    business_content: Path, tmp_path: Path
) -> None:
    from facilitator.checks import check

    root = tmp_path / "content"
    shutil.copytree(business_content, root)
    yaml = root / "curriculum" / "businesses.yaml"
    yaml.write_text(BUSINESSES_YAML.replace("[leaders]", "[leaders, leader]"), "utf-8")
    found = [p for p in check(root) if p.file == "curriculum/businesses.yaml"]
    assert [(p.line, p.message) for p in found] == [
        (1, "there is no programme 'leader' in curriculum/programmes/: did you mean 'leaders'?")
    ]


# ---------------------------------------------------------------- entry


def test_a_business_is_recorded_on_her_page_and_edited_with_version_checks(
    app: Flask, client: FlaskClient, auth: AuthActions, kaarya: World
) -> None:
    auth.login("fac_a")
    page = f"/cohorts/{kaarya.cohort_a}/participants/{kaarya.participant_a}"
    assert "Record a business" in client.get(page).get_data(as_text=True)
    # Partners only for a group business, named by codes of the cohort: the label is named.
    refused = client.post(
        f"{page}/businesses/new",
        data={"business_kind": "tailoring", "started_on": "2025-02-01", "partner_codes": "SUR-A02"},
    ).get_data(as_text=True)
    assert "Partners&#39; codes" in refused and "mark it as one" in refused
    business = add_business(client, kaarya, group_business="y", partner_codes="sur-a02")
    shown = client.get(business).get_data(as_text=True)
    assert "group business" in shown and "SUR-A02" in shown
    # The partner's page lists the group business too.
    partner_page = client.get(f"/cohorts/{kaarya.cohort_a}/participants/{partner_id(app)}")
    assert "Tailoring" in partner_page.get_data(as_text=True)

    closed_running = {"taken_on": "2025-06-01", "stage": "closed", "running": "yes"}
    refused = client.post(f"{business}/stocktakings/new", data=closed_running)
    assert "A closed business is not running" in refused.get_data(as_text=True)
    stocktaking = {
        "taken_on": "2025-06-01",
        "stage": "initial_growth",
        "running": "yes",
        "risks": ["debts"],
        "other_risk": "rats in the store",
        "next_steps": "Keep the cloth in a tin trunk.",
    }
    assert client.post(f"{business}/stocktakings/new", data=stocktaking).status_code == 302
    money = {
        "paid_on": "2025-02-01",
        "amount": "₹12,000",
        "money_kind": "grant",
        "paid_by": "organisation",
    }
    assert client.post(f"{business}/money/new", data=money).status_code == 302
    shown = client.get(business).get_data(as_text=True)
    assert "₹12,000" in shown and "Initial growth" in shown and "rats in the store" in shown
    with app.app_context():
        found = db.session.scalar(select(Stocktaking))
        assert found is not None
        # Words for another risk mean the risk "other" was met.
        risks = set(db.session.scalars(select(StocktakingRisk.risk_id)))
        assert risks == {"debts", "other"}
        edit_url = f"{business}/stocktakings/{found.id}"

    # Two people open the same stocktaking; the second save is refused and shows the first.
    opened = version_in(client.get(edit_url).get_data(as_text=True))
    first = stocktaking | {"stage": "maturity", "version": opened}
    assert client.post(edit_url, data=first).status_code == 302
    late = client.post(edit_url, data=stocktaking | {"stage": "expansion", "version": opened})
    text = late.get_data(as_text=True)
    assert late.status_code == 200 and "Someone else saved this record" in text
    assert "Maturity" in text
    with app.app_context():
        assert db.session.scalar(select(Stocktaking.stage)) is Stage.maturity
        # The trail says what happened, never to whom.
        details = " ".join(db.session.scalars(select(AuditEvent.detail)))
        entities = set(db.session.scalars(select(AuditEvent.entity)))
    assert {"business", "stocktaking", "disbursement"} <= entities
    assert "SUR-A0" not in details and "tin trunk" not in details


def test_deleting_is_for_coordinators_and_checks_the_version(
    app: Flask, client: FlaskClient, auth: AuthActions, kaarya: World
) -> None:
    auth.login("coord_a")
    business = add_business(client, kaarya)
    client.post(
        f"{business}/money/new",
        data={"paid_on": "2025-02-02", "amount": "9000", "money_kind": "loan", "paid_by": "bank"},
    )
    stale = client.post(f"{business}/delete", data={"version": "7"})
    assert stale.status_code == 200 and "nothing was deleted" in stale.get_data(as_text=True)
    page = client.get(f"{business}/delete").get_data(as_text=True)
    assert "₹9,000" in page
    assert client.post(f"{business}/delete", data={"version": version_in(page)}).status_code == 302
    with app.app_context():
        assert count(Business) == count(Disbursement) == 0


# ---------------------------------------------------------------- import

STOCKTAKINGS = (
    "participant_code,business_kind,started_on,group_business,partner_codes,taken_on,stage,"
    "running,risks,other_risk,next_steps\n"
)
GOOD = (
    "SUR-A01,tailoring,2025-02-01,yes,SUR-A02,2025-06-01,start-up,yes,debts;competition,,\n"
    "SUR-A01,tailoring,2025-02-01,yes,SUR-A02,2025-09-01,maturity,yes,,,Buy thread in bulk\n"
    "SUR-A02,poultry,2025-03-01,,,,,,,,\n"
)
MONEY = "participant_code,business_kind,started_on,paid_on,amount,money_kind,paid_by\n"


def upload(client: FlaskClient, world: World, kind: str, text: str) -> str:
    response = client.post(
        f"/cohorts/{world.cohort_a}/businesses/import",
        data={"kind": kind, "file": (io.BytesIO(text.encode()), "sheet.csv")},
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def test_import_is_all_or_nothing_and_the_same_file_changes_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, kaarya: World
) -> None:
    auth.login("fac_a")
    bad = (
        GOOD
        + "SUR-A01,tailoring,2025-02-01,yes,SUR-A02,2025-06-01,maturity,yes,,,\n"  # date again
        + "SUR-A09,flying,2025-13-01,,,2025-06-01,closed,yes,luck,,\n"
        + "SUR-A02,poultry,2025-03-01,no,SUR-A01,2025-06-01,closed,yes,,,\n"
        + "SUR-A01,tailoring,2025-02-01,yes,SUR-A02,2025-07-01,maturity,yes,,,a\x00b\n"
    )
    page = upload(client, kaarya, "stocktakings", STOCKTAKINGS + bad)
    for expected in (
        "Row 5, Date of the stocktaking",
        "Row 2 has a stocktaking of this business",
        "Row 6, Participant code",
        "SUR-A09 is not in this cohort",
        "Row 6, Kind of business",
        "Row 6, Date started",
        "Row 6, Risks met",
        "Row 7, Partners&#39; codes",
        "Row 7, Running",
        "A closed business is not running",
    ):
        assert expected in page
    with app.app_context():
        assert count(Business) == count(Stocktaking) == 0

    said = upload(client, kaarya, "stocktakings", STOCKTAKINGS + GOOD)
    assert "Imported 3 rows: 3 new, 0 changed, 0 unchanged." in said
    again = upload(client, kaarya, "stocktakings", STOCKTAKINGS + GOOD)
    assert "Already imported: nothing changed (3 rows" in again
    corrected = GOOD.replace("maturity", "expansion")
    assert "1 changed, 2 unchanged" in upload(
        client, kaarya, "stocktakings", STOCKTAKINGS + corrected
    )

    money = MONEY + "SUR-A01,tailoring,2025-02-01,2025-02-01,8000,grant,organisation\n"
    unknown = money + "SUR-A01,poultry,2025-02-01,2025-02-01,8000,grant,organisation\n"
    assert "no business of this kind started on 2025-02-01" in upload(
        client, kaarya, "disbursements", unknown
    )
    assert "1 new" in upload(client, kaarya, "disbursements", money)
    assert "Already imported" in upload(client, kaarya, "disbursements", money)
    assert "1 changed" in upload(client, kaarya, "disbursements", money.replace("8000", "৮৫০০"))
    with app.app_context():
        assert count(Business) == 2 and count(Stocktaking) == 2
        assert db.session.scalar(select(Disbursement.amount)) == 8500
        assert count(BusinessPartner) == 1
        stages = set(db.session.scalars(select(Stocktaking.stage)))
        assert stages == {Stage.start_up, Stage.expansion}


# ---------------------------------------------------------------- every route, every role

ROLES = ("anonymous", "admin", "coord_a", "fac_a", "fac_a2", "coord_b", "evaluator")
STAFF = {"admin", "coord_a", "fac_a", "fac_a2", "coord_b"}  # may record businesses
STAFF_A = {"admin", "coord_a", "fac_a"}  # ... of cohort A
DELETERS = {"admin", "coord_a", "coord_b"}  # may delete a record made by mistake
DELETERS_A = {"admin", "coord_a"}


def _records(app: Flask, world: World) -> dict[str, int]:
    """A business with a stocktaking and money in cohort A, and a business in cohort B."""
    ids: dict[str, int] = {}
    with app.app_context():
        for key, cohort_id, owner in (
            ("a", world.cohort_a, world.participant_a),
            ("b", world.cohort_b, world.participant_b),
        ):
            business = Business(
                cohort_id=cohort_id,
                participant_id=owner,
                kind="poultry",
                started_on=date(2025, 2, 1),
                group_business=False,
            )
            db.session.add(business)
            db.session.flush()
            taken = Stocktaking(
                business_id=business.id,
                taken_on=date(2025, 5, 1),
                stage=Stage.start_up,
                running=True,
            )
            money = Disbursement(
                business_id=business.id,
                paid_on=date(2025, 2, 1),
                amount=9000,
                kind=MoneyKind.grant,
                source="organisation",
            )
            db.session.add_all([taken, money])
            db.session.flush()
            ids |= {
                f"business_{key}": business.id,
                f"stocktaking_{key}": taken.id,
                f"money_{key}": money.id,
            }
        db.session.commit()
        releases.publish(content.content(), summaries.completion_share(), "test")
        db.session.commit()
    return ids


def _expect(allowed: set[str], role: str, ok: int, holders: set[str]) -> int:
    if role in allowed:
        return ok
    if role == "anonymous":
        return 302
    return 404 if role in holders else 403


def test_every_business_route_for_every_role(
    app: Flask, client: FlaskClient, auth: AuthActions, kaarya: World
) -> None:
    ids = vars(kaarya) | _records(app, kaarya)
    b = "/cohorts/{cohort_a}/businesses/{business_a}"
    # (method, url, roles that reach it, ok status); the others get 404 when they hold the
    # permission but not the cohort, 403 without the permission, the sign-in page anonymous.
    routes = [
        ("GET", "/cohorts/{cohort_a}/businesses", STAFF_A, 200),
        ("GET", "/cohorts/{cohort_a}/participants/{participant_a}/businesses/new", STAFF_A, 200),
        ("GET", b, STAFF_A, 200),
        ("GET", b + "/delete", DELETERS_A, 200),
        ("GET", b + "/stocktakings/new", STAFF_A, 200),
        ("GET", b + "/stocktakings/{stocktaking_a}", STAFF_A, 200),
        ("POST", b + "/stocktakings/{stocktaking_a}/delete", DELETERS_A, 302),
        ("GET", b + "/money/new", STAFF_A, 200),
        ("GET", b + "/money/{money_a}", STAFF_A, 200),
        ("POST", b + "/money/{money_a}/delete", DELETERS_A, 302),
        ("GET", "/cohorts/{cohort_a}/businesses/stocktakings-template.csv", STAFF_A, 200),
        ("GET", "/cohorts/{cohort_a}/businesses/import", STAFF_A, 200),
        # Another cohort's (and organisation's) ids under cohort A's address: not found.
        ("GET", "/cohorts/{cohort_a}/businesses/{business_b}", set(), 200),
        ("GET", b + "/stocktakings/{stocktaking_b}", set(), 200),
        ("GET", b + "/money/{money_b}", set(), 200),
        ("GET", "/cohorts/{cohort_a}/participants/{participant_b}/businesses/new", set(), 200),
    ]
    summary = "/summaries/cohort/{cohort_a}/businesses"
    for role in ROLES:
        client.post("/logout")
        if role != "anonymous":
            assert auth.login(role).status_code == 302
        for method, url, allowed, ok in routes:
            got = client.open(url.format(**ids), method=method).status_code
            holders = DELETERS if "delete" in url else STAFF
            assert got == _expect(allowed, role, ok, holders), (role, method, url, got)
        got = client.get(summary.format(**ids)).status_code
        assert got == {"anonymous": 302, "fac_a2": 404, "coord_b": 404}.get(role, 200), role
    # The evaluator reads the release: counts of businesses, never a code.
    client.post("/logout")
    auth.login("evaluator")
    page = client.get(summary.format(**ids)).get_data(as_text=True)
    assert "Businesses started" in page and "SUR-" not in page
    # ... and its CSV and XLSX, like every other section's, with the release's marking.
    csv = client.get(f"/summaries/cohort/{kaarya.cohort_a}/business-running.csv")
    assert csv.status_code == 200 and "Release" in csv.get_data(as_text=True)
    xlsx = client.get(f"/summaries/cohort/{kaarya.cohort_a}/business-money.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_api_gives_the_business_sections_of_a_release(
    app: Flask, client: FlaskClient, kaarya: World
) -> None:
    from tracker.records import accounts

    _records(app, kaarya)
    with app.app_context():
        evaluator = db.session.get(User, kaarya.evaluator)
        token = accounts.issue_token(evaluator, "test")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/summaries/organisation/{kaarya.org_a}/businesses"
    body = client.get(url, headers=headers).get_json()
    keys = [s["key"] for s in body["sections"]]
    assert keys == [
        "business-started",
        "business-running",
        "business-stages",
        "business-money",
        "business-risks",
    ]
    table = body["sections"][0]["table"]
    started = table["rows"][table["row_keys"].index("all")]["count"]
    assert started == {"suppressed": "primary", "display": "<5"}  # one business: hidden
    assert (
        client.get(
            f"/api/v1/summaries/organisation/{kaarya.org_b}/businesses", headers=headers
        ).status_code
        == 404
    )  # not granted
    assert client.get(url + "?language=xx", headers=headers).status_code == 400
    assert (
        "/summaries/{scope}/{key}/businesses"
        in client.get("/api/v1/openapi.json").get_json()["paths"]
    )


AWKWARD = (
    "",
    " ",
    "²",
    "٣",
    "१२",
    "1e400",
    "-1",
    "0",
    str(2**64),
    "9999-12-31",
    "2025-02-30",
    "\x00",
    "<script>x</script>",
    "x" * 5000,
    "other",
    "closed",
    "NaN",
    "🙂",
    "₹",
)


def test_no_odd_input_to_the_business_forms_gives_a_server_error(
    app: Flask, client: FlaskClient, auth: AuthActions, kaarya: World
) -> None:
    ids = vars(kaarya) | _records(app, kaarya)
    auth.login("coord_a")
    b = "/cohorts/{cohort_a}/businesses/{business_a}".format(**ids)
    forms = {
        "/cohorts/{cohort_a}/participants/{participant_a}/businesses/new".format(**ids): (
            "business_kind",
            "started_on",
            "group_business",
            "partner_codes",
        ),
        b: ("business_kind", "started_on", "group_business", "partner_codes", "version"),
        b + "/stocktakings/new": ("taken_on", "stage", "running", "risks", "other_risk"),
        b + "/stocktakings/{stocktaking_a}".format(**ids): ("taken_on", "stage", "version"),
        b + "/money/new": ("paid_on", "amount", "money_kind", "paid_by"),
        b + "/money/{money_a}".format(**ids): ("amount", "version"),
        b + "/delete": ("version",),
    }
    rng = random.Random(5)
    for url, fields in forms.items():
        for value in AWKWARD:
            data = {name: rng.choice(AWKWARD) for name in fields} | {rng.choice(fields): value}
            assert client.post(url, data=data).status_code < 500, (url, data)
    for value in AWKWARD:
        csv_text = STOCKTAKINGS + ",".join([value] * 11) + "\n" + MONEY + value
        for kind in ("stocktakings", "disbursements", value):
            response = client.post(
                "/cohorts/{cohort_a}/businesses/import".format(**ids),
                data={"kind": kind, "file": (io.BytesIO(csv_text.encode()), "odd.csv")},
            )
            assert response.status_code < 500, (kind, value)


# ---------------------------------------------------------------- erasure


def test_withdrawal_erases_her_businesses_and_her_name_as_a_partner(
    app: Flask, client: FlaskClient, auth: AuthActions, kaarya: World
) -> None:
    auth.login("coord_a")
    hers = add_business(client, kaarya, group_business="y", partner_codes="SUR-A02")
    client.post(
        f"{hers}/stocktakings/new",
        data={"taken_on": "2025-06-01", "stage": "start_up", "running": "yes", "risks": ["debts"]},
    )
    client.post(
        f"{hers}/money/new",
        data={
            "paid_on": "2025-02-01",
            "amount": "8000",
            "money_kind": "grant",
            "paid_by": "organisation",
        },
    )
    partner = partner_id(app)
    url = f"/cohorts/{kaarya.cohort_a}/participants/{partner}/businesses/new"
    assert (
        client.post(url, data={"business_kind": "poultry", "started_on": "2025-03-01"}).status_code
        == 302
    )
    with app.app_context():
        owned = list(
            db.session.scalars(
                select(Business.id).where(Business.participant_id == kaarya.participant_a)
            )
        )
        person = db.session.get(Participant, partner)
        assert person is not None
        participants.withdraw_consent(person)  # the partner withdraws: her own business goes
        assert count(Business) == 1 and count(BusinessPartner) == 0  # hers stays, without her
        person = db.session.get(Participant, kaarya.participant_a)
        assert person is not None
        participants.withdraw_consent(person)
        assert count(Business) == count(Stocktaking) == count(StocktakingRisk) == 0
        assert count(Disbursement) == 0
        linked = db.session.scalars(
            select(AuditEvent.entity_id).where(
                AuditEvent.entity.in_(("business", "stocktaking", "disbursement"))
            )
        )
        assert set(linked) == {None}, owned
        last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
        assert last is not None and "businesses: 1" in last.detail and "SUR" not in last.detail


def test_the_business_summary_groups_rupees_the_indian_way(
    app: Flask, client: FlaskClient, auth: AuthActions, kaarya: World
) -> None:
    auth.login("coord_a")
    business = add_business(client, kaarya)
    for paid_on, amount in (("2025-02-02", "9000"), ("2025-03-02", "193000")):
        money = {"paid_on": paid_on, "amount": amount, "money_kind": "loan", "paid_by": "bank"}
        assert client.post(f"{business}/money/new", data=money).status_code == 302
    assert "₹1,93,000" in client.get(business).get_data(as_text=True)
    page = client.get(f"/summaries/cohort/{kaarya.cohort_a}/businesses").get_data(as_text=True)
    # Her one business's total and median, in the rows for all money, loans and the bank's.
    assert page.count('<td class="num">2,02,000</td>') == 6, page
    assert "202000" not in page
    # The exports keep plain numbers, for a spreadsheet to add up.
    csv = client.get(f"/summaries/cohort/{kaarya.cohort_a}/business-money.csv")
    assert "202000" in csv.get_data(as_text=True) and "2,02,000" not in csv.get_data(as_text=True)


# ---------------------------------------------------------------- the summary's figures


def _random_world(rng: random.Random, world: World) -> list[dict[str, Any]]:
    """Random businesses in cohort A (and a few in B), written straight to the tables; the
    same facts as plain dicts for the independent computation."""
    members: dict[int, list[int]] = {world.cohort_a: [], world.cohort_b: []}
    for cohort_id, prefix in ((world.cohort_a, "SUR-A"), (world.cohort_b, "SUR-B")):
        cohort = db.session.get(Cohort, cohort_id)
        assert cohort is not None
        for n in range(3, 3 + rng.randint(8, 14)):
            made = participants.enrol(
                cohort,
                participants.ParticipantInput(
                    f"{prefix}{n:02d}", Group.survivor, True, date(2025, 1, 1), None
                ),
            )
            assert not isinstance(made, list)
            members[cohort_id].append(made.id)
    facts = []
    for cohort_id, owners in members.items():
        for owner in owners:
            fact: dict[str, Any] = {
                "cohort": cohort_id,
                "group": rng.random() < 0.2,
                "started": date(2025, 2, 1) + timedelta(days=rng.randint(0, 60)),
                "stocktakings": [],
                "money": [],
            }
            business = Business(
                cohort_id=cohort_id,
                participant_id=owner,
                kind="tailoring",
                started_on=fact["started"],
                group_business=fact["group"],
            )
            db.session.add(business)
            db.session.flush()
            for k in range(rng.randint(0, 4)):
                stage = rng.choice(list(Stage))
                running = stage is not Stage.closed and rng.random() < 0.8
                risks = set(rng.sample(RISKS, rng.randint(0, 3)))
                taken = fact["started"] + timedelta(days=90 * (k + 1))
                fact["stocktakings"].append((taken, stage, running, risks))
                row = Stocktaking(
                    business_id=business.id, taken_on=taken, stage=stage, running=running
                )
                db.session.add(row)
                db.session.flush()
                db.session.add_all(StocktakingRisk(stocktaking_id=row.id, risk_id=r) for r in risks)
            for k in range(rng.randint(0, 3)):
                kind, source = rng.choice(list(MoneyKind)), rng.choice(SOURCES)
                amount = 500 * rng.randint(4, 60)
                fact["money"].append((kind, source, amount))
                db.session.add(
                    Disbursement(
                        business_id=business.id,
                        amount=amount,
                        kind=kind,
                        source=source,
                        paid_on=fact["started"] + timedelta(days=k),
                    )
                )
            facts.append(fact)
    db.session.commit()
    return facts


def _expected(facts: list[dict[str, Any]]) -> dict[tuple[str, str, str], float | None]:
    """The figures, computed from the facts without the tracker's code."""
    found: dict[tuple[str, str, str], float | None] = {
        ("business-started", "all", "count"): len(facts),
        ("business-started", "group", "count"): sum(f["group"] for f in facts),
    }
    rounds: Counter[tuple[int, str]] = Counter()
    stages: Counter[str] = Counter()
    risks: Counter[str] = Counter()
    for fact in facts:
        taken = sorted(fact["stocktakings"], key=lambda s: s[0])
        for n, (_, _, running, _) in enumerate(taken, start=1):
            rounds[(n, "assessed")] += 1
            rounds[(n, "running")] += running
        if taken:
            rounds[(0, "assessed")] += 1
            rounds[(0, "running")] += taken[-1][2]
            stages[taken[-1][1].value] += 1
            risks.update(set().union(*(s[3] for s in taken)))
    for (n, what), value in rounds.items():
        found[("business-running", f"round:{n}" if n else "latest", what)] = value
    for stage in Stage:
        found[("business-stages", f"stage:{stage.value}", "count")] = stages[stage.value]
    found[("business-stages", "all", "count")] = rounds[(0, "assessed")]
    for risk in RISKS:
        found[("business-risks", f"risk:{risk}", "count")] = risks[risk]
    categories = {
        "all": lambda k, s: True,
        "grant": lambda k, s: k is MoneyKind.grant,
        "loan": lambda k, s: k is MoneyKind.loan,
    }
    categories |= {f"source:{src}": (lambda k, s, src=src: s == src) for src in SOURCES}
    for name, wanted in categories.items():
        totals = [sum(a for k, s, a in f["money"] if wanted(k, s)) for f in facts]
        totals = [t for t in totals if t]
        found[("business-money", f"money:{name}", "funded")] = len(totals)
        found[("business-money", f"money:{name}", "amount")] = sum(totals)
        found[("business-money", f"money:{name}", "median")] = (
            statistics.median(totals) if totals else None
        )
    return found


@pytest.mark.parametrize("seed", [3, 14, 2025])
def test_summary_figures_match_an_independent_computation(
    app: Flask, kaarya: World, seed: int
) -> None:
    rng = random.Random(seed)
    with app.test_request_context():
        facts = _random_world(rng, kaarya)
        for scope, key, ids in (
            ("cohort", str(kaarya.cohort_a), [kaarya.cohort_a]),
            ("programme", "leaders", [kaarya.cohort_a, kaarya.cohort_b]),
        ):
            wanted = _expected([f for f in facts if f["cohort"] in ids])
            summary = summaries.exact("t", scope, key, ids)
            got: dict[tuple[str, str, str], Any] = {}
            for section in summary.sections:
                table = section.table
                for row_key, row in zip(table.row_keys, table.rows, strict=True):
                    for column, cell in zip(table.columns, row, strict=True):
                        got[(section.key, row_key, column.key)] = cell
            mismatched = {k: (v, got.get(k)) for k, v in wanted.items() if got.get(k) != v}
            assert not mismatched, (scope, mismatched)


def test_evaluators_never_read_a_small_business_count(app: Flask, kaarya: World) -> None:
    with app.test_request_context():
        _random_world(random.Random(7), kaarya)
        releases.publish(content.content(), summaries.completion_share(), "test")
        db.session.commit()
        evaluator = db.session.get(User, kaarya.evaluator)
        assert evaluator is not None
        for scope, key in (("cohort", str(kaarya.cohort_a)), ("organisation", str(kaarya.org_a))):
            summary = summaries.released(evaluator, scope, key)
            shown = [
                cell
                for section in summary.sections
                if section.key.startswith("business-")
                for row in section.table.rows
                for cell, column in zip(row, section.table.columns, strict=True)
                if column.kind.value == "count" and isinstance(cell, int | float)
            ]
            assert shown and all(cell == 0 or cell >= 5 for cell in shown), shown


def test_the_demo_invents_businesses_with_codes_only(app: Flask) -> None:
    from tracker.demo import load_demo

    with app.app_context():
        load_demo()
        owners = db.session.scalars(
            select(Participant.code).join(Business, Business.participant_id == Participant.id)
        )
        codes = set(owners)
        assert codes and all(re.fullmatch(r"SUR-\d{3,}", code) for code in codes)
        assert count(Stocktaking) and count(Disbursement) and releases.latest_id() is not None
