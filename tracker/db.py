"""The database handle: SQLAlchemy 2 models' base, the engine settings, migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)

# Models subclass `Model`; mypy sees the plain declarative base behind db.Model.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
MIGRATIONS = str(Path(__file__).parent / "migrations")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off unless asked, per connection; WAL lets the roster
    # screen write while an evaluator reads a summary.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit the tracker has acknowledged survives a power cut (NORMAL in WAL
        # mode may lose the last ones), which village-hall power makes likely.
        cursor.execute("PRAGMA synchronous=FULL")
        # Deleted rows are overwritten with zeros, not left in free pages: a withdrawn
        # participant's code and words must not survive in the database file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
        _owner_only(dbapi_connection)


def _owner_only(connection: sqlite3.Connection) -> None:
    """The database and its log readable by the tracker's own user only (0600): they hold
    survivors' records, and a shared laptop has other accounts."""
    for _, name, path in connection.execute("PRAGMA database_list"):
        if name != "main" or not path:
            continue  # an in-memory database
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.chmod(path + suffix, 0o600)


def driver_url(url: str) -> str:
    """SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; we ship psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url.removeprefix(prefix)
    return url


def init_app(app: Flask) -> None:
    app.config["SQLALCHEMY_DATABASE_URI"] = driver_url(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
