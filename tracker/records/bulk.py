"""Bulk writes: Core statements on a model's table, a few thousand rows at a time.

Imports write through these rather than the ORM's bulk path, which keeps far more per row
(a 100,000-row import took 2.4 GB that way): plain executemany of small dicts, a chunk at a
time, stays within a few tens of MB.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert

from tracker.db import Model, db

# Rows per statement, and per IN list when looking up what is stored: every database takes it.
BULK = 2000


def table(model: type[Model]) -> Table:
    """The model's table, for Core inserts, updates and deletes of many rows."""
    return cast(Table, model.__table__)


def insert_rows(model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Many rows into the model's table (values in `columns` order), no commit, no ids back.

    Not through Core's per-row parameter handling, which costs more than the database's
    own work for an import's millions of answers: on SQLite sqlite3's executemany, on
    PostgreSQL (psycopg2) COPY, the values converted by the columns' own types first."""
    if not rows:
        return
    target = table(model)
    connection = db.session.connection()
    dialect = connection.dialect
    if dialect.driver not in ("pysqlite", "psycopg2"):
        connection.execute(insert(target), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    processors = [target.c[name].type.bind_processor(dialect) for name in columns]
    if any(processors):
        rows = [
            tuple(v if p is None else p(v) for p, v in zip(processors, row, strict=True))
            for row in rows
        ]
    names = ", ".join(columns)
    if dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {target.name} ({names}) VALUES ({marks})", rows)
        return
    text = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in rows))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.copy_expert(f"COPY {target.name} ({names}) FROM STDIN", text)
    finally:
        cursor.close()


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value as COPY's text format writes it (dates and numbers as PostgreSQL reads them)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    return str(value)
