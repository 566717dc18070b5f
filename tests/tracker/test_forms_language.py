"""Forms a coordinator can use: every problem in the interface language, named by the field's
visible label (never an internal name), programme names translated, and a cohort edit that
never silently overwrites someone else's.

Messages new in this change are translated by the final translation pass: the assertions
marked "(after the translation pass)" hold once every message has its Bengali and Hindi
text, which test_translations.py requires; they are checked only for messages that have it.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from tests.tracker.conftest import CONTENT, AuthActions, World, build_world, make_app
from tracker.db import db
from tracker.forms import INTERFACE_TRANSLATIONS
from tracker.models import AuditEvent, Cohort
from tracker.problems import Problem
from tracker.records import cohorts as cohort_records
from tracker.records.values import parse_date

TRANSLATIONS = Path(__file__).resolve().parents[2] / "tracker" / "translations"
SCRIPT = {"bn": re.compile("[\u0980-\u09ff]"), "hi": re.compile("[\u0900-\u097f]")}
# Names the code uses that a coordinator never sees on a page.
INTERNAL = re.compile(
    r"consent_given|participant_code|module_id|held_on|answered_on|programme_id|starts_on"
    r"|status-\d|\bchoices?:|\bcode:"
)
BOX = re.compile(r'<div class="problems[^"]*" role="alert">(.*?)</div>', re.S)
TAG = re.compile(r"<[^>]+>")
LINE = re.compile(r'<li>(?:<strong class="where">(.*?)</strong>: )?(.*?)</li>', re.S)


def catalogue(language: str) -> dict[str, str]:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if isinstance(m.id, str) and m.string}


def said(app: Flask, language: str, message: str, **variables: object) -> str:
    """`message` as the interface says it in `language`."""
    with app.test_request_context(), force_locale(language):
        return gettext(message, **variables)


def problems_of(page: str) -> list[tuple[str, str]]:
    """The problem box of a page as (where, message) pairs, unescaped."""
    found = BOX.search(page)
    assert found, "the page shows no problem box"
    return [
        (html.unescape(TAG.sub("", w or "")), html.unescape(m))
        for w, m in LINE.findall(found.group(1))
    ]


def visible_box(page: str) -> str:
    """The problem box's text as read (links' targets are ids, not read)."""
    found = BOX.search(page)
    assert found, "the page shows no problem box"
    return html.unescape(TAG.sub("", found.group(1)))


def assert_named(
    app: Flask, page: str, language: str, label: str, message: str | None = None
) -> None:
    """The page names `label` (an English msgid) in `language`, with `message` if given."""
    shown = problems_of(page)
    expected = said(app, language, label)
    assert any(expected in where for where, _ in shown), (expected, shown)
    # The labels used here are translated already: in the interface's own script.
    assert language == "en" or SCRIPT[language].search(expected), expected
    if message is not None:
        wanted = said(app, language, message)
        assert any(expected in w and wanted == m for w, m in shown), (expected, wanted, shown)
        if language != "en" and message in catalogue(language):
            # (after the translation pass) the message itself is in the interface's script.
            assert SCRIPT[language].search(wanted), wanted
    assert not INTERNAL.search(visible_box(page)), shown


def login(client: FlaskClient, user: str, language: str) -> None:
    assert AuthActions(client).login(user, language=language).status_code == 302


# ------------------------------------------------------------------ messages and labels


def test_wtforms_messages_are_looked_up_in_the_interface_catalogue(app: Flask) -> None:
    with app.test_request_context(), force_locale("bn"):
        assert (
            INTERFACE_TRANSLATIONS.gettext("Participant code")
            == catalogue("bn")["Participant code"]
        )
        # A message the catalogue lacks stays as WTForms wrote it, never an error.
        assert INTERFACE_TRANSLATIONS.gettext("No such msgid here.") == "No such msgid here."


def test_participant_form_in_bengali_names_the_visible_label(
    client: FlaskClient, app: Flask, world: World
) -> None:
    login(client, "coord_a", "bn")
    page = client.post(
        f"/cohorts/{world.cohort_a}/participants", data={"code": "", "group": "survivor"}
    ).text
    assert_named(app, page, "bn", "Participant code", "This field is required.")
    # Consent not given: a problem of the records layer, named by its label too.
    page = client.post(
        f"/cohorts/{world.cohort_a}/participants", data={"code": "SUR-777", "group": "survivor"}
    ).text
    assert_named(app, page, "bn", "Consent given")


def test_new_cohort_form_in_bengali_and_in_hindi(
    client: FlaskClient, app: Flask, world: World
) -> None:
    bad = {
        "name": "",
        "programme_id": "nope",
        "language": "bn",
        "place": "Hall",
        "starts_on": "2025-13-01",
    }
    for language in ("bn", "hi"):
        login(client, "coord_a", language)
        page = client.post("/cohorts/new", data=bad).text
        assert_named(app, page, language, "Name", "This field is required.")
        assert_named(app, page, language, "Programme", "Not a valid choice.")
        assert_named(app, page, language, "Start date", "Not a valid date value.")
        AuthActions(client).logout()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 2


def test_session_form_in_bengali(client: FlaskClient, app: Flask, world: World) -> None:
    login(client, "coord_a", "bn")
    page = client.post(
        f"/cohorts/{world.cohort_a}/sessions/new", data={"module_id": "", "held_on": "soon"}
    ).text
    assert_named(app, page, "bn", "Module", "This field is required.")
    assert_named(app, page, "bn", "Date", "Not a valid date value.")


def test_evaluation_form_in_bengali(client: FlaskClient, app: Flask, world: World) -> None:
    login(client, "coord_a", "bn")
    page = client.post(
        f"/cohorts/{world.cohort_a}/evaluations/useful-skills",
        data={
            "participant": "",
            "answered_on": "yesterday",
            "choice": ["communication", "resilience", "connection", "protest"],
        },
    ).text
    assert_named(app, page, "bn", "Date answered")
    shown = problems_of(page)
    # The choice limit is named by the form's own question, as the page shows it.
    assert any("Which three lessons" in where for where, _ in shown), shown


def test_an_item_problem_names_the_item_as_asked(
    client: FlaskClient, app: Flask, world: World
) -> None:
    login(client, "coord_a", "bn")
    page = client.post(
        f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}",
        data={"item-value-myself": "9", "answered_on": "2025-01-06"},
    ).text
    assert [where for where, _ in problems_of(page)] == ["আমি নিজেকে মূল্য দিই।"]
    assert "value-myself" not in visible_box(page)


def test_roster_problem_names_the_participant_not_the_input(
    client: FlaskClient, app: Flask, world: World
) -> None:
    login(client, "coord_a", "bn")
    page = client.get(f"/sessions/{world.session_a}/attendance").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    page = client.post(
        f"/sessions/{world.session_a}/attendance",
        data={"version": version.group(1), f"status-{world.participant_a}": "asleep"},
    ).text
    shown = problems_of(page)
    assert [where for where, _ in shown] == ["SUR-A01"], shown
    assert not INTERNAL.search(visible_box(page))


def test_english_problems_read_as_label_and_sentence(
    client: FlaskClient, app: Flask, world: World
) -> None:
    login(client, "coord_a", "en")
    page = client.post(
        f"/cohorts/{world.cohort_a}/participants", data={"code": "", "group": "survivor"}
    ).text
    assert problems_of(page) == [("Participant code", "This field is required.")]


def test_a_problem_links_to_its_input(client: FlaskClient, app: Flask, world: World) -> None:
    login(client, "coord_a", "bn")
    page = client.post(
        f"/cohorts/{world.cohort_a}/participants", data={"code": "", "group": "survivor"}
    ).text
    box = BOX.search(page)
    assert box and '<a href="#code">' in box.group(1) and 'id="code"' in page


def test_an_expired_form_says_so_in_words(template_db: Path, tmp_path: Path) -> None:
    from tracker.forms import CSRF_MESSAGE, ActionForm

    path = tmp_path / "tracker.sqlite"
    shutil.copy(template_db, path)
    app = make_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True)
    with app.test_request_context(method="POST", data={"csrf_token": "stale"}):
        form = ActionForm()
        assert not form.validate()
        assert form.errors["csrf_token"] == [str(CSRF_MESSAGE)]
        from tracker.field_labels import describe, form_problems

        assert [describe(p, form).where for p in form_problems(form)] == [""]


def test_csv_problems_show_a_translated_row_and_the_label(app: Flask) -> None:
    from tracker.field_labels import describe

    with app.test_request_context(), force_locale("bn"):
        shown = describe(Problem("participant_code", "x", 3))
        assert shown.where == f"{gettext('Row %(n)d', n=3)}, {gettext('Participant code')}"
        assert SCRIPT["bn"].search(shown.where)
        # A field the pages do not know is never shown by its internal name...
        assert describe(Problem("some_internal_thing", "x")).where == ""
        # ...but a column of her own file is named as she wrote it.
        assert describe(Problem("shoe-size", "x", 2)).where.endswith(", shoe-size")


def test_every_field_a_page_can_show_has_a_label() -> None:
    """A new Problem field of the records or a page, without a label, would be shown bare."""
    from tracker.field_labels import FIELD_LABELS, UNLABELLED

    tracker = Path(__file__).resolve().parents[2] / "tracker"
    named = {
        field
        for path in tracker.rglob("*.py")
        if path.name != "api.py"  # the API answers with the internal names
        for field in re.findall(r'Problem\(\s*"([a-z_]+)"', path.read_text("utf-8"))
    }
    assert named - set(FIELD_LABELS) - UNLABELLED == set()


def test_api_and_cli_keep_the_internal_field_names(app: Flask) -> None:
    with app.app_context():  # as the CLI runs: no request, English
        problem = parse_date("14/03/2025", "held_on", 4)
        assert isinstance(problem, Problem)
        assert problem.as_dict() == {
            "row": 4,
            "field": "held_on",
            "message": "'14/03/2025' is not a date: write it as YYYY-MM-DD, like 2025-03-14.",
        }
        assert str(problem).startswith("row 4, held_on: ")


# ------------------------------------------------------------------ programme names


@pytest.fixture
def translated_app(template_db: Path, tmp_path: Path) -> Flask:
    """The fixture curriculum with a Bengali programme and module title."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    header = "translation: {source: fixture, status: draft}\n"
    (content / "curriculum" / "programmes" / "leaders.bn.yaml").write_text(
        header + "title: পরীক্ষামূলক নেতৃত্ব কর্মসূচি\n", "utf-8"
    )
    (content / "modules" / "leaders-me" / "module.bn.yaml").write_text(
        header + "title: আমি মডিউল\n", "utf-8"
    )
    path = tmp_path / "tracker.sqlite"
    shutil.copy(template_db, path)
    return make_app(f"sqlite:///{path}", CONTENT_ROOT=str(content))


def test_programme_and_module_names_follow_the_interface(translated_app: Flask) -> None:
    with translated_app.app_context():
        world = build_world(publish=False)
        db.session.execute(
            Cohort.__table__.update().where(Cohort.id == world.cohort_a).values(language="en")
        )
        db.session.commit()
    client = translated_app.test_client()
    login(client, "coord_a", "bn")
    new_form = client.get("/cohorts/new").text
    assert '<option value="leaders">পরীক্ষামূলক নেতৃত্ব কর্মসূচি</option>' in new_form
    assert "Test leaders programme" not in client.get("/cohorts/").text
    # An English cohort read in a Bengali interface: its programme and sessions in Bengali.
    page = client.get(f"/cohorts/{world.cohort_a}").text
    assert "পরীক্ষামূলক নেতৃত্ব কর্মসূচি" in page and "আমি মডিউল" in page
    assert "আমি মডিউল" in client.get(f"/cohorts/{world.cohort_a}/sessions/new").text
    summary = client.get("/summaries/programme/leaders").text
    assert "<h1>পরীক্ষামূলক নেতৃত্ব কর্মসূচি</h1>" in summary
    login(client, "coord_a", "en")
    assert "Test leaders programme" in client.get("/cohorts/new").text


# ------------------------------------------------------------------ edit conflicts


def _edit_page(client: FlaskClient, cohort_id: int) -> dict[str, str]:
    page = client.get(f"/cohorts/{cohort_id}/edit").text
    hidden = dict(re.findall(r'<input[^>]*name="((?:shown-)?\w+)"[^>]*value="([^"]*)"', page))
    hidden.pop("csrf_token", None)
    return hidden


def test_a_cohort_edit_based_on_an_older_version_is_refused(
    client: FlaskClient, app: Flask, world: World
) -> None:
    login(client, "coord_a", "en")
    opened = _edit_page(client, world.cohort_a)
    assert opened["version"] == "1" and opened["shown-place"] == "Test hall"
    mine = {
        "name": "Cohort A, spring",
        "programme_id": "leaders",
        "language": "bn",
        "place": "Test hall",
        "starts_on": "2025-01-06",
        "ends_on": "",
        "version": opened["version"],
        **{k: v for k, v in opened.items() if k.startswith("shown-")},
    }
    other = app.test_client()
    login(other, "admin", "en")
    theirs = {**mine, "name": "Cohort A", "place": "Community centre"}
    assert other.post(f"/cohorts/{world.cohort_a}/edit", data=theirs).status_code == 302

    refused = client.post(f"/cohorts/{world.cohort_a}/edit", data=mine)
    assert refused.status_code == 200
    text = html.unescape(refused.text)
    assert "Place was changed to Community centre by someone else." in text
    assert "Name was changed" not in text  # nobody else changed the name
    assert 'value="Cohort A, spring"' in text  # her input is still in the form
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        assert (cohort.name, cohort.place, cohort.version) == (
            "Cohort A",
            "Community centre",
            2,
        )
    # Saving again from the page as re-shown keeps her name and their place.
    again = dict(re.findall(r'<input[^>]*name="((?:shown-)?\w+)"[^>]*value="([^"]*)"', text))
    assert again["version"] == "2"
    resend = {**mine, "place": "Community centre", "version": again["version"]}
    resend.update({k: v for k, v in again.items() if k.startswith("shown-")})
    assert client.post(f"/cohorts/{world.cohort_a}/edit", data=resend).status_code == 302
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        assert (cohort.name, cohort.place, cohort.version) == (
            "Cohort A, spring",
            "Community centre",
            3,
        )
        updates = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "update", AuditEvent.entity == "cohort")
        )
        assert updates == 2  # the two saves, not the refused one


def test_two_saves_from_the_same_version_one_wins(db_app: Flask) -> None:
    with db_app.app_context():
        world = build_world(publish=False)
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        shown = cohort_records.values(cohort)
        first = cohort_records.CohortInput(
            world.org_a, "First", "leaders", "bn", "Hall 1", cohort.starts_on, None
        )
        second = cohort_records.CohortInput(
            world.org_a, "Second", "leaders", "bn", "Test hall", cohort.starts_on, None
        )
        saved = cohort_records.update(cohort, first, 1, shown)
        assert isinstance(saved, Cohort) and saved.version == 2
        refused = cohort_records.update(cohort, second, 1, shown)
        assert isinstance(refused, cohort_records.CohortConflict)
        assert [(c.field, c.now) for c in refused.changes] == [
            ("name", "First"),
            ("place", "Hall 1"),
        ]
        assert refused.version == 2
        db.session.expire_all()
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None and (cohort.name, cohort.version) == ("First", 2)


def test_a_conflict_is_said_in_the_interface_language(
    client: FlaskClient, app: Flask, world: World
) -> None:
    login(client, "coord_a", "bn")
    opened = _edit_page(client, world.cohort_a)
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        changed = cohort_records.CohortInput(
            world.org_a, "Cohort A", "leaders", "bn", "Hall 2", cohort.starts_on, None
        )
        assert isinstance(cohort_records.update(cohort, changed), Cohort)
    data = {
        "name": "Cohort A",
        "programme_id": "leaders",
        "language": "bn",
        "place": "Test hall",
        "starts_on": "2025-01-06",
        **opened,
    }
    text = html.unescape(client.post(f"/cohorts/{world.cohort_a}/edit", data=data).text)
    place = said(app, "bn", "Place")
    assert SCRIPT["bn"].search(place)
    line = said(
        app,
        "bn",
        "%(label)s was changed to %(value)s by someone else.",
        label=place,
        value="Hall 2",
    )
    assert line in text
    assert "place" not in text.split("<main", 1)[1].split("<form", 1)[0]


def test_a_facilitator_assignment_meanwhile_does_not_refuse_a_cohort_edit(
    client: FlaskClient, app: Flask, world: World
) -> None:
    from tracker.models import Cohort

    login(client, "coord_a", "en")
    opened = _edit_page(client, world.cohort_a)
    with app.app_context():  # the facilitators form saved meanwhile: only the version moved
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        cohort.version += 1
        db.session.commit()
    mine = {
        "name": "Cohort A, spring", "programme_id": "leaders", "language": "bn",
        "place": "Test hall", "starts_on": "2025-01-06", "ends_on": "",
        "version": opened["version"],
        **{k: v for k, v in opened.items() if k.startswith("shown-")},
    }  # fmt: skip
    assert client.post(f"/cohorts/{world.cohort_a}/edit", data=mine).status_code == 302
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None and cohort.name == "Cohort A, spring" and cohort.version == 3
