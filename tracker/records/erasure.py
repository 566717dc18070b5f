"""Erasure that stays erased: after a consent withdrawal nothing ties the trail to her, the
database file and its write-ahead log keep no copy of her rows, and a ledger of keyed hashes
(never the codes) lets `tracker restore` erase her again from an older backup.

The ledger is a file in the instance folder, outside the database, because restoring a
backup replaces the database and everything in it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from tracker.db import db
from tracker.models import (
    AssessmentResponse,
    AuditEvent,
    EvaluationResponse,
    FollowUp,
    Participant,
    Referral,
)

LEDGER_FILE = "erasures.jsonl"
KEY_FILE = "erasure_key"


def _private_file(path: Path, content: str) -> None:
    """Create a file only its owner can read, unless it exists already."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(content)


def _instance() -> Path:
    path = Path(current_app.instance_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key() -> bytes:
    # A key of its own, not SECRET_KEY: rotating the sign-in secret must not orphan the ledger.
    path = _instance() / KEY_FILE
    _private_file(path, secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip().encode()


def mark(organisation_id: int, code: str, key: bytes | None = None) -> str:
    """A keyed hash of an organisation's code: codes are short, so a plain hash could be
    reversed by trying them all; without the key file this says nothing. `key`: the key
    already read, when marking many codes."""
    message = f"{organisation_id}\x00{code}".encode()
    return hmac.new(key or _key(), message, hashlib.sha256).hexdigest()


def ledger_path() -> Path:
    return _instance() / LEDGER_FILE


def note(organisation_id: int, code: str) -> None:
    """Add her mark to the ledger (after the erasure committed), flushed to disk."""
    path = ledger_path()
    _private_file(path, "")
    line = json.dumps(
        {"at": datetime.now(UTC).isoformat(timespec="seconds"), "mark": mark(organisation_id, code)}
    )
    with path.open("a", encoding="ascii") as stream:
        stream.write(line + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def marks() -> set[str]:
    path = ledger_path()
    if not path.exists():
        return set()
    found = set()
    for line in path.read_text(encoding="ascii").splitlines():
        if line.strip():
            found.add(str(json.loads(line)["mark"]))
    return found


def erased_participants() -> list[Participant]:
    """Participants in the database whose code the ledger says was erased."""
    wanted = marks()
    if not wanted:
        return []
    key = _key()  # read once, not once per participant
    return [
        participant
        for participant in db.session.scalars(select(Participant))
        if mark(participant.organisation_id, participant.code, key) in wanted
    ]


def unlink_trail(participant_id: int) -> None:
    """Cut the audit trail's links to her and her records (no commit): the events stay, as
    what happened in the organisation, but no longer say to whom."""
    pid = participant_id
    owned: dict[str, object] = {
        "participant": [pid],
        "assessment": select(AssessmentResponse.id).where(AssessmentResponse.participant_id == pid),
        "evaluation": select(EvaluationResponse.id).where(EvaluationResponse.participant_id == pid),
        "follow_up": select(FollowUp.id).where(FollowUp.participant_id == pid),
        "referral": select(Referral.id).where(Referral.participant_id == pid),
    }
    for entity, ids in owned.items():
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id.in_(ids))  # type: ignore[arg-type]
            .values(entity_id=None)
        )


def scrub_files() -> None:
    """After an erasure commits: fold the write-ahead log into the database file and empty it
    (SQLite's secure_delete has already zeroed the freed pages). PostgreSQL's VACUUM is left
    to its autovacuum; its dead rows are not readable through SQL."""
    if db.engine.url.get_backend_name() != "sqlite":
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
