"""Erasure means erased: after a withdrawal her code and words are in no byte of the database
file or its write-ahead log, the audit trail no longer points at her, and restoring a backup
taken before the withdrawal does not bring her back. On SQLite and PostgreSQL."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from tests.tracker.conftest import build_world
from tracker.db import db
from tracker.models import AuditEvent, Cohort, Participant, Timepoint
from tracker.records import assessments, erasure, evaluations, participants

CODE = "SUR-A01"
WORDS = "canary words she wrote in her own hand"
OTHER = "her other answer, in her own words"


def _her_records(cohort_id: int, participant_id: int) -> None:
    cohort = db.session.get(Cohort, cohort_id)
    assert cohort is not None
    saved = assessments.save(
        cohort,
        assessments.AssessmentInput(
            participant_id, "selfworth", Timepoint.pre, date(2025, 1, 6), {"speak-up": 2}
        ),
    )
    assert not isinstance(saved, list), saved
    answered = evaluations.save(
        cohort,
        evaluations.EvaluationInput(
            form_id="useful-skills",
            participant_id=participant_id,
            answered_on=date(2025, 1, 7),
            choices=["resilience", "other"],
            other_text=OTHER,
        ),
    )
    assert not isinstance(answered, list), answered
    person = db.session.get(Participant, participant_id)
    assert person is not None
    person.note = WORDS
    db.session.commit()


def _raw(app: Flask) -> bytes:
    """Every byte SQLite keeps for the database: the file and its write-ahead log."""
    path = Path(db.engine.url.database or "")
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_withdrawal_then_restore_of_an_older_backup_leaves_her_erased(
    db_app: Flask, tmp_path: Path
) -> None:
    db_app.instance_path = str(tmp_path / "instance")
    runner = db_app.test_cli_runner()
    with db_app.app_context():
        world = build_world(publish=False)
        _her_records(world.cohort_a, world.participant_a)
        sqlite = db.engine.url.get_backend_name() == "sqlite"
        if sqlite:
            assert all(w.encode() in _raw(db_app) for w in (CODE, WORDS, OTHER))
    made = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert made.exit_code == 0, made.output
    second = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    copies = sorted((tmp_path / "backups").iterdir())
    assert second.exit_code == 0 and len(copies) == 2  # never one over the other
    assert all(stat.S_IMODE(copy.stat().st_mode) == 0o600 for copy in copies)

    with db_app.app_context():
        person = db.session.get(Participant, world.participant_a)
        assert person is not None
        participants.withdraw_consent(person)
        trail = db.session.scalars(select(AuditEvent)).all()
        assert not [
            e for e in trail if e.entity == "participant" and e.entity_id == world.participant_a
        ]
        assert any(e.action == "withdraw_consent" and e.entity_id is None for e in trail)
        assert CODE.encode() not in erasure.ledger_path().read_bytes()  # keyed hashes only
        if sqlite:
            raw = _raw(db_app)
            assert not [w for w in (CODE, WORDS, OTHER) if w.encode() in raw]

    restored = runner.invoke(args=["restore", "--yes", str(copies[0])])
    assert restored.exit_code == 0, restored.output
    assert "1 withdrawn participants erased again" in restored.output
    with db_app.app_context():
        codes = set(db.session.scalars(select(Participant.code)))
        assert CODE not in codes and "SUR-B01" in codes  # the others are back as they were
        if sqlite:
            raw = _raw(db_app)
            assert not [w for w in (CODE, WORDS, OTHER) if w.encode() in raw]


def test_restore_refuses_what_is_not_a_backup(db_app: Flask, tmp_path: Path) -> None:
    db_app.instance_path = str(tmp_path / "instance")
    runner = db_app.test_cli_runner()
    missing = runner.invoke(args=["restore", "--yes", str(tmp_path / "nothing.sqlite")])
    assert missing.exit_code != 0 and "no such backup file" in missing.output
