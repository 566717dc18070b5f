"""An invented demo: two organisations, a cohort per programme, codes only, no real names.

The numbers are made up so that the charts have something to show: most people attend,
answers tend to rise between before and after, and a few useful-skill options lead.
Loading twice changes nothing: the demo organisations are looked up by name first.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from facilitator.load import Content
from facilitator.model import EvaluationForm, Instrument
from tracker import content
from tracker.access.security import hash_password
from tracker.businesses import demo as business_demo
from tracker.db import db
from tracker.models import (
    AttendanceStatus,
    Cohort,
    CohortFacilitator,
    EvaluatorGrant,
    Group,
    Membership,
    Organisation,
    Participant,
    Role,
    Timepoint,
    TrainingSession,
    User,
)
from tracker.records import assessments, audit, evaluations, sessions
from tracker.scorecards import demo as scorecard_demo
from tracker.summaries import releases

ORGANISATIONS = ("Sahaj Demo Collective", "Nodi Demo Shelter Network")
PLACES = ("Demo Town North", "Demo Village Hall", "Demo District Office")
DEMO_PASSWORD = "demo-only-password"
USERS = (
    ("demo-admin", Role.admin, None),
    ("demo-coordinator", Role.coordinator, 0),
    ("demo-facilitator", Role.facilitator, 0),
    ("demo-coordinator-2", Role.coordinator, 1),
    ("demo-evaluator", Role.evaluator, None),
)
PARTICIPANTS_PER_COHORT = 22


def load_demo(seed: int = 2024) -> str:
    existing = db.session.scalar(select(Organisation).where(Organisation.name == ORGANISATIONS[0]))
    if existing is not None:
        if releases.latest_id() is None:
            return _release()
        return "Demo data is already loaded; nothing changed."
    rng = random.Random(seed)
    organisations = [Organisation(name=name) for name in ORGANISATIONS]
    db.session.add_all(organisations)
    db.session.flush()
    users = _users(organisations)
    loaded = content.content()
    cohorts_made = 0
    for index, programme_id in enumerate(loaded.programmes):
        for org_index, organisation in enumerate(organisations):
            _cohort(rng, loaded, programme_id, organisation, index, org_index, users)
            cohorts_made += 1
    scorecard_demo.add(loaded, organisations[0])
    audit.record("load", "demo", None, None, f"{cohorts_made} cohorts")
    db.session.commit()
    names = ", ".join(name for name, _, _ in USERS)
    return (
        f"Demo loaded: {len(organisations)} organisations, {cohorts_made} cohorts.\n"
        f"Demo users ({names}) share the password '{DEMO_PASSWORD}'. For trying out only.\n"
        + _release()
    )


def _release() -> str:
    """Evaluators read releases only: publish the demo's first one."""
    outcome = releases.publish_recorded("demo")
    return f"Release {outcome.release_id} published for the demo evaluator."


def _users(organisations: list[Organisation]) -> dict[str, User]:
    users: dict[str, User] = {}
    password_hash = hash_password(DEMO_PASSWORD)
    for username, role, org_index in USERS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username,
                password_hash=password_hash,
                role=role,
                organisation_id=None if org_index is None else organisations[org_index].id,
            )
            db.session.add(user)
            db.session.flush()
        users[username] = user
    for organisation in organisations:
        db.session.add(
            EvaluatorGrant(user_id=users["demo-evaluator"].id, organisation_id=organisation.id)
        )
    return users


def _cohort(
    rng: random.Random,
    loaded: Content,
    programme_id: str,
    organisation: Organisation,
    index: int,
    org_index: int,
    users: dict[str, User],
) -> None:
    programme = loaded.programmes[programme_id]
    starts_on = date(2025, 1 + 3 * index % 12, 6 + 7 * org_index)
    # Survivor cohorts in the curriculum's other languages by turns; social workers' in its own.
    others = [language.code for language in loaded.languages if not language.default]
    language = loaded.default_language
    if others and programme.audience != "social_workers":
        language = others[org_index % len(others)]
    cohort = Cohort(
        organisation_id=organisation.id,
        name=f"{programme.title} · {PLACES[(index + org_index) % len(PLACES)]} 2025",
        programme_id=programme_id,
        language=language,
        place=PLACES[(index + org_index) % len(PLACES)],
        starts_on=starts_on,
        ends_on=starts_on + timedelta(weeks=12),
    )
    db.session.add(cohort)
    db.session.flush()
    if org_index == 0:
        db.session.add(CohortFacilitator(cohort_id=cohort.id, user_id=users["demo-facilitator"].id))
    group = Group.social_worker if programme.audience == "social_workers" else Group.survivor
    prefix = "SW" if group is Group.social_worker else "SUR"
    participants = []
    for number in range(1, PARTICIPANTS_PER_COHORT + 1):
        code = f"{prefix}-{index + 1}{org_index + 1}{number:02d}"
        participant = Participant(
            organisation_id=organisation.id,
            code=code,
            group=group,
            consent_given_on=starts_on - timedelta(days=7),
        )
        db.session.add(participant)
        participants.append(participant)
    db.session.flush()
    for participant in participants:
        db.session.add(Membership(cohort_id=cohort.id, participant_id=participant.id))
    # Some people come to almost everything, a few drift away: a spread of attendance.
    commitment = {p.id: rng.uniform(0.55, 1.0) for p in participants}
    modules = [m for m in programme.modules if m in loaded.modules]
    for week, module_id in enumerate((modules * 12)[:12]):
        session = TrainingSession(
            cohort_id=cohort.id, module_id=module_id, held_on=starts_on + timedelta(weeks=week)
        )
        db.session.add(session)
        db.session.flush()
        marks = {}
        for p in participants:
            roll = rng.random()
            if roll < commitment[p.id]:
                status = AttendanceStatus.late if rng.random() < 0.1 else AttendanceStatus.present
            else:
                status = AttendanceStatus.excused if rng.random() < 0.4 else AttendanceStatus.absent
            marks[p.id] = status
        sessions.write_attendance(session.id, marks)
    for instrument_id in content.programme_instruments(programme_id):
        instrument = loaded.instruments.get(instrument_id)
        if instrument is not None:
            _answers(rng, cohort, instrument, participants, starts_on)
    for form_id in content.programme_forms(programme_id):
        form = loaded.evaluation_forms.get(form_id)
        if form is not None:
            _evaluations(rng, cohort, form, participants, starts_on)
    business_demo.add(loaded, cohort, participants)


def _answers(
    rng: random.Random,
    cohort: Cohort,
    instrument: Instrument,
    participants: list[Participant],
    start: date,
) -> None:
    if instrument.kind == "yes_no":
        low, high = 0, 1
    else:
        values = [point.value for point in instrument.scale]
        low, high = min(values), max(values)
    end = start + timedelta(weeks=12)
    entries = []
    for p in participants:
        if rng.random() < 0.1:
            continue  # not everyone answers every form
        growth = rng.uniform(-0.3, 1.6)
        before: dict[str, int] = {}
        after: dict[str, int] = {}
        for item in instrument.items:
            base = rng.uniform(low, low + (high - low) * 0.6)
            shift = (high - low) * 0.25 * growth * (-1 if item.reverse else 1)
            first = base if not item.reverse else high - (base - low)
            before[item.id] = _clip(round(first), low, high)
            after[item.id] = _clip(round(first + shift + rng.uniform(-0.6, 0.6)), low, high)
        entries.append(
            (
                cohort.id,
                assessments.AssessmentInput(p.id, instrument.id, Timepoint.pre, start, before),
            )
        )
        entries.append(
            (
                cohort.id,
                assessments.AssessmentInput(p.id, instrument.id, Timepoint.post, end, after),
            )
        )
    assessments.write(entries)


def _clip(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _evaluations(
    rng: random.Random,
    cohort: Cohort,
    form: EvaluationForm,
    participants: list[Participant],
    start: date,
) -> None:
    options = [option.id for option in form.options]
    # Earlier options on the form weigh more, so the ranking has a clear shape.
    weights = [len(options) - i + rng.random() * 3 for i in range(len(options))]
    entries = []
    for p in participants:
        if rng.random() < 0.15:
            continue
        chosen: list[str] = []
        while len(chosen) < min(form.choose_up_to, len(options)):
            pick = rng.choices(options, weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        entries.append(
            (
                cohort.id,
                evaluations.EvaluationInput(
                    form.id, p.id, start + timedelta(weeks=12), chosen, None
                ),
            )
        )
    evaluations.write(entries)
