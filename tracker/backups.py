"""Backups and restores of the whole database, and the erasures a restore re-applies.

SQLite: a consistent copy through SQLite's online backup API (safe while the app writes).
PostgreSQL: pg_dump's custom format, restored with pg_restore. Backup files are readable by
their owner only and never overwrite one another.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy.engine import URL

from tracker.db import MIGRATIONS, db
from tracker.records import erasure


class BackupError(Exception):
    """A backup or restore that cannot be done, said so that the user can act on it."""


def _claim(target: Path, suffix: str) -> Path:
    """A new file in `target`, mode 0600, with a name no other backup has."""
    target.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        name = f"tracker-{stamp}{f'-{attempt}' if attempt else ''}{suffix}"
        path = target / name
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return path
    raise BackupError(f"no free backup name in {target}")


def _pg_url(url: URL) -> str:
    """The connection URL without its password, which goes by environment (`_pg_env`):
    a command line is visible to every user of the machine in the process list."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _pg_env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def backup(target: Path) -> Path:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        destination = _claim(target, ".sqlite")
        source = sqlite3.connect(url.database or "")
        copy = sqlite3.connect(destination)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
        return destination
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed: install postgresql-client")
    destination = _claim(target, ".dump")
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={destination}", _pg_url(url)],
        check=True,
        env=_pg_env(url),
    )
    return destination


def restore(source: Path) -> int:
    """Replace the database with a backup, bring its schema up to date, and erase again
    everyone the erasure ledger lists. Returns how many were erased again."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    url = db.engine.url
    db.session.remove()
    if url.get_backend_name() == "sqlite":
        if not source.read_bytes()[:16].startswith(b"SQLite format 3"):
            raise BackupError(f"{source}: not a SQLite backup made by `tracker backup`")
        db.engine.dispose()
        backup_copy = sqlite3.connect(source)
        live = sqlite3.connect(url.database or "")
        with live:
            backup_copy.backup(live)
        live.close()
        backup_copy.close()
    else:
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed: install postgresql-client")
        db.engine.dispose()
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={_pg_url(url)}", str(source)],
            check=True,
            env=_pg_env(url),
        )  # fmt: skip
    upgrade(directory=MIGRATIONS)
    from tracker.records.participants import withdraw_consent

    again = erasure.erased_participants()
    for participant in again:
        withdraw_consent(participant, again=True)
    erasure.scrub_files()
    return len(again)
