"""Summaries: our figures against independent computations on the same data, protection for
evaluators (also in charts and exports), attendance, yes/no, the wheel and the tallies."""

from __future__ import annotations

import io
import random
import threading
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from scipy import stats as scipy_stats
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from tests.tracker.conftest import AuthActions, World, build_world, publish_release
from tracker import summaries
from tracker.db import db
from tracker.models import Cohort, Group, Release, Timepoint, TrainingSession
from tracker.records import assessments, cohorts, evaluations, participants, sessions
from tracker.summaries import release_job, releases, tables
from tracker.summaries.tables import Suppressed


def populate(
    app: Flask, world: World, people: int, seed: int = 7
) -> dict[str, list[tuple[int, int]]]:
    """People in cohort A with attendance, pre/post answers and evaluations; returns the
    (before, after) pairs per likert item as written."""
    rng = random.Random(seed)
    pairs: dict[str, list[tuple[int, int]]] = {}
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        session = db.session.get(TrainingSession, world.session_a)
        assert cohort is not None and session is not None
        second = sessions.create(cohort, sessions.SessionInput("leaders-we", date(2025, 1, 13), []))
        assert isinstance(second, TrainingSession)
        ids = []
        for number in range(2, people + 1):
            person = participants.enrol(
                cohort,
                participants.ParticipantInput(
                    f"SUR-{number:03d}", Group.survivor, True, date(2025, 1, 1), None
                ),
            )
            assert not isinstance(person, list)
            ids.append(person.id)
        ids.append(world.participant_a)
        marks = {str(pid): ("present" if i % 4 else "absent") for i, pid in enumerate(ids)}
        sessions.record_attendance(session, marks, cohort.organisation_id)
        sessions.record_attendance(
            second, {str(pid): "late" for pid in ids[: people // 2]}, cohort.organisation_id
        )
        for pid in ids:
            before = {
                item: rng.randint(1, 3) for item in ("value-myself", "speak-up", "feel-ashamed")
            }
            after = {item: min(5, v + rng.choice((0, 1, 1, 2))) for item, v in before.items()}
            for item in before:
                pairs.setdefault(item, []).append((before[item], after[item]))
            for point, answers in ((Timepoint.pre, before), (Timepoint.post, after)):
                assessments.save(
                    cohort,
                    assessments.AssessmentInput(pid, "selfworth", point, date.today(), answers),
                )
            for point, value in ((Timepoint.pre, 3), (Timepoint.post, 7)):
                assessments.save(
                    cohort,
                    assessments.AssessmentInput(
                        pid, "wheel", point, date.today(), {"body": value, "voice": value - 1}
                    ),
                )
            assessments.save(
                cohort,
                assessments.AssessmentInput(
                    pid, "body", Timepoint.post, date.today(), {"like-body": 1 if pid % 3 else 0}
                ),
            )
            evaluations.save(
                cohort,
                evaluations.EvaluationInput(
                    "useful-skills",
                    pid,
                    date.today(),
                    ["resilience", "connection"][: 1 + pid % 2],
                    None,
                ),
            )
    return pairs


def build(app: Flask, world: World) -> summaries.Summary:
    """Cohort A's exact figures, as its own staff read them."""
    with app.test_request_context():
        return summaries.exact("Cohort A", "cohort", str(world.cohort_a), [world.cohort_a])


def released(app: Flask, world: World, username: str = "evaluator") -> summaries.Summary:
    """Cohort A as the newest release has it, for one user."""
    from tracker.models import User

    with app.test_request_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        assert user is not None
        return summaries.released(user, "cohort", str(world.cohort_a))


def row(summary: summaries.Summary, section: str, first_cell: str) -> dict[str, object]:
    found = summary.section(section)
    assert found is not None, section
    keys = [c.key for c in found.table.columns]
    for cells in found.table.rows:
        if cells[0] == first_cell:
            return dict(zip(keys, cells, strict=True))
    raise AssertionError(f"no row {first_cell!r} in {section}")


def test_pre_post_figures_match_scipy(app: Flask, world: World) -> None:
    from tracker.summaries import statistics as stats

    pairs = populate(app, world, people=30)
    summary = build(app, world)
    for item_text, item_id, reverse in (
        ("I value myself.", "value-myself", False),
        ("I feel ashamed of what happened to me.", "feel-ashamed", True),
    ):
        figures = row(summary, "selfworth-pre-post", item_text)
        before = [b for b, _ in pairs[item_id]]
        after = [a for _, a in pairs[item_id]]
        differences = [a - b for b, a in pairs[item_id]]
        assert figures["n"] == 30
        assert figures["mean_before"] == pytest.approx(sum(before) / 30)
        assert figures["mean_after"] == pytest.approx(sum(after) / 30)
        assert figures["mean_change"] == pytest.approx(sum(differences) / 30)
        # Pratt: zeros ranked with the others, then left out; p by the exact sign-flip
        # distribution (checked against brute force in test_stats).
        tested = stats.signed_rank_test(differences)
        assert tested is not None
        assert figures["p_value"] == pytest.approx(tested[0])
        assert "exact" in str(figures["note"])
        improved = sum(1 for d in differences if (d < 0 if reverse else d > 0))
        unchanged = sum(1 for d in differences if d == 0)
        assert figures["improved"] == improved and figures["unchanged"] == unchanged
        assert figures["share_improved"] == pytest.approx(improved / 30)
        # The effect size counts the pairs that did not change: rank-biserial over all 30.
        ranks = scipy_stats.rankdata([abs(d) for d in differences])
        signed = sum(r * (1 if d > 0 else -1) for r, d in zip(ranks, differences, strict=True) if d)
        assert figures["effect_size"] == pytest.approx(signed / (30 * 31 / 2))
        assert figures["p_holm"] is not None and figures["p_holm"] >= figures["p_value"]  # type: ignore[operator]
    # The item nobody answered has no pairs and no test.
    assert row(summary, "selfworth-pre-post", "I make decisions about my own life.")["n"] == 0


def test_attendance_completion_wheel_yes_no_and_tally(app: Flask, world: World) -> None:
    populate(app, world, people=12)
    summary = build(app, world)
    first = row(summary, "attendance", "2025-01-06 · Module leaders-me")
    assert first["present"] == 9 and first["enrolled"] == 12  # every fourth was absent
    assert first["rate"] == pytest.approx(0.75)
    second = row(summary, "attendance", "2025-01-13 · Module leaders-we")
    assert second["present"] == 6  # "late" counts as attending
    bands = summary.section("attendance-bands")
    assert bands is not None and bands.table.rows[-1][1] == 12
    all_cohorts = row(summary, "completion", "All cohorts")
    assert all_cohorts["participants"] == 12
    wheel = row(summary, "wheel-wheel", "Body")
    assert wheel["mean_0"] == pytest.approx(3) and wheel["mean_1"] == pytest.approx(7)
    spirit = row(summary, "wheel-wheel", "Spirit")
    assert spirit["mean_0"] is None  # nobody rated it
    yes = row(summary, "body-post", "I like my body.")
    assert yes["answered"] == 12 and yes["yes"] + yes["no"] == 12  # type: ignore[operator]
    tally = summary.section("useful-skills-tally")
    assert tally is not None
    # The form's order, never the counts' (a hidden count's rank would tell its size), and
    # the respondents, so that "times chosen" reads as a share of those who answered.
    assert [cells[0] for cells in tally.table.rows][:3] == [
        "Communicating more clearly",
        "Resilience",
        "Feeling connected with others",
    ]
    assert row(summary, "useful-skills-tally", "Resilience")["count"] == 12
    assert row(summary, "useful-skills-tally", "Respondents")["count"] == 12
    assert row(summary, "useful-skills-tally", "Resilience")["share"] == pytest.approx(1.0)
    section = summary.section("useful-skills-tally")
    assert section is not None and section.chart_svg is not None
    assert "<svg" in section.chart_svg and ">12<" in section.chart_svg  # counts on the bars
    wheel_section = summary.section("wheel-wheel")
    assert wheel_section is not None and wheel_section.chart_svg is not None


def test_evaluators_see_small_counts_suppressed(app: Flask, bare_world: World) -> None:
    world = bare_world
    populate(app, world, people=4)
    with app.app_context():
        publish_release()
    summary = released(app, world)
    figures = row(summary, "selfworth-pre-post", "I value myself.")
    # Hidden: "<5", or "*" where three "<5" parts would otherwise narrow a "<5" total.
    assert isinstance(figures["n"], Suppressed) and figures["n"].display in ("<5", "*")
    assert isinstance(figures["mean_change"], Suppressed)  # worked out from the hidden n
    section = summary.section("selfworth-pre-post")
    assert section is not None and section.legend
    assert section.chart_svg is not None
    assert "&lt;5" in section.chart_svg or "*" in section.chart_svg
    assert summary.rules and any("hidden" in line for line in summary.rules)
    exact = build(app, world)
    assert row(exact, "selfworth-pre-post", "I value myself.")["n"] == 4


def test_summary_page_for_an_evaluator_hides_codes_and_small_counts(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    world = bare_world
    populate(app, world, people=4)
    with app.app_context():
        publish_release()
    auth.login("evaluator")
    page = client.get(f"/summaries/cohort/{world.cohort_a}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "suppression-legend" in text and "&lt;5" in text
    assert "SUR-" not in text
    exported = client.get(f"/summaries/cohort/{world.cohort_a}/selfworth-pre-post.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    csv_text = exported.get_data(as_text=True)
    assert "<5" in csv_text and "SUR-" not in csv_text
    assert "Release 1 of " in csv_text  # which release, and the rules that applied
    assert "release-1" in exported.headers["Content-Disposition"]
    xlsx = client.get(f"/summaries/cohort/{world.cohort_a}/selfworth-pre-post.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None
    values = [cell.value for line in sheet.iter_rows() for cell in line]
    assert "<5" in values


def test_coordinator_sees_exact_figures_and_can_preview_the_evaluator_view(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    world = bare_world
    populate(app, world, people=4)
    with app.app_context():
        publish_release()
    auth.login("coord_a")
    exact = client.get(f"/summaries/cohort/{world.cohort_a}").get_data(as_text=True)
    assert "suppression-legend" not in exact
    preview = client.get(f"/summaries/cohort/{world.cohort_a}?view=evaluator").get_data(
        as_text=True
    )
    assert "suppression-legend" in preview and "&lt;5" in preview
    response = client.get(f"/summaries/cohort/{world.cohort_a}/attendance.csv")
    csv_exact = response.get_data(as_text=True)
    assert csv_exact.splitlines()[0] == "Session,Present,Enrolled,Attendance (%)"
    assert "2025-01-06 · Module leaders-me,3,4,75.0" in csv_exact
    # Exact figures are marked as such: in the file name and in the file.
    assert "EXACT-not-for-sharing" in response.headers["Content-Disposition"]
    assert "not for sharing outside the organisation" in csv_exact
    xlsx = client.get(f"/summaries/cohort/{world.cohort_a}/attendance.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.active is not None and book.active.title.startswith("EXACT")
    assert "EXACT FIGURES" in str(book.active["A1"].value)


def test_programme_and_organisation_scopes_respect_what_a_user_may_see(
    app: Flask, world: World
) -> None:
    from tracker.models import User

    with app.test_request_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        coordinator = db.session.scalar(db.select(User).where(User.username == "coord_a"))
        assert admin is not None and coordinator is not None
        assert sorted(summaries.resolve(admin, "programme", "leaders")[1]) == [
            world.cohort_a,
            world.cohort_b,
        ]
        assert summaries.resolve(coordinator, "programme", "leaders")[1] == [world.cohort_a]
        summary = summaries.released(admin, "programme", "leaders")
        assert summary.section("attendance") is not None
        assert summary.section("attendance").table.title == "Attendance per module"  # type: ignore[union-attr]
        # The evaluator is granted organisation A only: the programme's total over A and B
        # would tell about B, so the programme scope is not theirs; A's cohort is.
        evaluator = db.session.scalar(db.select(User).where(User.username == "evaluator"))
        assert evaluator is not None
        with pytest.raises(NotFound):
            summaries.released(evaluator, "programme", "leaders")
        assert summaries.released(evaluator, "cohort", str(world.cohort_a)).protected


def test_withdrawal_changes_the_summary(app: Flask, world: World) -> None:
    populate(app, world, people=8)
    before = row(build(app, world), "selfworth-pre-post", "I value myself.")["n"]
    with app.test_request_context():
        from tracker.models import Participant

        person = db.session.get(Participant, world.participant_a)
        assert person is not None
        participants.withdraw_consent(person)
    after = row(build(app, world), "selfworth-pre-post", "I value myself.")["n"]
    assert (before, after) == (8, 7)


def test_world_builder_is_reusable(app: Flask) -> None:
    with app.app_context():
        made = build_world()
    assert made.cohort_a != made.cohort_b


def test_evaluators_read_a_release_not_live_data(app: Flask, world: World) -> None:
    """Asking again after a change gives the same figures until the next release."""
    first = released(app, world)
    populate(app, world, people=12)
    assert released(app, world).release_id == first.release_id
    again = released(app, world)
    assert (
        row(again, "useful-skills-tally", "Respondents")["count"]
        == row(first, "useful-skills-tally", "Respondents")["count"]
    )
    with app.app_context():
        publish_release()
    newer = released(app, world)
    assert newer.release_id != first.release_id
    assert row(newer, "useful-skills-tally", "Respondents")["count"] == 12


def test_pairing_in_the_database_matches_pairing_by_hand(db_app: Flask) -> None:
    """Summaries pair and count answers in SQL; the figures must be those of pairing each
    participant's answers in Python: gaps, a blank response, retrospective answers, reverse
    items, several cohorts, on SQLite and PostgreSQL."""
    from tracker.summaries import statistics as stats

    rng = random.Random(3)
    items = ("value-myself", "speak-up", "make-decisions", "feel-ashamed")
    written: dict[tuple[int, int], dict[tuple[str, Timepoint], dict[str, int]]] = {}
    with db_app.test_request_context():
        made = build_world(publish=False)
        for cohort_id in (made.cohort_a, made.cohort_b):
            cohort = db.session.get(Cohort, cohort_id)
            assert cohort is not None
            for number in range(14):
                person = participants.enrol(
                    cohort,
                    participants.ParticipantInput(
                        f"P-{cohort_id}-{number:02d}", Group.survivor, True, date(2025, 1, 1), None
                    ),
                )
                assert not isinstance(person, list)
                given = written.setdefault((cohort_id, person.id), {})
                for instrument, asked, values in (
                    ("selfworth", items, range(1, 6)),
                    ("wheel", ("body", "money", "spirit", "voice"), range(1, 11)),
                    ("body", ("like-body", "care-health", "hide-body"), range(2)),
                ):
                    for point in (Timepoint.pre, Timepoint.post, Timepoint.retro_pre):
                        if rng.random() < 0.2:
                            continue  # never answered
                        # A response can leave items blank; one leaves every item blank.
                        answers = {i: rng.choice(values) for i in asked if rng.random() < 0.8}
                        if number == 0 and point is Timepoint.post:
                            answers = {}
                        given[(instrument, point)] = answers
                        assessments.save(
                            cohort,
                            assessments.AssessmentInput(
                                person.id, instrument, point, date.today(), answers
                            ),
                        )
        summary = summaries.exact("Both", "programme", "leaders", [made.cohort_a, made.cohort_b])

    def answered(instrument: str, point: Timepoint) -> list[dict[str, int]]:
        # A response with no answer at all is no response.
        return [g[(instrument, point)] for g in written.values() if g.get((instrument, point))]

    def both(before: Timepoint) -> list[tuple[dict[str, int], dict[str, int]]]:
        return [
            (g[("selfworth", before)], g[("selfworth", Timepoint.post)])
            for g in written.values()
            if g.get(("selfworth", before)) and g.get(("selfworth", Timepoint.post))
        ]

    def overall(answers: dict[str, int]) -> float | None:
        return stats.scale_score(answers, reverse_items=["feel-ashamed"], scale_min=1, scale_max=5)

    texts = dict(zip(items, ("I value myself.", "I can speak up in a group.",
                             "I make decisions about my own life.",
                             "I feel ashamed of what happened to me."), strict=True))  # fmt: skip
    for before in (Timepoint.pre, Timepoint.retro_pre):
        section = f"selfworth-{before.value}-post"
        matched = both(before)
        expected = {
            texts[item]: stats.paired_change(
                [(b.get(item), a.get(item)) for b, a in matched],
                higher_is_better=item != "feel-ashamed",
            )
            for item in items
        }
        expected["Overall score"] = stats.paired_change(
            [(overall(b), overall(a)) for b, a in matched]
        )
        assert expected["Overall score"].p_value is not None  # enough pairs for a test
        for label, change in expected.items():
            figures = row(summary, section, label)
            assert figures["n"] == change.n_pairs, (section, label)
            for key, value in (
                ("mean_before", change.mean_before),
                ("mean_after", change.mean_after),
                ("mean_change", change.mean_change),
                ("share_improved", change.share_improved),
                ("p_value", change.p_value),
                ("effect_size", change.effect_size),
            ):
                assert figures[key] == pytest.approx(value, rel=1e-12), (section, label, key)
    for index, point in enumerate((Timepoint.pre, Timepoint.post)):
        ratings = answered("wheel", point)
        means = stats.spoke_means(ratings, ["body", "money", "spirit", "voice"])
        spokes = ("body", "money", "spirit", "voice")
        for spoke, mean in zip(spokes, means, strict=True):
            figures = row(summary, "wheel-wheel", spoke.capitalize())
            # Each spoke's n counts those who rated that spoke: its mean rests on them.
            assert figures[f"n_{index}"] == sum(1 for r in ratings if spoke in r)
            assert figures[f"mean_{index}"] == pytest.approx(mean, rel=1e-12)
        for item, text in (
            ("like-body", "I like my body."),
            ("hide-body", "I want to hide my body."),
        ):
            share = stats.share_yes(
                [None if item not in a else a[item] == 1 for a in answered("body", point)]
            )
            figures = row(summary, f"body-{point.value}", text)
            assert (figures["answered"], figures["yes"]) == (share.n_answered, share.n_yes)


def test_summary_page_speaks_bengali_around_the_data(
    app: Flask, client: FlaskClient, auth: AuthActions, bare_world: World
) -> None:
    world = bare_world
    populate(app, world, people=4)
    with app.app_context():
        publish_release()
    auth.login("evaluator", language="bn")
    text = client.get(f"/summaries/cohort/{world.cohort_a}").get_data(as_text=True)
    assert '<th scope="col" class="num">মিলে যাওয়া জোড়া</th>' in text  # "Matched pairs"
    assert "সেশন অনুযায়ী উপস্থিতি" in text
    assert "&lt;5: 0 থেকে 4-এর মধ্যে একটি সংখ্যা, অংশগ্রহণকারীদের সুরক্ষার জন্য লুকানো।" in text
    assert "Matched pairs" not in text and "hidden to protect participants" not in text
    # The CSV is for analysis: English headers whatever the interface language.
    csv_text = client.get(f"/summaries/cohort/{world.cohort_a}/selfworth-pre-post.csv").get_data(
        as_text=True
    )
    assert csv_text.startswith("Item,Matched pairs,Improved,Unchanged,Worsened,")
    assert "<5: a count from 0 to 4, hidden to protect participants." in csv_text
    # The XLSX is for people: it follows the interface.
    xlsx = client.get(f"/summaries/cohort/{world.cohort_a}/selfworth-pre-post.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None
    values = [cell.value for line in sheet.iter_rows() for cell in line]
    assert "মিলে যাওয়া জোড়া" in values and "Matched pairs" not in values


def test_summary_json_keys_do_not_change_with_the_language(app: Flask, bare_world: World) -> None:
    from tracker.models import User

    world = bare_world
    populate(app, world, people=4)
    with app.test_request_context():
        publish_release()
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        assert admin is not None
        english, bengali = (
            summaries.released(admin, "cohort", str(world.cohort_a), language=language)
            for language in ("en", "bn")
        )
        for section_en, section_bn in zip(english.sections, bengali.sections, strict=True):
            assert section_en.key == section_bn.key
            table_en = tables.table_to_dict(section_en.table, english.gettext)
            table_bn = tables.table_to_dict(section_bn.table, bengali.gettext)
            assert [c["key"] for c in table_en["columns"]] == [
                c["key"] for c in table_bn["columns"]
            ]
            assert [list(row) for row in table_en["rows"]] == [
                list(row) for row in table_bn["rows"]
            ]
        paired = bengali.section("selfworth-pre-post")
        assert paired is not None
        labels = [c["label"] for c in tables.table_to_dict(paired.table)["columns"]]
        assert "মিলে যাওয়া জোড়া" in labels
        assert any("0 থেকে 4" in line for line in paired.legend)


def test_a_write_invalidates_only_its_own_organisations_figures(app: Flask, world: World) -> None:
    """Exact summaries are cached per cohort's data version: a change in B leaves A's
    cached summary in place; a change in A replaces it."""
    with app.test_request_context():
        first = summaries.exact("A", "cohort", str(world.cohort_a), [world.cohort_a])
        assert summaries.exact("A", "cohort", str(world.cohort_a), [world.cohort_a]) is first
        session_b = db.session.get(TrainingSession, world.session_b)
        assert session_b is not None
        sessions.record_attendance(session_b, {str(world.participant_b): "present"}, world.org_b)
        assert summaries.exact("A", "cohort", str(world.cohort_a), [world.cohort_a]) is first
        session_a = db.session.get(TrainingSession, world.session_a)
        assert session_a is not None
        sessions.record_attendance(session_a, {str(world.participant_a): "present"}, world.org_a)
        changed = summaries.exact("A", "cohort", str(world.cohort_a), [world.cohort_a])
        assert changed is not first
        present = changed.section("attendance").table.rows[0][1]  # type: ignore[union-attr]
        assert present == 1


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The cohorts whose counts are read from the records, one list per reading."""
    found: list[list[int]] = []
    live_parts = releases.live_parts

    def spy(cohorts: dict[int, Any], *args: Any) -> Any:
        found.append(sorted(cohorts))
        return live_parts(cohorts, *args)

    monkeypatch.setattr(releases, "live_parts", spy)
    return found


def test_a_write_makes_stale_only_the_cohort_it_touched(
    app: Flask, world: World, counted: list[list[int]]
) -> None:
    """Within one organisation too: attendance saved in one cohort recounts that cohort
    alone; its sister cohort's summary stays cached, a scope over both sums the kept counts
    of the one with the new counts of the other. An erasure, which can touch any cohort of
    the organisation, makes all of them stale."""
    with app.test_request_context():
        sister = cohorts.create(
            cohorts.CohortInput(
                world.org_a, "Cohort A2", "leaders", "bn", "Hall", date(2025, 2, 3), None
            )
        )
        assert not isinstance(sister, list)
        person = participants.enrol(
            sister,
            participants.ParticipantInput("SUR-A77", Group.survivor, True, date(2025, 1, 1), ""),
        )
        assert not isinstance(person, list)
        session = sessions.create(sister, sessions.SessionInput("leaders-me", date(2025, 2, 3), []))
        assert isinstance(session, TrainingSession)
        both = [world.cohort_a, sister.id]

        def cohort_a() -> summaries.Summary:
            return summaries.exact("A", "cohort", str(world.cohort_a), [world.cohort_a])

        def organisation() -> summaries.Summary:
            return summaries.exact("Org A", "organisation", str(world.org_a), both)

        first, whole = cohort_a(), organisation()
        assert counted == [[world.cohort_a], [sister.id]]
        sessions.record_attendance(session, {str(person.id): "present"}, world.org_a)
        assert cohort_a() is first
        again = organisation()
        assert again is not whole
        assert counted[-1] == [sister.id]  # only the cohort written to was counted again
        held = again.section("attendance")
        assert held is not None and sum(row[1] for row in held.table.rows) == 1
        participants.withdraw_consent(person)
        assert cohort_a() is not first
        assert counted[-1] == [world.cohort_a]


def test_warming_counts_every_cohort_once(
    app: Flask, world: World, counted: list[list[int]]
) -> None:
    """What `tracker serve` does as it starts: afterwards a summary sums kept counts and
    reads no answer; a write then recounts its own cohort only."""
    with app.test_request_context():
        assert summaries.warm(batch=1) == 2
        assert counted == [[world.cohort_a], [world.cohort_b]]
        both = [world.cohort_a, world.cohort_b]
        whole = summaries.exact("Leaders", "programme", "leaders", both)
        assert len(counted) == 2
        session_b = db.session.get(TrainingSession, world.session_b)
        assert session_b is not None
        sessions.record_attendance(session_b, {str(world.participant_b): "present"}, world.org_b)
        assert summaries.exact("Leaders", "programme", "leaders", both) is not whole
        assert counted[2:] == [[world.cohort_b]]


def test_follow_up_and_response_counts_are_reported(app: Flask, world: World) -> None:
    """Pre to follow-up and post to follow-up beside pre to post; who answered when, and
    how many pairs matched; in the API as well."""
    populate(app, world, people=8)
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        members = [pid for pid, _ in summaries.participant_attendance(cohort.id).items()]
        for pid in members[:6]:
            assessments.save(
                cohort,
                assessments.AssessmentInput(
                    pid, "selfworth", Timepoint.follow_up, date.today(), {"value-myself": 5}
                ),
            )
    summary = build(app, world)
    assert summary.section("selfworth-pre-follow_up") is not None
    assert summary.section("selfworth-post-follow_up") is not None
    follow_up = row(summary, "selfworth-pre-follow_up", "I value myself.")
    assert follow_up["n"] == 6
    answered = summary.section("selfworth-responses")
    assert answered is not None
    counts = dict(zip(answered.table.row_keys, (r[1] for r in answered.table.rows), strict=True))
    assert counts["answered:pre"] == 8 and counts["answered:follow_up"] == 6
    assert counts["matched:pre>post"] == 8 and counts["matched:pre>follow_up"] == 6


def test_two_releases_made_at_once_are_not_both_published(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each release is protected against the ones before it. Two made at the same time from
    the same history were not protected against each other, so the second to be stored is
    refused (whichever process or thread made it) and nothing of it is kept."""
    with app.app_context():
        seen = releases.history()
        count = len(seen)
        releases.publish_recorded("first")
        monkeypatch.setattr(releases, "history", lambda: seen)  # began before "first" ended
        with pytest.raises(releases.ReleaseError):
            releases.publish_recorded("second")
        monkeypatch.undo()
        assert len(releases.history()) == count + 1
        third = releases.publish_recorded("third").release_id
        made = db.session.execute(select(Release.made_by).order_by(Release.id)).scalars()
        assert list(made)[-2:] == ["first", "third"]
        assert db.session.get(Release, third) is not None


def test_the_releases_page_makes_a_release_in_the_background(
    app: Flask,
    world: World,
    client: FlaskClient,
    auth: AuthActions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Publishing can take minutes: the page returns at once, says a release is being made
    (and refuses a second meanwhile), then says which release was published."""
    auth.login("coord_a")
    gate = threading.Event()
    publish = releases.publish_recorded

    def slow(*args: Any) -> Any:
        assert gate.wait(30)
        return publish(*args)

    monkeypatch.setattr(releases, "publish_recorded", slow)
    with app.app_context():
        before = len(releases.history())
    answered = client.post("/summaries/releases", follow_redirects=True)
    assert answered.status_code == 200
    page = answered.get_data(as_text=True)
    assert "Making a release" in page and "A release is being made" in page
    assert 'http-equiv="refresh"' in page
    again = client.post("/summaries/releases", follow_redirects=True).get_data(as_text=True)
    assert "being made already" in again
    gate.set()
    release_job.wait(app, 30)
    done = client.get("/summaries/releases").get_data(as_text=True)
    with app.app_context():
        made = releases.history()
    assert len(made) == before + 1
    assert f"Release {made[-1].id} published." in done
    assert 'http-equiv="refresh"' not in done
